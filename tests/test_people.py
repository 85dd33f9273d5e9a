"""A query about a person answers for the state or body they speak for, and says so."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from alliancegraph.cli import main
from alliancegraph.engine import LocalEngine
from alliancegraph.queries import QueryError, load_queries, read_query
from alliancegraph.resolve import office_text, voice_of

from conftest import REPO, cli_runner


def run(*args, kg=REPO / "kg"):
    return cli_runner().invoke(main, ["--kg", str(kg), *args])


def test_a_person_is_answered_for_the_state_they_speak_for():
    by_name = run("query", "who-aligns-with", "Gašić", "--as-of", "2025-06-01", "--format", "json")
    by_state = run("query", "who-aligns-with", "Serbia", "--as-of", "2025-06-01", "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout) == json.loads(by_state.stdout) != []
    assert by_name.stderr == (
        "Bratislav Gašić speaks for Serbia (Minister of Defence, since 2024-05-02); answering for Serbia\n")
    assert by_state.stderr == ""


def test_a_term_that_has_ended_still_answers_for_its_body():
    # Dodik's term ended on 2025-08-18: what he said in office was Republika Srpska's.
    result = run("query", "who-opposes", "Dodik", "--as-of", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Milorad Dodik speaks for Republika Srpska (President, 2022-11-15 – 2025-08-18); "
        "answering for Republika Srpska\n")


def test_the_office_held_on_the_as_of_day_is_the_one_answered_for(curated):
    during = voice_of(curated, "rumen-radev", dt.date(2024, 1, 1))
    assert during is not None and during.office is not None
    assert during.office.role == "President" and during.speaks_for and during.speaks_for.id == "bulgaria"
    between = voice_of(curated, "rumen-radev", dt.date(2026, 3, 1))  # after the presidency, before the premiership
    assert between is not None and between.office is not None and between.office.role == "President"
    later = voice_of(curated, "rumen-radev", dt.date(2026, 6, 1))
    assert later is not None and later.office is not None and later.office.role == "Prime Minister"
    assert office_text(later.office) == "Prime Minister, since 2026-05-08"


def test_a_person_without_office_has_no_ties_and_is_pointed_to_their_statements():
    result = run("query", "who-aligns-with", "Vassilev")
    assert result.exit_code == 0
    assert "(no rows)" in result.stdout
    assert result.stderr == (
        "no ties are recorded for Ilian Vassilev: they held no office in the knowledge base, so what they say "
        "counts for no state or body; see `alliancegraph query stance-of ilian-vassilev` or "
        "`alliancegraph query timeline ilian-vassilev`\n")
    assert run("query", "stance-of", "ilian-vassilev").stdout.count("\n") > 2  # where their words are


def test_before_any_office_the_person_has_no_ties_yet():
    result = run("query", "who-opposes", "Radev", "--as-of", "2010-01-01")
    assert result.exit_code == 0
    assert result.stderr.startswith("no ties are recorded for Rumen Radev: they held no office by 2010-01-01 ")


def test_a_government_body_is_answered_for_what_it_is_part_of():
    result = run("query", "who-opposes", "Russian Foreign Ministry", "--format", "json")
    by_state = run("query", "who-opposes", "Russia", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(by_state.stdout)
    assert result.stderr == (
        "Ministry of Foreign Affairs of Russia is part of Russia and speaks for it; answering for Russia\n")


def test_queries_about_a_persons_own_words_take_the_person_as_given():
    # stance-of and timeline read what the person said: no note, and rows of their own.
    for query in ("stance-of", "timeline"):
        result = run("query", query, "Radev", "--format", "json")
        assert result.exit_code == 0 and result.stderr == ""
        assert json.loads(result.stdout)


def test_a_person_with_ties_of_their_own_is_answered_as_themselves(tiny):
    tiny.add(id="dodik-aligns", subject="milorad-dodik", relation="aligns-with", object="serbia", date="2025-04",
             modality="intention", quote="Milorad Dodik signaled willingness to align with Serbia and Hungary.")
    kb = tiny.load()
    answer = load_queries()["who-aligns-with"].run(LocalEngine(kb), {"actor": "serbia"}, dt.date(2025, 6, 1))
    assert [row["actor"] for row in answer] == ["milorad-dodik"]
    # Dodik holds no office in this knowledge base: a tie aimed at him would be his own.
    own = load_queries()["who-opposes"].run(LocalEngine(kb), {"actor": "Milorad Dodik"}, dt.date(2025, 6, 1))
    assert list(own) == [] and own.notes and own.notes[0].startswith("no ties are recorded for Milorad Dodik")


def test_an_answer_from_a_store_that_knows_no_knowledge_base_takes_the_person_as_given(curated):
    class Unknowing(LocalEngine):
        def knowledge_base(self):
            return None

    answer = load_queries()["who-aligns-with"].run(Unknowing(curated), {"actor": "Gašić"}, dt.date(2025, 6, 1))
    assert list(answer) == [] and answer.notes == []


def test_speaks_for_must_name_a_parameter(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(textwrap.dedent("""\
        #+ summary: Mine.
        #+ speaks_for: [someone]
        SELECT ?x WHERE { ?x ?p ?_actor_iri }
        """), encoding="utf-8")
    with pytest.raises(QueryError, match="speaks_for' names someone, which the query does not take"):
        read_query(path)


def test_a_python_query_declares_its_actors_too(tmp_path, curated):
    path = tmp_path / "ties.py"
    path.write_text(textwrap.dedent('''\
        """Who ACTOR is, as answered."""
        from alliancegraph.queries import EntityId

        COLUMNS = ("actor",)
        SPEAKS_FOR = ("actor",)

        def run(graph, actor: EntityId):
            return [{"actor": actor}]
        '''), encoding="utf-8")
    query = read_query(path)
    assert [p.speaks_for for p in query.parameters] == [True]
    answer = query.run(LocalEngine(curated), {"actor": "Gasic"}, dt.date(2025, 6, 1))
    assert list(answer) == [{"actor": "serbia"}]
    path.write_text(path.read_text().replace('SPEAKS_FOR = ("actor",)', 'SPEAKS_FOR = ("other",)'))
    with pytest.raises(QueryError, match="SPEAKS_FOR names other"):
        read_query(path)


def test_query_help_says_which_arguments_answer_for_whom_a_person_speaks_for():
    said = "a person or government body is answered for the state or body it speaks for"
    for query in ("who-aligns-with", "who-opposes"):
        assert said in " ".join(run("query", query, "--help").stdout.split())
    assert said not in " ".join(run("query", "stance-of", "--help").stdout.split())
