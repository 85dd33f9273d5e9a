"""The quads a compiled store's seal samples, and whether the store still holds them.

An engine that lost its table of contents opens as an empty store and would
answer "no rows"; checking a few quads recorded when the store was sealed
(see :meth:`alliancegraph.cache.CacheFolder.seal`) tells it from an intact one.
"""

from __future__ import annotations

import pyoxigraph

from .cache import SAMPLE_QUADS


def sample_quads(store: pyoxigraph.Store) -> list[str]:
    """A few quads of the store as N-Quads lines (no blank nodes, whose labels are the store's own)."""
    import itertools

    chosen = [quad for quad in itertools.islice(store, 100)
              if not any(isinstance(term, pyoxigraph.BlankNode) for term in (quad.subject, quad.object))]
    lines = pyoxigraph.serialize(chosen[:SAMPLE_QUADS], format=pyoxigraph.RdfFormat.N_QUADS) or b""
    return lines.decode("utf-8").splitlines()


def holds_sample(store: pyoxigraph.Store, sample: list[str]) -> bool:
    """Whether the store still holds the quads its seal recorded (an engine that lost its
    table of contents opens as an empty store, and would answer "no rows")."""
    if not sample:
        return False
    try:
        quads = pyoxigraph.parse("\n".join(sample).encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
        return all(quad in store for quad in quads)
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return False

