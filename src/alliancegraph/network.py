"""Compiling a knowledge base to a networkx MultiDiGraph.

Nodes are entities (``label``, ``type``, ``wikidata``); every assertion is one
edge from its subject to its object, keyed by the assertion id, carrying what
the statement node carries in RDF. Values are plain strings and numbers so
that every networkx writer can take the graph as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Assertion, KnowledgeBase

if TYPE_CHECKING:
    import networkx


def edge_attributes(kb: KnowledgeBase, a: Assertion) -> dict:
    """The attributes of an assertion's edge (absent values are left out)."""
    relation = a.rel
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
        "tie": kb.tie_sign(a),
        "stance": kb.is_stance(a),
        "actor": kb.actor_of(a),
        "counterpart": kb.counterpart_of(a),
        "speaker": a.speaker,
        "speaker_for": kb.speaker_for(a),
        "on_behalf_of": a.on_behalf_of,
        "regarding": a.regarding,
        "role": a.role,
        "through": " ".join(office.id for office in kb.offices_through(a)) or None,
        "source": a.source,
        "quote": a.quote,
    }
    return {k: v for k, v in attributes.items() if v is not None}


def to_networkx(kb: KnowledgeBase) -> networkx.MultiDiGraph:
    import networkx

    graph: networkx.MultiDiGraph = networkx.MultiDiGraph(name=str(kb.root))
    for entity in sorted(kb.entities.values(), key=lambda e: e.id):
        attributes = {"label": entity.label, "type": entity.type}
        if entity.wikidata:
            attributes["wikidata"] = entity.wikidata
        graph.add_node(entity.id, **attributes)
    for a in sorted(kb.assertions, key=lambda a: a.id):
        graph.add_edge(a.subject, a.object, key=a.id, **edge_attributes(kb, a))
    return graph
