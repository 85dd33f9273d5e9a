"""Hostile and broken input: the loader answers every one with a clear problem naming the file.

Property-based tests generate well-formed knowledge bases (they must load and
compile) and mutate valid files (deleted keys, wrong types, broken YAML,
unknown ids, huge strings, deep nesting, binary junk, exponential aliases):
whatever comes out, ``check`` returns problems located in the file and never
raises, crashes or hangs.
"""

from __future__ import annotations

import string
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alliancegraph.dates import PartialDate
from alliancegraph.loading import MAX_DEPTH, check
from alliancegraph.vocabulary import ENTITY_TYPES, MODALITIES, POLARITIES, RELATIONS

from conftest import TinyKB

# -- the specific attacks, each in a fresh interpreter (a crash must not take pytest down) ----------


def check_in_subprocess(root: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "alliancegraph.cli", "--kg", str(root), "check"],
        capture_output=True, text=True, timeout=timeout, cwd=root,
    )


def billion_laughs(levels: int = 9) -> str:
    lines = ["assertions:", "  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


ATTACKS = {
    "deep flow nesting": "assertions: " + "[" * 200_000 + "]" * 200_000 + "\n",
    "deep block nesting": "assertions:\n" + "- " * 200_000 + "x\n",
    "deep mappings": "assertions:\n  - note: " + "{a: " * 100_000 + "b" + "}" * 100_000 + "\n",
    "billion laughs": billion_laughs(),
    "one long string repeated by alias": (
        "sources:\n  - &s {id: s, title: '" + "x" * 1_000_000 + "', kind: reference}\n"
        + "".join("  - *s\n" for _ in range(200))
    ),
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_hostile_yaml_is_refused_quickly_with_its_place(tmp_path, text):
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    result = check_in_subprocess(tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("evil.yaml:") and "YAML refused:" in first


def test_a_nesting_the_format_uses_is_not_refused(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, source="record",
             note="x" * (MAX_DEPTH + 10))  # a long line alone is no reason to refuse
    assert check(tiny.write())[1] == []


def test_anchors_and_aliases_within_reason_load(tiny):
    root = tiny.write()
    tiny.write_raw("more.yaml", """
        assertions:
          - &signing {id: b1, subject: croatia, relation: signs, object: declaration, source: record, date: 2025-03}
          - {<<: *signing, id: b2, subject: albania}
        """)
    kb, problems = check(root)
    assert problems == []
    assert {a.subject for a in kb.assertions if a.id in ("b1", "b2")} == {"croatia", "albania"}


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root)[1]]


def test_a_key_written_twice_is_an_error_not_an_overwrite(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    tiny.write()
    tiny.write_raw("twice.yaml", """
        assertions:
          - {id: c1, subject: croatia, relation: signs, object: declaration, source: record, date: 2025}
        entities:
          - {id: x-issue, label: X, type: issue}
        assertions:
          - {id: c2, subject: albania, relation: signs, object: declaration, source: record, date: 2025}
        """)
    assert problems_of(tiny.root) == ["twice.yaml:5:1: YAML syntax error: duplicate key 'assertions' (first written on line 1)"]


def test_a_source_file_that_is_not_text_is_reported_at_the_quote(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    (tiny.root / "article.txt").write_bytes(b"\xff\xfe\x00binary")
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, quote="Serbia signed")
    assert problems_of(tiny.write()) == [
        "kb.yaml:68:10: assertion a1: cannot check the quote: source 'art' file cannot be read: it is not UTF-8 text"
    ]


def test_a_source_file_name_no_file_system_holds_is_reported(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    tiny.sources[0]["file"] = "article\x00.txt"
    [problem] = problems_of(tiny.write())
    assert problem.startswith("kb.yaml:") and "source file 'article\\x00.txt' does not exist" in problem


def test_year_zero_is_an_impossible_date(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="0000-01-01", source="record")
    [problem] = problems_of(tiny.write())
    assert problem.endswith("assertion a1: date: impossible date '0000-01-01': there is no year 0")


def test_a_pasted_megabyte_does_not_flood_the_message(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="x" * 1_000_000, date=2025, source="record")
    [problem] = problems_of(tiny.write())
    assert len(problem) < 400
