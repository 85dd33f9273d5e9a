"""The library's front door: ``alliancegraph.open`` and the workspace it returns.

Its answers are the command line's (the CLI is a layer over it); here it is used as a
Python program would: which knowledge base, store or files, errors as exceptions, closing.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

import alliancegraph
from alliancegraph.articles import ArticleDetails
from alliancegraph.cache import LOCK, CacheError, cache_dir_for
from alliancegraph.cli import main
from alliancegraph.dates import PartialDate
from alliancegraph.engine import LocalEngine, QueryError
from alliancegraph.errors import AllianceGraphError, KnowledgeBaseError, UnknownEntityError, UsageError
from alliancegraph.paths import SHIPPED
from alliancegraph.workspace import open_workspace

from conftest import REPO, TinyKB, cli_runner, networkx_read_gexf

SERBIA_HUNGARY = "Serbia signed a military cooperation agreement with Hungary on April 3."
DODIK = "Milorad Dodik signaled willingness to align with Serbia and Hungary."
JUNE_2026 = dt.date(2026, 6, 1)


@pytest.fixture
def kb(tiny):
    """Serbia and Hungary sign an agreement and cooperate; Dodik signals willingness to align with Serbia."""
    tiny.add(id="srb-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote=SERBIA_HUNGARY)
    tiny.add(id="hun-signs", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03",
             quote=SERBIA_HUNGARY)
    tiny.add(id="srb-hun-coop", subject="serbia", relation="cooperates-with", object="hungary", date="2025-04-03",
             quote=SERBIA_HUNGARY)
    tiny.add(id="dodik-aligns", subject="milorad-dodik", relation="aligns-with", object="serbia",
             modality="intention", date="2025-04", quote=DODIK)
    return tiny.write()


def without_cache(monkeypatch, tmp_path: Path) -> None:
    """Point the cache at a file: no compiled store can be made, so the files are read."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(blocked))


def answered(answer) -> list[tuple[dict, list[str]]]:
    """Each row with the assertions of its evidence."""
    return [(row, [record["assertion"] for record in evidence]) for row, evidence in zip(answer, answer.evidence)]


def lock_is_free(root: Path) -> bool:
    """Whether a build could take the cache's lock now (nobody holds it, shared or not)."""
    fcntl = pytest.importorskip("fcntl")  # elsewhere than on POSIX the cache works unlocked
    fd = os.open(cache_dir_for(root) / LOCK, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


# -- which knowledge base ----------------------------------------------------------------------


def test_without_a_name_the_shipped_knowledge_base_answers(tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    monkeypatch.chdir(tmp_path)  # no kg/ here or above
    with alliancegraph.open() as kg:
        assert kg.chosen.reason == SHIPPED
        answer = kg.query("who-aligns-with", "Serbia", as_of=JUNE_2026)
    agreement = "serbia-hungary-military-cooperation-agreement"
    assert {(row["actor"], row["relation"], row["via"]) for row in answer} >= {("hungary", "signs", agreement)}
    willing = [records for row, records in zip(answer, answer.evidence) if row["actor"] == "republika-srpska"]
    assert willing and "signaled willingness to align with Serbia and Hungary" in willing[0][0]["quote"]


def test_the_knowledge_base_is_found_as_the_command_line_finds_it(kb, tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    project = tmp_path / "project"
    (project / "kg").mkdir(parents=True)
    (project / "kg" / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    (project / "notes").mkdir()
    monkeypatch.chdir(project / "notes")
    assert alliancegraph.open().root == project / "kg"
    monkeypatch.setenv("ALLIANCEGRAPH_KG", str(kb))
    assert (alliancegraph.open().root, alliancegraph.open().chosen.reason) == (kb, "$ALLIANCEGRAPH_KG")
    named = open_workspace(str(kb), named_by="--kg")
    assert (named.root, named.chosen.describe().endswith("(--kg)")) == (kb, True)
    assert alliancegraph.open(kb).chosen.reason == "given"


# -- answers -----------------------------------------------------------------------------------


def test_a_saved_query_answers_with_its_evidence(kb):
    with alliancegraph.open(kb) as kg:
        answer = kg.query("who-aligns-with", "Belgrade")  # an alias
    assert answer.columns[:3] == ["actor", "label", "relation"]
    assert [(row["actor"], row["relation"], row["via"], row["modality"], records) for row, records in answered(answer)] == [
        ("milorad-dodik", "aligns-with", None, "intention", ["dodik-aligns"]),
        ("hungary", "signs", "srb-hun", "fact", ["hun-signs", "srb-hun-coop"]),  # one finding, two assertions
    ]


def test_entities_are_given_in_order_or_by_name(kb):
    with alliancegraph.open(kb) as kg:
        in_order = kg.query("path", "Hungary", "Serbia")
        by_name = kg.query("path", start="Hungary", end="Serbia")
        assert in_order == by_name
        assert [(step["from"], step["to"]) for step in in_order] == [("hungary", "serbia")]
        with pytest.raises(QueryError, match="START"):
            kg.query("path", "Hungary", start="Serbia")
        with pytest.raises(QueryError, match="takes 1"):
            kg.query("who-aligns-with", "Serbia", "Hungary")


def test_the_store_and_the_files_give_the_same_answers(kb, tmp_path, monkeypatch):
    asked = [("who-aligns-with", ("Serbia",)), ("members-of", ("srb-hun",)), ("path", ("milorad-dodik", "Hungary")),
             ("blocs", ())]
    with alliancegraph.open(kb) as kg:
        assert kg.compiled() is not None
        from_store = [answered(kg.query(name, *actors)) for name, actors in asked]
        from_files = LocalEngine(alliancegraph.load(kb))
        assert [answered(kg.query(name, *actors, engine=from_files)) for name, actors in asked] == from_store
        knowledge_base, stats = kg.knowledge_base(), kg.stats()
        found = kg.find_entities("serb")
        turtle = "".join(kg.generate("turtle"))
    assert all(from_store)
    without_cache(monkeypatch, tmp_path)
    with alliancegraph.open(kb) as kg:
        assert kg.compiled() is None  # the knowledge base is read from its files
        assert kg.knowledge_base().assertions == knowledge_base.assertions
        assert kg.stats() == stats
        assert kg.find_entities("serb") == found
        assert "".join(kg.generate("turtle")) == turtle
        with pytest.raises(CacheError, match="cannot use the cache folder"):  # queries need the store
            kg.query("who-aligns-with", "Serbia")


def test_a_build_reports_its_progress_once(kb):
    heard = []
    with alliancegraph.open(kb, progress=lambda stage, done, total: heard.append((stage, done, total))) as kg:
        kg.query("who-aligns-with", "Serbia")
        kg.stats()
    assert ("Parsing", 1, 1) in heard and ("Compiling", 1, 1) in heard
    heard.clear()
    with alliancegraph.open(kb, progress=lambda *report: heard.append(report)) as kg:
        kg.query("who-aligns-with", "Serbia")
    assert heard == []  # up to date: nothing to build


def test_ad_hoc_sparql_takes_text_or_a_file(kb, tmp_path):
    text = "SELECT ?actor WHERE { ?actor rel:signs id:srb-hun } ORDER BY ?actor"
    saved = tmp_path / "signers.rq"
    saved.write_text(text, encoding="utf-8")
    with alliancegraph.open(kb) as kg:
        assert kg.sparql(text) == kg.sparql(saved) == [{"actor": "hungary"}, {"actor": "serbia"}]
        with pytest.raises(QueryError):
            kg.sparql(tmp_path / "missing.rq")


def test_query_folders_add_saved_queries(kb, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "signers.rq").write_text(
        "#+ summary: Who signed GROUP.\nPREFIX rel: <https://w3id.org/alliancegraph/relation/>\n"
        "SELECT ?actor WHERE { ?actor rel:signs ?_group_iri } ORDER BY ?actor\n",
        encoding="utf-8",
    )
    with alliancegraph.open(kb, queries=[folder]) as kg:
        assert "signers" in kg.queries() and "who-aligns-with" in kg.queries()
        assert [row["actor"] for row in kg.query("signers", "srb-hun")] == ["hungary", "serbia"]
    with alliancegraph.open(kb) as kg:
        assert "signers" not in kg.queries()
        kg.add_queries([folder])
        assert [row["actor"] for row in kg.query("signers", group="srb-hun")] == ["hungary", "serbia"]


def test_entities_are_found_and_resolved(kb):
    with alliancegraph.open(kb) as kg:
        assert kg.resolve("belgrade").id == "serbia"
        assert [e.id for e in kg.find_entities("Republic Srpska")] == ["republika-srpska"]
        assert [e.id for e in kg.find_entities(entity_type="agreement")] == ["declaration", "srb-hun"]
        assert kg.find_entities("serbia", entity_type="person") == []
        assert "serbia" in kg.close_names("serbai")
        assert kg.entities["hungary"].wikidata == "Q28"


def test_show_and_stats_describe_the_knowledge_base(kb):
    with alliancegraph.open(kb) as kg:
        shown = kg.show("srb-hun-coop")
        stats = kg.stats()
    assert (shown["statement"], shown["quote"]) == ("Serbia cooperates with Hungary", SERBIA_HUNGARY)
    assert shown["source"]["id"] == "art"
    # Gašić's office is an assertion too (holds-office), beside the four the fixture writes.
    assert stats["assertions_by_relation"] == {"signs": 2, "cooperates-with": 1, "aligns-with": 1, "holds-office": 1}
    assert (stats["assertions"], stats["sources"]) == (5, 2)
    assert stats["triples"] > 0


# -- files: exports, the graph -----------------------------------------------------------------


def test_exports_are_the_command_lines(kb, tmp_path):
    out = tmp_path / "graph.gexf"
    with alliancegraph.open(kb) as kg:
        assert kg.export("gexf", out, all_directed=True) == [out]
        turtle = "".join(kg.generate("turtle"))
        network = kg.network()
    written = networkx_read_gexf(out)
    assert {"serbia", "hungary"} <= set(written.nodes)
    assert network.has_edge("serbia", "hungary")
    printed = cli_runner().invoke(main, ["--kg", str(kb), "export", "-f", "turtle"])
    assert printed.exit_code == 0 and printed.output == turtle


def test_rdf_holds_the_assertions(kb):
    with alliancegraph.open(kb) as kg:
        graph = kg.rdf()
    assert any("srb-hun-coop" in str(subject) for subject in graph.subjects())


def test_diff_names_what_changed_and_the_answers_it_changes(kb, tiny, tmp_path):
    old = tmp_path / "before"
    shutil.copytree(kb, old)
    tiny.add(id="alb-signs", subject="albania", relation="signs", object="srb-hun", date="2025-04-03",
             quote=SERBIA_HUNGARY)
    tiny.write()
    with alliancegraph.open(kb) as kg:
        changes = kg.diff(old, as_of=JUNE_2026)
        assert not kg.diff(kb)  # the knowledge base against itself
    assert [a.id for a in changes.assertions.added] == ["alb-signs"]
    assert not (changes.assertions.removed or changes.sources or changes.entities)
    members = [c for c in changes.answers if (c.query, c.entity) == ("members-of", "srb-hun")]
    assert [row["actor"] for row in members[0].added] == ["albania"] and members[0].removed == ()


def test_curation_adds_an_article_and_settles_its_drafts(tmp_path, monkeypatch):
    """add, drafts, accept, drop and check, as `alliancegraph add` and `review` use them."""
    tiny = TinyKB(tmp_path / "repo" / "kg")
    (tmp_path / "repo" / "seeds").mkdir()
    (tiny.root / "article.txt").rename(tmp_path / "repo" / "seeds" / "article.txt")
    tiny.sources[0]["file"] = "../seeds/article.txt"
    root = tiny.write()
    article = tmp_path / "new.txt"  # test material, not a real news report
    article.write_text("Serbia and Hungary Sign Defence Agreement\n\n"
                       "Serbia signed the Serbia–Hungary agreement with Hungary on April 3, the two governments said.\n",
                       encoding="utf-8")
    details = ArticleDetails(title="Serbia and Hungary Sign Defence Agreement", url="https://example.org/a",
                             outlet="Test Wire", published=PartialDate.parse("2025-04-05"), kind="news")
    with alliancegraph.open(root) as kg:
        added = kg.add(article, details)
        drafts = kg.drafts()
        assert added.assertions > 0 and len(drafts) == added.assertions + added.entities
        _, problems = kg.check()
        assert problems  # drafts are left to review
        first, *others = drafts
        assert [(m.id, m.kind) for m in kg.accept([first.id])] == [(first.id, first.kind)]
        dropped, _ = kg.drop([m.id for m in others])
        assert sorted(m.id for m in dropped) == sorted(m.id for m in others)
        assert kg.drafts() == []
        knowledge_base, problems = kg.check()
    assert problems == [] and first.id in {a.id for a in knowledge_base.assertions}
    assert added.source["id"] in knowledge_base.sources


# -- closing and the lock ------------------------------------------------------------------------


def test_closing_releases_the_store_so_another_can_build(kb, tiny):
    kg = alliancegraph.open(kb)
    kg.query("who-aligns-with", "Serbia")
    assert not lock_is_free(kb)  # an open workspace holds the store against a rebuild
    kg.close()
    assert lock_is_free(kb)
    tiny.add(id="alb-signs", subject="albania", relation="signs", object="srb-hun", date="2025-04-03",
             quote=SERBIA_HUNGARY)
    tiny.write()
    with alliancegraph.open(kb) as again:  # the change is built into the store
        assert "albania" in {row["actor"] for row in again.query("members-of", "srb-hun")}
    assert lock_is_free(kb)
    # A closed workspace opens the store again when used again.
    assert "albania" in {row["actor"] for row in kg.query("members-of", "srb-hun")}
    kg.close()


def test_clearing_the_cache_removes_the_store(kb):
    with alliancegraph.open(kb) as kg:
        kg.query("who-aligns-with", "Serbia")
        cleared = kg.clear_cache()
        assert (cleared.removed, cleared.left) == ([cache_dir_for(kb)], [])
        assert kg.clear_cache().removed == []
        assert kg.cache_info()["state"] != "up to date"  # nothing built since


# -- errors are exceptions, never an exit ---------------------------------------------------------


def test_errors_are_the_librarys_exceptions(kb, tmp_path, tiny):
    with alliancegraph.open(kb) as kg:
        with pytest.raises(UnknownEntityError):
            kg.query("who-aligns-with", "Atlantis")
        with pytest.raises(QueryError, match="available"):
            kg.query("who-is-friends-with", "Serbia")
        with pytest.raises(QueryError):
            kg.query("who-aligns-with")  # ACTOR is required
        with pytest.raises(UsageError):
            kg.accept(["a-draft"], everything=True)
    with pytest.raises(UsageError, match="--kg"):
        open_workspace(REPO / "kg", named_by=SHIPPED).curated_root()
    tiny.add(id="broken", subject="serbia", relation="signs", object="nowhere", quote=SERBIA_HUNGARY)
    tiny.write()
    with alliancegraph.open(kb) as kg, pytest.raises(KnowledgeBaseError) as raised:
        kg.query("who-aligns-with", "Serbia")
    assert any("nowhere" in str(problem) for problem in raised.value.problems)
    with alliancegraph.open(tmp_path / "missing") as kg, pytest.raises(AllianceGraphError):
        kg.stats()


def test_the_library_never_exits(kb):
    """Every error the front door raises is the library's; none is click's or SystemExit."""
    with alliancegraph.open(kb) as kg:
        for call in (lambda: kg.query("nope"), lambda: kg.resolve("Atlantis"), lambda: kg.show("nothing-by-this-id"),
                     lambda: kg.sparql("not a query {")):
            with pytest.raises(AllianceGraphError):
                call()


# -- the command line is a layer over it ----------------------------------------------------------

#: What the command line may import from the package: the front door, and what parses options or
#: prints results. Anything else it needs is a method of the workspace.
CLI_MAY_IMPORT = {
    "workspace": {"Workspace", "open_workspace"},
    "paths": {"KG_ENV"},  # the environment variable --kg reads
    "errors": {"AllianceGraphError", "KnowledgeBaseError", "display_path", "EXIT_INTERNAL"},
    "version": {"__version__"},
    # options: their choices, help and value types
    "asof": {"ANSWER_HELP", "EXPORT_HELP"},
    "dates": {"DateError", "parse_iso_day", "PartialDate"},
    "export": {"FORMATS"},
    "palette": {"COLOR_BY"},
    "selection": {"Filters", "parse_relations"},
    "vocabulary": {"ENTITY_TYPES"},
    "articles": {"ArticleDetails"},
    "queries": {"sparql_text", "read_query_stream"},  # a command-line argument's query: text, a file, stdin
    # presentation: tables, text, JSON
    "render": {"FORMATS", "render", "select_columns", "table", "safe_json", "safe_text"},
    "text": {"clip", "one_line"},
    "findings": {"assertion_columns", "evidence_view", "shows_evidence"},
    "show": {"show_text"},
    "stats": {"stats_rows"},
    "diff": {"report"},
    "suggest": {"drafts_yaml"},
    # the package's own generated files, which belong to no knowledge base
    "ontology": {"ontology_turtle", "write_ontology"},
    "schema": {"schema_json", "write_schemas"},
}


def test_the_command_line_imports_only_the_front_door_and_presentation():
    source = REPO / "src" / "alliancegraph" / "cli.py"
    imported: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            imported.setdefault(node.module or "", set()).update(alias.name for alias in node.names)
    beyond = {module: names - CLI_MAY_IMPORT.get(module, set()) for module, names in imported.items()}
    assert {module: names for module, names in beyond.items() if names} == {}
    assert "Workspace" in imported["workspace"]
