"""Saved queries at the library level: the catalogue, the engine, portability, and what each query answers.

Answers from the curated knowledge base pin down what an analyst gets;
small knowledge bases built here pin down the edge cases: as-of boundaries,
denials and contested claims, officials rolled up to their state, symmetric
ties seen from both sides, and hostile arguments bound safely.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import textwrap

import pyoxigraph
import pytest
import rdflib

from alliancegraph import blocs as blocs_module
from alliancegraph.engine import (
    LocalEngine,
    OxigraphEngine,
    QueryError,
    plain_iri,
    plain_literal,
    projected_variables,
)
from alliancegraph.errors import UnknownEntityError
from alliancegraph.paths import builtin_queries
from alliancegraph.queries import adhoc_query, get_query, load_builtin_query, load_queries, run_query, sparql_text
from alliancegraph.rdf import to_ntriples, to_rdflib

# The columns each query promises are documented in docs/queries.md, generated from the query
# files themselves (docs/generate.py); tests/test_docs.py fails when the two differ.

#: Arguments that give every query an answer from the curated knowledge base.
CURATED_ARGUMENTS = {
    "who-aligns-with": {"actor": "Serbia"},
    "who-opposes": {"actor": "Croatia"},
    "members-of": {"group": "NATO"},
    "stance-of": {"actor": "Bulgaria"},
    "who-stands-where": {"issue": "Ukraine's NATO membership"},
    "disputed": {},
    "timeline": {"actor": "Bulgaria"},
    "path": {"start": "Republika Srpska", "end": "Hungary"},
    "blocs": {},
    "shifts": {"actor": "Bulgaria"},
}

SPARQL_QUERIES = sorted(p.stem for p in builtin_queries().glob("*.rq"))


@pytest.fixture(scope="module")
def engine(curated):
    return LocalEngine(curated)


def answer(engine, name: str, as_of: str | None = None, **arguments) -> list[dict]:
    return run_query(engine, name, arguments, dt.date.fromisoformat(as_of) if as_of else None)


def column(rows: list[dict], key: str = "actor") -> set:
    return {row[key] for row in rows}


def tiny_engine(tiny) -> LocalEngine:
    return LocalEngine(tiny.load())


def add_entity(tiny, **entity) -> None:
    tiny.entities.append(entity)


def give_office(tiny, person: str, of: str, start: str, end: str | None = None, role: str = "Minister") -> None:
    office = {"role": role, "of": of, "start": start, "source": "record"}
    if end:
        office["end"] = end
    entity = next(e for e in tiny.entities if e["id"] == person)
    entity.setdefault("offices", []).append(office)


def fact(tiny, id: str, subject: str, relation: str, object: str, **more) -> dict:
    """An assertion from public records (no quote needed); dated 2025-04-03 unless told otherwise."""
    if "start" not in more and "end" not in more:
        more.setdefault("date", "2025-04-03")
    more.setdefault("source", "record")
    return tiny.add(id=id, subject=subject, relation=relation, object=object, **more)


# -- the catalogue --------------------------------------------------------------------------


def test_every_builtin_query_is_answered_from_the_curated_graph_here():
    assert set(load_queries()) == set(CURATED_ARGUMENTS)


@pytest.mark.parametrize("name", sorted(CURATED_ARGUMENTS))
def test_every_query_describes_itself(name):
    query = get_query(load_queries(), name)
    assert query.summary and query.takes_as_of
    assert query.columns and len(set(query.columns)) == len(query.columns)
    assert set(query.finding) <= set(query.columns) and set(query.lists) <= set(query.columns)


@pytest.mark.parametrize("name", sorted(CURATED_ARGUMENTS))
def test_every_query_answers_from_the_curated_graph_with_its_columns(engine, name):
    rows = answer(engine, name, **CURATED_ARGUMENTS[name])
    assert rows, name
    query = get_query(load_queries(), name)
    assert all(tuple(row) == query.columns for row in rows)


def test_parameters_are_positional_entities_in_order():
    queries = load_queries()
    signatures = {name: [(p.name, p.required) for p in q.parameters] for name, q in queries.items()}
    assert signatures["who-aligns-with"] == [("actor", True)]
    assert signatures["members-of"] == [("group", True)]
    assert signatures["who-stands-where"] == [("issue", True)]
    assert signatures["path"] == [("start", True), ("end", True)]
    assert signatures["disputed"] == signatures["blocs"] == []


@pytest.mark.parametrize("name", SPARQL_QUERIES)
def test_rq_files_follow_grlc_conventions(name):
    text = (builtin_queries() / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("#+ summary: ")
    assert "#+ description: " in text and "#+ tags:" in text
    assert "?_asof_xsd_date" in text and "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>" in text


def test_unknown_query_lists_the_available_ones():
    with pytest.raises(QueryError, match=r"unknown query 'who-aligns'.*available: blocs, disputed, members-of"):
        get_query(load_queries(), "who-aligns")


def test_a_builtin_query_read_alone_is_the_one_the_catalogue_holds():
    catalogue = load_queries()
    assert {name: load_builtin_query(name) for name in catalogue} == catalogue
    for name in ("who-aligns", "", "../queries/who-aligns-with", "_private", ".hidden"):
        with pytest.raises(QueryError) as alone:
            load_builtin_query(name)
        with pytest.raises(QueryError) as listed:
            get_query(catalogue, name)
        assert str(alone.value) == str(listed.value)


def test_a_query_without_its_argument_says_what_it_needs(engine):
    with pytest.raises(QueryError, match="query 'path' needs END: START END"):
        run_query(engine, "path", {"start": "serbia"})
    with pytest.raises(QueryError, match="takes no argument 'group'"):
        run_query(engine, "who-aligns-with", {"actor": "serbia", "group": "nato"})


# -- portability: the same rows on rdflib ----------------------------------------------------


def rdflib_rows(graph: rdflib.Graph, query, arguments: dict, as_of: dt.date) -> list[dict]:
    """Run a saved .rq file on plain rdflib with initBindings, converting values as the engine does."""
    bindings = {p.variable: rdflib.URIRef(f"https://w3id.org/alliancegraph/id/{arguments[p.name]}") for p in query.parameters}
    bindings["_asof_xsd_date"] = rdflib.Literal(as_of.isoformat(), datatype=rdflib.XSD.date)
    result = graph.query(query.text, initBindings=bindings)

    def plain(term):
        if term is None:
            return None
        if isinstance(term, rdflib.URIRef):
            return plain_iri(str(term))
        return plain_literal(str(term), str(term.datatype) if term.datatype else None)

    return [query.shape({str(v): plain(row[v]) for v in result.vars}) for row in result]


PORTABILITY_CASES = [
    ("who-aligns-with", {"actor": "serbia"}, "2026-06-01"),
    ("who-aligns-with", {"actor": "croatia"}, "2025-04-30"),
    ("who-opposes", {"actor": "croatia"}, "2026-06-01"),
    ("who-opposes", {"actor": "russia"}, "2026-06-01"),
    ("members-of", {"group": "nato"}, "2005-01-01"),
    ("members-of", {"group": "european-union"}, "2019-06-01"),
    ("stance-of", {"actor": "bulgaria"}, "2026-06-01"),
    ("stance-of", {"actor": "georg-georgiev"}, "2025-06-01"),
    ("who-stands-where", {"issue": "ukraine-nato-membership"}, "2026-06-01"),
    ("who-stands-where", {"issue": "tribunal-for-putin"}, "2026-06-01"),
    ("disputed", {}, "2026-06-01"),
    ("timeline", {"actor": "bulgaria"}, "2026-06-01"),
    ("timeline", {"actor": "kosovo"}, "2025-04-15"),
]


@pytest.fixture(scope="module")
def plain_rdflib_graph(curated):
    return to_rdflib(curated)


def test_portability_cases_cover_every_sparql_query():
    assert {name for name, _, _ in PORTABILITY_CASES} == set(SPARQL_QUERIES)


@pytest.mark.parametrize(("name", "arguments", "as_of"), PORTABILITY_CASES)
def test_sparql_queries_give_the_same_rows_on_rdflib(engine, plain_rdflib_graph, name, arguments, as_of):
    query = get_query(load_queries(), name)
    day = dt.date.fromisoformat(as_of)
    expected = query.execute(engine, query.resolve_arguments(engine, arguments), day)  # the rows the SPARQL gives
    assert expected
    assert rdflib_rows(plain_rdflib_graph, query, arguments, day) == expected


# -- the engine ---------------------------------------------------------------------------------


def test_rows_hold_ids_and_plain_values(engine):
    rows = engine.select(
        "PREFIX ag: <https://w3id.org/alliancegraph/vocab#> "
        "PREFIX rel: <https://w3id.org/alliancegraph/relation/> "
        "SELECT ?relation ?sign ?unbound WHERE { ?relation ag:sign ?sign FILTER(?relation = rel:signs) }"
    )
    assert rows == [{"relation": "signs", "sign": 1, "unbound": None}]
    assert plain_iri("https://w3id.org/alliancegraph/id/serbia") == "serbia"
    assert plain_iri("http://www.wikidata.org/entity/Q403") == "http://www.wikidata.org/entity/Q403"


def test_engine_builds_the_network_only_when_asked(curated):
    fresh = LocalEngine(curated)
    fresh.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert fresh._network is None
    assert fresh.network().has_node("serbia")


class DiskEngine(OxigraphEngine):
    """An engine over an on-disk store, as a cached or served graph would be."""

    def __init__(self, path, kb):
        self.entities = kb.entities
        self._store = pyoxigraph.Store(str(path))
        self._store.bulk_load(to_ntriples(kb).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)

    @property
    def store(self):
        return self._store

    def network(self):
        raise AssertionError("a SPARQL query must not ask for the network")


def test_an_oxigraph_engine_answers_from_any_store(tmp_path, curated, engine):
    on_disk = DiskEngine(tmp_path / "store", curated)
    for name in ("who-aligns-with", "stance-of"):
        assert answer(on_disk, name, actor="Serbia") == answer(engine, name, actor="Serbia")


def test_engine_rejects_malformed_and_non_select_queries(engine):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        engine.select("SELECT ?x WHERE { ?x }")
    with pytest.raises(QueryError, match="only SELECT queries"):
        engine.select("ASK { ?s ?p ?o }")


class FailingStore:
    """A store whose evaluation fails, as the engine's does on a SERVICE call or an unknown
    function (which releases of the engine count as errors is theirs to change)."""

    def query(self, *args, **kwargs):
        raise RuntimeError("any reason the engine gives")


def test_a_query_whose_evaluation_fails_is_a_query_error(curated):
    failing = LocalEngine(curated)
    failing._store = FailingStore()
    with pytest.raises(QueryError, match="^the query failed: any reason the engine gives$"):
        failing.select("SELECT * WHERE { ?s ?p ?o }")


def test_projection_is_read_from_the_select_clause():
    text = """
        # SELECT ?commented WHERE
        PREFIX ex: <http://example.org/#?not-a-variable>
        SELECT DISTINCT ?a (COUNT(?x) AS ?n) (GROUP_CONCAT(?y; separator=" ?z ") AS ?ys)
        WHERE { { SELECT ?inner WHERE { ?inner ?p ?o } } }
    """
    assert projected_variables(text) == ["a", "n", "ys"]
    assert projected_variables("SELECT * WHERE { ?s ?p ?o }") is None


class RecordingEngine(LocalEngine):
    """A local engine that remembers what it was asked to run."""

    def __init__(self, kb):
        super().__init__(kb)
        self.calls: list[tuple[str, dict]] = []

    def select(self, sparql, bindings=None, prefixes=None):
        self.calls.append((sparql, dict(bindings or {})))
        return super().select(sparql, bindings, prefixes)


HOSTILE = 'Evil" } UNION { ?actor ?p ?o } # {"'


def test_a_hostile_name_is_bound_as_an_iri_never_pasted_into_the_query(tiny):
    add_entity(tiny, id="evil-state", label=HOSTILE, type="state", aliases=["ev}il#"])
    fact(tiny, "serbia-supports-evil", "serbia", "supports", "evil-state")
    engine = RecordingEngine(tiny.load())
    query = get_query(load_queries(), "who-aligns-with")
    for name in (HOSTILE, "ev}il#"):
        rows = query.run(engine, {"actor": name})
        assert [(r["actor"], r["assertion"]) for r in rows] == [("serbia", "serbia-supports-evil")]
    sent, bindings = engine.calls[0]
    assert sent == query.text  # the file's text, unchanged
    assert bindings["_actor_iri"] == pyoxigraph.NamedNode("https://w3id.org/alliancegraph/id/evil-state")


def test_a_hostile_unknown_name_is_a_one_line_error(engine):
    with pytest.raises(UnknownEntityError) as error:
        run_query(engine, "who-aligns-with", {"actor": 'Serbia" } #\n{'})
    assert "\n" not in str(error.value)
    assert "did you mean 'serbia'" in str(error.value)


def test_entity_arguments_resolve_by_label_alias_case_and_diacritics(engine):
    assert answer(engine, "who-aligns-with", actor="serbia") == answer(engine, "who-aligns-with", actor="Belgrade")
    assert answer(engine, "stance-of", actor="Gasic") == answer(engine, "stance-of", actor="Bratislav Gašić")
    assert answer(engine, "who-aligns-with", actor="Republic Srpska") == answer(engine, "who-aligns-with",
        actor="republika-srpska")


# -- user queries and the loader ---------------------------------------------------------------


def write(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


SAID_QUERY = """
    #+ summary: Assertions with ENTITY as subject, and OTHER as object when given.
    PREFIX ag: <https://w3id.org/alliancegraph/vocab#>
    SELECT ?assertion WHERE {
      ?assertion ag:subject ?_entity_iri ;
        ag:object ?__other_iri .
    }
    ORDER BY ?assertion
"""

NEIGHBOURS_QUERY = '''
    """Entities an assertion links to ENTITY.

    Reads the networkx graph.
    """
    from alliancegraph.queries import EntityId

    COLUMNS = ("neighbour",)


    def run(graph, entity: EntityId, other: EntityId | None = None):
        for neighbour in sorted(set(graph.successors(entity)) | set(graph.predecessors(entity))):
            yield {"neighbour": neighbour}
'''


def test_a_users_folder_adds_sparql_and_python_queries(tmp_path, engine):
    write(tmp_path, "said.rq", SAID_QUERY)
    write(tmp_path, "neighbours.py", NEIGHBOURS_QUERY)
    queries = load_queries([tmp_path])
    said, neighbours = queries["said"], queries["neighbours"]
    assert [(p.name, p.required) for p in said.parameters] == [("entity", True), ("other", False)]
    assert not said.takes_as_of and said.columns == ("assertion",)
    everything = column(said.run(engine, {"entity": "Radev"}), "assertion")
    to_bulgaria = column(said.run(engine, {"entity": "Radev", "other": "Bulgaria"}), "assertion")
    assert to_bulgaria and to_bulgaria < everything  # an optional parameter left out stays free
    assert neighbours.summary == "Entities an assertion links to ENTITY."
    assert neighbours.description == "Reads the networkx graph."
    assert [(p.name, p.required) for p in neighbours.parameters] == [("entity", True), ("other", False)]
    assert {"neighbour": "serbia"} in neighbours.run(engine, {"entity": "Hungary"})


TIES_QUERY = '''
    """Assertions that tie ENTITY to another entity, with their sign.

    Reads the network's ties.
    """
    from alliancegraph.queries import EntityId
    from alliancegraph.tie_table import TieTable

    COLUMNS = ("assertion", "tie")


    def run(ties: TieTable, entity: EntityId):
        for position in ties.incident.get(entity, ()):
            assertion, tie = ties.row(position, "assertion", "tie")
            yield {"assertion": assertion, "tie": tie}
'''


def test_a_python_query_reads_the_ties_when_its_first_argument_is_annotated_so(tmp_path, engine):
    write(tmp_path, "ties.py", TIES_QUERY)
    write(tmp_path, "neighbours.py", NEIGHBOURS_QUERY)
    queries = load_queries([tmp_path])
    assert queries["ties"].reads_ties and queries["path"].reads_ties and queries["blocs"].reads_ties
    assert not queries["neighbours"].reads_ties and not queries["shifts"].reads_ties
    rows = queries["ties"].run(engine, {"entity": "Serbia"})
    graph = engine.network()
    expected = [(key, edge["tie"]) for _, _, key, edge in [*graph.out_edges("serbia", keys=True, data=True),
                                                          *graph.in_edges("serbia", keys=True, data=True)]
                if edge["tie"] or edge["relation"] == "holds-office"]
    assert sorted((row["assertion"], row["tie"]) for row in rows) == sorted(expected)
    assert {row["tie"] for row in rows} == {1, -1, 0}  # 0: the offices held in Serbia


def test_local_moving_weighs_whole_numbers_only():
    with pytest.raises(ValueError, match="whole number"):
        blocs_module.detect_blocs({("a", "b"): 1.5})


def test_describing_python_queries_never_imports_them(tmp_path):
    write(tmp_path, "explodes.py", '''
        """Raises when imported."""
        raise RuntimeError("imported")
        COLUMNS = ("x",)
        def run(graph): ...
    ''')
    query = load_queries([tmp_path])["explodes"]
    assert query.summary == "Raises when imported."
    with pytest.raises(RuntimeError, match="imported"):
        query.function()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bare.rq", "SELECT ?x WHERE { ?x ?p ?o }", "missing '#\\+ summary: ...'"),
        ("typed.rq", "#+ summary: s\nSELECT ?x WHERE { ?x ?p ?_name_literal }", r"\?_name_literal: alliancegraph binds entities"),
        ("lists.rq", "#+ summary: s\n#+ lists: [y]\nSELECT ?x WHERE { ?x ?p ?o }", "'#\\+ lists' names y"),
        ("yaml.rq", "#+ summary: [unclosed\nSELECT ?x WHERE { ?x ?p ?o }", "malformed '#\\+' decorators"),
        ("nodoc.py", "COLUMNS = ()\ndef run(graph): ...\n", "missing a module docstring"),
        ("nocolumns.py", '"""Doc."""\ndef run(graph): ...\n', "missing COLUMNS"),
        ("norun.py", '"""Doc."""\nCOLUMNS = ("a",)\n', "missing 'def run"),
        ("untyped.py", '"""Doc."""\nCOLUMNS = ("a",)\ndef run(graph, actor): ...\n', "'actor' must be annotated EntityId"),
        ("broken.py", '"""Doc."""\ndef run(graph:\n', "invalid Python"),
    ],
)
def test_malformed_query_files_are_reported_with_their_path(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    with pytest.raises(QueryError, match=message) as error:
        load_queries([tmp_path])
    assert str(path) in str(error.value)


def test_a_user_query_cannot_replace_a_builtin_one(tmp_path):
    write(tmp_path, "blocs.rq", "#+ summary: s\nSELECT ?x WHERE { ?x ?p ?o }")
    with pytest.raises(QueryError, match="query 'blocs' is already defined in"):
        load_queries([tmp_path])


def test_a_missing_queries_folder_is_an_error(tmp_path):
    with pytest.raises(QueryError, match="no such folder of queries"):
        load_queries([tmp_path / "nowhere"])


def test_adhoc_queries_get_the_projects_prefixes(engine):
    query = adhoc_query("SELECT ?label WHERE { id:serbia rdfs:label ?label }")
    assert query.columns == ("label",)
    assert query.run(engine) == [{"label": "Serbia"}]


def test_sparql_text_reads_a_file_or_takes_the_text(tmp_path):
    path = write(tmp_path, "q.rq", "SELECT * WHERE { ?s ?p ?o }")
    assert sparql_text(str(path)) == "SELECT * WHERE { ?s ?p ?o }"
    assert sparql_text("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError, match="no such query file"):
        sparql_text(str(tmp_path / "missing.rq"))


def test_a_missing_path_or_a_folder_is_not_taken_for_query_text(tmp_path):
    with pytest.raises(QueryError, match="'queries/who-aligns-with': no such query file, and not a SPARQL query"):
        sparql_text("queries/who-aligns-with")  # no suffix, and not there: it used to be 'not a SELECT query'
    with pytest.raises(QueryError, match="a folder, not a query file"):
        sparql_text(str(tmp_path))


@pytest.mark.parametrize("text", ["", " \n\t"])
def test_an_empty_adhoc_query_says_so(text):
    with pytest.raises(QueryError, match="^the query is empty$"):
        adhoc_query(text)


# -- who-aligns-with ---------------------------------------------------------------------------


def test_who_aligns_with_serbia(engine):
    rows = answer(engine, "who-aligns-with", actor="Serbia")
    assert {"hungary", "republika-srpska"} <= column(rows)
    assert "bulgaria" not in column(rows)
    by_actor = {(r["actor"], r["via"]) for r in rows}
    assert ("hungary", "serbia-hungary-military-cooperation-agreement") in by_actor
    dodik = next(r for r in rows if r["actor"] == "republika-srpska")
    assert dodik["modality"] == "intention" and dodik["relation"] == "aligns-with"


def test_who_aligns_with_croatia_through_the_declaration(engine):
    rows = answer(engine, "who-aligns-with", actor="Croatia")
    signatures = {r["assertion"] for records in rows.evidence for r in records if r["relation"] == "signs"}
    assert {"albania", "kosovo"} <= column(rows)
    assert {"albania-signs-croatia-albania-kosovo-declaration", "kosovo-signs-croatia-albania-kosovo-declaration"} <= signatures
    assert "bulgaria" not in column(rows)


def test_rows_are_ordered_by_date_then_ids(engine):
    rows = answer(engine, "who-aligns-with", actor="Ukraine")
    keys = [(r["date"][:4], r["actor"]) for r in rows]
    assert keys == sorted(keys)


def test_a_symmetric_tie_counts_from_both_sides(tiny):
    fact(tiny, "serbia-cooperates-with-hungary", "serbia", "cooperates-with", "hungary")
    engine = tiny_engine(tiny)
    assert column(answer(engine, "who-aligns-with", actor="serbia")) == {"hungary"}
    assert column(answer(engine, "who-aligns-with", actor="hungary")) == {"serbia"}


def test_a_cosigned_agreement_aligns_its_parties_both_ways(tiny):
    fact(tiny, "serbia-signs", "serbia", "signs", "srb-hun")
    fact(tiny, "hungary-signs", "hungary", "signs", "srb-hun")
    engine = tiny_engine(tiny)
    for one, other in (("serbia", "hungary"), ("hungary", "serbia")):
        rows = answer(engine, "who-aligns-with", actor=one)
        assert [(r["actor"], r["via"], r["assertion"]) for r in rows] == [(other, "srb-hun", f"{other}-signs")]


def test_an_intention_counts_only_for_the_side_that_signals_it(tiny):
    fact(tiny, "dodik-willing", "republika-srpska", "aligns-with", "serbia", modality="intention")
    engine = tiny_engine(tiny)
    assert column(answer(engine, "who-aligns-with", actor="serbia")) == {"republika-srpska"}
    assert answer(engine, "who-aligns-with", actor="republika-srpska") == []


def test_organisation_membership_does_not_make_members_align(tiny):
    add_entity(tiny, id="nato", label="NATO", type="international-organization")
    fact(tiny, "bulgaria-in-nato", "bulgaria", "member-of", "nato", start="2004-03-29")
    fact(tiny, "croatia-in-nato", "croatia", "member-of", "nato", start="2009-04-01")
    engine = tiny_engine(tiny)
    assert answer(engine, "who-aligns-with", actor="bulgaria") == []
    assert column(answer(engine, "who-aligns-with", actor="nato")) == {"bulgaria", "croatia"}


def test_a_denial_a_claim_and_an_opinion_never_count(tiny):
    fact(tiny, "croatia-signs", "croatia", "signs", "declaration")
    fact(tiny, "claimed", "bulgaria", "signs", "declaration", modality="claim", speaker="ejup-maqedonci")
    fact(tiny, "denied", "bulgaria", "signs", "declaration", polarity="denied", modality="claim", speaker="georg-georgiev")
    fact(tiny, "opined", "bulgaria", "aligns-with", "croatia", modality="opinion")
    fact(tiny, "denied-fact", "bulgaria", "cooperates-with", "croatia", polarity="denied")
    engine = tiny_engine(tiny)
    assert answer(engine, "who-aligns-with", actor="croatia") == []
    assert column(answer(engine, "members-of", group="declaration")) == {"croatia"}


# -- as of a date ------------------------------------------------------------------------------


def test_as_of_boundaries_of_points_and_intervals(tiny):
    fact(tiny, "serbia-hungary", "serbia", "cooperates-with", "hungary", date="2025-04-03")
    fact(tiny, "albania-croatia", "albania", "cooperates-with", "croatia", start="2020-01-01", end="2024-12-31")
    fact(tiny, "kosovo-croatia", "kosovo", "cooperates-with", "croatia", date="2025-03")
    engine = tiny_engine(tiny)

    def aligned(actor, day):
        return column(answer(engine, "who-aligns-with", as_of=day, actor=actor))

    assert aligned("hungary", "2025-04-02") == set()
    assert aligned("hungary", "2025-04-03") == {"serbia"}
    assert aligned("croatia", "2019-12-31") == set()
    assert aligned("croatia", "2020-01-01") == {"albania"}
    assert aligned("croatia", "2024-12-31") == {"albania"}
    assert aligned("croatia", "2025-03-01") == {"kosovo"}  # a month counts from its first day
    assert aligned("croatia", "2025-02-28") == set()


def test_without_as_of_intervals_mean_now(tiny):
    fact(tiny, "ended", "albania", "cooperates-with", "croatia", start="2020-01-01", end="2021-12-31")
    fact(tiny, "long-ago", "kosovo", "cooperates-with", "croatia", date="1999")
    engine = tiny_engine(tiny)
    assert column(answer(engine, "who-aligns-with", actor="croatia")) == {"kosovo"}


def test_members_of_nato_as_of_2003_and_2005(engine):
    assert "bulgaria" not in column(answer(engine, "members-of", as_of="2003-01-01", group="NATO"))
    members = answer(engine, "members-of", as_of="2005-01-01", group="NATO")
    assert {"bulgaria", "romania"} <= column(members)
    bulgaria = next(r for r in members if r["actor"] == "bulgaria")
    assert bulgaria["until"] is None
    assert "nato-member-countries" in bulgaria["sources"] and "bulgaria-member-of-nato" in bulgaria["assertions"]


def test_members_of_the_declaration(engine):
    rows = answer(engine, "members-of", group="Croatia-Albania-Kosovo pact")
    assert column(rows) == {"croatia", "albania", "kosovo"}


def test_members_of_shows_when_a_membership_ends(tiny):
    add_entity(tiny, id="eu", label="European Union", type="international-organization")
    fact(tiny, "uk-in-eu", "hungary", "member-of", "eu", start="1973-01-01", end="2020-01-31")
    engine = tiny_engine(tiny)
    rows = answer(engine, "members-of", as_of="2019-06-01", group="eu")
    assert [(r["actor"], r["since"], r["until"], r["assertions"]) for r in rows] == [
        ("hungary", "1973-01-01", "2020-01-31", ["uk-in-eu"])
    ]
    assert answer(engine, "members-of", as_of="2020-02-01", group="eu") == []


# -- officials speak for their state ----------------------------------------------------------------


def test_a_ministers_statement_counts_for_the_state(tiny):
    fact(tiny, "croatia-signs", "croatia", "signs", "declaration", date="2025-03-18")
    fact(tiny, "gasic-criticizes", "bratislav-gasic", "criticizes", "declaration", date="2025-04-05")
    engine = tiny_engine(tiny)
    opposed = answer(engine, "who-opposes", actor="croatia")
    assert [(r["actor"], r["via"], r["relation"]) for r in opposed] == [("serbia", "declaration", "criticizes")]
    stance = answer(engine, "stance-of", actor="serbia")
    assert [(r["position"], r["target"], r["speaker"]) for r in stance] == [("opposes", "declaration", "bratislav-gasic")]


def test_a_statement_before_taking_office_stays_personal(tiny):
    fact(tiny, "croatia-signs", "croatia", "signs", "declaration", date="2024-03-18")
    fact(tiny, "gasic-criticizes-early", "bratislav-gasic", "criticizes", "declaration", date="2024-04-01")
    engine = tiny_engine(tiny)
    assert column(answer(engine, "who-opposes", actor="croatia")) == {"bratislav-gasic"}
    assert answer(engine, "stance-of", actor="serbia") == []


def test_a_demand_directed_at_an_actor_is_opposition(tiny):
    add_entity(tiny, id="withdrawal", label="Withdrawal", type="issue")
    fact(tiny, "demand", "serbia", "demands", "kosovo", regarding="withdrawal")
    engine = tiny_engine(tiny)
    assert [r["relation"] for r in answer(engine, "who-opposes", actor="kosovo")] == ["demands"]
    stands = answer(engine, "who-stands-where", issue="withdrawal")
    assert [(r["actor"], r["position"]) for r in stands] == [("serbia", "demands")]
    timeline = answer(engine, "timeline", actor="withdrawal")
    assert [(r["event"], r["counterpart"]) for r in timeline] == [("Serbia demands of Kosovo regarding Withdrawal", "kosovo")]


def test_who_opposes_croatia_includes_serbias_criticism_of_the_declaration(engine):
    rows = answer(engine, "who-opposes", actor="Croatia")
    assert ("serbia", "croatia-albania-kosovo-defence-declaration") in {(r["actor"], r["via"]) for r in rows}
    assert "hungary" not in column(rows)


def test_who_opposes_russia_includes_romania_and_bulgaria_rejecting_the_demand(engine):
    rows = answer(engine, "who-opposes", actor="Russia")
    assert {"romania", "bulgaria"} <= column(rows)
    assert "russia" not in column(rows)


# -- stances -------------------------------------------------------------------------------


def test_stance_of_bulgaria(engine):
    rows = answer(engine, "stance-of", actor="Bulgaria")
    positions = {(r["position"], r["target"]) for r in rows}
    # Radev's decision (rejects) and his argument (opposes): one finding, two assertions behind it.
    assert ("opposes", "tribunal-for-putin") in positions and ("rejects", "tribunal-for-putin") not in positions
    tribunal = rows.evidence[next(i for i, r in enumerate(rows) if r["target"] == "tribunal-for-putin")]
    assert {r["assertion"] for r in tribunal} == {
        "bulgaria-opposes-tribunal-for-putin-radev-argument", "bulgaria-rejects-tribunal-for-putin"}
    assert ("supports", "ukraine-nato-membership") in positions
    assert ("denies", "croatia-albania-kosovo-defence-declaration") in positions
    assert ("signs", "croatia-albania-kosovo-defence-declaration") not in positions  # Maqedonci's claim
    denial = next(r for r in rows if r["position"] == "denies")
    assert denial["speaker"] == "georg-georgiev"


def test_stance_of_keeps_own_claims_and_drops_third_party_claims_and_opinions(tiny):
    give_office(tiny, "georg-georgiev", "bulgaria", "2025-01-16")
    give_office(tiny, "ejup-maqedonci", "kosovo", "2023-08-08")
    fact(tiny, "claimed", "bulgaria", "signs", "declaration", modality="claim", speaker="ejup-maqedonci", date="2025-04-15")
    fact(tiny, "denied", "bulgaria", "signs", "declaration", polarity="denied", modality="claim",
         speaker="georg-georgiev", date="2025-04-16")
    fact(tiny, "opined", "bulgaria", "supports", "declaration", modality="opinion", date="2025-04-16")
    fact(tiny, "willing", "bulgaria", "aligns-with", "serbia", modality="intention", date="2025-04-17")
    engine = tiny_engine(tiny)
    rows = answer(engine, "stance-of", actor="bulgaria")
    assert [(r["position"], r["speaker"], r["assertion"]) for r in rows] == [
        ("denies", "georg-georgiev", "denied"),
        ("intends", None, "willing"),
    ]
    assert [r["assertion"] for r in answer(engine, "stance-of", actor="georg-georgiev")][-1] == "denied"
    assert "claimed" not in {r["assertion"] for r in answer(engine, "stance-of", actor="kosovo")}


def test_who_stands_where_on_ukraines_nato_membership(engine):
    rows = answer(engine, "who-stands-where", issue="Ukraine's NATO membership")
    positions = {(r["actor"], r["position"]) for r in rows}
    assert ("bulgaria", "supports") in positions
    assert positions & {("russia", "opposes"), ("russia", "demands")}
    bulgaria = next(r for r in rows if r["actor"] == "bulgaria")
    assert bulgaria["speaker"] == "nikolai-denkov"


def test_russia_opposes_nato_enlargement_as_well_as_demanding_a_halt(engine):
    positions = {(r["actor"], r["position"]) for r in answer(engine, "who-stands-where", issue="NATO enlargement")}
    assert positions == {("russia", "demands"), ("russia", "opposes")}


def test_positions_come_from_the_documented_set(engine):
    from alliancegraph.vocabulary import POSITIONS

    positions = column(answer(engine, "stance-of", actor="Bulgaria"), "position")
    positions |= column(answer(engine, "who-stands-where", issue="tribunal-for-putin"), "position")
    assert positions <= set(POSITIONS)


# -- disputed ------------------------------------------------------------------------------


def test_disputed_includes_bulgaria_joining_the_declaration(engine):
    rows = answer(engine, "disputed")
    bulgaria = [r for r in rows if "Bulgaria signs" in r["claim"]]
    assert len(bulgaria) == 1  # one row per claim, listing every denial
    row = bulgaria[0]
    assert (row["claimed_by"], row["denied_by"]) == ("ejup-maqedonci", ["georg-georgiev"])
    assert row["denial_assertions"] == ["georgiev-denies-bulgaria-joining-balkan-pact"]
    assert row["sources"] == ["bulgaria-denies-joining-balkan-military-alliance"]


def test_disputed_pairs_a_claim_with_its_denial_and_cites_both_sources(tiny):
    tiny.sources.append({"id": "other-record", "title": "Other records", "kind": "reference"})
    fact(tiny, "claimed", "bulgaria", "signs", "declaration", modality="claim", speaker="ejup-maqedonci", date="2025-04-15")
    fact(tiny, "denied", "bulgaria", "signs", "declaration", polarity="denied", modality="claim",
         speaker="georg-georgiev", date="2025-04-16", source="other-record")
    fact(tiny, "self-contradiction", "serbia", "signs", "srb-hun", polarity="denied", modality="claim",
         speaker="bratislav-gasic", date="2025-04-16")
    fact(tiny, "self-claim", "serbia", "signs", "srb-hun", modality="claim", speaker="bratislav-gasic")
    engine = tiny_engine(tiny)
    rows = answer(engine, "disputed")
    assert [(r["claim"], r["claimed_by"], r["denied_by"], r["sources"]) for r in rows] == [
        ("Bulgaria signs Croatia–Albania–Kosovo declaration", "ejup-maqedonci", ["georg-georgiev"], ["other-record", "record"])
    ]
    assert (rows[0]["claim_assertion"], rows[0]["denial_assertions"]) == ("claimed", ["denied"])
    assert answer(engine, "disputed", as_of="2025-04-15") == []


# -- timeline ------------------------------------------------------------------------------


def test_timeline_is_oldest_first_and_says_who_claims_and_denies(engine):
    rows = answer(engine, "timeline", actor="Bulgaria")
    starts = [engine.kb.assertions_by_id[r["assertion"]].valid_from for r in rows]
    assert starts == sorted(starts)  # the earliest day each can be, bounds included
    events = {r["assertion"]: r["event"] for r in rows}
    assert events["maqedonci-claims-bulgaria-will-join-balkan-pact"].startswith("Ejup Maqedonci claims: Bulgaria signs")
    assert events["georgiev-denies-bulgaria-joining-balkan-pact"].startswith("Georg Georgiev denies: Bulgaria signs")
    assert rows.index(next(r for r in rows if r["assertion"] == "bulgaria-joined-nato-2004")) < rows.index(
        next(r for r in rows if r["assertion"] == "bulgaria-opposes-tribunal-for-putin-radev-argument")
    )


def test_timeline_includes_officials_and_marks_modalities(tiny):
    fact(tiny, "gasic-criticizes", "bratislav-gasic", "criticizes", "declaration", date="2025-04-05")
    fact(tiny, "dodik-willing", "milorad-dodik", "aligns-with", "serbia", modality="intention", date="2025-04")
    fact(tiny, "hungary-signs", "hungary", "signs", "srb-hun", date="2025-04-03")
    engine = tiny_engine(tiny)
    rows = answer(engine, "timeline", actor="serbia")
    assert [(r["date"], r["assertion"], r["counterpart"]) for r in rows] == [
        ("2024-05-02", "bratislav-gasic-minister-of-defence-2024-05-02", "bratislav-gasic"),
        ("2025-04", "dodik-willing", "milorad-dodik"),
        ("2025-04-05", "gasic-criticizes", "declaration"),
    ]
    assert rows[0]["event"] == "Bratislav Gašić holds office in Serbia as Minister of Defence"
    assert rows[1]["event"] == "Milorad Dodik aligns with Serbia (intention)"
    assert [r["assertion"] for r in answer(engine, "timeline", as_of="2025-04-04", actor="serbia")][-1] == "dodik-willing"


# -- path and blocs (Python) -------------------------------------------------------------------


def test_path_from_republika_srpska_to_hungary(engine):
    rows = answer(engine, "path", start="Republika Srpska", end="Hungary")
    assert rows[0]["from"] == "republika-srpska" and rows[-1]["to"] == "hungary"
    assert [r["step"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(a["to"] == b["from"] for a, b in zip(rows, rows[1:]))


def test_path_goes_through_offices_and_reads_inverse_relations(tiny):
    fact(tiny, "croatia-signs", "croatia", "signs", "declaration")
    fact(tiny, "gasic-criticizes", "bratislav-gasic", "criticizes", "declaration")
    fact(tiny, "denied", "bulgaria", "signs", "declaration", polarity="denied", modality="claim", speaker="georg-georgiev")
    engine = tiny_engine(tiny)
    rows = answer(engine, "path", start="serbia", end="croatia")
    assert [(r["from"], r["relation"], r["to"]) for r in rows] == [
        ("serbia", "has-office-holder", "bratislav-gasic"),
        ("bratislav-gasic", "criticizes", "declaration"),
        ("declaration", "signed-by", "croatia"),
    ]
    with pytest.raises(QueryError, match="no chain of counted assertions links 'bulgaria' and 'croatia'"):
        answer(engine, "path", start="bulgaria", end="croatia")
    with pytest.raises(QueryError, match="both ends"):
        answer(engine, "path", start="serbia", end="Belgrade")


def test_path_prefers_the_smallest_ids_among_equal_chains(tiny):
    for middle in ("kosovo", "albania"):
        fact(tiny, f"serbia-{middle}", "serbia", "cooperates-with", middle)
        fact(tiny, f"{middle}-croatia", middle, "cooperates-with", "croatia")
    rows = answer(tiny_engine(tiny), "path", start="serbia", end="croatia")
    assert [r["to"] for r in rows] == ["albania", "croatia"]


def test_blocs_separate_cooperating_and_opposing_camps(tiny):
    fact(tiny, "serbia-hungary", "serbia", "cooperates-with", "hungary")
    fact(tiny, "croatia-albania", "croatia", "cooperates-with", "albania")
    fact(tiny, "serbia-vs-croatia", "serbia", "opposes", "croatia")
    rows = answer(tiny_engine(tiny), "blocs")
    bloc = {r["actor"]: r["bloc"] for r in rows}
    assert bloc["serbia"] == bloc["hungary"] != bloc["croatia"] == bloc["albania"]
    assert {r["label"] for r in rows} >= {"Serbia", "Croatia"}


def test_blocs_from_the_curated_graph(engine):
    bloc = {r["actor"]: r["bloc"] for r in answer(engine, "blocs")}
    assert bloc["serbia"] == bloc["hungary"]
    assert bloc["croatia"] == bloc["albania"] == bloc["kosovo"]
    assert bloc["serbia"] != bloc["croatia"]


def test_local_moving_that_goes_round_in_circles_ends_as_its_last_pass_would(monkeypatch):
    # n02 pulls towards n00 and away from n04, n04 towards n02: n02 moves back and forth for ever.
    ties = {("n00", "n01"): 2.0, ("n00", "n05"): -1.0, ("n01", "n03"): 3.0, ("n01", "n04"): 2.0}
    pulls = {("n02", "n00"): 1.0, ("n02", "n04"): -1.0, ("n04", "n02"): 1.0}
    passes = []
    ordered_blocs = blocs_module._ordered_blocs
    monkeypatch.setattr(blocs_module, "_ordered_blocs", lambda bloc: passes.append(1) or ordered_blocs(bloc))
    found = blocs_module.detect_blocs(ties, pulls)
    assert found == {"n00": 1, "n01": 1, "n02": 1, "n03": 1, "n04": 1, "n05": 2}
    assert len(passes) < 5  # the repeat was seen, the other passes not run
    monkeypatch.setattr(blocs_module, "_ordered_blocs", lambda bloc: object())  # every pass runs
    assert blocs_module.detect_blocs(ties, pulls) == found


def random_signed_network(seed: int) -> tuple[dict, dict]:
    chance = random.Random(seed)
    nodes = [f"n{i:02d}" for i in range(chance.randint(6, 30))]
    ties = {(a, b): chance.choice([1.0, 2.0, 3.0, -1.0, -2.0])
            for a, b in itertools.combinations(nodes, 2) if chance.random() < 0.25}
    pulls = {(a, b): chance.choice([1.0, -1.0]) for a, b in itertools.permutations(nodes, 2) if chance.random() < 0.08}
    return ties, pulls


def test_local_moving_stopped_at_a_repeat_gives_the_blocs_of_every_pass_run(monkeypatch):
    circling = 0
    passes: list[int] = []
    for seed in range(150):
        ties, pulls = random_signed_network(seed)
        found = blocs_module.detect_blocs(ties, pulls)
        passes.clear()
        monkeypatch.setattr(blocs_module, "_ordered_blocs", lambda bloc: passes.append(1) or object())
        assert blocs_module.detect_blocs(ties, pulls) == found, seed
        monkeypatch.undo()
        circling += len(passes) >= blocs_module.PASSES
    assert circling >= 3  # some of these networks never settle


def weighing_every_row_afresh(nodes, positive, negative, offered_pos, offered_neg):
    """Local moving as the module docs state it, each actor's row weighed again at every visit
    and every pass run: what the running sums of alliancegraph.blocs must give."""
    rows, offered = {1: positive, -1: negative}, {1: offered_pos, -1: offered_neg}
    degree = {sign: {n: sum(rows[sign][n].values()) for n in nodes} for sign in rows}
    two_w = {sign: sum(degree[sign].values()) for sign in rows}
    bloc = {n: i for i, n in enumerate(nodes)}
    total = {sign: {bloc[n]: offered[sign].get(n, 0) for n in nodes} for sign in rows}
    size, fresh = dict.fromkeys(range(len(nodes)), 1), len(nodes)
    for _ in range(blocs_module.PASSES):
        for node in nodes:
            home = bloc[node]
            size[home] -= 1
            links: dict = {sign: {} for sign in rows}
            for sign in rows:
                total[sign][home] -= offered[sign].get(node, 0)
                for other, weight in rows[sign][node].items():
                    if other in bloc:
                        links[sign][bloc[other]] = links[sign].get(bloc[other], 0) + weight
            best, best_gain = None, 0.0
            for community in sorted({*links[1], *links[-1], home}):
                value = 0.0
                for sign in rows:
                    if two_w[sign]:
                        value += sign * (links[sign].get(community, 0)
                                         - degree[sign][node] * total[sign].get(community, 0) / two_w[sign])
                if value > best_gain + 1e-12:
                    best, best_gain = community, value
            if best is None:
                best = home if size[home] == 0 else fresh
                fresh += best == fresh
            bloc[node] = best
            size[best] = size.get(best, 0) + 1
            for sign in rows:
                total[sign][best] = total[sign].get(best, 0) + offered[sign].get(node, 0)
    return bloc


def test_local_moving_with_running_sums_gives_the_blocs_of_weighing_every_row_afresh(monkeypatch):
    found = [blocs_module.detect_blocs(*random_signed_network(seed)) for seed in range(150)]
    monkeypatch.setattr(blocs_module, "_local_moving", weighing_every_row_afresh)
    assert [blocs_module.detect_blocs(*random_signed_network(seed)) for seed in range(150)] == found


def test_saying_one_is_not_a_member_yet_does_not_dispute_an_intention_to_join(tiny):
    add_entity(tiny, id="nato", label="NATO", type="international-organization")
    fact(tiny, "wants-to-join", "kosovo", "member-of", "nato", modality="intention")
    fact(tiny, "not-yet", "kosovo", "member-of", "nato", polarity="denied", speaker="ejup-maqedonci")
    fact(tiny, "claimed-interest", "bulgaria", "signs", "declaration", modality="intention", speaker="ejup-maqedonci")
    fact(tiny, "denied-interest", "bulgaria", "signs", "declaration", polarity="denied", modality="intention",
         speaker="georg-georgiev")
    rows = answer(tiny_engine(tiny), "disputed")
    assert [(r["claim_assertion"], r["denial_assertions"]) for r in rows] == [("claimed-interest", ["denied-interest"])]


def test_a_doubt_is_neither_a_tie_nor_a_denial_and_says_so(tiny):
    give_office(tiny, "georg-georgiev", "bulgaria", "2025-01-16")
    fact(tiny, "doubt", "serbia", "signs", "srb-hun", polarity="doubted", modality="claim", speaker="georg-georgiev")
    fact(tiny, "own-doubt", "bulgaria", "supports", "declaration", polarity="doubted", modality="claim",
         speaker="georg-georgiev")
    engine = tiny_engine(tiny)
    assert answer(engine, "members-of", group="srb-hun") == []
    assert answer(engine, "disputed") == []
    assert [(r["position"], r["assertion"]) for r in answer(engine, "stance-of", actor="bulgaria")
            if r["assertion"] == "own-doubt"] == [("doubts", "own-doubt")]
    events = {r["assertion"]: r["event"] for r in answer(engine, "timeline", actor="serbia")}
    assert events["doubt"] == "Georg Georgiev doubts: Serbia signs Serbia–Hungary agreement"


def test_an_opinion_neither_makes_nor_answers_a_claim(tiny):
    fact(tiny, "claimed", "bulgaria", "signs", "declaration", modality="claim", speaker="ejup-maqedonci")
    fact(tiny, "reading", "bulgaria", "signs", "declaration", polarity="denied", modality="opinion")
    fact(tiny, "denied", "bulgaria", "signs", "declaration", polarity="denied", modality="claim", speaker="georg-georgiev")
    rows = answer(tiny_engine(tiny), "disputed")
    assert [(r["claim_assertion"], r["denial_assertions"]) for r in rows] == [("claimed", ["denied"])]


def test_organisation_membership_does_not_make_a_bloc(tiny):
    add_entity(tiny, id="nato", label="NATO", type="international-organization")
    for state in ("serbia", "hungary", "croatia"):
        fact(tiny, f"{state}-in-nato", state, "member-of", "nato", start="2000")
    fact(tiny, "pact", "croatia", "cooperates-with", "hungary")
    fact(tiny, "quarrel", "serbia", "criticizes", "croatia")
    rows = answer(tiny_engine(tiny), "blocs")
    blocs = {row["actor"]: row["bloc"] for row in rows}
    assert "nato" not in blocs
    assert blocs["croatia"] == blocs["hungary"] != blocs["serbia"]


# -- decorators parsed once ---------------------------------------------------------------------


@pytest.fixture
def parsed_file(tmp_path, monkeypatch):
    """A cache root of the test's own, and the file of parsed decorators in it."""
    from alliancegraph.cache import SAVED_QUERIES

    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    return tmp_path / "cache" / SAVED_QUERIES


def without_yaml(monkeypatch):
    """Reading decorators from here on fails if it parses YAML."""
    import yaml

    monkeypatch.setattr(yaml, "safe_load", lambda text: pytest.fail(f"parsed {text[:40]!r}"))


def test_decorators_parsed_once_are_read_again_without_parsing_them(parsed_file, monkeypatch):
    parsed = {path.name: load_queries()[path.stem] for path in builtin_queries().glob("*.rq")}
    assert parsed_file.is_file()
    without_yaml(monkeypatch)
    again = {path.name: load_queries()[path.stem] for path in builtin_queries().glob("*.rq")}
    assert again == parsed and load_builtin_query("who-aligns-with") == parsed["who-aligns-with.rq"]


def test_an_edited_decorator_is_parsed_again(parsed_file, tmp_path, monkeypatch):
    write(tmp_path / "mine", "mine.rq", "#+ summary: first\nSELECT ?x WHERE { ?x ?p ?o }")
    assert load_queries([tmp_path / "mine"])["mine"].summary == "first"
    write(tmp_path / "mine", "mine.rq", "#+ summary: second\nSELECT ?x WHERE { ?x ?p ?o }")
    assert load_queries([tmp_path / "mine"])["mine"].summary == "second"
    without_yaml(monkeypatch)
    write(tmp_path / "mine", "mine.rq", "#+ summary: first\nSELECT ?x WHERE { ?x ?p ?y }")  # the same decorators
    assert load_queries([tmp_path / "mine"])["mine"].summary == "first"


def test_a_damaged_or_missing_file_of_parsed_decorators_is_parsed_again(parsed_file):
    first = load_builtin_query("who-aligns-with")
    parsed_file.write_bytes(parsed_file.read_bytes().replace(b"alignment", b"alignmenT"))
    assert load_builtin_query("who-aligns-with") == first
    parsed_file.unlink()
    parsed_file.parent.rmdir()  # no cache root: nothing is written, and the query is read all the same
    assert load_builtin_query("who-aligns-with") == first and not parsed_file.parent.exists()


def test_a_decorator_marshal_cannot_hold_is_parsed_each_time(parsed_file, tmp_path, monkeypatch):
    from alliancegraph.queries import read_query

    dated = write(tmp_path, "dated.rq", "#+ summary: since\n#+ since: 2025-01-02\nSELECT ?x WHERE { ?x ?p ?o }")
    assert read_query(dated).summary == "since"
    assert not parsed_file.exists()  # a YAML date: not kept, read right
    load_builtin_query("who-aligns-with")
    without_yaml(monkeypatch)
    load_builtin_query("who-aligns-with")
    with pytest.raises(pytest.fail.Exception, match="parsed"):
        read_query(dated)


def test_cache_clear_all_deletes_the_parsed_decorators(parsed_file):
    from alliancegraph.cli import main

    from conftest import cli_runner

    load_builtin_query("who-aligns-with")
    assert parsed_file.is_file()
    result = cli_runner().invoke(main, ["cache", "clear", "--all"])
    assert result.exit_code == 0 and not parsed_file.exists()


def test_a_warm_query_does_not_import_a_yaml_parser(tiny):
    import os
    import subprocess
    import sys

    root = tiny.write()
    code = (
        "import sys; from alliancegraph.cli import main\n"
        f"main(['--kg', {str(root)!r}, 'query', 'who-aligns-with', 'Serbia'], standalone_mode=False)\n"
        "print('YAML', 'yaml' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ) for _ in range(2)]
    assert "YAML True" in runs[0].stdout, runs[0].stderr  # the build reads the files
    assert "YAML False" in runs[1].stdout, runs[1].stderr
