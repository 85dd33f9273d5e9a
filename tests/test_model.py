"""Dates with precision, quote location, name resolution and the roll-up of officials."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancegraph import evidence
from alliancegraph.dates import DateError, PartialDate, parse_iso_day
from alliancegraph.errors import UnknownEntityError
from alliancegraph.evidence import NormalisedText, normalise
from alliancegraph.resolve import fold, resolve_entity
from alliancegraph.vocabulary import tie_sign


@pytest.mark.parametrize(
    "text, precision, earliest, latest",
    [
        ("2025", "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-04-03", "day", dt.date(2025, 4, 3), dt.date(2025, 4, 3)),
    ],
)
def test_partial_dates_know_their_span(text, precision, earliest, latest):
    date = PartialDate.parse(text)
    assert (date.precision, date.earliest, date.latest, str(date)) == (precision, earliest, latest, text)


def test_yaml_values_are_accepted_as_dates():
    assert str(PartialDate.parse(2004)) == "2004"
    assert str(PartialDate.parse(dt.date(2022, 1, 21))) == "2022-01-21"
    with pytest.raises(DateError, match="without a time"):
        PartialDate.parse(dt.datetime(2022, 1, 21, 10, 0))
    with pytest.raises(DateError, match="got true/false|got bool"):
        PartialDate.parse(True)


def test_only_ascii_digits_make_a_date():
    with pytest.raises(DateError, match="malformed date"):
        PartialDate.parse("２０２５-01-01")  # full-width digits, which a regex's \d would take


def test_as_of_needs_a_full_date():
    assert parse_iso_day("2025-04-03") == dt.date(2025, 4, 3)
    with pytest.raises(DateError, match="full date"):
        parse_iso_day("2025-04")


def test_quotes_match_after_folding_typography():
    text = NormalisedText("He called it  “a provocative move” –\nreally.")
    evidence = text.locate('called it "a provocative move" - really.')
    assert evidence is not None
    assert evidence.exact == "called it  “a provocative move” –\nreally."
    assert (evidence.start, evidence.end) == (3, len(text.original))
    assert text.locate("a peaceful move") is None
    assert normalise("  a\u00a0b’s — c  ") == "a b's - c"


#: Text from every character the folding changes, the ellipsis, whitespace and a few others.
FOLDED_TEXT = st.text(st.sampled_from(sorted({chr(c) for c in evidence._FOLD_ONE_TO_ONE} | set("\u2026 aZ'\u0301\U0001F680"))))


@settings(max_examples=300, deadline=None)
@given(FOLDED_TEXT)
def test_folding_by_patterns_is_exactly_the_folding_tables(text):
    """The folding runs as a few patterns (faster on articles); its tables stay the rule it must follow."""
    assert normalise(text) == evidence._SPACE.sub(" ", text.translate(evidence._FOLD)).strip()
    assert NormalisedText(text).text == NormalisedText(text.translate(evidence._FOLD_ONE_TO_ONE)).text


def test_quote_positions_are_code_points_of_the_original():
    original = "Émigré 🚀 text: Bulgaria’s interest"
    evidence = NormalisedText(original).locate("Bulgaria's interest")
    assert original[evidence.start : evidence.end] == "Bulgaria’s interest"
    assert evidence.prefix.endswith("text: ")


def test_fold_strips_case_and_diacritics():
    assert fold("Gašić") == "gasic"
    assert fold("Republika-Srpska") == "republika srpska"
    assert fold("Đukanović") == "dukanovic"


def test_resolve_by_id_label_alias(tiny):
    kb = tiny.load()
    assert resolve_entity(kb.entities.values(), "serbia").id == "serbia"
    assert resolve_entity(kb.entities.values(), "SERBIA").id == "serbia"
    assert resolve_entity(kb.entities.values(), "Belgrade").id == "serbia"
    assert resolve_entity(kb.entities.values(), "republic srpska").id == "republika-srpska"
    assert resolve_entity(kb.entities.values(), "Bratislav Gasic").id == "bratislav-gasic"
    with pytest.raises(UnknownEntityError, match=r"unknown entity 'Serbiaa' \(did you mean 'serbia'\?\)"):
        resolve_entity(kb.entities.values(), "Serbiaa")


def test_ambiguous_names_list_the_candidates(tiny):
    tiny.entities.append({"id": "georgia", "label": "Georgia", "type": "state"})
    tiny.entities.append({"id": "georgia-us-state", "label": "State of Georgia", "type": "sub-national-entity",
        "aliases": ["Georgia"]})
    kb = tiny.load()
    with pytest.raises(UnknownEntityError) as raised:
        resolve_entity(kb.entities.values(), "georgia ")
    assert raised.value.candidates == ("georgia", "georgia-us-state")


def test_minister_statement_counts_for_state(tiny):
    tiny.add(
        id="gasic-criticizes",
        subject="bratislav-gasic",
        relation="criticizes",
        object="declaration",
        date="2025-04",
        quote="called the declaration “a provocative move”",
    )
    kb = tiny.load()
    criticism = kb.assertions_by_id["gasic-criticizes"]
    assert kb.actor_of(criticism) == "serbia"


def test_statement_outside_office_counts_for_the_person(tiny):
    tiny.add(
        id="gasic-criticizes",
        subject="bratislav-gasic",
        relation="criticizes",
        object="declaration",
        date="2023-06",
        quote="called the declaration “a provocative move”",
    )
    kb = tiny.load()
    assert kb.actor_of(kb.assertions_by_id["gasic-criticizes"]) == "bratislav-gasic"


def test_government_body_speaks_for_its_state(tiny):
    tiny.entities.append({"id": "serbian-mod", "label": "Serbian Ministry of Defence", "type": "government-body",
        "part_of": "serbia"})
    tiny.add(
        id="mod-criticizes",
        subject="serbian-mod",
        relation="criticizes",
        object="declaration",
        date="2025-04",
        quote="called the declaration “a provocative move”",
    )
    kb = tiny.load()
    assert kb.actor_of(kb.assertions_by_id["mod-criticizes"]) == "serbia"


def test_explicit_on_behalf_of_wins(tiny):
    tiny.add(
        id="dodik-aligns",
        subject="milorad-dodik",
        relation="aligns-with",
        object="serbia",
        modality="intention",
        on_behalf_of="republika-srpska",
        date="2025-04",
        quote="Milorad Dodik signaled willingness to align with Serbia and Hungary.",
    )
    kb = tiny.load()
    assert kb.actor_of(kb.assertions_by_id["dodik-aligns"]) == "republika-srpska"


def test_holds_on_points_and_intervals(tiny):
    tiny.add(id="point", subject="serbia", relation="signs", object="srb-hun", date="2025-04",
             quote="Serbia signed a military cooperation agreement")
    tiny.add(id="interval", subject="serbia", relation="member-of", object="srb-hun", start="2025-04-03",
             end="2025", source="record")
    kb = tiny.load()
    point, interval = kb.assertions_by_id["point"], kb.assertions_by_id["interval"]
    assert not point.holds_on(dt.date(2025, 3, 31))
    assert point.holds_on(dt.date(2025, 4, 1)) and point.holds_on(dt.date(2030, 1, 1))
    assert not interval.holds_on(dt.date(2025, 4, 2))
    assert interval.holds_on(dt.date(2025, 4, 3)) and interval.holds_on(dt.date(2025, 12, 31))
    assert not interval.holds_on(dt.date(2026, 1, 1))
    assert interval.when == "2025-04-03/2025"


def test_a_part_keeps_who_speaks_for_whom(tiny):
    tiny.add(id="gasic-criticizes", subject="bratislav-gasic", relation="criticizes", object="declaration",
             date="2025-04", quote="called the declaration “a provocative move”")
    kb = tiny.load()
    without_offices = kb.part(a for a in kb.assertions if a.relation != "holds-office")
    assert [a.id for a in without_offices.assertions] == ["gasic-criticizes"]
    assert without_offices.actor_of(without_offices.assertions[0]) == "serbia"


@pytest.mark.parametrize(
    ("polarity", "modality", "relation_sign", "sign"),
    [
        ("affirmed", "fact", +1, +1),
        ("affirmed", "intention", -1, -1),
        ("affirmed", "fact", 0, 0),  # a neutral relation (meets, appeals to) ties nobody
        ("affirmed", "claim", +1, 0),
        ("affirmed", "opinion", -1, 0),
        ("denied", "fact", +1, 0),
    ],
)
def test_only_affirmed_facts_and_intentions_tie_actors(polarity, modality, relation_sign, sign):
    assert tie_sign(polarity, modality, relation_sign) == sign


def test_the_voices_read_at_once_are_what_each_rule_says_on_its_own(curated):
    """Compiling reads who speaks for whom once per assertion (KnowledgeBase.voices); each reading
    must be what the rule asked on its own gives, for every curated assertion."""
    kb = curated
    read = [(a, kb.voices(a)) for a in kb.assertions]
    assert {voices.tie for _, voices in read} >= {-1, 0, 1} and any(voices.through for _, voices in read)
    for a, voices in read:
        assert (voices.actor, voices.counterpart, voices.speaker_for) == (kb.actor_of(a), kb.counterpart_of(a),
                                                                          kb.speaker_for(a)), a.id
        assert (voices.tie, voices.stance) == (kb.tie_sign(a), kb.is_stance(a)), a.id
        assert (voices.through, voices.offices_held, voices.concerned) == (kb.stated_through(a), kb.offices_held(a),
                                                                          kb.concerned_by(a)), a.id
