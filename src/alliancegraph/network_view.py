"""The network as the network exports (GraphML, GEXF, CSV) write it and the pictures draw it,
built once from a selection (:mod:`alliancegraph.selection`).

Nodes are entities and every assertion is one edge from its subject to its
object, keyed by the assertion id — the graph of
:func:`alliancegraph.network.to_networkx`, reduced to the columns a Gephi user
works with and given what Gephi draws with:

* nodes: the entities the edges touch, and the focus of ``--around`` (every
  entity of the selection with ``keep_isolated``); ``label``; the data
  columns of :data:`NODE_COLUMNS`; ``size`` (see :func:`node_size`) and
  ``r``/``g``/``b`` (by entity type or by bloc, see
  :mod:`alliancegraph.palette`); ``start``/``end`` when every edge of the node
  is dated, so that the node appears with its first dated edge;
* edges: ``label`` (the relation's label); ``kind`` (see :func:`tie_kind`);
  the data columns of :data:`EDGE_COLUMNS`; ``direction`` (symmetric
  relations are undirected); ``weight``, ``statements`` and ``sources``
  (below);
  ``r``/``g``/``b`` by the relation's sign; ``start``/``end`` from the
  assertion's dates (an open end stays open).

A *tie* is what Gephi merges parallel edges into: the edges between the same
two entities (in either order when the relation is symmetric) of the same
kind. An edge's ``statements`` is the number of exported assertions that
state its tie, ``sources`` the number of sources they come from, and
``weight`` their sum, the evidence the tie rests on: 2 for a passing
mention, 4 for a tie stated three times in one article, 6 for one stated in
three. It is never 0, which Gephi drops, nor 1: Gephi Lite reads a column
of 0s and 1s as yes/no and then draws every edge alike. The relation's sign
(+1 cooperative, 0 neutral, -1 conflictual) is the ``sign`` column, not the
weight.

Text is cleaned for XML 1.0 (:func:`xml_clean`) in every network format, so
GraphML, GEXF and CSV carry the same strings. Values are strings, integers
and floats only: no lists, no booleans (GraphML readers disagree about both).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from .blocs import assign_blocs
from .errors import UsageError
from .model import Assertion, Entity, KnowledgeBase
from .network import edge_attributes, to_tie_table
from .palette import COLOR_BY, SIGN_COLORS, TYPE_COLORS, bloc_color, rgb

if TYPE_CHECKING:
    import networkx

    from .selection import Selection

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "network_graph", "node_size", "tie_kind", "xml_clean"]

#: Node data columns and their GEXF types.
NODE_COLUMNS: dict[str, str] = {"type": "string", "wikidata": "string", "bloc": "integer", "degree": "integer"}

#: Edge data columns and their GEXF types. ``cited_source`` is the id of the
#: source the assertion comes from (not "source", which is the edge's start
#: node in Gephi's CSV import).
EDGE_COLUMNS: dict[str, str] = {
    "relation": "string",
    "sign": "integer",
    "statements": "integer",
    "sources": "integer",
    "polarity": "string",
    "modality": "string",
    "assertion": "string",
    "cited_source": "string",
    "actor": "string",
    "counterpart": "string",
    "speaker": "string",
    "regarding": "string",
    "date": "string",
    "quote": "string",
}

# XML 1.0 allows tab, newline, carriage return and U+0020–U+D7FF,
# U+E000–U+FFFD, U+10000–U+10FFFF; everything else (other C0 controls,
# surrogates, U+FFFE, U+FFFF) cannot be written at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def network_graph(selection: Selection, color_by: str = "type", keep_isolated: bool = False,
                  blocs: bool = True) -> networkx.MultiDiGraph:
    """The selection as the networkx graph every network format writes (see the module docs).

    ``blocs=False`` leaves the nodes' ``bloc`` out unless they are coloured by it (a picture
    coloured by type has no use for it, and blocs of a large network take a while).
    """
    import networkx

    if color_by not in COLOR_BY:
        raise UsageError(f"unknown colouring {color_by!r}; choose from {', '.join(COLOR_BY)}")
    kb = selection.kb
    assertions = sorted(kb.assertions, key=lambda a: a.id)
    shown = set(kb.entities) if keep_isolated else {e for a in assertions for e in (a.subject, a.object)}
    shown |= {selection.focus} if selection.focus else set()
    blocs_of = assign_blocs(to_tie_table(selection.whole), selection.filters.as_of) if blocs or color_by == "bloc" else {}
    graph: networkx.MultiDiGraph = networkx.MultiDiGraph(name=xml_clean(kb.root.name))
    for entity in sorted(kb.entities.values(), key=lambda e: e.id):
        if entity.id in shown:
            graph.add_node(entity.id, **_node_attributes(entity, blocs_of.get(entity.id), color_by))
    for a in assertions:
        graph.add_edge(a.subject, a.object, key=a.id, **_edge_attributes(kb, a))
    _add_tie_support(graph)
    _add_degrees_and_intervals(graph)
    return graph


def node_size(degree: int) -> float:
    """A node's size, 2 + 2·√degree, in layout units.

    Gephi Lite draws sizes in the units of the positions (as Gephi does), and
    ForceAtlas2 with its automatic settings (scaling 10) puts a leaf some 6
    units from its neighbour and hubs tens of units apart, so these discs
    leave the edges between them visible; hubs still stand out.
    """
    return round(2 + 2 * math.sqrt(degree), 2)


def tie_kind(relation: str, polarity: str, modality: str) -> str:
    """The kind of tie an assertion makes: its relation, qualified unless it is an affirmed fact.

    ``signs``, ``signs (denied)``, ``aligns-with (intention)``: Gephi merges
    parallel edges of one kind, so a denial or a claim never adds to a fact.
    """
    qualifiers = [q for q in (polarity, modality) if q not in ("affirmed", "fact")]
    return f"{relation} ({' '.join(qualifiers)})" if qualifiers else relation


def _node_attributes(entity: Entity, bloc: int | None, color_by: str) -> dict:
    color = TYPE_COLORS[entity.type] if color_by == "type" else bloc_color(bloc)
    attributes = {"label": entity.label, "type": entity.type, "wikidata": entity.wikidata, "bloc": bloc}
    return _cleaned({**attributes, **_rgb(color)})


def _edge_attributes(kb: KnowledgeBase, a: Assertion) -> dict:
    """The compiled edge's attributes (:func:`alliancegraph.network.edge_attributes`),
    narrowed to :data:`EDGE_COLUMNS` and given what Gephi draws with."""
    compiled = edge_attributes(kb, a)
    compiled.update(cited_source=a.source, date=a.when or None)
    attributes = {column: compiled.get(column) for column in EDGE_COLUMNS}
    attributes.update(
        label=compiled["label"],
        kind=tie_kind(a.relation, a.polarity, a.modality),
        direction="undirected" if compiled["symmetric"] else "directed",
        start=compiled.get("valid_from"),
        end=compiled.get("valid_until"),
    )
    return _cleaned({**attributes, **_rgb(SIGN_COLORS[compiled["sign"]])})


def _add_tie_support(graph: networkx.MultiDiGraph) -> None:
    """Each edge's ``statements`` and ``sources``: the assertions stating its tie and their
    sources; its ``weight``, the two added up (see the module docs)."""
    ties: dict[tuple, list[dict]] = defaultdict(list)
    for source, target, data in graph.edges(data=True):
        ends = tuple(sorted((source, target))) if data["direction"] == "undirected" else (source, target)
        ties[(*ends, data["kind"])].append(data)
    for edges in ties.values():
        sources = len({data["cited_source"] for data in edges})
        for data in edges:
            data.update(weight=float(len(edges) + sources), statements=len(edges), sources=sources)


def _add_degrees_and_intervals(graph: networkx.MultiDiGraph) -> None:
    spans: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for source, target, data in graph.edges(data=True):
        for node in {source, target}:
            spans[node].append((data.get("start"), data.get("end")))
    for node, data in graph.nodes(data=True):
        degree = graph.degree(node)
        data["degree"] = degree
        data["size"] = node_size(degree)
        data.update(_cleaned(dict(zip(("start", "end"), _span(spans[node])))))


def _span(spans: list[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """A node's time: from its first edge to its last, each side only when every edge is bounded there."""
    starts = [s for s, _ in spans if s is not None]
    ends = [e for _, e in spans if e is not None]
    start = min(starts) if spans and len(starts) == len(spans) else None
    end = max(ends) if spans and len(ends) == len(spans) else None
    return start, end


def _rgb(color: str) -> dict[str, int]:
    return dict(zip("rgb", rgb(color)))


def _cleaned(attributes: dict) -> dict:
    """Absent values dropped, text cleaned for XML."""
    return {k: xml_clean(v) if isinstance(v, str) else v for k, v in attributes.items() if v is not None}
