"""What a build saves beside the compiled store, and reading it back: the network, the assertions, the index.

The side files (:data:`SIDE_FILES`) are written under fresh names that the
manifest then gives, so a reader never sees one half-written; the index of
every file's sources, entities and offices is kept as ``index.marshal`` for
the next build and for commands that assemble the knowledge base.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import CacheFolder, read_marshal
from .compile_file import Index
from .model import Entity, KnowledgeBase
from .rowcodec import objects_to_rows, rows_to_objects

if TYPE_CHECKING:
    from .network import Adjacency
    from .tie_table import TieTable

#: The cached index of every file's sources, entities and offices.
INDEX = "index.marshal"

#: What a build writes beside the store, under names the manifest gives: the network graph for Python
#: queries (:func:`alliancegraph.network.adjacency`), its ties for ``path`` and ``blocs``
#: (:mod:`alliancegraph.tie_table`), and each file's validated assertions as rows.
SIDE_FILES = ("network", "ties", "assertions")


def side_file(cache: CacheFolder, manifest: dict, kind: str) -> Path | None:
    """The side file of ``kind`` the manifest names, if it names one and it exists."""
    name = manifest.get(kind)
    if not isinstance(name, str) or not name.startswith(f"{kind}-") or "/" in name:
        return None
    path = cache.folder / name
    return path if path.is_file() else None


def read_side(cache: CacheFolder, manifest: dict, kind: str) -> Any | None:
    """The value of a side file, or None when it is missing or damaged."""
    path = side_file(cache, manifest, kind)
    return read_marshal(path) if path is not None else None


def read_network(cache: CacheFolder, manifest: dict) -> Adjacency | None:
    """The network graph the manifest names, or None when it is missing or damaged."""
    network = read_side(cache, manifest, "network")
    if not isinstance(network, tuple) or len(network) != 3 or not all(isinstance(part, dict) for part in network):
        return None
    return network


def read_ties(cache: CacheFolder, manifest: dict) -> TieTable | None:
    """The network's ties the manifest names, or None when they are missing or damaged."""
    from .tie_table import TieTable

    return TieTable.from_data(read_side(cache, manifest, "ties"))


def read_index(cache: CacheFolder) -> Index | None:
    """The index the last build saved (every file's sources, entities and offices), or None."""
    from .model import Assertion, Source
    from .reference_index import ReferenceIndex

    saved = cache.read_marshal(INDEX)
    if not isinstance(saved, dict):
        return None
    try:
        index = ReferenceIndex(cache.kb_root)
        index.entities.update((e.id, e) for e in rows_to_objects(Entity, saved["entities"]))
        index.sources.update((s.id, s) for s in rows_to_objects(Source, saved["sources"]))
        offices = rows_to_objects(Assertion, saved["offices"])
    except (TypeError, KeyError, ValueError):
        return None
    return Index(index, KnowledgeBase(cache.kb_root, index.entities, index.sources, offices), True, cached=True)


def save_index(cache: CacheFolder, index: Index) -> None:
    """Keep the index for :func:`read_index`."""
    cache.write_marshal(INDEX, {
        "entities": objects_to_rows(index.index.entities.values()),
        "sources": objects_to_rows(index.index.sources.values()),
        "offices": objects_to_rows(index.offices.assertions),
    })
