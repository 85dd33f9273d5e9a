"""The foundation commands through click's CliRunner: check, build, entities, stats, --kg."""

from __future__ import annotations

import json

import pytest
import rdflib

from alliancegraph import __version__
from alliancegraph.cli import main

from conftest import cli_runner


@pytest.fixture
def runner():
    return cli_runner()


@pytest.fixture
def kb(tiny):
    tiny.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    return tiny.write()


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"alliancegraph, version {__version__}\n"


def test_check_clean(runner, kb):
    result = runner.invoke(main, ["--kg", str(kb), "check"])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output
    assert "2 assertions (2 facts)" in result.output  # one curated, one office


def test_check_reports_problems_with_exit_1(runner, tiny):
    tiny.add(id="bad", subject="serbiaa", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement")
    result = runner.invoke(main, ["--kg", str(tiny.write()), "check"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].endswith("assertion bad: unknown entity 'serbiaa' (did you mean 'serbia'?)")
    assert lines[0].split(":")[0].endswith("kb.yaml")
    assert lines[-1] == "Error: 1 problem in the knowledge base"
    assert "Traceback" not in result.output


def test_check_usage_error_exits_2(runner, kb):
    result = runner.invoke(main, ["--kg", str(kb), "check", "--no-such-option"])
    assert result.exit_code == 2


def test_missing_knowledge_base_folder(runner, tmp_path):
    result = runner.invoke(main, ["--kg", str(tmp_path / "nowhere"), "check"])
    assert result.exit_code == 1
    assert "no such knowledge base folder or file" in result.stderr


PATH_OPTIONS = {
    "--kg": ["--kg", "{path}", "check"],
    "build -o": ["--kg", "{kb}", "build", "-o", "{path}"],
    "export -o": ["--kg", "{kb}", "export", "-f", "turtle", "-o", "{path}"],
    "draw -o": ["--kg", "{kb}", "draw", "-o", "{path}"],
    "schema --out": ["--kg", "{kb}", "schema", "--write", "--out", "{path}"],
    "suggest ARTICLE": ["--kg", "{kb}", "suggest", "{path}"],
    "suggest --write": ["--kg", "{kb}", "suggest", "{kb}/article.txt", "--write", "{path}"],
    "query --queries": ["--kg", "{kb}", "query", "--queries", "{path}", "who-aligns-with", "serbia"],
}


@pytest.mark.parametrize("arguments", PATH_OPTIONS.values(), ids=PATH_OPTIONS.keys())
@pytest.mark.parametrize("path, reason", [("", "an empty path names no file or folder"), ("x" * 5000, "file name too long")],
                         ids=["empty", "too long"])
def test_a_path_that_names_nothing_usable_is_a_usage_error(runner, kb, tmp_path, monkeypatch, arguments, path, reason):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # '' would have meant this folder: nothing may be written here
    result = runner.invoke(main, [a.format(kb=kb, path=path) for a in arguments])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.splitlines()[-1].endswith(reason)
    assert list(work.iterdir()) == []


def test_kg_from_environment(runner, kb):
    result = runner.invoke(main, ["entities", "--type", "agreement", "--format", "json"], env={"ALLIANCEGRAPH_KG": str(kb)})
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.output)] == ["declaration", "srb-hun"]


def test_entities_formats(runner, kb):
    table = runner.invoke(main, ["--kg", str(kb), "entities", "--type", "state"])
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["id", "label", "type", "wikidata", "aliases", "part_of"]
    assert "serbia" in table.output and "Belgrade" in table.output
    csv_out = runner.invoke(main, ["--kg", str(kb), "entities", "--format", "csv"])
    assert csv_out.output.splitlines()[0] == "id,label,type,wikidata,aliases,part_of"
    bad = runner.invoke(main, ["--kg", str(kb), "entities", "--type", "planet"])
    assert bad.exit_code == 2
    assert "'planet'" in bad.output and "--type" in bad.output and "Traceback" not in bad.output


def test_stats_json(runner, kb):
    result = runner.invoke(main, ["--kg", str(kb), "stats", "--format", "json"])
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["assertions"] == 2
    assert summary["assertions_by_relation"] == {"holds-office": 1, "signs": 1}
    assert summary["assertions_by_source"] == {"art": 1, "record": 1}
    assert summary["entities_by_type"]["state"] == 5
    assert summary["nodes"] == 13 and summary["edges"] == 2
    assert summary["triples"] > 100


def test_stats_table(runner, kb):
    result = runner.invoke(main, ["--kg", str(kb), "stats"])
    assert result.exit_code == 0
    rows = [line.split() for line in result.output.splitlines()]
    assert result.output.splitlines()[0] == f"Knowledge base: {kb} (--kg)"
    assert rows[1] == ["section", "key", "count"]
    assert ["assertions_by_relation", "signs", "1"] in rows
    assert ["totals", "assertions", "2"] in rows


def test_build_writes_turtle(runner, kb, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["--kg", str(kb), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(out / "graph.ttl")
    assert len(graph) > 100


def test_build_refuses_a_broken_knowledge_base(runner, tiny, tmp_path):
    tiny.add(id="bad", subject="nobody", relation="signs", object="srb-hun", date="2025", quote="Serbia")
    out = tmp_path / "out"
    result = runner.invoke(main, ["--kg", str(tiny.write()), "build", "--out", str(out)])
    assert result.exit_code == 1
    assert not (out / "graph.ttl").exists()
