"""The documentation's example answers are the real ones, as a terminal 100 columns wide shows them."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import REPO, run_in_terminal

README = (REPO / "README.md").read_text(encoding="utf-8")
QUERIES = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    """Each ``$ alliancegraph ...`` line of the Queries page, with the output shown under it."""
    found = []
    for block in re.findall(r"```\n(\$ alliancegraph .*?)```", QUERIES, re.DOTALL):
        for command, output in re.findall(r"^\$ (alliancegraph [^\n]*)\n(.*?)(?=^\$ |\Z)", block, re.DOTALL | re.MULTILINE):
            if "$ alliancegraph" not in command:  # two answers laid side by side are not one command's
                found.append((command, output))
    return found


def test_the_queries_page_has_examples():
    commands = [command for command, _ in examples()]
    assert any(c.startswith("alliancegraph show ") for c in commands)
    assert any(c.startswith("alliancegraph entities --search ") for c in commands)


@pytest.mark.parametrize(("command", "shown"), examples(), ids=[c for c, _ in examples()])
def test_an_example_shows_what_the_command_prints(command, shown):
    screen, stderr, _ = run_in_terminal(shlex.split(command)[1:], 100, cwd=REPO)
    # Standard output and standard error arrive apart: compare the lines, not their interleaving.
    assert sorted((screen + stderr).splitlines()) == sorted(shown.splitlines())


def test_the_quickstart_shows_the_real_answer():
    shown = README.split("it answers:\n\n```\n", 1)[1].split("```", 1)[0]
    screen, stderr, status = run_in_terminal(["query", "who-aligns-with", "Serbia", "--as-of", "2026-06-01"], 100, cwd=REPO)
    assert status == 0
    assert shown == screen + stderr
