"""`alliancegraph query` and `alliancegraph sparql` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap

import pytest

from alliancegraph.cli import main

from conftest import REPO, cli_runner


@pytest.fixture
def runner():
    return cli_runner()


def run(runner, *args, kg=REPO / "kg", **kwargs):
    return runner.invoke(main, ["--kg", str(kg), *args], **kwargs)


def test_query_lists_the_queries_with_arguments_and_summaries(runner):
    result = run(runner, "query", "--list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["query", "arguments", "kind", "summary"]
    listed = {line.split()[0]: line for line in lines[2:]}
    assert set(listed) == {
        "blocs", "disputed", "members-of", "path", "shifts", "stance-of", "timeline",
        "who-aligns-with", "who-opposes", "who-stands-where",
    }  # fmt: skip
    assert "START END  Python  The shortest chain of assertions" in listed["path"]
    assert "ACTOR      SPARQL  Actors with a cooperative tie to ACTOR" in listed["who-aligns-with"]


def test_query_without_a_name_shows_help(runner):
    result = run(runner, "query")
    assert result.exit_code == 0
    assert "NAME [ARGS]..." in result.output.splitlines()[0]
    assert "who-aligns-with" in result.output and "--list" in result.output


def test_query_help_explains_one_query(runner):
    result = run(runner, "query", "members-of", "--help")
    assert result.exit_code == 0
    assert "query members-of" in result.output.splitlines()[0] and "GROUP" in result.output.splitlines()[0]
    assert "Members of an organisation, or parties to an alliance, pact or agreement" in result.output
    assert "GROUP  an entity: id, label or alias" in result.output
    assert "Columns: actor, label, since, until, assertions, sources" in result.output
    assert "--as-of YYYY-MM-DD" in result.output
    [format_line] = [line for line in result.output.splitlines() if line.strip().startswith("--format")]
    assert all(name in format_line for name in ("table", "json", "csv"))


def test_who_aligns_with_serbia_as_a_table(runner):
    result = run(runner, "query", "who-aligns-with", "Serbia")
    assert result.exit_code == 0, result.output
    header, rule, *rows = result.output.splitlines()
    assert header.split() == ["actor", "label", "relation", "via", "date", "source", "assertion", "modality", "tie"]
    actors = {row.split()[0] for row in rows}
    assert {"hungary", "republika-srpska"} <= actors and "bulgaria" not in actors


def test_json_is_an_array_of_row_objects(runner):
    result = run(runner, "query", "who-stands-where", "ukraine's nato membership", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(list(row)[:6] == ["actor", "label", "position", "date", "speaker", "source"] for row in rows)
    assert {"actor": "bulgaria", "position": "supports"}.items() <= next(r for r in rows if r["actor"] == "bulgaria").items()


def test_csv_has_a_header_row_and_lists_joined(runner):
    result = run(runner, "query", "members-of", "NATO", "--as-of", "2005-01-01", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    bulgaria = next(r for r in rows if r["actor"] == "bulgaria")
    assert bulgaria["sources"] == "nato-member-countries; russia-tells-nato-get-out-of-romania-and-bulgaria"


def test_as_of_changes_the_answer(runner):
    before = run(runner, "query", "members-of", "NATO", "--as-of", "2003-01-01", "--format", "json")
    after = run(runner, "query", "members-of", "NATO", "--as-of", "2005-01-01", "--format", "json")
    assert "bulgaria" not in {r["actor"] for r in json.loads(before.output)}
    assert "bulgaria" in {r["actor"] for r in json.loads(after.output)}


def test_an_empty_answer_still_has_its_columns(runner):
    result = run(runner, "query", "who-opposes", "Serbia", "--as-of", "1990-01-01", "--format", "csv")
    assert result.exit_code == 0
    assert result.output == "actor,label,relation,via,date,source,assertion,modality,tie\n"


def test_path_takes_two_entities_in_order(runner):
    result = run(runner, "query", "path", "Republic Srpska", "hungary", "--format", "json")
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)
    assert steps[0]["from"] == "republika-srpska" and steps[-1]["to"] == "hungary"


def test_unknown_entity_is_a_one_line_error_with_suggestions(runner):
    result = run(runner, "query", "who-aligns-with", "Serbiaa")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown entity 'Serbiaa' (did you mean 'serbia'?)\n"
    assert result.stdout == ""


def test_ambiguous_entity_lists_the_candidates(runner, tiny):
    tiny.entities.append({"id": "belgrade-fortress", "label": "Belgrade", "type": "government-body"})
    result = run(runner, "query", "stance-of", "belgrade", kg=tiny.write())
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'belgrade' is ambiguous: it could be belgrade-fortress, serbia (Serbia); name one by its id\n"
    )


def test_unknown_query_lists_the_available_ones(runner):
    result = run(runner, "query", "who-align-with", "Serbia")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown query 'who-align-with' (did you mean 'who-aligns-with'")
    assert result.stderr.rstrip().endswith("who-aligns-with, who-opposes, who-stands-where")
    assert len(result.stderr.splitlines()) == 1


def test_no_chain_is_a_clean_error(runner, tiny):
    result = run(runner, "query", "path", "serbia", "croatia", kg=tiny.write())
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no chain of counted assertions links 'serbia' and 'croatia' as of ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["who-aligns-with"], "Missing argument 'ACTOR'"),
        (["who-aligns-with", "Serbia", "--as-of", "2025-13-01"], "there is no month 13"),
        (["who-aligns-with", "Serbia", "--as-of", "2025-04"], "expected a full date YYYY-MM-DD"),
        (["who-aligns-with", "Serbia", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_usage_errors_exit_2(runner, args, message):
    result = run(runner, "query", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_users_queries_folder(runner, tmp_path):
    (tmp_path / "said.rq").write_text(
        textwrap.dedent("""\
            #+ summary: Assertions with ENTITY as subject, and OTHER as object when given.
            PREFIX ag: <https://w3id.org/alliancegraph/vocab#>
            SELECT ?assertion WHERE { ?assertion ag:subject ?_entity_iri ; ag:object ?__other_iri }
            ORDER BY ?assertion
        """),
        encoding="utf-8",
    )
    listing = run(runner, "query", "--queries", str(tmp_path), "--list")
    assert "said              ENTITY [--other OTHER]  SPARQL" in listing.output
    said = ["query", "--queries", str(tmp_path), "said", "Serbia", "--other", "Croatia-Albania-Kosovo pact"]
    result = run(runner, *said, "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["assertion"] == "serbia-criticizes-croatia-albania-kosovo-declaration"
    assert [e["assertion"] for e in row["evidence"]] == [row["assertion"]]  # every row can be cited
    assert run(runner, "query", "said", "Gasic").exit_code == 1  # never loaded implicitly


def test_a_broken_user_query_is_reported_not_raised(runner, tmp_path):
    (tmp_path / "broken.rq").write_text("SELECT ?x WHERE { ?x ?p ?o }", encoding="utf-8")
    result = run(runner, "query", "--queries", str(tmp_path), "--list")
    assert result.exit_code == 1
    expected = f"Error: {tmp_path / 'broken.rq'}: missing '#+ summary: ...' (one line saying what the query answers)\n"
    assert result.stderr == expected


# -- sparql ---------------------------------------------------------------------------------


def test_sparql_runs_text_with_the_projects_prefixes(runner):
    result = run(runner, "sparql", "SELECT ?id WHERE { ?id a ag:Agreement } ORDER BY ?id", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "id",
        "bulgaria-ukraine-joint-declaration-2023",
        "croatia-albania-kosovo-defence-declaration",
        "serbia-hungary-military-cooperation-agreement",
    ]


def test_sparql_runs_a_file_and_standard_input(runner, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?label WHERE { id:serbia rdfs:label ?label }", encoding="utf-8")
    assert json.loads(run(runner, "sparql", str(path), "--format", "json").output) == [{"label": "Serbia"}]
    from_stdin = run(runner, "sparql", "-", "--format", "json", input=path.read_text(encoding="utf-8"))
    assert json.loads(from_stdin.output) == [{"label": "Serbia"}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        # What follows the colon is the engine's own explanation, its wording to change.
        ("SELECT ?x WHERE { ?x", "Error: invalid SPARQL: "),
        ("ASK { ?s ?p ?o }", "Error: not a SELECT query"),
        ("missing.rq", "Error: 'missing.rq': no such query file, and not a SPARQL query"),
    ],
)
def test_sparql_errors_are_one_clean_line(runner, query, message):
    result = run(runner, "sparql", query)
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_a_sparql_query_command_imports_neither_rdflib_nor_networkx():
    script = (
        "import sys\n"
        "from alliancegraph.cli import main\n"
        "try:\n"
        "    main(['--kg', sys.argv[1], 'query', 'who-aligns-with', 'Serbia'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('rdflib', 'networkx') if m in sys.modules))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "kg")], capture_output=True, text=True, check=True
    ).stdout
    assert "hungary" in output
    assert output.splitlines()[-1] == "[]"


def test_sparql_refuses_a_saved_query_whose_parameters_nothing_binds(runner):
    from alliancegraph.paths import builtin_queries

    result = run(runner, "sparql", str(builtin_queries() / "who-aligns-with.rq"))
    assert result.exit_code == 1
    assert "?_actor_iri" in result.stderr and "?_asof_xsd_date" in result.stderr
    assert "alliancegraph query who-aligns-with ACTOR" in result.stderr
    assert result.output.strip() == "" or "Traceback" not in result.output
