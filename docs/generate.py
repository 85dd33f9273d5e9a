"""Write the parts of the documentation that the code can say for itself.

    python docs/generate.py            rewrite every page whose generated parts differ from the code
    python docs/generate.py --check    name the parts that differ and exit 1, writing nothing

A generated part of a page sits between ``<!-- generated: NAME (python
docs/generate.py) -->`` and ``<!-- end generated -->``; everything outside the
markers is written by hand and left as it is. Each NAME is one function below
(:data:`PARTS`), and each part appears on exactly one page. A test regenerates
every part and fails when a committed page differs, so a reference cannot
drift from the registries, the saved query files, the modules' docstrings or
the commands' ``--help``.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
COMMAND = "python docs/generate.py"
PART = re.compile(
    r"(?P<start><!-- generated: (?P<name>[a-z-]+) \(python docs/generate\.py\) -->\n)"
    r"(?P<body>.*?)(?P<end><!-- end generated -->)",
    re.S,
)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(cells) + " |" for cells in rows])


def code(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


# -- the parts ---------------------------------------------------------------------------------------------


def vocabulary() -> str:
    """Relations, entity types and every closed value, from the vocabulary registry."""
    from alliancegraph.vocabulary import DATE_BASES, ENTITY_TYPES, MODALITIES, POLARITIES, POSITIONS, RELATIONS

    signs = {1: "+1 cooperative", -1: "−1 conflictual", 0: "0 neutral"}
    header = ("relation", "reads", "sign", "symmetric", "inverse", "PLOVER", "CAMEO (Goldstein)", "definition")
    relations = [
        [f"`{r.id}`", r.label, signs[r.sign], "yes" if r.symmetric else "", *(v or "" for v in (r.inverse, r.plover, r.cameo))]
        + [r.definition]
        for r in RELATIONS.values()
    ]
    parts = [
        "### Relations",
        table(header, relations),
        "### Entity types",
        table(("type", "meaning"), [(f"`{t.id}`", t.definition) for t in ENTITY_TYPES.values()]),
    ]
    for title, registry in (("Polarity", POLARITIES), ("Modality", MODALITIES), ("Date basis (`dated_by`)", DATE_BASES)):
        parts += [f"### {title}", table(("value", "meaning"), [(f"`{key}`", text) for key, text in registry.items()])]
    parts += ["### Positions (stance queries)", table(("position", "meaning"), [(f"`{k}`", v) for k, v in POSITIONS.items()])]
    return "\n\n".join(parts)


def saved_queries() -> str:
    """Every saved query: its arguments, what it answers and the columns of its rows."""
    rows = []
    for query in _saved_queries():
        columns = ", ".join(f"`{c}`" + (" (a list)" if c in query.lists else "") for c in query.columns)
        rows.append((f"`{query.name}`", query.signature, query.kind, _one_line(query.summary), columns))
    return table(("query", "arguments", "kind", "answers", "columns of each row"), rows)


def finding_columns() -> str:
    """The columns each query's rows are merged on (``#+ finding:``, ``FINDING``)."""
    rows = [(f"`{q.name}`", code(q.finding)) for q in _saved_queries() if q.finding]
    return table(("query", "finding columns"), rows)


def type_colours() -> str:
    """Node colours by entity type, shared by the Gephi exports and the pictures."""
    from alliancegraph.palette import TYPE_COLORS

    return table(("type", "colour"), [(f"`{entity_type}`", f"`{colour}`") for entity_type, colour in TYPE_COLORS.items()])


def exit_statuses() -> str:
    """What each exit status of a command means."""
    from alliancegraph.errors import EXIT_STATUSES

    return table(("status", "meaning"), [(str(status), meaning) for status, meaning in EXIT_STATUSES.items()])


def cli_reference() -> str:
    """Every command's ``--help``, as a terminal 100 columns wide shows it."""
    from click.testing import CliRunner

    from alliancegraph.cli import main

    runner = CliRunner()
    blocks = []

    def visit(command, path: list[str]) -> None:
        result = runner.invoke(main, [*path[1:], "--help"], prog_name="alliancegraph", terminal_width=100)
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(path)} --help failed: {result.output}")
        blocks.append(f"### `{' '.join(path)}`\n\n```\n{result.output.rstrip()}\n```")
        for name in sorted(getattr(command, "commands", {})):
            visit(command.commands[name], [*path, name])

    visit(main, ["alliancegraph"])
    return "\n\n".join(blocks)


def module_layout() -> str:
    """Each module of the package with the first paragraph of its docstring."""
    package = REPO / "src" / "alliancegraph"
    rows = []
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).with_suffix("").parts):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not docstring:
            raise SystemExit(f"{path.relative_to(REPO)} has no docstring: say in one line what the module holds")
        link = f"[`{name}`](../{path.relative_to(REPO).as_posix()})"
        rows.append((link, _markdown(_one_line(docstring.split("\n\n", 1)[0]))))
    return table(("module", "what it holds"), rows)


PARTS: dict[str, Callable[[], str]] = {
    "vocabulary": vocabulary,
    "saved-queries": saved_queries,
    "finding-columns": finding_columns,
    "type-colours": type_colours,
    "exit-statuses": exit_statuses,
    "cli-reference": cli_reference,
    "module-layout": module_layout,
}


def _saved_queries():
    from alliancegraph.queries import read_query

    return [read_query(path) for path in sorted((REPO / "queries").glob("*")) if path.suffix in (".rq", ".py")]


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown(text: str) -> str:
    """A docstring's reStructuredText roles and literals as Markdown code."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text)
    return re.sub(r"``([^`]+)``", r"`\1`", text)


# -- the pages ---------------------------------------------------------------------------------------------


def parts_in(text: str) -> list[str]:
    return [match["name"] for match in PART.finditer(text)]


@functools.cache
def generated(name: str) -> str:
    if name not in PARTS:
        raise SystemExit(f"unknown generated part {name!r}; the parts are: {', '.join(PARTS)}")
    return PARTS[name]()


def render(text: str) -> str:
    """``text`` with every generated part as the code says it now."""
    # A function replacement: the generated text is inserted as it is, never read as a template.
    return PART.sub(lambda m: f"{m['start']}{generated(m['name'])}\n{m['end']}", text)


def stale(pages: list[Path] = PAGES) -> Iterator[tuple[Path, str]]:
    """Each (page, part) whose committed text differs from what the code generates."""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        committed = {m["name"]: m["body"] for m in PART.finditer(text)}
        for name, body in committed.items():
            if body != generated(name) + "\n":
                yield page, name


def main(argv: list[str]) -> int:
    if argv not in ([], ["--check"]):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    differing = list(stale())
    for page, name in differing:
        print(f"{page.relative_to(REPO)}: {name} differs from the code", file=sys.stderr)
    if argv == ["--check"]:
        return 1 if differing else 0
    from alliancegraph.files import write_atomic

    for page in sorted({page for page, _ in differing}):
        write_atomic(page, render(page.read_text(encoding="utf-8")))
        print(f"rewrote {page.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
