"""The documentation holds together: generated parts match the code, every relative link leads somewhere."""

from __future__ import annotations

import importlib.util
import re
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import REPO


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_docs", REPO / "docs" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = load_generator()
PAGES = generate.PAGES


def test_every_generated_part_is_on_exactly_one_page():
    placed = [(page, name) for page in PAGES for name in generate.parts_in(page.read_text(encoding="utf-8"))]
    assert sorted(name for _, name in placed) == sorted(generate.PARTS)


@pytest.mark.parametrize("name", generate.PARTS)
def test_a_generated_part_is_what_the_code_says_now(name):
    if name == "cli-reference" and tuple(int(p) for p in version("click").split(".")[:2]) < (8, 2):
        pytest.skip("the CLI reference is click 8.2's --help layout; click 8.1 lays usage lines out otherwise")
    (page,) = [page for page in PAGES if name in generate.parts_in(page.read_text(encoding="utf-8"))]
    text = page.read_text(encoding="utf-8")
    part = next(m for m in generate.PART.finditer(text) if m["name"] == name)
    assert part["body"] == generate.generated(name) + "\n", (
        f"{page.relative_to(REPO)}: the generated part {name!r} differs from the code; run: {generate.COMMAND}"
    )


def test_regenerating_a_page_changes_only_its_generated_parts():
    page = REPO / "docs" / "exports.md"
    text = page.read_text(encoding="utf-8")
    stale = text.replace("| `state` | `#0072B2` |", "| `state` | `#000000` |")
    assert stale != text
    assert generate.render(stale) == generate.render(text)
    hand_edited = text.replace("Node colours by entity type", "Node colours by their entity type")
    assert generate.render(hand_edited) == generate.render(text).replace(
        "Node colours by entity type", "Node colours by their entity type"
    )


def test_the_check_names_a_stale_part_and_the_page(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Hand-written.\n\n<!-- generated: exit-statuses (python docs/generate.py) -->\n| old |\n<!-- end generated -->\n",
        encoding="utf-8",
    )
    assert list(generate.stale([page])) == [(page, "exit-statuses")]
    rendered = generate.render(page.read_text(encoding="utf-8"))
    assert rendered.startswith("Hand-written.\n\n<!-- generated: exit-statuses")
    assert "| 3 | an internal error" in rendered and "| old |" not in rendered


def test_an_unknown_part_is_refused():
    with pytest.raises(SystemExit, match="unknown generated part"):
        generate.render("<!-- generated: no-such-part (python docs/generate.py) -->\n<!-- end generated -->")


def test_readme_quickstart_has_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quickstart.splitlines() if line.startswith("pip install")]
    assert commands == [
        "pip install . && alliancegraph query who-aligns-with Serbia",
        'pip install ".[test]" && python -m pytest',
    ]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")



def test_every_environment_variable_the_code_reads_is_in_the_cli_reference():
    code = "".join(path.read_text(encoding="utf-8") for path in (REPO / "src" / "alliancegraph").rglob("*.py"))
    read = set(re.findall(r"\"(ALLIANCEGRAPH_[A-Z_]+)\"", code))
    documented = (REPO / "docs" / "cli.md").read_text(encoding="utf-8").split("## Environment variables", 1)[1]
    documented = documented.split("\n## ", 1)[0]
    assert read and {name for name in read if f"| `{name}` |" not in documented} == set()

# -- links ---------------------------------------------------------------------------------------------------

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+?)\s*#*$", re.M)


def prose(text: str) -> str:
    """The text outside code blocks, code spans kept as their content (a heading's slug reads it)."""
    return FENCE.sub("", text)


def slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(prose(page.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(page: Path) -> list[str]:
    text = CODE_SPAN.sub(lambda m: m.group(0).replace("[", "").replace("]", ""), prose(page.read_text(encoding="utf-8")))
    return [target for target in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


def test_the_link_checker_sees_links_anchors_and_code():
    assert slug("Date basis (`dated_by`)") == "date-basis-dated_by"
    assert slug("Safety: what the tool refuses, and what it never does") == "safety-what-the-tool-refuses-and-what-it-never-does"
    assert "as-of-a-date" in anchors(REPO / "docs" / "queries.md")
    assert "the-graph" in anchors(REPO / "docs" / "graph.md")
    assert "docs/queries.md" in links(REPO / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_every_relative_link_leads_to_a_file_and_heading(page):
    broken = []
    for target in links(page):
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        if not destination.is_relative_to(REPO) or not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (destination.suffix != ".md" or anchor not in anchors(destination)):
            broken.append(f"{target}: no heading #{anchor}")
    assert not broken, f"{page.relative_to(REPO)}: " + "; ".join(broken)


def test_every_page_is_reachable_from_the_index():
    listed = {(REPO / "docs" / target.partition("#")[0]).resolve() for target in links(REPO / "docs" / "index.md")}
    assert set(PAGES[1:]) - {REPO / "docs" / "index.md"} <= listed
