"""One row per finding, and evidence beside every row, on the curated knowledge base."""

from __future__ import annotations

import datetime as dt

import pytest

from alliancegraph.engine import LocalEngine
from alliancegraph.findings import assertion_columns, evidence_view
from alliancegraph.queries import load_queries

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def engine(curated):
    return LocalEngine(curated)


def answers(curated, engine):
    """Every saved query, with every entity of a type it is asked about."""
    actors = sorted(e.id for e in curated.entities.values() if e.type not in ("issue", "agreement"))
    groups = sorted(e.id for e in curated.entities.values() if e.type in ("agreement", "international-organization"))
    issues = sorted(e.id for e in curated.entities.values() if e.type in ("issue", "agreement"))
    for name, query in sorted(load_queries().items()):
        names = [p.name for p in query.parameters if p.required]
        if names == ["actor"]:
            arguments = [{"actor": a} for a in actors]
        elif names == ["group"]:
            arguments = [{"group": g} for g in groups]
        elif names == ["issue"]:
            arguments = [{"issue": i} for i in issues]
        elif not names:
            arguments = [{}]
        else:
            continue  # path: one row per step
        for given in arguments:
            yield name, given, query, query.run(engine, given, AS_OF)


def test_no_answer_has_two_rows_for_one_finding(curated, engine):
    checked = 0
    for name, given, query, rows in answers(curated, engine):
        evidence_columns = set(assertion_columns(query.columns)) | {"source", "sources"}
        said = [tuple((c, str(row[c])) for c in query.columns if c not in evidence_columns) for row in rows]
        assert len(said) == len(set(said)), f"{name} {given}: two rows say the same"
        cited = [r["assertion"] for records in rows.evidence for r in records]
        # Findings cite each assertion once; shifts' rows are changes, and one assertion
        # may mark several (a position taken, passed to a new office, ended).
        assert name == "shifts" or len(cited) == len(set(cited)), f"{name} {given}: an assertion behind two rows"
        checked += len(rows)
    assert checked > 300


def test_every_row_carries_its_evidence(curated, engine):
    for name, given, query, rows in answers(curated, engine):
        if not assertion_columns(query.columns):
            continue
        for _row, records in zip(rows, rows.evidence):
            assert records, f"{name} {given}: a row without evidence"
            assert all(r["quote"] and r["source"] for r in records if r["dated_by"] != "record")


def test_a_signature_and_the_cooperation_it_starts_are_one_row(engine):
    rows = load_queries()["who-aligns-with"].run(engine, {"actor": "serbia"}, AS_OF)
    hungary = [i for i, row in enumerate(rows) if row["actor"] == "hungary" and row["date"] == "2025-04-03"]
    assert len(hungary) == 1
    assert [r["assertion"] for r in rows.evidence[hungary[0]]] == [
        "hungary-signs-serbia-hungary-military-agreement", "serbia-hungary-military-cooperation-2025"]


def test_a_decision_and_its_argument_are_one_stance(engine):
    rows = load_queries()["who-stands-where"].run(engine, {"issue": "tribunal-for-putin"}, AS_OF)
    bulgaria = [i for i, row in enumerate(rows) if row["actor"] == "bulgaria"]
    assert len(bulgaria) == 1
    assert len(rows.evidence[bulgaria[0]]) == 2


def test_disputed_lists_every_denial_of_a_claim(engine):
    rows = load_queries()["disputed"].run(engine, {}, AS_OF)
    claims = [row["claim_assertion"] for row in rows]
    assert claims.count("maqedonci-claims-bulgaria-will-join-balkan-pact") == 1


def test_json_rows_cite_and_evidence_adds_speaker_office_and_source(engine):
    rows = load_queries()["disputed"].run(engine, {}, AS_OF)
    compact, columns = evidence_view(rows, load_queries()["disputed"].columns, "json", full=False)
    assert columns[-1] == "evidence"
    assert set(compact[0]["evidence"][0]) == {"assertion", "source", "quote"}
    full, _ = evidence_view(rows, load_queries()["disputed"].columns, "json", full=True)
    georgiev = next(e for e in full[0]["evidence"] if e["assertion"] == "georgiev-denies-bulgaria-joining-balkan-pact")
    assert georgiev["said_by"] == "Georg Georgiev (Minister of Foreign Affairs, Bulgaria)"
    assert georgiev["source_title"] == "Bulgaria Denies Joining New Balkan Military Alliance"
    assert georgiev["modality"] == "intention" and georgiev["polarity"] == "denied"  # he denies an interest
    assert georgiev["quote"].startswith("Reports of Bulgaria's interest")  # whole in JSON


def test_evidence_in_csv_is_whole_and_in_tables_short(engine):
    query = load_queries()["who-stands-where"]
    rows = query.run(engine, {"issue": "tribunal-for-putin"}, AS_OF)
    csv_rows, columns = evidence_view(rows, query.columns, "csv", full=True)
    assert {"quote", "said_by", "source_title", "source_date"} <= set(columns)
    assert any(len(q) > 120 for row in csv_rows for q in row["quote"])
    table_rows, _ = evidence_view(rows, query.columns, "table", full=True)
    assert all(len(line) < 400 for row in table_rows for line in row["evidence"])


def test_rows_read_without_evidence_are_the_same_findings(curated, engine):
    """What tables and CSV print without --evidence: the same merged rows, read without the records
    of rows that no other row could merge with."""
    for name, given, query, rows in answers(curated, engine):
        alone = query.run(engine, given, AS_OF, evidence=False)
        assert list(alone) == list(rows), f"{name} {given}"
        assert alone.evidence == [[] for _ in rows]
        assert evidence_view(alone, query.columns, "table", full=False) == evidence_view(rows, query.columns, "table", full=False)


def record(tiny, id: str, relation: str, **more) -> None:
    """Hungary's tie to Serbia, dated 2025-04-03, from public records."""
    tiny.add(id=id, subject="hungary", relation=relation, object="serbia", date="2025-04-03", source="record", **more)


@pytest.mark.parametrize("evidence", [True, False])
def test_rows_of_one_frame_merge_by_what_their_assertions_say(tiny, evidence):
    record(tiny, "aligns", "aligns-with")
    record(tiny, "supports", "supports")  # the same side, polarity, modality and speaker: one finding
    record(tiny, "intends", "cooperates-with", modality="intention")  # an intention: a finding of its own
    tiny.add(id="albania-aligns", subject="albania", relation="aligns-with", object="serbia", date="2025-03",
             source="record")
    rows = load_queries()["who-aligns-with"].run(LocalEngine(tiny.load()), {"actor": "serbia"}, AS_OF, evidence=evidence)
    assert [(row["actor"], row["assertion"]) for row in rows] == [
        ("albania", "albania-aligns"), ("hungary", "aligns"), ("hungary", "intends")]
    cited = [[record["assertion"] for record in records] for records in rows.evidence]
    assert cited == ([["albania-aligns"], ["aligns", "supports"], ["intends"]] if evidence else [[], [], []])


def test_stats_edges_agree_with_the_network_exports(curated):
    from alliancegraph.export import generate
    from alliancegraph.selection import Filters
    from alliancegraph.stats import stats

    summary = stats(curated)
    default = "".join(generate(curated, "graphml", Filters())).count("<edge ")
    everything = "".join(generate(curated, "graphml", Filters(include_contested=True))).count("<edge ")
    assert summary["export_edges"] == default < summary["edges"]
    assert summary["export_edges"] + summary["contested_edges"] == everything
