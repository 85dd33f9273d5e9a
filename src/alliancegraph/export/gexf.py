"""GEXF 1.3: Gephi's own format, dynamic, valid against the official GEXF 1.3 schema.

What the file holds (http://gexf.net/1.3, with the viz extension):

* ``<graph mode="dynamic" timeformat="date">``;
* the nodes the edges touch (and the ``--around`` actor; every selected
  entity with ``keep_isolated``), with the attributes ``type``, ``wikidata``,
  ``bloc`` (the actor's alignment bloc in the whole knowledge base as of
  ``--as-of``, see :mod:`alliancegraph.blocs`) and ``degree``; the node's
  ``label``; ``viz:color`` by entity type or by bloc (palette in
  :mod:`alliancegraph.palette`) and ``viz:size`` by degree;
* one edge per assertion, ``id`` the assertion id, ``label`` the relation,
  ``kind`` the kind of tie (the relation id, qualified for anything but an
  affirmed fact: Gephi merges parallel edges of one kind), ``weight`` the
  evidence the tie rests on, its statements plus their sources (see
  :mod:`alliancegraph.network_view`); attributes ``relation``, ``sign``, ``statements``,
  ``sources``, ``polarity``, ``modality``,
  ``assertion``, ``cited_source``, ``actor``, ``counterpart``, ``speaker``,
  ``regarding``, ``date``, ``quote`` and ``direction``; ``viz:color`` and
  ``viz:shape`` by sign (cooperative solid, neutral dotted, conflictual
  dashed);
* ``start``/``end`` on edges from the assertion's dates and on nodes from
  their edges' (see :mod:`alliancegraph.network_view`), so Gephi's timeline replays how the
  alignments formed. Undated elements are always present.

Edges go from the assertion's subject. The graph is mixed: every edge says
its ``type``, ``undirected`` for a symmetric relation (aligns with,
cooperates with, meets) and ``directed`` for the others, and the graph
declares no ``defaultedgetype`` — Gephi refuses undirected edges in a graph
declared directed, and Gephi's ``mutual`` is an error there. networkx's
reader refuses mixed graphs: with ``all_directed`` every edge is directed
(``defaultedgetype="directed"``, no edge ``type``) and only ``direction``
tells the symmetric ones. No positions are written: Gephi and Gephi Lite lay
the graph out themselves (ForceAtlas2). Gephi Lite reads the file too, but
drops time. Characters XML 1.0 forbids are removed (see
:func:`alliancegraph.network_view.xml_clean`); the rest is escaped by the XML library.
networkx's own GEXF 1.3 writer is not used: its output fails the schema.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..network_view import EDGE_COLUMNS, NODE_COLUMNS, network_graph
from ..palette import SIGN_STYLES
from ..version import __version__
from ._output import write_chunks

if TYPE_CHECKING:
    import networkx

    from ..selection import Selection

__all__ = ["GEXF_NAMESPACE", "VIZ_NAMESPACE", "gexf_tree", "generate_gexf", "write_gexf"]

GEXF_NAMESPACE = "http://gexf.net/1.3"
VIZ_NAMESPACE = "http://gexf.net/1.3/viz"
GEXF_EDGE_COLUMNS = {**EDGE_COLUMNS, "direction": "string"}


def gexf_tree(selection: Selection, color_by: str = "type", keep_isolated: bool = False,
    all_directed: bool = False) -> ET.Element:
    """The GEXF document as an ElementTree element (options as in :func:`generate_gexf`)."""
    graph = network_graph(selection, color_by, keep_isolated)
    # Namespaces are declared as attributes and viz elements named "viz:…", so
    # the file gets the conventional prefixes without ElementTree's global registry.
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "xmlns:viz": VIZ_NAMESPACE, "version": "1.3"})
    root.append(_meta(selection, graph))
    default = {"defaultedgetype": "directed"} if all_directed else {}
    body = ET.SubElement(root, "graph", {**default, "mode": "dynamic", "timeformat": "date"})
    body.append(_declarations("node", NODE_COLUMNS))
    body.append(_declarations("edge", GEXF_EDGE_COLUMNS))
    nodes = ET.SubElement(body, "nodes", count=str(graph.number_of_nodes()))
    for node, data in graph.nodes(data=True):
        nodes.append(_node(node, data))
    edges = ET.SubElement(body, "edges", count=str(graph.number_of_edges()))
    for source, target, key, data in graph.edges(keys=True, data=True):
        edges.append(_edge(source, target, key, data, all_directed))
    return root


def generate_gexf(selection: Selection, color_by: str = "type", keep_isolated: bool = False,
    all_directed: bool = False) -> Iterator[str]:
    """The GEXF document as lines of text.

    ``color_by`` colours nodes by ``"type"`` or ``"bloc"``; ``keep_isolated``
    keeps the selected entities no edge touches; ``all_directed`` writes
    every edge as directed, for readers that refuse mixed graphs.
    """
    root = gexf_tree(selection, color_by, keep_isolated, all_directed)
    ET.indent(root)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield from io.StringIO(ET.tostring(root, encoding="unicode") + "\n")  # split at "\n" only


def write_gexf(
    selection: Selection, path: Path | str, color_by: str = "type", keep_isolated: bool = False, all_directed: bool = False
) -> list[Path]:
    """Write the GEXF file atomically (options as in :func:`generate_gexf`); return the path written."""
    return write_chunks(path, generate_gexf(selection, color_by, keep_isolated, all_directed))


def _meta(selection: Selection, graph: networkx.MultiDiGraph) -> ET.Element:
    meta = ET.Element("meta")
    ET.SubElement(meta, "creator").text = f"alliancegraph {__version__}"
    as_of = selection.filters.as_of
    description = f"Alignment network of the knowledge base {graph.graph['name']!r}"
    ET.SubElement(meta, "description").text = description + (f" as of {as_of.isoformat()}" if as_of else "")
    return meta


def _declarations(kind: str, columns: dict[str, str]) -> ET.Element:
    attributes = ET.Element("attributes", {"class": kind})
    for name, gexf_type in columns.items():
        ET.SubElement(attributes, "attribute", id=name, title=name, type=gexf_type)
    return attributes


def _node(node: str, data: dict) -> ET.Element:
    element = ET.Element("node", id=node, label=data["label"])
    _add_time(element, data)
    element.append(_attvalues(data, NODE_COLUMNS))
    element.append(_color(data))
    ET.SubElement(element, "viz:size", value=str(data["size"]))
    return element


def _edge(source: str, target: str, key: str, data: dict, all_directed: bool) -> ET.Element:
    element = ET.Element("edge", id=key, source=source, target=target, label=data["label"], kind=data["kind"])
    if not all_directed:
        element.set("type", data["direction"])
    element.set("weight", str(data["weight"]))
    _add_time(element, data)
    element.append(_attvalues(data, GEXF_EDGE_COLUMNS))
    element.append(_color(data))
    ET.SubElement(element, "viz:shape", value=SIGN_STYLES[data["sign"]])
    return element


def _add_time(element: ET.Element, data: dict) -> None:
    for bound in ("start", "end"):
        if bound in data:
            element.set(bound, data[bound])


def _attvalues(data: dict, columns: dict[str, str]) -> ET.Element:
    values = ET.Element("attvalues")
    for name in columns:
        if name in data:  # text is already cleaned for XML by network_graph
            ET.SubElement(values, "attvalue", {"for": name, "value": str(data[name])})
    return values


def _color(data: dict) -> ET.Element:
    return ET.Element("viz:color", r=str(data["r"]), g=str(data["g"]), b=str(data["b"]))
