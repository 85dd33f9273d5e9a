"""The curated knowledge base: concrete facts from each of the four articles.

These tests pin down what the product answers from. They read the real
``kg/`` folder and the real articles in ``seeds/``.
"""

from __future__ import annotations

import datetime as dt

import pyshacl
import rdflib
from rdflib import Namespace

from alliancegraph.loading import check
from alliancegraph.paths import PACKAGE
from alliancegraph.rdf import to_rdflib
from alliancegraph.resolve import resolve_entity
from alliancegraph.stats import stats
from alliancegraph.vocabulary import PREFIXES

from conftest import REPO

ID = Namespace(PREFIXES["id"])
REL = Namespace(PREFIXES["rel"])

ARTICLES = {
    "bulgaria-denies-joining-balkan-military-alliance",
    "russia-tells-nato-get-out-of-romania-and-bulgaria",
    "bulgaria-backs-ukraine-nato-bid-sofia-declaration",
    "bulgaria-exit-from-nato-not-through-front-door",
}


def test_curated_knowledge_base_checks_clean():
    kb, problems = check(REPO / "kg")
    assert problems == []
    assert len(kb.assertions) > 150


def test_every_article_contributes_assertions(curated):
    by_source = stats(curated)["assertions_by_source"]
    article_sources = {s.id for s in curated.sources.values() if s.kind != "reference"}
    assert article_sources == ARTICLES
    assert all(by_source.get(source, 0) >= 10 for source in ARTICLES)


def test_every_article_quote_is_located_in_its_article(curated):
    for assertion in curated.assertions:
        if curated.sources[assertion.source].kind != "reference":
            assert assertion.evidence is not None, assertion.id
            text = curated.sources[assertion.source].file.read_text(encoding="utf-8")
            assert text[assertion.evidence.start : assertion.evidence.end] == assertion.evidence.exact


def test_seeds_are_the_articles_unchanged():
    shared = REPO.parent / "shared" / "seeds"
    if not shared.is_dir():
        import pytest

        pytest.skip("the original articles (../shared/seeds) are not beside this checkout")
    originals = sorted(p.read_bytes() for p in shared.glob("*.txt"))
    assert sorted(p.read_bytes() for p in (REPO / "seeds").glob("*.txt")) == originals


# -- article 001: Bulgaria denies joining the new Balkan military alliance ---------------


def test_trilateral_pact_parties_are_facts(curated):
    graph = to_rdflib(curated)
    pact = ID["croatia-albania-kosovo-defence-declaration"]
    signatories = {s for s in graph.subjects(REL.signs, pact)}
    assert signatories == {ID.croatia, ID.albania, ID.kosovo}


def test_serbia_hungary_agreement_is_a_fact(curated):
    graph = to_rdflib(curated)
    agreement = ID["serbia-hungary-military-cooperation-agreement"]
    assert {s for s in graph.subjects(REL.signs, agreement)} == {ID.serbia, ID.hungary}
    signing = curated.assertions_by_id["serbia-signs-serbia-hungary-military-agreement"]
    assert str(signing.date) == "2025-04-03"


def test_bulgaria_joining_the_pact_is_contested_not_a_fact(curated):
    graph = to_rdflib(curated)
    assert (ID.bulgaria, REL.signs, ID["croatia-albania-kosovo-defence-declaration"]) not in graph
    claim = curated.assertions_by_id["maqedonci-claims-bulgaria-will-join-balkan-pact"]
    denial = curated.assertions_by_id["georgiev-denies-bulgaria-joining-balkan-pact"]
    # "claimed ... that Bulgaria had confirmed its intention to join": a claimed intention, and its denial
    assert "claimed" in claim.quote and "intention to join" in claim.quote
    assert (claim.polarity, claim.modality, claim.speaker) == ("affirmed", "intention", "ejup-maqedonci")
    assert (denial.polarity, denial.modality, denial.speaker) == ("denied", "intention", "georg-georgiev")
    assert not curated.own_voice(claim) and not curated.is_stance(claim) and curated.tie_sign(claim) == 0
    assert curated.own_voice(denial) and curated.is_stance(denial)
    assert (claim.subject, claim.relation, claim.object) == (denial.subject, denial.relation, denial.object)
    assert str(claim.date) == "2025-04-15"  # "On Tuesday", resolved against the publication


def test_officials_speak_for_their_states(curated):
    claim = curated.assertions_by_id["maqedonci-claims-bulgaria-will-join-balkan-pact"]
    assert curated.speaker_for(claim) == "kosovo"
    denial = curated.assertions_by_id["georgiev-denies-bulgaria-joining-balkan-pact"]
    assert curated.speaker_for(denial) == "bulgaria"
    criticism = curated.assertions_by_id["serbia-criticizes-croatia-albania-kosovo-declaration"]
    assert criticism.speaker == "bratislav-gasic" and curated.speaker_for(criticism) == "serbia"


def test_dodik_signals_willingness_for_republika_srpska(curated):
    for counterpart in ("serbia", "hungary"):
        assertion = curated.assertions_by_id[f"republika-srpska-willing-to-align-with-{counterpart}"]
        assert assertion.modality == "intention" and not assertion.is_fact
        assert curated.actor_of(assertion) == "republika-srpska"


# -- article 002: Russia tells NATO to get out of Romania and Bulgaria (2022) ------------------


def test_russia_demands_nato_withdrawal(curated):
    demand = curated.assertions_by_id["russia-demands-nato-withdraw-forces-from-romania-and-bulgaria"]
    assert (demand.subject, demand.relation, demand.object) == ("russia", "demands", "nato")
    assert demand.regarding == "nato-forces-in-romania-and-bulgaria"
    assert str(demand.date) == "2022-01-21"  # "said Friday"
    assert curated.speaker_for(demand) == "russia"  # the Foreign Ministry speaks for Russia


def test_romania_rejects_the_demand(curated):
    rejection = curated.assertions_by_id["romania-rejects-russian-withdrawal-demand"]
    assert (rejection.subject, rejection.relation, rejection.object) == ("romania", "rejects", "russia")
    assert rejection.is_fact


def test_accusing_the_secretary_general_counts_against_nato(curated):
    accusation = curated.assertions_by_id["russia-accuses-stoltenberg-of-pressuring-finland-and-sweden"]
    assert curated.counterpart_of(accusation) == "nato"


def test_petkov_was_prime_minister_in_2022_but_not_in_2023(curated):
    assert curated.speaks_for("kiril-petkov", _day("2022-01-21")) == "bulgaria"
    assert curated.speaks_for("kiril-petkov", _day("2023-07-06")) == "kiril-petkov"


# -- article 003: Bulgaria backs Ukraine's NATO bid (2023) ----------------------------------


def test_bulgaria_supports_ukraine_nato_membership(curated):
    support = curated.assertions_by_id["bulgaria-supports-ukraine-nato-membership-sofia-declaration"]
    assert (support.subject, support.relation, support.object) == ("bulgaria", "supports", "ukraine-nato-membership")
    assert support.is_fact and str(support.date) == "2023-07-06"


def test_sofia_declaration_signatures_roll_up_to_the_states(curated):
    zelensky = curated.assertions_by_id["zelensky-signs-sofia-declaration"]
    denkov = curated.assertions_by_id["denkov-signs-sofia-declaration"]
    assert (curated.actor_of(zelensky), curated.actor_of(denkov)) == ("ukraine", "bulgaria")


# -- article 000: the 2026 opinion essay ------------------------------------------------------


def test_bulgaria_refuses_to_back_a_tribunal_for_putin(curated):
    refusal = curated.assertions_by_id["bulgaria-rejects-tribunal-for-putin"]
    assert (refusal.relation, refusal.object, refusal.speaker) == ("rejects", "tribunal-for-putin", "rumen-radev")
    assert refusal.is_fact  # a reported decision, not the author's reading
    assert curated.speaker_for(refusal) == "bulgaria"


def test_the_essayists_readings_stay_opinions(curated):
    vassilev = [a for a in curated.assertions if a.speaker == "ilian-vassilev"]
    assert len(vassilev) >= 10
    assert all(a.modality == "opinion" and not a.is_fact for a in vassilev)
    graph = to_rdflib(curated)
    assert (ID.bulgaria, REL["aligns-with"], ID.russia) not in graph


def test_radev_speaks_for_bulgaria_as_president_and_prime_minister(curated):
    assert curated.speaks_for("rumen-radev", _day("2024-06-01")) == "bulgaria"  # President
    assert curated.speaks_for("rumen-radev", _day("2026-06-01")) == "bulgaria"  # Prime Minister
    assert curated.speaks_for("rumen-radev", _day("2026-03-01")) == "rumen-radev"  # between offices


# -- reference data -------------------------------------------------------------------------


def test_nato_membership_as_of_a_date(curated):
    membership = curated.assertions_by_id["bulgaria-member-of-nato"]
    assert not membership.holds_on(dt.date(2004, 3, 28))
    assert membership.holds_on(dt.date(2004, 3, 29))
    assert membership.holds_on(dt.date(2026, 11, 23))


def test_the_article_and_the_record_agree_on_the_day_bulgaria_joined_nato(curated):
    joined = [a for a in curated.assertions
              if (a.subject, a.relation, a.object) == ("bulgaria", "member-of", "nato") and a.start is not None]
    assert {a.source for a in joined} == {"nato-member-countries", "russia-tells-nato-get-out-of-romania-and-bulgaria"}
    assert not any(a.holds_on(dt.date(2004, 2, 1)) for a in joined), "NATO took Bulgaria in on 2004-03-29"
    assert all(a.holds_on(dt.date(2004, 4, 1)) for a in joined)


def test_every_current_nato_and_eu_member_is_listed(curated):
    def members(group: str) -> set[str]:
        return {
            a.subject
            for a in curated.assertions
            if a.relation == "member-of" and a.object == group and curated.sources[a.source].kind == "reference"
            and a.holds_on(dt.date(2026, 1, 1))
        }

    assert len(members("nato")) == 32
    assert len(members("european-union")) == 27
    assert "united-kingdom" not in members("european-union")
    assert {"finland", "sweden"} <= members("nato")


def test_states_and_organisations_carry_wikidata_ids(curated):
    for entity in curated.entities.values():
        if entity.type in ("state", "partially-recognized-state") or entity.id in ("nato", "european-union"):
            assert entity.wikidata, entity.id
    assert curated.entities["kosovo"].wikidata == "Q1246"
    assert "Republic Srpska" in curated.entities["republika-srpska"].aliases
    assert resolve_entity(curated.entities.values(), "Gasic").id == "bratislav-gasic"


def test_curated_graph_conforms_to_shacl_shapes(curated):
    shapes = rdflib.Graph().parse(PACKAGE / "shapes.ttl")
    conforms, _, report = pyshacl.validate(to_rdflib(curated), shacl_graph=shapes)
    assert conforms, report


def _day(text: str):
    from alliancegraph.dates import PartialDate

    return PartialDate.parse(text)


# -- the audit (kg/AUDIT.md): each correction, checked against the article's sentence -----------


def _withdrawn_ids() -> list[str]:
    text = (REPO / "kg" / "AUDIT.md").read_text(encoding="utf-8")
    table = text.split("## Withdrawn ids", 1)[1]
    return [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]


def test_withdrawn_ids_are_gone_and_stay_gone(curated):
    withdrawn = _withdrawn_ids()
    assert len(withdrawn) >= 10
    assert not set(withdrawn) & set(curated.assertions_by_id)


def test_the_serbia_hungary_signing_keeps_the_articles_date_beside_the_records(curated):
    for party in ("serbia", "hungary"):
        article = curated.assertions_by_id[f"{party}-signs-serbia-hungary-military-agreement"]
        record = curated.assertions_by_id[f"{party}-signs-serbia-hungary-military-agreement-on-record-date"]
        assert "with Hungary on April 3" in article.quote and str(article.date) == "2025-04-03"
        assert str(record.date) == "2025-04-01" and record.dated_by == "record"
        assert curated.sources[record.source].kind == "reference"
        assert "2025-04-01" in article.note or party == "hungary"
        assert (record.subject, record.relation, record.object) == (article.subject, article.relation, article.object)
    assert "1 April 2025" in curated.sources["serbia-hungary-defence-document-record"].note


def test_talks_to_forestall_an_invasion_are_a_stance_against_it_not_backing_for_ukraine(curated):
    talks = curated.assertions_by_id["united-states-seeks-to-forestall-invasion-of-ukraine"]
    assert "talks to forestall a possible invasion of Ukraine" in talks.quote
    assert (talks.relation, talks.object) == ("opposes", "russian-invasion-of-ukraine")
    assert not any(a.subject == "united-states" and a.object == "ukraine" and a.relation == "supports"
                   for a in curated.assertions)


def test_the_outlets_own_wording_is_its_opinion(curated):
    for country in ("slovakia", "hungary"):
        reading = curated.assertions_by_id[f"{country}-seeks-autonomy-from-euro-atlantic-establishment"]
        assert "Euro-Atlantic establishment" in reading.quote
        assert reading.modality == "opinion" and reading.speaker is None
    assert curated.entities["autonomy-from-euro-atlantic-establishment"].label == "Greater autonomy from the EU and NATO"


def test_georgievs_denial_is_recorded_once(curated):
    denials = [a for a in curated.assertions
               if a.speaker == "georg-georgiev" and a.polarity == "denied"]
    assert [a.id for a in denials] == ["georgiev-denies-bulgaria-joining-balkan-pact"]
    assert denials[0].quote.startswith("Reports of Bulgaria's interest")


def test_zelensky_says_ukraine_cannot_expect_immediate_membership(curated):
    statement = curated.assertions_by_id["ukraine-not-an-immediate-nato-member-zelensky"]
    assert "Ukraine cannot expect immediate NATO membership" in statement.quote
    assert (statement.subject, statement.relation, statement.object, statement.polarity) == (
        "ukraine", "member-of", "nato", "denied")
    assert curated.speaker_for(statement) == "ukraine"


def test_the_istanbul_plan_is_dated_to_its_announcement(curated):
    plan = curated.assertions_by_id["zelensky-to-meet-erdogan-in-istanbul"]
    assert "forthcoming trip" in plan.quote and plan.modality == "intention"
    assert (str(plan.date), plan.dated_by) == ("2023-07-06", "record")


def test_mirroring_the_kremlins_narrative_is_criticism_not_alignment(curated):
    reading = curated.assertions_by_id["vassilev-sees-radev-position-mirroring-kremlin"]
    assert "mirrors the Kremlin’s own narrative" in reading.quote
    assert (reading.subject, reading.relation, reading.object, reading.modality) == (
        "ilian-vassilev", "criticizes", "bulgaria", "opinion")
    assert not any((a.subject, a.relation, a.object) == ("bulgaria", "aligns-with", "russia") for a in curated.assertions)


def test_conditional_scenarios_are_not_recorded_as_stances(curated):
    conditional = ("could ultimately lead", "It would be enough", "refuse practical implementation", "next-in-line",
                   "maneuvering between", "rapid EU integration", "accession to the OECD")
    quoted = [a.id for a in curated.assertions if a.quote and any(words in a.quote for words in conditional)]
    assert quoted == []


def test_the_essay_doubts_the_us_commitment_and_sees_russia_able_to_destabilise_bulgaria(curated):
    doubt = curated.assertions_by_id["vassilev-doubts-united-states-commitment-to-nato"]
    assert "uncertainty emerges around Washington’s long-term commitment to NATO" in doubt.quote
    assert (doubt.subject, doubt.relation, doubt.object, doubt.polarity, doubt.modality) == (
        "united-states", "supports", "nato", "doubted", "opinion")
    threat = curated.assertions_by_id["vassilev-sees-russia-able-to-destabilise-bulgaria"]
    assert "destabilize individual European states, including Bulgaria" in threat.quote
    assert (threat.subject, threat.object, threat.modality) == ("russia", "bulgaria", "opinion")


def test_bulgaria_states_its_own_stance_on_the_nato_forces_russia_wants_withdrawn(curated):
    stance = curated.assertions_by_id["bulgaria-supports-nato-forces-in-romania-and-bulgaria-petkov"]
    assert "we decide alone how to organise the defence of our country" in stance.quote
    assert (stance.relation, stance.object, curated.speaker_for(stance)) == (
        "supports", "nato-forces-in-romania-and-bulgaria", "bulgaria")
