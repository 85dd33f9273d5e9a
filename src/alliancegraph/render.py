"""One renderer for every listing: a readable table, JSON or CSV.

Rows are dicts with the same keys; data goes to stdout and diagnostics to
stderr, so ``--format json`` output can be piped straight into ``jq``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Sequence

FORMATS = ("table", "json", "csv")


def render(rows: Iterable[dict], fmt: str = "table", columns: Sequence[str] | None = None) -> str:
    """Rows as text in ``fmt``; ``columns`` fixes the keys (and their order) for empty results."""
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else ()))
    if fmt == "json":
        return json.dumps([{c: row.get(c) for c in columns} for row in rows], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
        return out.getvalue()
    if fmt == "table":
        return _table(rows, columns)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def _table(rows: list[dict], columns: list[str]) -> str:
    if not columns:
        return "(no rows)\n"
    cells = [[_cell(row.get(c)).replace("\n", " ") for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    if not rows:
        lines.append("(no rows)")
    return "\n".join(lines) + "\n"
