"""The README's generated parts match the registries and the commands' --help."""

from __future__ import annotations

from alliancegraph.docs import SECTIONS, render_readme

from conftest import REPO


def test_readme_generated_sections_are_up_to_date():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in SECTIONS:
        assert f"<!-- {name} -->" in readme and f"<!-- /{name} -->" in readme, name
    assert readme == render_readme(readme), "run: python -m alliancegraph.docs README.md"


def test_readme_quickstart_has_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quickstart.splitlines() if line.startswith("pip install")]
    assert commands == [
        "pip install . && alliancegraph query who-aligns-with Serbia",
        'pip install ".[test]" && python -m pytest',
    ]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")
