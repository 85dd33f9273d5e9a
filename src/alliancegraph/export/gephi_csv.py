"""CSV for Gephi's spreadsheet import: ``nodes.csv`` and ``edges.csv`` in one folder.

Import both in Gephi with *File › Import spreadsheet* (nodes table first, then
edges table, "Append to existing workspace"); the column names are the ones
Gephi recognises:

* ``nodes.csv``: ``Id``, ``Label``, then ``type``, ``wikidata``, ``bloc``,
  ``degree`` and ``Interval`` — the entities the edges touch (and the
  ``--around`` actor; every selected entity with ``keep_isolated``);
* ``edges.csv``: ``Source``, ``Target``, ``Type`` (``Directed``, or
  ``Undirected`` for symmetric relations; ``Directed`` throughout with
  ``all_directed``), ``Kind`` (the kind of tie, see
  :func:`alliancegraph.network_view.tie_kind`, so that Gephi merges only edges of one tie),
  ``Id`` (the assertion id), ``Label``, ``Weight`` (the evidence the edge's
  tie rests on, its statements plus their sources, at least 2; the
  relation's sign is the ``sign`` column, because Gephi drops edges of
  weight 0), then ``relation``, ``sign``, ``statements``, ``sources``,
  ``polarity``, ``modality``, ``assertion``,
  ``cited_source``, ``actor``, ``counterpart``, ``speaker``, ``regarding``,
  ``date``, ``quote`` and ``Interval``.

``Interval`` is Gephi's time column, ``<[2025-04-03, 2026-02-19]>`` with
``Infinity`` for an open side, empty when undated. Files are UTF-8 with a
header row and ``\\n`` line ends; the csv module quotes every field that needs
it (commas, quotes, newlines). The text is the network formats' (characters
XML 1.0 forbids are removed, see :func:`alliancegraph.network_view.xml_clean`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..network_view import EDGE_COLUMNS, NODE_COLUMNS, network_graph
from ._output import write_chunks

if TYPE_CHECKING:
    from ..selection import Selection

__all__ = ["EDGE_HEADER", "NODE_HEADER", "csv_tables", "generate_csv", "write_csv"]

NODE_HEADER = ["Id", "Label", *NODE_COLUMNS, "Interval"]
EDGE_HEADER = ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight", *EDGE_COLUMNS, "Interval"]
FILES = {"nodes.csv": NODE_HEADER, "edges.csv": EDGE_HEADER}


def csv_tables(selection: Selection, keep_isolated: bool = False, all_directed: bool = False) -> dict[str, list[dict]]:
    """The rows of ``nodes.csv`` and ``edges.csv``, by file name (options as in :func:`write_csv`)."""
    graph = network_graph(selection, keep_isolated=keep_isolated)
    nodes = [
        {"Id": node, "Label": data["label"], **_columns(data, NODE_COLUMNS), "Interval": _interval(data)}
        for node, data in graph.nodes(data=True)
    ]
    edges = [
        {
            "Source": source,
            "Target": target,
            "Type": "Directed" if all_directed else data["direction"].capitalize(),
            "Kind": data["kind"],
            "Id": key,
            "Label": data["label"],
            "Weight": data["weight"],
            **_columns(data, EDGE_COLUMNS),
            "Interval": _interval(data),
        }
        for source, target, key, data in graph.edges(keys=True, data=True)
    ]
    return {"nodes.csv": nodes, "edges.csv": edges}


def generate_csv(rows: list[dict], header: list[str]) -> str:
    """One table as CSV text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(selection: Selection, folder: Path | str, keep_isolated: bool = False, all_directed: bool = False) -> list[Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``folder``, each atomically; return their paths.

    ``keep_isolated`` keeps the selected entities no edge touches;
    ``all_directed`` makes every edge ``Directed``.
    """
    folder = Path(folder)
    tables = csv_tables(selection, keep_isolated, all_directed)
    return [path for name, header in FILES.items() for path in write_chunks(folder / name, [generate_csv(tables[name], header)])]


def _columns(data: dict, columns: dict[str, str]) -> dict:
    return {name: data.get(name, "") for name in columns}


def _interval(data: dict) -> str:
    if "start" not in data and "end" not in data:
        return ""
    return f"<[{data.get('start', '-Infinity')}, {data.get('end', 'Infinity')}]>"
