"""One renderer for every listing: a readable table, JSON or CSV.

Rows are dicts with the same keys; data goes to stdout and diagnostics to
stderr, so ``--format json`` output can be piped straight into ``jq``.

Tables are laid out by tabulate, which measures text with wcwidth (wide
East Asian characters, emoji and combining marks take their real width on
screen); cells are wrapped at spaces, hyphens and dashes, so an id breaks at
its hyphens and "Croatia–Albania–Kosovo" at its dashes, never inside a name.
Given a ``width`` (the terminal's), the table is fitted to it: the key
columns (who, what, when) stay whole and the long columns wrap, each cell at
most :data:`MAX_LINES` lines; without one (a pipe or a file) every cell is
printed whole on one line, padded as tabulate pads it but without its work
on every cell (see :func:`_padded`).

Every cell is made safe to print: control characters, escape sequences, line
and paragraph separators and the marks that reorder right-to-left text are
shown escaped (``\\x1b``, ``\\u202e``) in tables and CSV; JSON escapes them
as ``\\u001b``, so JSON alone carries the text exactly.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

__all__ = ["FORMATS", "KEY_COLUMNS", "MAX_LINES", "Table", "fit_widths", "render", "safe_text", "select_columns", "table"]

FORMATS = ("table", "json", "csv")

#: Columns that say who, what and when: a fitted table keeps them whole (up to KEY_WIDTH).
KEY_COLUMNS = frozenset({"actor", "relation", "position", "date", "since", "until", "step", "bloc", "query", "section", "key"})
#: The widest a key column is kept whole; wider ones wrap like the others.
KEY_WIDTH = 24
#: The narrowest a long column is squeezed to.
MIN_WIDTH = 16
#: Columns a fitted table leaves out first when even squeezed columns do not fit:
#: each repeats what another column leads to (the label of an id, the source of an assertion,
#: the speaker and the end of the office that "through" names).
SECONDARY = ("label", "source", "sources", "speaker", "left_office")
#: The column a secondary column repeats, where it is not left out without it.
REPEATS = {"speaker": "through", "left_office": "through"}
#: Spaces between two columns (tabulate's "simple" format).
GAP = 2
#: The most lines one cell takes in a fitted table; the rest is cut with "…".
MAX_LINES = 4

# Characters that move the cursor, ring, switch terminal modes or reorder text:
# C0 and C1 controls and DEL, line and paragraph separators, bidirectional
# marks, embeddings, overrides and isolates, and the two non-characters.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff{_BIDI}]|[\ud800-\udfff]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, keep: str = "") -> str:
    """``text`` with every character that could act on a terminal shown escaped (``\\x1b``).

    Characters in ``keep`` (e.g. a newline in CSV, where quoting carries it) stay as they are.
    """
    if keep:
        return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escaped(m), text)
    return _UNSAFE.sub(_escaped, text)


def safe_json(value: object) -> str:
    """``value`` as indented JSON, every character a terminal would act on written as ``\\uXXXX``."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    # json escapes C0 controls itself (a raw newline here is its indentation);
    # the rest of what a terminal acts on becomes \\uXXXX too.
    return _UNSAFE.sub(lambda m: m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}", text)


def select_columns(columns: Sequence[str], chosen: Sequence[str] | None) -> list[str]:
    """``chosen`` (from ``--columns``), checked against ``columns``; all of them when None."""
    if chosen is None:
        return list(columns)
    unknown = [c for c in chosen if c not in columns]
    if unknown:
        from .errors import UsageError

        raise UsageError(f"no column {', '.join(map(repr, unknown))}; the columns are: {', '.join(columns)}")
    return list(dict.fromkeys(chosen))


def render(rows: Iterable[dict], fmt: str = "table", columns: Sequence[str] | None = None, width: int | None = None) -> str:
    """Rows as text in ``fmt``; ``columns`` fixes the keys (and their order) for empty results.

    ``width`` fits a table to that many columns (a terminal's); without it a
    table prints every cell whole.
    """
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else ()))
    if fmt == "json":
        return safe_json([{c: row.get(c) for c in columns} for row in rows]) + "\n"
    if fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_text(_cell(row.get(c)), keep="\n\t") for c in columns])
        return out.getvalue()
    if fmt == "table":
        return _table(rows, columns, width)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _table_cell(value: object) -> str:
    """A cell's text on screen: list items one per line, everything else escaped."""
    if isinstance(value, (list, tuple)):
        items = [_table_cell(v) for v in value]
        return "\n".join(items) if any(items) else ""
    text = value if isinstance(value, str) else _cell(value)  # most cells are text: no conversion
    if text.isprintable():  # most cells: nothing to escape, since every character _UNSAFE matches is unprintable
        return text
    return _UNSAFE.sub(_escaped, text.replace("\t", " ").replace("\n", " "))  # safe_text, without a call per cell


def _table(rows: list[dict], columns: list[str], width: int | None) -> str:
    return table(rows, columns, width).text


@dataclass(frozen=True)
class Table:
    """A rendered table, and the columns left out to fit the width (for a note on stderr)."""

    text: str
    hidden: tuple[str, ...] = ()


#: Marks the first line of each row in a hidden first column, so lines can be put under a row.
_ROW_MARK = "\ue000"
#: How far the lines under a row (its evidence) are indented.
INDENT = 4


def table(rows: list[dict], columns: list[str], width: int | None = None, below: str | None = None) -> Table:
    """Rows as a table; fitted to ``width`` terminal columns when given (see the module docs).

    When the columns do not fit even squeezed, the SECONDARY ones (a label
    beside its id, a source beside its assertion) are left out, in that order.
    ``below`` names a row key whose items are printed on their own indented
    lines under the row (the evidence), instead of in a column.
    """
    columns = [c for c in columns if c != below]
    if not columns:
        return Table("(no rows)\n")
    cells = [[_table_cell(row.get(c)) for c in columns] for row in rows]
    widths = None
    hidden: list[str] = []
    if width is None:
        cells = [["; ".join(cell.split("\n")) for cell in row] for row in cells]  # one line per row
    else:
        columns, cells, widths, hidden = _fitted(columns, cells, width)
        cells = [[_clip(cell, w) for cell, w in zip(row, widths)] for row in cells]
    headers = [safe_text(c) for c in columns]
    if below is not None and rows:
        marked = _tabulated(["", *headers], [[_ROW_MARK, *row] for row in cells], None if widths is None else [1, *widths])
        lines = _with_lines_below(marked.splitlines(), [row.get(below) or [] for row in rows], width)
    else:
        lines = (_padded(headers, cells) if widths is None else _tabulated(headers, cells, widths)).splitlines()
    lines = [line.rstrip() for line in lines]
    if not rows:
        lines.append("(no rows)")
    return Table("\n".join(lines) + "\n", tuple(hidden))


def _tabulated(headers: list[str], cells: list[list[str]], widths: list[int] | None) -> str:
    """The table tabulate lays out, its cells wrapped to ``widths`` when given."""
    import tabulate as tabulate_module

    # tabulate pads every header by 2 (MIN_PADDING); the widths here are exact, so no padding.
    tabulate_module.MIN_PADDING = 0
    return tabulate_module.tabulate(
        cells,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        # tabulate 0.9 cannot wrap the columns of no rows (0.10 can); a header alone needs no wrapping
        maxcolwidths=widths if cells else None,
        maxheadercolwidths=widths if cells else None,
        stralign="left",
    )


def _padded(headers: list[str], cells: list[list[str]]) -> str:
    """What :func:`_tabulated` gives for cells of one line each, without wrapping: every cell
    stripped and padded to its column's width on screen (wcwidth), a rule under the headers,
    each line without the spaces at its end.

    Cells this plain need none of tabulate's work on each cell (guessing its type, looking for
    colour codes, which escaped cells never hold), which was most of the time a table of 1,000
    rows took on a pipe; a test holds the two to the same text. Escaped ASCII text takes one
    column a character, so wcwidth is asked only about other text.
    """
    rows = [headers, *([cell.strip() for cell in row] for row in cells)]
    width_of: Callable[[str], int] = len
    if not all(cell.isascii() for row in rows for cell in row):
        from wcwidth import wcswidth

        width_of = wcswidth
    widths = [max(map(width_of, column)) for column in zip(*rows)]
    rule = ["-" * w for w in widths]
    return "\n".join((" " * GAP).join([cell + " " * (width - width_of(cell)) for cell, width in zip(row, widths)]).rstrip()
                     for row in [rows[0], rule, *rows[1:]])


def _with_lines_below(lines: list[str], notes: list[list], width: int | None) -> list[str]:
    """The table's lines without the mark column, each row followed by its notes, indented."""
    strip = 1 + GAP
    out = [line[strip:] for line in lines[:2]]
    rows = iter(notes)
    pending: list = []
    for line in lines[2:]:
        if line.startswith(_ROW_MARK):
            out += _notes(pending, width)
            pending = next(rows)
        out.append(line[strip:])
    out += _notes(pending, width)
    return out


def _notes(items: list, width: int | None) -> list[str]:
    lines: list[str] = []
    for item in items:
        text = _table_cell(item)
        if width is None:
            lines.append(" " * INDENT + text)
        else:
            lines += _wrap(text, max(20, width - INDENT), initial_indent=" " * INDENT,
                           subsequent_indent=" " * (INDENT + 2))
    return lines


def _fitted(columns: list[str], cells: list[list[str]], width: int):
    """The columns kept, their cells and widths to fit ``width``, and the columns left out."""
    hidden: list[str] = []
    while True:
        widths = fit_widths([safe_text(c) for c in columns], cells, width, [c in KEY_COLUMNS for c in columns])
        droppable = [c for c in SECONDARY if c in columns and REPEATS.get(c, c) in columns and len(columns) > 1]
        if sum(widths) + GAP * (len(columns) - 1) <= width or not droppable:
            return columns, cells, widths, hidden
        index = columns.index(droppable[0])
        hidden.append(columns[index])
        columns = columns[:index] + columns[index + 1 :]
        cells = [row[:index] + row[index + 1 :] for row in cells]


def _display_width(text: str) -> int:
    from wcwidth import wcswidth

    return max((max(wcswidth(line), len(line)) for line in text.split("\n")), default=0)


def fit_widths(headers: Sequence[str], cells: Sequence[Sequence[str]], width: int, keys: Sequence[bool]) -> list[int]:
    """Each column's width so that the table fits in ``width`` terminal columns.

    Every column first gets its floor: its natural width up to KEY_WIDTH for a
    key column, up to MIN_WIDTH for the others. What room is left goes to the
    key columns first, then is shared equally among the others, none beyond
    its natural width. When even the floors do not fit, the table is wider
    than ``width``.
    """
    natural = [max([_display_width(h)] + [_display_width(row[i]) for row in cells]) for i, h in enumerate(headers)]
    room = width - GAP * (len(headers) - 1)
    if sum(natural) <= room:
        return natural
    given = [min(n, KEY_WIDTH if key else MIN_WIDTH) for n, key in zip(natural, keys)]
    for wanted in ([i for i, key in enumerate(keys) if key], [i for i, key in enumerate(keys) if not key]):
        open_ = sorted((i for i in wanted if given[i] < natural[i]), key=lambda i: natural[i])
        while open_ and room - sum(given) > 0:
            share = max(1, (room - sum(given)) // len(open_))
            i = open_.pop(0)
            given[i] = min(natural[i], given[i] + share)
    return [max(g, 1) for g in given]


def _clip(cell: str, width: int) -> str:
    """The cell wrapped to ``width`` (list items each on lines of their own) and cut to MAX_LINES, ending in "…"."""
    clipped = [wrapped for line in cell.split("\n") for wrapped in _wrap(line, width) or [""]]
    if len(clipped) > MAX_LINES:
        clipped = clipped[:MAX_LINES]
        clipped[-1] = clipped[-1][: width - 1].rstrip() + "…"
    return "\n".join(clipped)


#: Where a word may break besides after a hyphen: after an en or em dash followed by more of it
#: ("Croatia–Albania–Kosovo", as titles write names joined by dashes).
_AFTER_DASH = re.compile(r"(?<=[\u2013\u2014])(?=\w)")


def _wrap(text: str, width: int, **options: str) -> list[str]:
    """``textwrap.wrap``, breaking words after dashes as it breaks them after hyphens, so that a
    word is cut mid-letter only when no dash or hyphen falls in the line."""
    return _dash_wrapper()(width=width, **options).wrap(text)


@cache
def _dash_wrapper() -> type:
    import textwrap  # only a table fitted to a terminal wraps

    class DashWrapper(textwrap.TextWrapper):
        def _split(self, text: str) -> list[str]:  # textwrap's own chunks, each word cut after its dashes
            return [piece for chunk in super()._split(text) for piece in _AFTER_DASH.split(chunk) if piece]

    return DashWrapper
