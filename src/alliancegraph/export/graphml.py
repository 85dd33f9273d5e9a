"""GraphML: the XML graph format Gephi, yEd, Cytoscape and igraph read (networkx: with ``all_directed``).

Every attribute of the shared network graph (see :mod:`alliancegraph.network_view`) is a
declared, typed ``<key>`` (``attr.name`` label, type, relation, sign, …;
``attr.type`` string, long or double), so readers get typed columns. Gephi
also picks up ``label``, ``size``, ``r``/``g``/``b`` and ``weight`` (the
evidence the edge's tie rests on, see :mod:`alliancegraph.network_view`). Every edge carries
its assertion id as its unique ``id``.

The graph is ``edgedefault="directed"`` and an edge of a symmetric relation
says ``directed="false"``, as GraphML allows; Gephi draws it as a line.
networkx's writer cannot write that attribute, so it is set on the tree
networkx's writer builds; networkx's reader refuses such mixed graphs, so
``all_directed`` leaves it out, and then only the ``direction`` text
(``directed`` or ``undirected``) tells the symmetric ones.

Limits: GraphML values are scalars, so nothing is a list (an entity's aliases
are in the RDF exports, not here); there are no booleans (``direction`` is
text); time is plain ``start``/``end`` text, which Gephi ignores in GraphML
(use GEXF for its timeline). Characters XML 1.0 forbids (C0 controls other
than tab, newline and carriage return; U+FFFE, U+FFFF) are removed;
everything else is escaped, though a carriage return in a value reads back
as a newline (XML normalises line ends in element text).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..network_view import network_graph
from ._output import write_chunks

if TYPE_CHECKING:
    from ..selection import Selection

__all__ = ["generate_graphml", "write_graphml"]


def generate_graphml(
    selection: Selection, color_by: str = "type", keep_isolated: bool = False, all_directed: bool = False
) -> Iterator[str]:
    """The selection as GraphML lines (options as in :func:`alliancegraph.export.gexf.generate_gexf`)."""
    from networkx.readwrite.graphml import GraphMLWriter

    graph = network_graph(selection, color_by, keep_isolated)
    writer = GraphMLWriter(edge_id_from_attribute="assertion")
    writer.add_graph_element(graph)
    if not all_directed:
        undirected = {key for *_, key, data in graph.edges(keys=True, data=True) if data["direction"] == "undirected"}
        for edge in writer.xml.iter("edge"):
            if edge.get("id") in undirected:
                edge.set("directed", "false")
    for line in str(writer).splitlines():
        yield line + "\n"


def write_graphml(
    selection: Selection, path: Path | str, color_by: str = "type", keep_isolated: bool = False, all_directed: bool = False
) -> list[Path]:
    """Write the GraphML file atomically; return the path written."""
    return write_chunks(path, generate_graphml(selection, color_by, keep_isolated, all_directed))
