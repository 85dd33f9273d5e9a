"""``alliancegraph build``: validate, compile and write every output into a folder."""

from __future__ import annotations

from pathlib import Path

from .model import KnowledgeBase


def build(kb: KnowledgeBase, out: Path) -> list[Path]:
    """Write every export format into ``out``, all of them atomically; return the paths written.

    The files are named by :data:`alliancegraph.export.FORMATS`: graph.ttl,
    graph.jsonld, graph.nt, graph.graphml, graph.gexf and csv/nodes.csv,
    csv/edges.csv. A build already writing into ``out`` makes this one fail
    before it writes anything.
    """
    from .export import build_all
    from .files import all_or_nothing, sole_writer

    # An interrupted build leaves the previous outputs, not a mix; and so does a build that
    # another process starts into the same folder meanwhile, which is refused.
    with sole_writer(out), all_or_nothing():
        return build_all(kb, Path(out))
