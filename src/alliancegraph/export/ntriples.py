"""N-Triples: one triple per line, the simplest RDF format and the one every triple store loads.

Lines are sorted and unique, which makes the file canonical for the graph
(it has no blank nodes): the same knowledge base gives the same bytes, and a
changed assertion changes only its own lines. Literals escape quotes,
backslashes and every control character (``\\n``, ``\\u0000``, ``\\uFFFE``…),
so any text survives; nothing is stripped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ._output import write_chunks
from ._rdf import sorted_lines

if TYPE_CHECKING:
    from ..selection import Selection

__all__ = ["generate_ntriples", "write_ntriples"]


def generate_ntriples(selection: Selection) -> Iterator[str]:
    """The selected graph as sorted, unique N-Triples lines."""
    yield from sorted_lines(selection)


def write_ntriples(selection: Selection, path: Path | str) -> list[Path]:
    """Write the N-Triples file atomically; return the path written."""
    return write_chunks(path, generate_ntriples(selection))
