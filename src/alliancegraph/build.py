"""``alliancegraph build``: validate, compile and write every output into a folder."""

from __future__ import annotations

from pathlib import Path

from .files import write_atomic
from .model import KnowledgeBase


def build(kb: KnowledgeBase, out: Path) -> list[Path]:
    """Write the compiled graph into ``out``; return the paths written."""
    out = Path(out)
    return [write_atomic(out / "graph.ttl", kb.to_rdf().serialize(format="turtle"))]
