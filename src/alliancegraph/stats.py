"""Counts that describe a knowledge base: what ``alliancegraph stats`` prints."""

from __future__ import annotations

from collections import Counter

from .model import KnowledgeBase


def stats(kb: KnowledgeBase, triples: int | None = None) -> dict:
    """Entities by type, assertions by relation, source, polarity and modality, and graph sizes.

    ``triples`` is the size of the compiled graph when a store already holds
    it; otherwise the graph is compiled here to count them.
    """
    from .rdf import kb_lines

    edges = len(kb.assertions)
    return {
        "entities": len(kb.entities),
        "sources": len(kb.sources),
        "assertions": len(kb.assertions),
        "entities_by_type": dict(sorted(Counter(e.type for e in kb.entities.values()).items())),
        "assertions_by_relation": dict(sorted(Counter(a.relation for a in kb.assertions).items())),
        "assertions_by_source": dict(sorted(Counter(a.source for a in kb.assertions).items())),
        "assertions_by_polarity": dict(sorted(Counter(a.polarity for a in kb.assertions).items())),
        "assertions_by_modality": dict(sorted(Counter(a.modality for a in kb.assertions).items())),
        "facts": sum(a.is_fact for a in kb.assertions),
        "triples": triples if triples is not None else len(set(kb_lines(kb))),
        "nodes": len(kb.entities),
        "edges": edges,
        **export_edges(kb),
    }


def export_edges(kb: KnowledgeBase) -> dict:
    """Edges of the network exports: by default (denials, claims and opinions left out), and
    how many more ``--include-contested`` adds; ``edges`` counts every assertion."""
    from .network_view import network_graph
    from .selection import Filters, select

    default = network_graph(select(kb, Filters())).number_of_edges()
    contested = network_graph(select(kb, Filters(include_contested=True))).number_of_edges()
    return {"export_edges": default, "contested_edges": contested - default}


def stats_rows(summary: dict) -> list[dict]:
    """The summary flattened to (section, key, count) rows for table/CSV output."""
    rows = []
    for key, value in summary.items():
        if isinstance(value, dict):
            rows += [{"section": key, "key": k, "count": v} for k, v in value.items()]
        else:
            rows.append({"section": "totals", "key": key, "count": value})
    return rows
