"""The README's generated parts match the registries and the commands' --help."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from alliancegraph.docs import SECTIONS, render_readme

from conftest import REPO


def section(text: str, name: str) -> str:
    return text.split(f"<!-- {name} -->", 1)[1].split(f"<!-- /{name} -->", 1)[0]


@pytest.mark.parametrize("name", SECTIONS)
def test_readme_generated_sections_are_up_to_date(name):
    if name == "cli-reference" and tuple(int(p) for p in version("click").split(".")[:2]) < (8, 2):
        pytest.skip("the CLI reference is click 8.2's --help layout; click 8.1 lays usage lines out otherwise")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"<!-- {name} -->" in readme and f"<!-- /{name} -->" in readme, name
    assert section(readme, name) == section(render_readme(readme), name), "run: python -m alliancegraph.docs README.md"


def test_readme_quickstart_has_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quickstart.splitlines() if line.startswith("pip install")]
    assert commands == [
        "pip install . && alliancegraph query who-aligns-with Serbia",
        'pip install ".[test]" && python -m pytest',
    ]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
