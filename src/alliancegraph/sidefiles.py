"""What a build saves beside the compiled store, and reading it back: the network, the assertions, the index.

The side files (:data:`SIDE_FILES`) and the assertion parts are written under
fresh names that the manifest then gives, so a reader never sees one
half-written; the index of every file's sources, entities and offices is kept
as ``index.marshal`` for the next build and for commands that assemble the
knowledge base.

Each knowledge-base file's validated assertions are a part of their own
(:data:`ASSERTIONS`), so that a build which changes one file writes that
file's part alone, and a damaged or missing part costs validating that one
file's cached records again.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from .cache import ASSERTIONS, CacheFolder, fresh_token, read_marshal
from .compile_file import Index, assertion_part, parse_again, read_records, validate_records
from .model import Assertion, Entity, KnowledgeBase
from .rowcodec import objects_to_rows, rows_to_objects

if TYPE_CHECKING:
    from .network import Adjacency, EdgeRow
    from .tie_table import TieTable

#: The cached index of every file's sources, entities and offices.
INDEX = "index.marshal"

#: What a build writes beside the store, under names the manifest gives: the network graph for Python
#: queries (:func:`alliancegraph.network.adjacency`) and its ties for ``path`` and ``blocs``
#: (:mod:`alliancegraph.tie_table`).
SIDE_FILES = ("network", "ties")

#: The manifest's entry naming the network's changes since its side file was written whole: each a
#: later update's edges removed and added, applied in order when the network is read. An update
#: writes its own change alone instead of reading and writing the whole graph (at 100,000 assertions
#: 46 MB, most of an update's time), until the changes weigh a quarter of the graph
#: (:data:`CHANGES_SHARE`); then it writes the graph whole again.
NETWORK_CHANGES = "network_changes"
CHANGES_SHARE = 0.25

#: What a part's name is (a fresh token): nothing a damaged manifest names outside the folder.
_PART_NAME = re.compile(r"[0-9a-f]{12}\.marshal")
_CHANGE_NAME = re.compile(r"network-changes-[0-9a-f]{12}\.marshal")


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


def side_files_exist(cache: CacheFolder, manifest: dict) -> bool:
    """Whether every side file the manifest names, and every change to the network, is there."""
    changes = network_changes(manifest)
    return (changes is not None and all(side_file(cache, manifest, kind) for kind in SIDE_FILES)
            and all((cache.folder / name).is_file() for name in changes))


def network_changes(manifest: dict) -> list[str] | None:
    """The names of the network's changes the manifest gives, oldest first (none when it has no such
    entry, as after a full build); None when the entry is malformed."""
    names = manifest.get(NETWORK_CHANGES, [])
    if not isinstance(names, list) or not all(isinstance(n, str) and _CHANGE_NAME.fullmatch(n) for n in names):
        return None
    return names


def read_network(cache: CacheFolder, manifest: dict) -> Adjacency | None:
    """The network graph the manifest names with its changes applied, or None when any of them is
    missing or damaged."""
    from .network import change_edges

    network, changes = read_side(cache, manifest, "network"), network_changes(manifest)
    if not isinstance(network, tuple) or len(network) != 3 or not all(isinstance(part, dict) for part in network):
        return None
    if changes is None:
        return None
    read = []
    for name in changes:
        change = cache.read_marshal(name)
        if not _is_change(change, network[0]):
            return None
        read.append(change)
    change_edges(network, read)
    return network


def write_network_change(cache: CacheFolder, removed: list[EdgeRow], added: list[EdgeRow]) -> str:
    """Save one update's change to the network (see :data:`NETWORK_CHANGES`); return its name."""
    return write_side(cache, "network-changes", (removed, added))


def write_side(cache: CacheFolder, kind: str, value: Any) -> str:
    """Save a side file of ``kind`` under a fresh name, one no reader has seen; return the name."""
    name = f"{kind}-{fresh_token()}.marshal"
    cache.write_marshal(name, value)
    return name


def changes_outweigh_network(cache: CacheFolder, manifest: dict, changes: list[str]) -> bool:
    """Whether the network's changes have grown to :data:`CHANGES_SHARE` of the graph written whole."""
    whole = side_file(cache, manifest, "network")
    if whole is None:
        return True
    try:
        return sum((cache.folder / name).stat().st_size for name in changes) >= CHANGES_SHARE * whole.stat().st_size
    except OSError:
        return True


def _is_change(change: Any, nodes: dict) -> TypeGuard[tuple[list[EdgeRow], list[EdgeRow]]]:
    """Whether a change read back is a pair of edge row lists between nodes of the graph (a change
    written by another version, or by hand, is not applied)."""
    return (isinstance(change, tuple) and len(change) == 2
            and all(isinstance(rows, list) and all(_is_edge_row(row, nodes) for row in rows) for rows in change))


def _is_edge_row(row: Any, nodes: dict) -> bool:
    return (isinstance(row, tuple) and len(row) == 4 and row[0] in nodes and row[1] in nodes
            and isinstance(row[2], str) and isinstance(row[3], dict))


def read_ties(cache: CacheFolder, manifest: dict) -> TieTable | None:
    """The network's ties the manifest names, or None when they are missing or damaged."""
    from .tie_table import TieTable

    return TieTable.from_data(read_side(cache, manifest, "ties"))


def read_index(cache: CacheFolder) -> Index | None:
    """The index the last build saved (every file's sources, entities and offices), or None."""
    from .model import Source
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
    cache.write_marshal(INDEX, index_rows(index))


def index_rows(index: Index) -> dict:
    """The index as :data:`INDEX` keeps it."""
    return {
        "entities": objects_to_rows(index.index.entities.values()),
        "sources": objects_to_rows(index.index.sources.values()),
        "offices": objects_to_rows(index.offices.assertions),
    }


# -- each file's validated assertions, one part per file ------------------------------------------


def assertion_parts(manifest: dict) -> dict[str, str] | None:
    """The part of each of the manifest's files, by file in the loader's order; None unless it names
    exactly one well-formed part for each.

    The manifest's entry of the same name as the parts' folder (:data:`ASSERTIONS`) holds them as
    ``[file, part]`` pairs: a list, since the manifest's mappings are written with sorted keys.
    """
    pairs, files = manifest.get(ASSERTIONS), manifest.get("files")
    if not isinstance(pairs, list) or not isinstance(files, dict):
        return None
    parts = {}
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], str)
                and _PART_NAME.fullmatch(pair[1])):
            return None
        parts[pair[0]] = pair[1]
    return parts if len(parts) == len(pairs) and parts.keys() == files.keys() else None


def part_exists(cache: CacheFolder, name: str | None) -> bool:
    return name is not None and (cache.folder / ASSERTIONS / name).is_file()


def write_assertion_part(cache: CacheFolder, path: str, sha256: str, rows: list[list]) -> str:
    """Save one file's assertion rows (:func:`alliancegraph.rowcodec.objects_to_rows`) as a new part; return its name.

    The part names the file and the digest of the version it was compiled
    from, so that a part read in place of another is told from the right one.
    """
    return save_assertion_part(cache, assertion_part(path, sha256, rows))


def save_assertion_part(cache: CacheFolder, content: bytes) -> str:
    """Save an :func:`assertion_part` under a new name; return the name."""
    name = f"{fresh_token()}.marshal"
    cache.write(f"{ASSERTIONS}/{name}", content)
    return name


def read_assertions(cache: CacheFolder, manifest: dict, index: Index) -> dict[str, list[Assertion]] | None:
    """The validated assertions of each file the manifest names, by file in its order; None when it names no parts.

    A part that is missing, damaged or not the file's own is replaced by the
    file's cached records validated again against ``index`` (the records kept
    for the version the manifest gives, else the file parsed again).
    """
    parts = assertion_parts(manifest)
    if parts is None:
        return None
    assertions = {}
    for path, name in parts.items():
        sha256 = manifest["files"][path][2]
        saved = _part_assertions(cache, name, path, sha256)
        if saved is None:
            data = read_records(cache.records, sha256)
            saved = validate_records(path, data if data is not None else parse_again(path), index).assertions
        assertions[path] = saved
    return assertions


def _part_assertions(cache: CacheFolder, name: str, path: str, sha256: str) -> list[Assertion] | None:
    part = read_marshal(cache.folder / ASSERTIONS / name)
    if not (isinstance(part, tuple) and len(part) == 3 and part[:2] == (path, sha256) and isinstance(part[2], list)):
        return None
    try:
        return rows_to_objects(Assertion, part[2])
    except (TypeError, ValueError, KeyError):
        return None
