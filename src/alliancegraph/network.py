"""Compiling a knowledge base to a networkx MultiDiGraph.

Nodes are entities (``label``, ``type``, ``wikidata``); every assertion is one
edge from its subject to its object, keyed by the assertion id, carrying what
the statement node carries in RDF. Values are plain strings and numbers so
that every networkx writer can take the graph as it is.

An edge is first an :func:`edge_row` — its ends, its key and its attributes
— which is plain data: the compiled store keeps the graph beside the store
(:func:`adjacency`), so that Python queries get it without reading the
knowledge base again (:func:`graph_from_adjacency`), and beside it the
graph's ties (:func:`adjacency_ties`), all that the ``path`` and ``blocs``
queries read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Assertion, Entity, KnowledgeBase, Voices
from .tie_table import TieTable

if TYPE_CHECKING:
    import networkx

#: An edge as plain data: subject, object, key (the assertion id) and attributes.
EdgeRow = tuple[str, str, str, dict]


def edge_attributes(kb: KnowledgeBase, a: Assertion, voices: Voices | None = None) -> dict:
    """The attributes of an assertion's edge (absent values are left out); ``voices`` is what
    ``kb`` says of whose words it is, when read already (:meth:`KnowledgeBase.voices`)."""
    relation = a.rel
    voices = voices or kb.voices(a)
    attributes = {
        "assertion": a.id,
        "relation": a.relation,
        "label": relation.label,
        "sign": relation.sign,
        "symmetric": relation.symmetric,
        "polarity": a.polarity,
        "modality": a.modality,
        "fact": a.is_fact,
        "date": str(a.date) if a.date else None,
        "start": str(a.start) if a.start else None,
        "end": str(a.end) if a.end else None,
        "dated": a.dated or None,
        "valid_from": a.valid_from.isoformat() if a.valid_from else None,
        "valid_until": a.valid_until.isoformat() if a.valid_until else None,
        "dated_by": a.dated_by,
        "position": a.position,
        "tie": voices.tie,
        "stance": voices.stance,
        "actor": voices.actor,
        "counterpart": voices.counterpart,
        "speaker": a.speaker,
        "speaker_for": voices.speaker_for,
        "on_behalf_of": a.on_behalf_of,
        "regarding": a.regarding,
        "role": a.role,
        "through": voices.through.id if voices.through else None,
        "offices_held": " ".join(office.id for office in voices.offices_held) or None,
        "source": a.source,
        "quote": a.quote,
    }
    return {k: v for k, v in attributes.items() if v is not None}


def edge_row(kb: KnowledgeBase, a: Assertion, voices: Voices | None = None) -> EdgeRow:
    """An assertion's edge as plain data; ``kb`` says whom its actors and speaker stand for
    (``voices``: what it says of this assertion, when read already)."""
    return a.subject, a.object, a.id, edge_attributes(kb, a, voices)


def node_attributes(entity: Entity) -> dict:
    attributes = {"label": entity.label, "type": entity.type}
    if entity.wikidata:
        attributes["wikidata"] = entity.wikidata
    return attributes


def graph_from_rows(root: Path, entities: Iterable[Entity], rows: Iterable[EdgeRow]) -> networkx.MultiDiGraph:
    """The graph of these entities and edge rows: nodes in id order, then edges in assertion id order."""
    import networkx

    graph: networkx.MultiDiGraph = networkx.MultiDiGraph(name=str(root))
    graph.add_nodes_from((entity.id, node_attributes(entity)) for entity in sorted(entities, key=lambda e: e.id))
    for subject, target, key, attributes in sorted(rows, key=_row_key):
        graph.add_edge(subject, target, key, **attributes)
    return graph


def _row_key(row: EdgeRow) -> str:
    return row[2]


def to_networkx(kb: KnowledgeBase) -> networkx.MultiDiGraph:
    return graph_from_rows(kb.root, kb.entities.values(), (edge_row(kb, a) for a in kb.assertions))


def to_tie_table(kb: KnowledgeBase) -> TieTable:
    """The ties of :func:`to_networkx`'s graph (:mod:`alliancegraph.tie_table`), without building the graph."""
    return TieTable.of_edges(((e.id, node_attributes(e)) for e in kb.entities.values()), (edge_row(kb, a) for a in kb.assertions))


# -- the graph as plain dicts, for the cache -------------------------------------------------
#
# networkx keeps a MultiDiGraph as dicts of dicts (its documented data structure): node ->
# attributes; node -> successor -> key -> edge attributes; and the same key dicts again under
# node -> predecessor. Held as exactly those plain dicts, a cached graph is read back in one
# marshal.loads (which keeps the key dicts shared) instead of edge by edge: at 100,000
# assertions, a fraction of the time add_edges_from takes.

#: A graph's nodes, successors and predecessors, as networkx holds them.
Adjacency = tuple[dict, dict, dict]


def adjacency(entities: Iterable[Entity], rows: Iterable[EdgeRow]) -> Adjacency:
    """The dicts of :func:`graph_from_rows`'s graph, in the same order."""
    nodes = adjacency_nodes(entities)
    successors: dict[str, dict] = {node: {} for node in nodes}
    predecessors: dict[str, dict] = {node: {} for node in nodes}
    for subject, target, key, attributes in sorted(rows, key=_row_key):
        keys = successors[subject].get(target)
        if keys is None:
            keys = successors[subject][target] = predecessors[target][subject] = {}
        keys[key] = attributes
    return nodes, successors, predecessors


def adjacency_nodes(entities: Iterable[Entity]) -> dict:
    """The nodes of :func:`adjacency`'s graph of these entities, with their attributes, in id order."""
    return {entity.id: node_attributes(entity) for entity in sorted(entities, key=lambda e: e.id)}


def change_edges(graph: Adjacency, changes: Iterable[tuple[Iterable[EdgeRow], Iterable[EdgeRow]]]) -> None:
    """Apply changes, each edges removed then edges added, in place and in turn, keeping the order
    :func:`adjacency` would give.

    The order depends on the edges alone, so it is restored once, after the last change.
    """
    _, successors, predecessors = graph
    touched: set[tuple[str, str]] = set()
    for removed, added in changes:
        for subject, target, key, _ in removed:
            keys = successors[subject].get(target, {})
            keys.pop(key, None)
            if not keys:
                successors[subject].pop(target, None)
                predecessors[target].pop(subject, None)
            touched.add((subject, target))
        for subject, target, key, attributes in added:
            keys = successors[subject].get(target)
            if keys is None:
                keys = successors[subject][target] = predecessors[target][subject] = {}
            keys[key] = attributes
            touched.add((subject, target))
    # Edges come in assertion id order: key dicts by key, neighbours by their first key (every key
    # dict is in order once the touched ones are, so its first key is its least).
    for subject, target in touched:
        keys = successors[subject].get(target)
        if keys is not None:
            _reorder(keys, sorted(keys))
    for side, nodes in ((successors, {s for s, _ in touched}), (predecessors, {t for _, t in touched})):
        for node in nodes:
            neighbours = side[node]
            _reorder(neighbours, sorted(neighbours, key=lambda neighbour: next(iter(neighbours[neighbour]))))


def _reorder(mapping: dict, order: list) -> None:
    """Put a dict's items in ``order``, keeping the dict itself (and so every reference to it)."""
    items = [(key, mapping[key]) for key in order]
    mapping.clear()
    mapping.update(items)


def graph_from_adjacency(root: Path, graph: Adjacency) -> networkx.MultiDiGraph:
    """The networkx graph holding these dicts (they become the graph's own)."""
    import networkx

    built: networkx.MultiDiGraph = networkx.MultiDiGraph(name=str(root))
    own = vars(built)
    if own.get("_adj") is own.get("_succ") and all(isinstance(own.get(name), dict) for name in ("_node", "_succ", "_pred")):
        nodes, successors, predecessors = graph
        own["_node"].update(nodes)
        own["_succ"].update(successors)
        own["_pred"].update(predecessors)
    else:  # a networkx that keeps its graphs otherwise: the same graph, edge by edge
        add_edge_by_edge(built, graph)
    return built


def add_edge_by_edge(built: networkx.MultiDiGraph, graph: Adjacency) -> None:
    """Add the nodes and edges of ``graph`` through networkx's own methods, in the same order."""
    built.add_nodes_from(graph[0].items())
    for u, v, key, data in sorted(adjacency_edges(graph), key=_row_key):
        built.add_edge(u, v, key, **data)


def adjacency_edges(graph: Adjacency) -> Iterator[EdgeRow]:
    """The edges the dicts hold, as edge rows, successor by successor."""
    return ((u, v, key, data) for u, targets in graph[1].items() for v, keys in targets.items() for key, data in keys.items())


def adjacency_ties(graph: Adjacency) -> TieTable:
    """The ties of the graph these dicts hold (:mod:`alliancegraph.tie_table`)."""
    return TieTable.of_edges(graph[0].items(), adjacency_edges(graph))
