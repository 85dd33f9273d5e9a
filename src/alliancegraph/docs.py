"""Generated parts of the documentation: the vocabulary tables and the CLI reference.

``python -m alliancegraph.docs docs/*.md`` rewrites the sections between
``<!-- name -->`` and ``<!-- /name -->`` markers in the pages; a test fails
when the committed pages differ from what this module generates, so the
documentation cannot drift from the registries and the ``--help`` texts.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

from .vocabulary import DATE_BASES, ENTITY_TYPES, MODALITIES, POLARITIES, POSITIONS, RELATIONS


def relations_table() -> str:
    lines = [
        "| relation | reads | sign | symmetric | inverse | PLOVER | CAMEO (Goldstein) | definition |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in RELATIONS.values():
        sign = {1: "+1 cooperative", -1: "−1 conflictual", 0: "0 neutral"}[r.sign]
        lines.append(
            f"| `{r.id}` | {r.label} | {sign} | {'yes' if r.symmetric else ''} | {r.inverse or ''} "
            f"| {r.plover or ''} | {r.cameo or ''} | {r.definition} |"
        )
    return "\n".join(lines)


def vocabulary_tables() -> str:
    parts = ["### Relations", "", relations_table(), "", "### Entity types", ""]
    parts += ["| type | meaning |", "|---|---|"]
    parts += [f"| `{t.id}` | {t.definition} |" for t in ENTITY_TYPES.values()]
    for title, registry in (("Polarity", POLARITIES), ("Modality", MODALITIES), ("Date basis (`dated_by`)", DATE_BASES)):
        parts += ["", f"### {title}", "", "| value | meaning |", "|---|---|"]
        parts += [f"| `{key}` | {text} |" for key, text in registry.items()]
    parts += ["", "### Positions (stance queries)", "", "| position | meaning |", "|---|---|"]
    parts += [f"| `{key}` | {text} |" for key, text in POSITIONS.items()]
    return "\n".join(parts)


def cli_reference() -> str:
    """Every command's ``--help``, as the user sees it."""
    from click.testing import CliRunner

    from .cli import main

    runner = CliRunner()
    blocks = []

    def visit(command, path: list[str]) -> None:
        result = runner.invoke(main, [*path[1:], "--help"], prog_name="alliancegraph", terminal_width=100)
        blocks.append(f"### `{' '.join(path)}`\n\n```\n{result.output.rstrip()}\n```")
        for name in sorted(getattr(command, "commands", {})):
            visit(command.commands[name], [*path, name])

    visit(main, ["alliancegraph"])
    return "\n\n".join(blocks)


SECTIONS = {"vocabulary": vocabulary_tables, "cli-reference": cli_reference}


def _replace_section(section: str, match: re.Match[str]) -> str:
    return match.group(1) + section + "\n" + match.group(2)


def render_readme(text: str) -> str:
    """README text with every generated section brought up to date."""
    for name, generate in SECTIONS.items():
        pattern = re.compile(rf"(<!-- {name} -->\n)(?:.*?\n)?(<!-- /{name} -->)", re.S)
        # A function replacement: the generated text is inserted as it is, never read as a template.
        text = pattern.sub(functools.partial(_replace_section, generate()), text)
    return text


def main(argv: list[str] | None = None) -> int:
    from .files import write_atomic

    for path in map(Path, argv or sorted(map(str, Path("docs").glob("*.md")))):
        write_atomic(path, render_readme(path.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
