"""Hostile labels (ESC, BEL, C1 controls, right-to-left marks, 10,000 characters) print
safely from every command that prints data, in every format."""

from __future__ import annotations

import json

import pytest

from alliancegraph.cli import main

from conftest import TinyKB, cli_runner

HOSTILE = {
    "serbia": "Serbia\x1b[2J\x1b]0;owned\x07",
    "hungary": "Hun\x07gary",
    "croatia": "\u202eairbeS\u200f",
    "albania": "Alb\x9b31mania",
    "kosovo": "K" * 9_990,
}


def hostile(kb: TinyKB) -> TinyKB:
    for entity in kb.entities:
        entity["label"] = HOSTILE.get(entity["id"], entity["label"])
    kb.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
           quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    kb.add(id="hungary-signs", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03",
           quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    return kb


def strings(value) -> set[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items))


def carries_a_label_exactly(text: str) -> bool:
    found = strings(json.loads(text))
    return any(label in s for label in HOSTILE.values() for s in found)


def raw_controls(text: str) -> list[str]:
    return [c for c in text if c != "\n" and not c.isprintable()]


@pytest.fixture
def hostile_kb(tiny):
    return hostile(tiny).write()


LISTINGS = [  # rows: table, JSON and CSV
    ["query", "who-aligns-with", "serbia", "--as-of", "2026-01-01", "--evidence"],
    ["query", "timeline", "hungary", "--as-of", "2026-01-01"],
    ["entities", "--search", "serbia"],
]
RECORDS = [["show", "serbia"], ["show", "serbia-signs"]]  # one record: text and JSON
CASES = [(c, fmt) for c in LISTINGS for fmt in ("table", "json", "csv")] + [(c, fmt) for c in RECORDS for fmt in ("text", "json")]


@pytest.mark.parametrize(("command", "fmt"), CASES, ids=lambda v: " ".join(v[:2]) if isinstance(v, list) else v)
def test_every_command_prints_hostile_labels_escaped(hostile_kb, command, fmt):
    result = cli_runner().invoke(main, ["--kg", str(hostile_kb), *command, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert raw_controls(result.stdout) == []
    if fmt == "json":
        assert carries_a_label_exactly(result.stdout)  # JSON escapes the text, and keeps it exactly


def test_diff_and_stats_print_hostile_labels_escaped(tmp_path):
    before = TinyKB(tmp_path / "before")
    before.write()
    after = hostile(TinyKB(tmp_path / "after")).write()
    runner = cli_runner()
    for args in (["diff", str(before.root), str(after)], ["diff", str(before.root), str(after), "--format", "json"],
                 ["stats", "--format", "json"]):
        result = runner.invoke(main, ["--kg", str(after), *args])
        assert result.exit_code == 0, result.output
        assert raw_controls(result.stdout) == [], args
    text = runner.invoke(main, ["--kg", str(after), "diff", str(before.root), str(after)])
    assert "Serbia\\x1b[2J" in text.stdout  # the changed label, shown escaped
    changed = runner.invoke(main, ["--kg", str(after), "diff", str(before.root), str(after), "--format", "json"])
    assert carries_a_label_exactly(changed.stdout)
