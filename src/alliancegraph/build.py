"""``alliancegraph build``: validate, compile and write every output into a folder."""

from __future__ import annotations

from pathlib import Path

from .model import KnowledgeBase


def build(kb: KnowledgeBase, out: Path) -> list[Path]:
    """Write every export format into ``out``, each file atomically; return the paths written.

    The files are named by :data:`alliancegraph.export.FORMATS`: graph.ttl,
    graph.jsonld, graph.nt, graph.graphml, graph.gexf and csv/nodes.csv,
    csv/edges.csv.
    """
    from .export import build_all

    return build_all(kb, Path(out))
