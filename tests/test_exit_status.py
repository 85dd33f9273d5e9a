"""Exit statuses that mean something, and inputs that used to crash the tool.

0 done, 1 problems in the data (or a disk, a file, a server that refused), 2 a
usage error, 3 an internal error: a bug, said in one line with the way to see
its traceback. Every input below once ended in a traceback (and exit status 1,
like a data error); each now ends in a located problem or a right answer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import alliancegraph.stats
from alliancegraph.cli import main
from alliancegraph.errors import EXIT_INTERNAL, EXIT_PROBLEM, EXIT_STATUSES, EXIT_USAGE
from alliancegraph.loading import check
from alliancegraph.parsing import MAX_FILE_BYTES, parse_file

from conftest import REPO, cli_runner

SEED = REPO / "seeds" / "2025-04-bulgaria-denies-joining-balkan-military-alliance.txt"


def run(*arguments: str, cwd: Path | None = None, stdout=subprocess.PIPE, env: dict | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """The command line in a fresh interpreter, as a user runs it (a crash cannot take pytest down)."""
    return subprocess.run([sys.executable, "-m", "alliancegraph.cli", *arguments], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, errors="replace", timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})})


def small_kb(folder: Path, entity_extra: str = "", source_extra: str = "", date: str = "2025") -> Path:
    """A knowledge base of one file: Serbia aligns with Hungary, with a place for hostile values."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kb.yaml").write_text(
        "sources:\n"
        f"  - {{id: rec, title: Records, kind: reference{source_extra}}}\n"
        "entities:\n"
        f"  - {{id: serbia, label: Serbia, type: state{entity_extra}}}\n"
        "  - {id: hungary, label: Hungary, type: state}\n"
        "assertions:\n"
        f"  - {{id: a1, subject: serbia, relation: aligns-with, object: hungary, date: {date}, source: rec}}\n",
        encoding="utf-8",
    )
    return folder


# -- an internal error is told apart from a data error -------------------------------------------


def broken_stats(*arguments, **options):
    raise RuntimeError("a bug planted by the test")


def test_an_internal_error_exits_3_with_one_line_and_a_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(alliancegraph.stats, "stats", broken_stats)
    monkeypatch.delenv("ALLIANCEGRAPH_DEBUG", raising=False)
    result = cli_runner().invoke(main, ["--kg", str(small_kb(tmp_path / "kb")), "stats"])
    assert result.exit_code == EXIT_INTERNAL == 3
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: internal error (RuntimeError: a bug planted by the test)")
    assert "--debug" in line and "ALLIANCEGRAPH_DEBUG" in line
    assert "Traceback" not in result.output


def test_the_documented_statuses_are_the_ones_commands_end_with(tmp_path):
    assert list(EXIT_STATUSES) == [0, EXIT_PROBLEM, EXIT_USAGE, EXIT_INTERNAL] == [0, 1, 2, 3]
    kg = ["--kg", str(small_kb(tmp_path / "kb"))]
    assert cli_runner().invoke(main, [*kg, "check"]).exit_code == 0
    assert cli_runner().invoke(main, [*kg, "query", "who-aligns-with", "Atlantis"]).exit_code == EXIT_PROBLEM
    assert cli_runner().invoke(main, [*kg, "stats", "--no-such-option"]).exit_code == EXIT_USAGE
    assert cli_runner().invoke(main, [*kg, "query", "no-such-query"]).exit_code == EXIT_PROBLEM
    assert cli_runner().invoke(main, [*kg, "query", "who-aligns-with"]).exit_code == EXIT_USAGE


@pytest.mark.parametrize("how", ["--debug", "ALLIANCEGRAPH_DEBUG"])
def test_debug_shows_the_internal_error_itself(tmp_path, monkeypatch, how):
    monkeypatch.setattr(alliancegraph.stats, "stats", broken_stats)
    arguments = ["--kg", str(small_kb(tmp_path / "kb")), "stats"]
    if how == "--debug":
        arguments.insert(0, "--debug")
    else:
        monkeypatch.setenv("ALLIANCEGRAPH_DEBUG", "1")
    result = cli_runner().invoke(main, arguments)
    assert isinstance(result.exception, RuntimeError) and str(result.exception) == "a bug planted by the test"


def test_data_problems_and_usage_errors_keep_their_statuses(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kb.yaml").write_text("assertions: [\n", encoding="utf-8")
    assert cli_runner().invoke(main, ["--kg", str(broken), "check"]).exit_code == 1
    assert cli_runner().invoke(main, ["--kg", str(broken), "query", "who-aligns-with"]).exit_code == 2
    assert cli_runner().invoke(main, ["--kg", str(broken), "export", "-f", "nope"]).exit_code == 2


# -- output that cannot be written ---------------------------------------------------------------

FULL = Path("/dev/full")
WRITERS = {
    "check": ["check"],
    "stats": ["stats"],
    "entities": ["entities"],
    "ontology": ["ontology"],
    "query": ["query", "who-aligns-with", "Serbia"],
    "export": ["export", "-f", "turtle"],
    "suggest": ["suggest", str(SEED)],
}


@pytest.mark.skipif(not FULL.exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("command", WRITERS.values(), ids=WRITERS.keys())
def test_a_full_disk_on_standard_output_is_one_line(command):
    with open(FULL, "w") as full:
        result = run("--kg", str(REPO / "kg"), *command, stdout=full)
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.splitlines() == ["Error: cannot write the output: no space left on device"]


def test_a_reader_that_goes_away_ends_the_command_quietly():
    process = subprocess.Popen([sys.executable, "-m", "alliancegraph.cli", "--kg", str(REPO / "kg"), "export", "-f",
                                "ntriples"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader (`| head`) is gone before the first line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


# -- values that crashed the store or the checker --------------------------------------------------

HUGE = "9" * 5000
HUGE_HEX = "0x" + "f" * 5000


def test_an_explicit_timestamp_is_a_date_like_any_other(tmp_path):
    root = small_kb(tmp_path / "kb", source_extra=", published: !!timestamp 2025-01-01")
    assert check(root)[1] == []
    result = run("--kg", str(root), "query", "who-aligns-with", "Serbia", "--format", "csv")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[1].startswith("hungary,Hungary,aligns-with")


HOSTILE_VALUES = {
    "recursive alias": (dict(entity_extra=", description: &a [*a]"), r"kb\.yaml:4:\d+: YAML refused: an alias refers"),
    "huge integer": (dict(entity_extra=f", description: {HUGE}"), r"kb\.yaml:4:\d+: YAML value error: an integer"),
    "huge hexadecimal integer": (dict(entity_extra=f", description: {HUGE_HEX}"), r"kb\.yaml:4:\d+: YAML value error"),
    "huge integer as a date": (dict(date=HUGE_HEX), r"kb\.yaml:7:\d+: YAML value error: an integer"),
    "huge integer as a key": (dict(entity_extra=f",\n      ? {HUGE_HEX}\n      : 1"), r"kb\.yaml:\d+:\d+: YAML value error"),
    "float that is not one": (dict(entity_extra=", description: !!float abc"), r"kb\.yaml:4:\d+: YAML value error: 'abc'"),
}


@pytest.mark.parametrize("command", [["check"], ["query", "who-aligns-with", "Serbia"], ["stats"]])
@pytest.mark.parametrize("values, located", HOSTILE_VALUES.values(), ids=HOSTILE_VALUES.keys())
def test_hostile_values_are_located_problems_for_every_command(tmp_path, values, located, command):
    root = small_kb(tmp_path / "kb", **values)
    result = run("--kg", str(root), *command, cwd=root)
    assert result.returncode == 1, result.stderr[-2000:]
    assert re.match(located, result.stderr), result.stderr[:500]
    assert result.stderr.splitlines()[-1] == "Error: 1 problem in the knowledge base"


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    sparse = tmp_path / "big.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    tracemalloc.start()
    try:
        parsed = parse_file(sparse)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(parsed.syntax).endswith("big.yaml:1:1: cannot read file: it is larger than 64 MiB")
    assert peak < MAX_FILE_BYTES // 8


@pytest.mark.parametrize("command", [["query", "who-aligns-with", "Serbia"], ["build", "-o", "out"], ["stats"]])
def test_a_folder_name_that_is_not_utf8_works(tmp_path, command):
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    root = small_kb(folder)
    result = run("--kg", str(root), *command, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_reads_a_revision_holding_an_absolute_symlink(tmp_path):
    repo = tmp_path / "repo"
    root = small_kb(repo / "kg")
    (root / "passwords.txt").symlink_to("/etc/passwd")
    (root / "climbing.txt").symlink_to("../../outside.txt")
    for arguments in (["init", "-q"], ["add", "."], ["commit", "-qm", "links"]):
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *arguments],
                       check=True, capture_output=True)
    result = run("--kg", str(root), "diff", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == "No differences.\n"
