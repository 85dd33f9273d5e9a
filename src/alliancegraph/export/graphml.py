"""GraphML: the XML graph format Gephi, yEd, Cytoscape, igraph and networkx all read.

Every attribute of the shared network graph (see :mod:`._network`) is a
declared, typed ``<key>`` (``attr.name`` label, type, relation, sign, …;
``attr.type`` string, long or double), so readers get typed columns. Gephi
also picks up ``label``, ``size``, ``r``/``g``/``b`` and ``weight``. Every edge
carries its assertion id as its unique ``id``.

Limits: GraphML values are scalars, so nothing is a list (an entity's aliases
are in the RDF exports, not here); there are no booleans (``direction`` is the
text ``directed`` or ``undirected``, because the file's edges are all
directed: networkx cannot write GraphML's per-edge ``directed``); time is
plain ``start``/``end`` text, which Gephi ignores in GraphML (use GEXF for its
timeline). Characters XML 1.0 forbids (C0 controls other than tab, newline
and carriage return; U+FFFE, U+FFFF) are removed; everything else is escaped,
though a carriage return in a value reads back as a newline (XML normalises
line ends in element text).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ._network import network_graph
from ._output import write_chunks

if TYPE_CHECKING:
    from .filters import Selection

__all__ = ["generate_graphml", "write_graphml"]


def generate_graphml(selection: "Selection", color_by: str = "type") -> Iterator[str]:
    """The selection as GraphML lines."""
    import networkx

    graph = network_graph(selection, color_by)
    for line in networkx.generate_graphml(graph, edge_id_from_attribute="assertion"):
        yield line + "\n"


def write_graphml(selection: "Selection", path: Path | str, color_by: str = "type") -> list[Path]:
    """Write the GraphML file atomically; return the path written."""
    return write_chunks(path, generate_graphml(selection, color_by))
