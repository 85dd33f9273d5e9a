"""The Python API page's examples run, and print what the page shows (docs/python-api.md)."""

from __future__ import annotations

import doctest
import re

from conftest import REPO

PAGE = REPO / "docs" / "python-api.md"


def examples_only(markdown: str) -> str:
    """The page with everything but its ```pycon blocks blanked, line for line (so that a
    failure names the page's own line, and prose or a closing fence is never read as output)."""
    kept = ["" for _ in markdown.splitlines()]
    for block in re.finditer(r"^```pycon\n(.*?)^```$", markdown, re.DOTALL | re.MULTILINE):
        first = markdown.count("\n", 0, block.start(1))
        for offset, line in enumerate(block.group(1).splitlines()):
            kept[first + offset] = line
    return "\n".join(kept) + "\n"


def test_the_python_api_page_runs_as_shown(monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    monkeypatch.chdir(REPO)  # open() finds kg/ from here, as the page says
    text = examples_only(PAGE.read_text(encoding="utf-8"))
    page = doctest.DocTestParser().get_doctest(text, {}, PAGE.name, str(PAGE), 0)
    assert len(page.examples) > 30 and any(e.exc_msg for e in page.examples)  # answers and errors alike
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(page)  # prints each failure, with its line on the page
    assert runner.summarize(verbose=False) == (0, len(page.examples))
