"""`alliancegraph show ID`: one assertion or one entity in full."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from alliancegraph.cli import main
from alliancegraph.engine import LocalEngine
from alliancegraph.errors import AmbiguousNameError, UnknownEntityError
from alliancegraph.show import show, show_text

from conftest import REPO, cli_runner


def run(*args, kg=REPO / "kg"):
    return cli_runner().invoke(main, ["--kg", str(kg), *args])


def shown(*args, kg=REPO / "kg") -> dict:
    result = run("show", *args, "--format", "json", kg=kg)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_assertion_shows_its_quote_in_its_article():
    view = shown("georgiev-denies-bulgaria-joining-balkan-pact")
    assert view["kind"] == "assertion"
    assert view["statement"] == "Bulgaria signs Croatia–Albania–Kosovo Joint Declaration on Defence Cooperation"
    assert (view["polarity"], view["modality"], view["dated_by"]) == ("denied", "intention", "record")
    context = view["context"]
    assert context["quote"].startswith("Reports of Bulgaria's interest") and context["quote"].endswith("inaccurate.")
    # The sentence before (the minister's statement) and the one after (Maqedonci's claim).
    assert "In a statement released by Bulgaria’s Minister of Foreign Affairs, Georg Georgiev" in context["before"]
    assert context["after"].strip().startswith("” On Tuesday, Kosovo’s Defense Minister Ejup Maqedonci claimed")
    assert context["after"].rstrip().endswith("emerging bloc.")


def test_an_assertion_shows_its_source_and_the_speakers_office_then():
    view = shown("georgiev-denies-bulgaria-joining-balkan-pact")
    assert view["source"]["title"] == "Bulgaria Denies Joining New Balkan Military Alliance"
    assert view["source"]["outlet"] == "Inter Bellum News" and view["source"]["url"].startswith("https://")
    assert view["source"]["published"] == "2025-04"
    speaker = view["speaker"]
    assert speaker["label"] == "Georg Georgiev" and speaker["speaks_for"] == "bulgaria"
    assert speaker["office"] == "Minister of Foreign Affairs, 2025-01-16 – 2026-02-19 (Bulgaria)"
    assert view["file"].endswith("2025-04-bulgaria-denies-joining-balkan-military-alliance.yaml")


def test_a_claim_and_its_denial_show_each_other():
    denial = shown("georgiev-denies-bulgaria-joining-balkan-pact")
    claim = shown("maqedonci-claims-bulgaria-will-join-balkan-pact")
    assert [c["assertion"] for c in denial["contradicted_by"]] == ["maqedonci-claims-bulgaria-will-join-balkan-pact"]
    assert [c["assertion"] for c in claim["contradicted_by"]] == ["georgiev-denies-bulgaria-joining-balkan-pact"]
    assert claim["contradicted_by"][0]["said_by"] == "Georg Georgiev"
    assert shown("bulgaria-joined-nato-2004")["contradicted_by"] == []


def test_an_official_counts_for_the_state_they_speak_for():
    view = shown("serbia-criticizes-croatia-albania-kosovo-declaration")
    assert view["actor"] == "serbia" and view["counts_as"] is None  # recorded as Serbia's already
    signed = shown("denkov-signs-sofia-declaration")  # the prime minister's signature is Bulgaria's
    assert signed["actor"] == "bulgaria"
    assert signed["counts_as"] == "Bulgaria signs Bulgaria–Ukraine joint declaration of 2023 (Sofia declaration)"
    text = run("show", "serbia-criticizes-croatia-albania-kosovo-declaration").stdout
    assert "Bratislav Gašić" in text


def test_the_text_reads_at_100_columns():
    for name in ("georgiev-denies-bulgaria-joining-balkan-pact", "bulgaria-joined-nato-2004", "NATO", "Radev"):
        result = run("show", name)
        assert result.exit_code == 0, result.output
        long = [line for line in result.stdout.splitlines() if len(line) > 100]
        # Only a line holding one unbreakable token (a URL) may be longer.
        assert all(len(line.split()) == 2 and line.startswith("url:") for line in long), long
    text = run("show", "georgiev-denies-bulgaria-joining-balkan-pact").stdout
    assert "»Reports of Bulgaria's interest" in text and "contradicted: by 1:" in text
    assert "maqedonci-claims-bulgaria-will-join-balkan-pact: Ejup Maqedonci (affirmed, intention" in text


def test_an_entity_shows_its_offices_and_what_it_is_involved_in():
    view = shown("Gašić", "--as-of", "2025-06-01")  # by label, accents and all
    assert view["kind"] == "entity" and view["id"] == "bratislav-gasic" and view["type"] == "person"
    assert [(o["role"], o["of"], o["start"], o["end"]) for o in view["offices"]] == [
        ("Minister of Defence", "serbia", "2024-05-02", None)]
    assert view["assertions"]["speaker"] >= 1
    by_query = {q["query"]: q for q in view["queries"]}
    assert by_query["who-aligns-with"]["answered_for"] == "serbia"
    assert by_query["timeline"]["command"] == "alliancegraph query timeline bratislav-gasic"


def test_the_counts_are_the_queries_own_answers():
    view = shown("serbia", "--as-of", "2025-06-01")
    assert view["wikidata"] == "Q403" and "Belgrade" in view["aliases"]
    assert [o["holder"] for o in view["office_holders"]] == ["bratislav-gasic"]
    assert {m["of"] for m in view["memberships"]} == {"serbia-hungary-military-cooperation-agreement"}
    for query in view["queries"]:
        rows = run("query", query["query"], "serbia", "--as-of", "2025-06-01", "--format", "json")
        assert len(json.loads(rows.stdout)) == query["rows"] > 0


def test_an_organisation_shows_who_held_its_offices_and_its_members():
    view = shown("the Alliance")  # an alias of NATO
    assert view["id"] == "nato"
    assert [o["holder"] for o in view["office_holders"]] == ["jens-stoltenberg", "mark-rutte"]
    members = next(q for q in view["queries"] if q["query"] == "members-of")
    assert members["rows"] == 32


def test_as_of_changes_what_an_entitys_queries_answer():
    before = {q["query"]: q["rows"] for q in shown("serbia", "--as-of", "2020-01-01")["queries"]}
    after = {q["query"]: q["rows"] for q in shown("serbia", "--as-of", "2025-06-01")["queries"]}
    assert "who-aligns-with" not in before and after["who-aligns-with"] > 0


def test_an_unknown_id_suggests_assertions_and_entities():
    result = run("show", "georgiev-denies-bulgaria-joining-balkan")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: no assertion, source or entity 'georgiev-denies-bulgaria-joining-balkan' "
                                    "(did you mean 'georgiev-denies-bulgaria-joining-balkan-pact'")
    source = run("show", "bulgaria-denies-joining-balkan")  # a source id is suggested too
    assert "'bulgaria-denies-joining-balkan-military-alliance'" in source.stderr
    assert run("show", "xyzzy").stderr == "Error: no assertion, source or entity 'xyzzy'\n"


def test_an_ambiguous_name_lists_its_candidates():
    result = run("show", "the Foreign Ministry")
    assert result.exit_code == 1 and "is ambiguous" in result.stderr and result.stdout == ""


def test_bad_options_are_usage_errors():
    assert run("show", "serbia", "--format", "table").exit_code == 2
    assert run("show", "serbia", "--as-of", "2025-13-01").exit_code == 2
    assert run("show").exit_code == 2


def test_a_source_without_text_shows_the_quote_alone(tiny):
    tiny.add(id="gasic-minister", subject="bratislav-gasic", relation="holds-office", object="serbia",
             role="Minister of Defence", start="2024-05-02", source="record", dated_by="record")
    tiny.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    kb = tiny.load()
    view = show(LocalEngine(kb), kb, "gasic-minister")
    assert view["context"] is None and view["quote"] is None and view["speaker"] is None
    assert "in its article" not in show_text(view)


def test_the_first_and_last_sentences_have_no_neighbour_beyond_the_article(tiny):
    tiny.add(id="declaration", subject="croatia", relation="signs", object="declaration", date="2025-03",
             quote="Croatia, Albania and Kosovo signed a defence declaration in March.")
    tiny.add(id="dodik", subject="milorad-dodik", relation="aligns-with", object="serbia", date="2025-04",
             modality="intention", quote="signaled willingness to align with Serbia and Hungary")
    kb = tiny.load()
    first = show(LocalEngine(kb), kb, "declaration")["context"]
    assert first["before"] == "" and first["after"].startswith(" Serbia signed a military cooperation")
    last = show(LocalEngine(kb), kb, "dodik")["context"]
    assert last["before"].startswith("Bulgaria's foreign minister said") and last["before"].endswith("Milorad Dodik ")
    assert last["after"] == "."


def test_an_article_changed_since_it_was_checked_shows_no_stale_context(tiny):
    tiny.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    kb = tiny.load()
    (tiny.root / "article.txt").write_text("Something else entirely.\n", encoding="utf-8")
    assert show(LocalEngine(kb), kb, "serbia-signs")["context"] is None


def test_hostile_labels_print_safely(tiny):
    hostile = "Evil\x1b[2J\x07\u202eCorp " + "x" * 9_980  # near the longest label the loader takes
    tiny.entities.append({"id": "evil", "label": hostile, "type": "state", "aliases": ["Bad\x1b]0;title\x07"]})
    tiny.add(id="evil-signs", subject="evil", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    kb_root = tiny.write()
    for args in (("show", "evil"), ("show", "evil-signs"), ("show", "evil", "--format", "json"),
                 ("show", "evil-signs", "--format", "json")):
        result = run(*args, kg=kb_root)
        assert result.exit_code == 0, result.output
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in result.stdout
    view = shown("evil", kg=kb_root)
    assert view["label"] == hostile  # JSON carries the text exactly


def test_show_in_python_raises_the_librarys_errors(curated):
    engine = LocalEngine(curated)
    with pytest.raises(AmbiguousNameError):
        show(engine, curated, "the Foreign Ministry")
    with pytest.raises(UnknownEntityError, match="no assertion, source or entity"):
        show(engine, curated, "nothing-of-the-kind")
    assert show(engine, curated, "Republika Srpska", dt.date(2025, 6, 1))["id"] == "republika-srpska"


def test_a_source_shows_its_record_and_the_assertions_drawn_from_it():
    view = shown("bulgaria-backs-ukraine-nato-bid-sofia-declaration")
    assert view["kind"] == "source" and view["type"] == "news"
    assert view["published"] == "2023-07 [07-06..07-07]"  # the month, narrowed by its bounds
    assert view["file"].endswith("2023-07-bulgaria-backs-ukraine-nato-bid-sofia-declaration.txt")
    drawn = [a["assertion"] for a in view["assertions"]]
    assert "zelensky-signs-sofia-declaration" in drawn and len(drawn) == len(set(drawn))
    reference = shown("nato-member-countries")
    assert reference["type"] == "reference" and reference["url"].startswith("https://")
    assert len(reference["assertions"]) == 32
    text = run("show", "nato-member-countries").stdout
    assert "assertions:   32:" in text and "bulgaria-joined-nato-2004" not in text
