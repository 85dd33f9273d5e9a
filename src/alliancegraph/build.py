"""``alliancegraph build``: validate, compile and write every output into a folder."""

from __future__ import annotations

from pathlib import Path

from .model import KnowledgeBase


def build(kb: KnowledgeBase, out: Path) -> list[Path]:
    """Write every export format into ``out``, all of them atomically; return the paths written.

    The files are named by :data:`alliancegraph.export.FORMATS`: graph.ttl,
    graph.jsonld, graph.nt, graph.graphml, graph.gexf and csv/nodes.csv,
    csv/edges.csv.
    """
    from .export import build_all
    from .files import all_or_nothing

    with all_or_nothing():  # an interrupted build leaves the previous outputs, not a mix
        return build_all(kb, Path(out))
