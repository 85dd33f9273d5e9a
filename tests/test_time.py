"""Time done right: dates known only within bounds, and the same as-of rule everywhere.

Small knowledge bases built here pin down each rule; the curated answers are
checked against the sentences of the articles they come from.
"""

from __future__ import annotations

import datetime as dt

import pytest
import rdflib

from alliancegraph.engine import LocalEngine
from alliancegraph.export import generate
from alliancegraph.network import to_networkx
from alliancegraph.queries import run_query
from alliancegraph.rdf import to_rdflib
from alliancegraph.selection import Filters, select
from alliancegraph.vocabulary import PREFIXES

AG = rdflib.Namespace(PREFIXES["ag"])
ASR = rdflib.Namespace(PREFIXES["asr"])

ESSAY = (
    "The decision by Prime Minister Rumen Radev not to support the tribunal cannot be dismissed. "
    "For years, Radev has built a narrative against supplying weapons to Ukraine. "
    "Merz insisted that Europe must continue supporting Ukraine militarily."
)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def answer(kb, name: str, as_of: str, **arguments) -> list[dict]:
    return run_query(LocalEngine(kb), name, arguments, day(as_of))


@pytest.fixture
def essay(tiny):
    """An undated essay written after Radev became Prime Minister on 2026-05-08."""
    (tiny.root / "essay.txt").write_text(ESSAY, encoding="utf-8")
    tiny.sources.append({"id": "essay", "title": "An essay", "kind": "opinion", "published": "2026",
                         "earliest": "2026-05-08", "file": "essay.txt"})
    tiny.entities += [
        {"id": "tribunal", "label": "A tribunal", "type": "issue"},
        {"id": "military-aid", "label": "Military aid", "type": "issue"},
        {"id": "germany", "label": "Germany", "type": "state"},
        {"id": "rumen-radev", "label": "Rumen Radev", "type": "person", "offices": [
            {"role": "President", "of": "bulgaria", "start": "2017-01-22", "end": "2026-01-23", "source": "record"},
        ]},
    ]
    tiny.add(id="bulgaria-rejects-tribunal", subject="bulgaria", relation="rejects", object="tribunal",
             speaker="rumen-radev", date="2026", dated_by="publication", source="essay",
             quote="The decision by Prime Minister Rumen Radev not to support the tribunal")
    return tiny


def test_a_date_dated_by_its_source_takes_the_sources_bounds(essay):
    kb = essay.load()
    rejection = kb.assertions_by_id["bulgaria-rejects-tribunal"]
    assert (str(rejection.date), str(rejection.earliest), rejection.latest) == ("2026", "2026-05-08", None)
    assert rejection.valid_from == day("2026-05-08")
    assert rejection.dated == "2026 [05-08..]"
    assert not rejection.holds_on(day("2026-05-07")) and rejection.holds_on(day("2026-05-08"))


def test_as_of_counts_from_the_earliest_possible_day_in_every_query(essay):
    kb = essay.load()
    for as_of, expected in (("2026-03-01", []), ("2026-05-08", ["bulgaria-rejects-tribunal"])):
        assert [r["assertion"] for r in answer(kb, "who-stands-where", as_of, issue="tribunal")] == expected
        assert [r["assertion"] for r in answer(kb, "stance-of", as_of, actor="bulgaria")] == expected
        assert [r["assertion"] for r in answer(kb, "timeline", as_of, actor="tribunal")] == expected


def test_exports_and_the_network_use_the_same_first_day(essay):
    kb = essay.load()
    kept = select(kb, Filters(as_of=day("2026-03-01"), include_contested=True)).kb.assertions
    assert "bulgaria-rejects-tribunal" not in {a.id for a in kept}
    kept = select(kb, Filters(as_of=day("2026-05-08"), include_contested=True)).kb.assertions
    assert "bulgaria-rejects-tribunal" in {a.id for a in kept}
    edge = to_networkx(kb).edges["bulgaria", "tribunal", "bulgaria-rejects-tribunal"]
    assert edge["valid_from"] == "2026-05-08"
    gexf = "".join(generate(kb, "gexf", Filters()))
    assert 'id="bulgaria-rejects-tribunal"' in gexf and 'start="2026-05-08"' in gexf
    graph = to_rdflib(kb)
    statement = ASR["bulgaria-rejects-tribunal"]
    assert graph.value(statement, AG.validFrom) == rdflib.Literal("2026-05-08", datatype=rdflib.XSD.date)
    assert graph.value(statement, AG.earliest) == rdflib.Literal("2026-05-08", datatype=rdflib.XSD.date)
    assert str(graph.value(statement, AG.dated)) == "2026 [05-08..]"


def test_an_officials_words_count_for_the_office_they_can_have_held_within_the_bounds(essay):
    kb = essay.load()
    # Radev's presidency ended on 2026-01-23 and the essay is from 2026-05-08 or later: no office, his own words.
    assert kb.actor_of(kb.assertions_by_id["bulgaria-rejects-tribunal"]) == "bulgaria"  # the subject is the state
    assert kb.speaker_for(kb.assertions_by_id["bulgaria-rejects-tribunal"]) == "rumen-radev"
    unbounded = essay.sources[-1]
    del unbounded["earliest"]
    kb = essay.load()
    assert kb.speaker_for(kb.assertions_by_id["bulgaria-rejects-tribunal"]) == "bulgaria"  # 2026 reaches January


def test_own_bounds_win_over_the_sources_and_other_bases_inherit_nothing(essay):
    essay.add(id="own-bound", subject="germany", relation="supports", object="military-aid", date="2026",
              dated_by="publication", earliest="2026-06", source="essay",
              quote="Merz insisted that Europe must continue supporting Ukraine militarily")
    essay.add(id="by-article", subject="germany", relation="supports", object="military-aid", date="2026",
              source="essay", quote="Merz insisted that Europe must continue supporting Ukraine militarily")
    kb = essay.load()
    assert kb.assertions_by_id["own-bound"].valid_from == day("2026-06-01")
    assert kb.assertions_by_id["by-article"].valid_from == day("2026-01-01")


def test_held_for_years_is_a_start_known_only_by_its_bounds(essay):
    essay.add(id="radev-against-weapons", subject="rumen-radev", relation="opposes", object="military-aid",
              speaker="rumen-radev", start="unknown", earliest="2022-02-24", latest="2024", source="essay",
              quote="For years, Radev has built a narrative against supplying weapons to Ukraine.")
    kb = essay.load()
    held = kb.assertions_by_id["radev-against-weapons"]
    assert (held.start, held.start_unknown, held.dated, held.when) == (
        None, True, "[2022-02-24..2024]", "[2022-02-24..2024]/..")
    assert not held.holds_on(day("2022-02-23"))
    assert held.holds_on(day("2022-02-24")) and held.holds_on(day("2025-06-01")) and held.holds_on(day("2030-01-01"))
    assert kb.actor_of(held) == "bulgaria"  # as President, the office he held within the bounds
    rows = answer(kb, "who-stands-where", "2025-06-01", issue="military-aid")
    assert [(r["actor"], r["position"], r["date"]) for r in rows] == [("bulgaria", "opposes", "[2022-02-24..2024]")]
    graph = to_rdflib(kb)
    assert graph.value(ASR["radev-against-weapons"], AG.start) is None
    assert graph.value(ASR["radev-against-weapons"], AG.latest) == rdflib.Literal("2024", datatype=rdflib.XSD.gYear)


# -- the curated answers, against the sentences -------------------------------------------------------


def test_the_essay_is_not_older_than_radevs_premiership(curated):
    essay = curated.sources["bulgaria-exit-from-nato-not-through-front-door"]
    assert (str(essay.published), str(essay.earliest)) == ("2026", "2026-05-08")
    assert "The decision by Bulgarian Prime Minister Rumen Radev" in essay.file.read_text(encoding="utf-8")
    dated_by_it = [a for a in curated.assertions if a.source == essay.id and a.dated_by == "publication"]
    assert len(dated_by_it) >= 25
    assert all(a.valid_from == day("2026-05-08") for a in dated_by_it)


def test_the_essays_assertions_do_not_hold_as_of_march_2026(curated):
    engine = LocalEngine(curated)
    tribunal = run_query(engine, "who-stands-where", {"issue": "tribunal-for-putin"}, day("2026-03-01"))
    assert tribunal == []
    radev = run_query(engine, "timeline", {"actor": "Radev"}, day("2026-02-15"))
    assert not any(r["assertion"] == "radev-holds-office-prime-minister-of-bulgaria-2026" for r in radev)
    assert not any(r["source"] == "bulgaria-exit-from-nato-not-through-front-door" and "[05-08..]" in r["date"]
                   for r in radev)
    later = run_query(engine, "who-stands-where", {"issue": "tribunal-for-putin"}, day("2026-06-01"))
    assert {e["assertion"] for records in later.evidence for e in records} == {
        "bulgaria-rejects-tribunal-for-putin", "bulgaria-opposes-tribunal-for-putin-radev-argument"}


def test_radevs_for_years_positions_hold_in_2025(curated):
    quote = ("For years, Radev has consistently built a narrative against “dragging Bulgaria into the war,” "
             "against supplying weapons to Ukraine, against sanctions on Russia, and against deeper NATO defense integration.")
    held = [a for a in curated.assertions if a.quote == quote]
    assert {a.object for a in held} == {"bulgarian-involvement-in-ukraine-war", "military-aid-to-ukraine",
                                        "sanctions-on-russia", "nato-defence-integration"}
    assert all(a.start_unknown and a.end is None and a.holds_on(day("2025-01-01")) for a in held)
    assert all(curated.actor_of(a) == "bulgaria" for a in held)  # as President
    stance = run_query(LocalEngine(curated), "stance-of", {"actor": "Bulgaria"}, day("2025-06-01"))
    assert {a.id for a in held} <= {r["assertion"] for r in stance}


def test_the_2023_article_dates_from_between_the_sofia_declaration_and_the_istanbul_visit(curated):
    article = curated.sources["bulgaria-backs-ukraine-nato-bid-sofia-declaration"]
    assert (str(article.earliest), str(article.latest)) == ("2023-07-06", "2023-07-07")
    invitation = curated.assertions_by_id["erdogan-invites-zelensky-to-istanbul"]
    assert invitation.dated_by == "publication" and invitation.valid_from == day("2023-07-06")
    assert invitation.dated == "2023-07 [07-06..07-07]"
