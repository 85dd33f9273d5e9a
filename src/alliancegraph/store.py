"""The compiled store: a knowledge base compiled once into an on-disk Oxigraph store.

``CompiledStore.open(kb_root)`` gives a read-only pyoxigraph store of the
compiled graph (the same triples as :func:`alliancegraph.rdf.kb_lines`) and
the entity registry, building or refreshing the cache first when the YAML
files or the source texts have changed:

* nothing changed (sizes and modification times match, or else the content
  digests do): the store opens in milliseconds, without reading any YAML;
* only assertion files changed: each changed file is parsed, validated and
  compiled, and the store receives the difference between the file's old
  and new triples;
* anything the other files depend on changed (a source, an entity, an
  office, a source text): every file is recompiled, from cached parse
  results where the file itself did not change, into a fresh store that
  replaces the old one in one rename.

A triple two files both produce (the direct triple of two assertions saying
the same thing) is counted, so a file's update never deletes what another
file still says. Large builds parse and compile files in two worker
processes. A build that finds any problem leaves the cache as it was and
raises :class:`~alliancegraph.errors.KnowledgeBaseError` with exactly what
``alliancegraph check`` reports, from the files as the build parsed them
(none is parsed twice).

This module orchestrates (the :class:`Builder`, and :class:`CompiledStore`,
which opens the store and builds it when needed); the parts are modules of
their own: :mod:`~alliancegraph.freshness` (did the files change),
:mod:`~alliancegraph.compile_file` (one file's parse and compile),
:mod:`~alliancegraph.workers` (the worker processes),
:mod:`~alliancegraph.sharing` (triples several files give),
:mod:`~alliancegraph.rowcodec` and :mod:`~alliancegraph.sidefiles` (what a
build saves beside the store), :mod:`~alliancegraph.store_seal` (an intact
store told from a damaged one), :mod:`~alliancegraph.store_engine` (the query
engine over the store) and :mod:`~alliancegraph.store_dump` (the graph
streamed out).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pyoxigraph

from .cache import CLEAR_HINT, INDEX_PARTS, CacheFolder, dump_marshal, fresh_token, is_ours
from .compile_file import (
    Compiled,
    Index,
    build_index,
    compile_from_records,
    compile_task,
    parse_again,
    parse_task,
    read_records,
    validate_records,
)
from .errors import AllianceGraphError, KnowledgeBaseError
from .freshness import FileState, scan, unchanged
from .model import Entity, KnowledgeBase
from .paths import inside_kb, kb_trees
from .rowcodec import EntityTable, entity_table
from .sharing import apply_difference, count_shared
from .sidefiles import (
    ASSERTIONS,
    INDEX,
    NETWORK_CHANGES,
    SIDE_FILES,
    assertion_parts,
    changes_outweigh_network,
    index_rows,
    network_changes,
    part_exists,
    read_assertions,
    read_index,
    read_network,
    read_ties,
    save_assertion_part,
    save_index,
    side_files_exist,
    write_assertion_part,
    write_network_change,
    write_side,
)
from .store_seal import holds_sample, sample_quads
from .text import one_line
from .version import __version__
from .workers import worker_results

if TYPE_CHECKING:
    import networkx

    from .network import Adjacency, EdgeRow
    from .parsing import ParsedFile
    from .resolve import FoldedNames
    from .tie_table import TieTable

#: Bumped whenever the layout of the cache changes.
STORE_FORMAT = 3
#: Modules whose code decides what a file compiles to: a change to any of them rebuilds.
#: Every module they import belongs here too (a test walks their imports), since a rule moved
#: into a new module would otherwise change what files compile to without a rebuild.
COMPILER_MODULES = ("loading", "rdf", "terms", "network", "ontology", "vocabulary", "model", "evidence", "dates", "store",
                    "compile_file", "rowcodec", "sharing", "sidefiles", "yamlsafe", "parsing", "record_fields", "validation",
                    "reference_index", "locate", "asof", "resolve", "text", "errors", "files", "paths", "cache", "workers",
                    "freshness", "store_seal", "version", "tie_table")

#: What a build keeps beside the store for the next build and for commands (the side files aside):
#: the file defining each assertion id, the count of each triple several files give
#: (:mod:`alliancegraph.sharing`), and the entity table a command resolves names with.
IDS = "ids.marshal"
SHARED = "shared.marshal"
ENTITY_TABLE = "entities.marshal"

#: Called as ``progress(stage, done, total)`` while a build works through the files.
Progress = Callable[[str, int, int], None]


class StoreError(AllianceGraphError):
    """The compiled store could not be built or opened."""


def code_digest() -> str:
    """A digest of the compiler's own code and version."""
    digest = hashlib.sha256(f"{STORE_FORMAT}:{__version__}".encode())
    package = Path(__file__).resolve().parent
    for name in COMPILER_MODULES:
        digest.update((package / f"{name}.py").read_bytes())
    return digest.hexdigest()


# -- building -----------------------------------------------------------------------------------


class Builder:
    """Brings one knowledge base's cache up to date (the caller holds the exclusive lock)."""

    def __init__(self, cache: CacheFolder, progress: Progress | None = None):
        self.cache = cache
        self.kb_root = cache.kb_root
        self.progress = progress or (lambda stage, done, total: None)
        self.records = cache.records
        # What this build found of each file (by resolved path), to report problems without reading it again.
        self.files: dict[str, FileState] = {}
        self.parsed: dict[str, ParsedFile] = {}
        # The quads the seal records, taken while the build had the store open (None: not opened).
        self.sample: list[str] | None = None

    def refresh(self, manifest: dict | None) -> dict:
        """Rebuild what changed; return the new manifest (already written).

        A file that cannot be written (the disk is full, the folder is not writable) ends it with a
        :class:`StoreError`; the manifest is written last, so the next command builds again.
        """
        try:
            return self._refresh(manifest)
        except OSError as error:
            raise StoreError(f"cannot write the compiled store in {self.cache.folder}: {error}") from None

    def _refresh(self, manifest: dict | None) -> dict:
        started = time.time()
        code = code_digest()
        self.cache.keep_parse_results_of(code)
        if manifest is not None and (manifest.get("code") != code or manifest.get("state") != "ready"):
            manifest = None
        old_files = manifest["files"] if manifest else {}
        self.files, self.parsed, self.sample = {}, {}, None
        paths = self._discover()
        self.files = files = scan(paths, old_files, manifest["built_at"] if manifest else 0.0)
        self.records.mkdir(parents=True, exist_ok=True)
        parts = self._index_parts(files, old_files)
        parts_digest = hashlib.sha256(json.dumps(list(parts.items()), default=str).encode("utf-8")).hexdigest()
        index = self._cached_index() if manifest and manifest.get("parts") == parts_digest else None
        if index is None:
            index = build_index(self.kb_root, parts)
            if not index.clean:
                self._fail()
        texts = self._texts(index, manifest)
        index_digest = self._index_digest(code, parts_digest, texts)
        changed = sorted(p for p in set(files) | set(old_files) if p not in old_files or p not in files
                         or old_files[p][2] != files[p].sha256)
        store_name = manifest.get("store") if manifest else None
        if manifest and manifest.get("index") == index_digest and store_name and (self.cache.folder / store_name).is_dir():
            side = self._update(store_name, manifest, changed, files, old_files, index)
        else:
            store_name, side = self._build(files, index)
        new_manifest = {
            "format": STORE_FORMAT,
            "code": code,
            "kb": str(self.kb_root),
            "state": "ready",
            "store": store_name,
            **side,
            "index": index_digest,
            "parts": parts_digest,
            "built_at": started,
            "files": {p: s.as_list() for p, s in files.items()},
            "texts": {p: s.as_list() for p, s in texts.items()},
        }
        self._seal(store_name)
        self.cache.write_manifest(new_manifest)
        kept = {store_name, *(side[kind] for kind in SIDE_FILES), *side[NETWORK_CHANGES],
                *(name for _, name in side[ASSERTIONS])}
        self.cache.remove_unused(kept | {s.sha256 for s in files.values()})
        self.parsed = {}
        return new_manifest

    def _discover(self) -> list[Path]:
        from .paths import discover

        if not self.kb_root.exists():
            self._fail()
        paths = discover(self.kb_root, resolved=True)
        trees = kb_trees(self.kb_root)
        if not paths or not all(inside_kb(p, self.kb_root, trees) for p in paths):
            self._fail()
        return paths

    def _fail(self) -> NoReturn:
        """Report exactly what ``check`` reports, of the files as this build found them: none is read twice."""
        from .loading import check

        _, problems = check(self.kb_root, parse=self._as_parsed)
        if not problems:  # pragma: no cover - the build and check disagree: a bug
            raise StoreError("the compiled store and the loader disagree about the knowledge base")
        raise KnowledgeBaseError(problems)

    def _as_parsed(self, path: Path) -> ParsedFile:
        """A file as this build parsed it, named as ``check`` names it; its sections from its records.

        A file the build did not parse (unchanged) is not read unless a problem must be placed in it;
        one it never reached is parsed now.
        """
        from . import parsing

        key = os.fspath(path.resolve())
        kept, state = self.parsed.get(key), self.files.get(key)
        data = read_records(self.records, state.sha256) if state is not None else None
        if kept is not None and (data is not None or kept.data or kept.syntax is not None or kept.problems):
            syntax = dataclasses.replace(kept.syntax, file=path) if kept.syntax is not None else None
            return dataclasses.replace(kept, path=path, data=kept.data if data is None else data,
                                       problems=list(kept.problems), syntax=syntax)
        if data is not None:
            return parsing.ParsedBefore(path, data)
        return parsing.parse_file(path)

    def _index_parts(self, files: dict[str, FileState], old_files: dict[str, list]) -> dict[str, dict]:
        """Every file's index part: cached for unchanged files, parsed for the others."""
        cached = self.cache.read_marshal(INDEX_PARTS) or {}
        parts: dict[str, dict] = {}
        to_parse = []
        for path, state in files.items():
            known = cached.get(path)
            if known is not None and known[0] == state.sha256 and (self.records / state.sha256).exists():
                parts[path] = known[1]
            else:
                to_parse.append((path, state.sha256))
        size = sum(files[path].size for path, _ in to_parse)
        with worker_results(parse_task, to_parse, size, records=self.records) as results:
            for done, parsed in enumerate(results, start=1):
                self.parsed[parsed.path] = parsed.file  # every file, clean or not: a failure reports them all
                if parsed.clean:
                    parts[parsed.path] = parsed.part
                self.progress("Parsing", done, len(to_parse))
        if any(path not in parts for path in files):
            self._fail()
        ordered = {path: parts[path] for path in files}  # the loader's order: sorted paths
        self.cache.write_marshal(INDEX_PARTS, {p: [files[p].sha256, part] for p, part in ordered.items()})
        return ordered

    def _texts(self, index: Index, manifest: dict | None) -> dict[str, FileState]:
        # Sorted as text: sorting thousands of Path objects takes twice as long.
        paths = sorted({os.fspath(s.file) for s in index.index.sources.values() if s.file is not None})
        try:
            return scan(paths, manifest["texts"] if manifest else {}, manifest["built_at"] if manifest else 0.0)
        except OSError:  # an article was removed or cannot be read: check says which
            self._fail()

    def _index_digest(self, code: str, parts_digest: str, texts: dict[str, FileState]) -> str:
        payload = json.dumps([code, parts_digest, {p: s.sha256 for p, s in texts.items()}])
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def _cached_index(self) -> Index | None:
        """The index saved by the last build, when its files' index parts are unchanged."""
        return read_index(self.cache)

    def _compile(self, path: str, sha256: str, index: Index, current: bool) -> Compiled:
        """Compile a file's cached records; parse it again only if it is the ``current`` version."""
        compiled = compile_from_records(path, sha256, index, self.records, reparse=current)
        if compiled is None:
            raise _Stale
        return compiled

    # -- from scratch ------------------------------------------------------------------------

    def _build(self, files: dict[str, FileState], index: Index) -> tuple[str, dict]:
        """Compile every file into a new store folder; return its name and the manifest's entries of the
        side files (:data:`SIDE_FILES`) and assertion parts."""
        import shutil
        from array import array

        from .network import adjacency
        from .ontology import ontology_lines

        name = f"store-{fresh_token()}"
        folder = self.cache.folder / name
        tasks = [(path, state.sha256) for path, state in files.items()]
        ontology = "".join(ontology_lines()).encode("utf-8")
        # Only truthy triples can come from two files: only they are digested and counted.
        seen, shared, ids = set[int](), dict[int, int](), dict[str, str]()
        edges: list[EdgeRow] = []
        parts: dict[str, str] = {}
        side: dict[str, str] = {}
        size = sum(s.size for s in files.values())
        # The workers are forked before the store opens: a fork must not copy a live database.
        with worker_results(compile_task, tasks, size, records=self.records, index=index) as results:
            store: pyoxigraph.Store | None = None
            batch: _Batch | None = None
            try:
                store = pyoxigraph.Store(str(folder))
                store.bulk_load(ontology, pyoxigraph.RdfFormat.N_TRIPLES)
                batch = _Batch(store)
                for done, (compiled, digests, part) in enumerate(results, start=1):
                    if not compiled.clean or not _add_ids(ids, compiled):
                        raise _Broken
                    batch.add(compiled.ntriples)
                    batch.add(compiled.shareable)
                    edges += compiled.edges
                    parts[compiled.path] = save_assertion_part(self.cache, part)
                    count_shared(seen, shared, array("Q", digests))
                    if done < len(tasks):  # the last step is the last load done
                        self.progress("Compiling", done, len(tasks))
                batch.finish()
                self.progress("Compiling", len(tasks), len(tasks))
                store.flush()
                # Bulk loading leaves many small files; compacting them halves query times. The engine
                # compacts without Python's lock, so the files beside the store are written meanwhile.
                self.progress("Optimizing", 0, 1)
                with _meanwhile(store.optimize):
                    side = self._write_sides(adjacency(index.index.entities.values(), edges), parts)
                    beside = self._beside_build(index, shared, ids)
                self.progress("Optimizing", 1, 1)
                self.sample = sample_quads(store)
                del store
            except BaseException as error:
                if batch is not None:
                    batch.stop()
                # Drop the last references, which closes the database, before deleting its folder.
                store = batch = None  # noqa: F841
                shutil.rmtree(folder, ignore_errors=True)
                self.cache.remove_parts(parts.values())
                for kind in side.keys() & set(SIDE_FILES):  # written under names the manifest never gave
                    with contextlib.suppress(OSError):
                        (self.cache.folder / side[kind]).unlink()
                if not isinstance(error, _Broken):  # an OSError becomes a StoreError in refresh
                    raise
                broken = True
            else:
                broken = False
        if broken:
            self._fail()
        # Written once the store is complete: the last build's store is still the one these files describe
        # until then, and a build that fails leaves the cache as it was.
        for kept, content in beside.items():
            self.cache.write(kept, content)
        return name, side

    def _beside_build(self, index: Index, shared: dict[int, int], ids: dict[str, str]) -> dict[str, bytes]:
        """The contents of what a build keeps beside the store under fixed names, by name."""
        return {SHARED: dump_marshal(shared), IDS: dump_marshal(ids),
                ENTITY_TABLE: dump_marshal(entity_table(index.index.entities.values())),
                INDEX: dump_marshal(index_rows(index))}

    def _seal(self, store_name: str) -> None:
        """Record the store's files and a few quads it holds, to tell later that it is intact (the quads
        taken while the build had it open, else read from it now: opening a store costs tens of ms)."""
        sample = self.sample
        if sample is None:
            try:
                store = pyoxigraph.Store.read_only(str(self.cache.folder / store_name))
                sample = sample_quads(store)
                del store
            except (OSError, RuntimeError) as error:  # a store kept from before was damaged: build it anew
                raise _Stale(one_line(str(error))) from None
        self.cache.seal(store_name, sample)

    # -- one file at a time --------------------------------------------------------------------

    def _update(self, store_name: str, manifest: dict, changed: list[str], files: dict[str, FileState],
                old_files: dict[str, list], index: Index) -> dict:
        """Apply each changed file's difference to the store in place; return the manifest's entries of the
        side files and assertion parts.

        Only the changed files' assertion parts are written, and those of unchanged files found missing
        (compiled again from their records).
        """
        from .network import adjacency_nodes, change_edges

        parts, changes = assertion_parts(manifest), network_changes(manifest)
        if parts is None or changes is None:
            raise _Stale
        restored = [self._compile(path, files[path].sha256, index, current=True)
                    for path in files if path not in changed and not part_exists(self.cache, parts.get(path))]
        if not changed and side_files_exist(self.cache, manifest):
            self._write_parts(parts, restored)
            return {**{kind: manifest[kind] for kind in SIDE_FILES}, NETWORK_CHANGES: changes,
                    ASSERTIONS: [[p, parts[p]] for p in files]}
        old_ties = read_ties(self.cache, manifest)
        # The graph is read, changed and written whole only when a side file must be made again from it
        # or its changes have grown; otherwise this update's change is written beside it.
        network = None
        if old_ties is None or not changed or changes_outweigh_network(self.cache, manifest, changes):
            network = read_network(self.cache, manifest)
            if network is None:
                raise _Stale
        ids = self.cache.read_marshal(IDS)
        shared = self.cache.read_marshal(SHARED)
        if not isinstance(ids, dict) or not isinstance(shared, dict):
            raise _Stale
        deltas = []
        for path in changed:
            old = self._compile(path, old_files[path][2], index, current=False) if path in old_files else None
            new = self._compile(path, files[path].sha256, index, current=True) if path in files else None
            if new is not None and not new.clean:
                self._fail()
            for assertion_id in old.ids if old else ():
                ids.pop(assertion_id, None)
            deltas.append((old, new))
        for _, new in deltas:
            if new is not None and not _add_ids(ids, new):
                self._fail()
        # Mark the store as being changed: a crash from here on means "rebuild".
        self.cache.write_manifest({**manifest, "state": "updating"})
        try:
            store = pyoxigraph.Store(str(self.cache.folder / store_name))
            for done, (old, new) in enumerate(deltas, start=1):
                apply_difference(store, old.all_lines if old else b"", new.all_lines if new else b"", shared)
                self.progress("Updating", done, len(deltas))
            store.flush()
            self.sample = sample_quads(store)
        except (OSError, RuntimeError):  # damaged: build from scratch
            raise _Stale from None
        del store
        _drop_rotated_logs(self.cache.folder / store_name)
        self.cache.write_marshal(SHARED, shared)
        self.cache.write_marshal(IDS, ids)
        if not index.cached:
            self.cache.write_marshal(ENTITY_TABLE, entity_table(index.index.entities.values()))
            save_index(self.cache, index)
        removed = [edge for old, _ in deltas if old is not None for edge in old.edges]
        added = [edge for _, new in deltas if new is not None for edge in new.edges]
        for path in changed:
            parts.pop(path, None)
        self._write_parts(parts, [new for _, new in deltas if new is not None] + restored)
        in_order = {path: parts[path] for path in files}
        if network is None:
            assert old_ties is not None  # else the graph was read above
            nodes = adjacency_nodes(index.index.entities.values()).items()
            return self._write_change(manifest, changes, (removed, added), old_ties.changed(nodes, removed, added), in_order)
        change_edges(network, [(removed, added)])
        ties = old_ties.changed(network[0].items(), removed, added) if old_ties is not None else None
        return self._write_sides(network, in_order, ties)

    def _write_parts(self, parts: dict[str, str], compiled: list[Compiled]) -> None:
        """Save the assertion part of each compiled file, as the file's entry in ``parts``."""
        for done in compiled:
            parts[done.path] = write_assertion_part(self.cache, done.path, self.files[done.path].sha256, done.assertions)

    def _write_sides(self, network: Adjacency, parts: dict[str, str], ties: TieTable | None = None) -> dict:
        """Write the side files of a build under new names; return the manifest's entries naming them and
        the assertion parts (``parts``: each file's, in the loader's order of the files). The network's
        ties are taken from it unless given (an update changes the last build's)."""
        from .network import adjacency_ties

        network_name = write_side(self.cache, "network", network)
        return self._entries(network_name, [], ties if ties is not None else adjacency_ties(network), parts)

    def _write_change(self, manifest: dict, changes: list[str], change: tuple[list[EdgeRow], list[EdgeRow]],
                      ties: TieTable, parts: dict[str, str]) -> dict:
        """Like :meth:`_write_sides`, for an update that keeps the graph the manifest names: its change
        to the graph (edges removed, edges added) is written beside the earlier ones."""
        return self._entries(manifest["network"], [*changes, write_network_change(self.cache, *change)], ties, parts)

    def _entries(self, network: str, changes: list[str], ties: TieTable, parts: dict[str, str]) -> dict:
        """Write the ties under a new name; return the manifest's entries naming the network, its changes,
        the ties and the assertion parts."""
        return {"network": network, NETWORK_CHANGES: changes, "ties": write_side(self.cache, "ties", ties.as_data()),
                ASSERTIONS: [[path, name] for path, name in parts.items()]}


class _Batch:
    """N-Triples gathered into large bulk loads (each has a fixed cost of tens of milliseconds), loaded
    by threads of their own.

    The engine lets go of Python's lock while it loads, so the build goes on taking the workers'
    results (and the workers on compiling) meanwhile, instead of leaving them idle at every load.
    A load parses its batch, then sorts and writes it, one after the other; two loads at once keep
    two cores busy where one would leave the second waiting (the engine ingests each load's files
    whole, so loads may run side by side: a test compares the store with a fresh compile). At most
    one batch waits while others load, so memory stays bounded when loading is the slower side. A
    load's error is raised in the building thread, by the next :meth:`add` or :meth:`finish`.
    """

    SIZE = 64 * 1024 * 1024
    LOADERS = 2

    def __init__(self, store: pyoxigraph.Store):
        import queue
        import threading

        self.store = store
        self.chunks: list[bytes] = []
        self.size = 0
        self.error: BaseException | None = None
        self.stopped = False
        self.waiting: queue.Queue[list[bytes] | None] = queue.Queue(maxsize=1)
        self.loaders = [threading.Thread(target=self._load_each, name="bulk load", daemon=True)
                        for _ in range(self.LOADERS)]
        for loader in self.loaders:
            loader.start()

    def add(self, ntriples: bytes) -> None:
        self.chunks.append(ntriples)
        self.size += len(ntriples)
        if self.size >= self.SIZE:
            self._hand_over()

    def finish(self) -> None:
        """Load what is left, wait until every batch is loaded, and raise what a load failed with."""
        self._hand_over()
        self._join()
        self._raise_error()

    def stop(self) -> None:
        """Give up (the build failed): drop the batches not yet loaded and wait for those being loaded,
        so that the store can be closed."""
        self.stopped = True
        self.chunks = []
        while not self.waiting.empty():
            self.waiting.get_nowait()
        self._join()

    def _hand_over(self) -> None:
        if self.chunks:
            self._raise_error()
            self.waiting.put(self.chunks)  # joined by a loader: a large join lets go of Python's lock too
        self.chunks, self.size = [], 0

    def _join(self) -> None:
        alive = [loader for loader in self.loaders if loader.is_alive()]
        for _ in alive:  # each loader stops at the first end mark it takes
            self.waiting.put(None)
        for loader in alive:
            loader.join()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def _load_each(self) -> None:
        while (chunks := self.waiting.get()) is not None:
            if self.error is not None or self.stopped:
                continue
            try:  # joining too: a thread that died of it would leave its batches unloaded, unsaid
                ntriples = b"".join(chunks)
                chunks.clear()  # the joined copy is all the load needs
                # lenient: the lines were generated from validated ids, so IRIs need no second check
                self.store.bulk_load(ntriples, pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
            except BaseException as error:  # raised again in the building thread
                self.error = error


class _Broken(Exception):
    """A compiled file has problems: stop the build and report them as ``check`` would."""


class _Stale(Exception):
    """The cache's side files are missing or damaged: build from scratch."""


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a build runs: the build holds millions of objects
    (the network, the index) and makes no cycles worth finding, and each full collection would walk
    them all again (a sixth of a one-file rebuild at 100,000 assertions). Memory is still freed as
    objects are released."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _meanwhile(work: Callable[[], object]) -> Iterator[None]:
    """Run ``work`` in a thread of its own while the block runs (worth it for the engine's calls, which
    let go of Python's lock); wait for it at the end of the block, and raise what it failed with."""
    import threading

    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # raised again in the calling thread
            failed.append(error)

    thread = threading.Thread(target=run, name="store work", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]


def _add_ids(ids: dict[str, str], compiled: Compiled) -> bool:
    """Record a file's assertion ids; False when one is already defined elsewhere."""
    for assertion_id in compiled.ids:
        if ids.setdefault(assertion_id, compiled.path) != compiled.path:
            return False
    return len(set(compiled.ids)) == len(compiled.ids)



# -- opening ---------------------------------------------------------------------------------


def _drop_rotated_logs(folder: Path) -> None:
    """Delete the information logs the storage engine sets aside each time the store is opened for
    writing (``LOG.old.*``, about 140 KB each at 100,000 assertions): kept, every update would leave
    one more file in the cache. They are diagnostic text the engine never reads back."""
    for log in folder.glob("LOG.old.*"):
        with contextlib.suppress(OSError):
            log.unlink()


class CompiledStore:
    """A knowledge base's compiled graph, opened read-only, and its entities.

    Holds the cache's shared lock until :meth:`close`, so no build changes
    the store while it is being read.
    """

    def __init__(self, cache: CacheFolder, store: pyoxigraph.Store, entities: Mapping[str, Entity], manifest: dict,
                 folded_names: FoldedNames | None = None):
        self.cache = cache
        self.store = store
        self.entities = entities
        self.manifest = manifest
        self.folded_names = folded_names  # every entity's names as resolving compares them, computed at build

    @classmethod
    def open(cls, kb_root: Path | str, progress: Progress | None = None, cache_folder: Path | None = None) -> CompiledStore:
        """Open the compiled store of ``kb_root``, building or refreshing it first when needed."""
        cache = CacheFolder(Path(kb_root), cache_folder)
        cache.claim()
        cache.lock.acquire(exclusive=False)
        try:
            seen = cache.manifest_stamp()
            with _no_cycle_collection():  # the manifest and the entity table: tens of thousands of containers, no cycle
                opened = cls._open_fresh(cache)
            if opened is None:
                cache.lock.acquire(exclusive=True)
                # Another command may have built while the lock changed hands: look again if the manifest changed.
                opened = cls._open_fresh(cache) if cache.manifest_stamp() != seen else None
                if opened is None:
                    with _no_cycle_collection():
                        opened = cls._rebuild(cache, progress)
                cache.lock.acquire(exclusive=False)
            return opened
        except BaseException:
            cache.lock.release()
            raise

    @classmethod
    def _open_fresh(cls, cache: CacheFolder) -> CompiledStore | None:
        """The store as cached, when the cache is complete and matches the files; else None."""
        from .paths import discover

        manifest = cache.read_manifest()
        if not manifest or manifest.get("state") != "ready" or manifest.get("code") != code_digest():
            return None
        try:
            files = discover(cache.kb_root, resolved=True) if cache.kb_root.exists() else []
        except OSError:
            return None
        built_at = manifest.get("built_at", 0.0)
        if not unchanged(files, manifest.get("files", {}), built_at):
            return None
        texts = manifest.get("texts", {})
        if not isinstance(texts, dict) or not unchanged(list(texts), texts, built_at):
            return None
        entities = EntityTable.read(cache.read_marshal(ENTITY_TABLE))
        if entities is None or not side_files_exist(cache, manifest):
            return None
        parts = assertion_parts(manifest)
        if parts is None or not all(part_exists(cache, name) for name in parts.values()):
            return None
        return cls._open_intact(cache, manifest, entities)

    @classmethod
    def _open_intact(cls, cache: CacheFolder, manifest: dict, entities: EntityTable) -> CompiledStore | None:
        """The store the manifest names, when it matches its seal and still holds its sample; else None."""
        store_name = manifest.get("store")
        if not isinstance(store_name, str) or cache.store_damage(store_name) is not None:
            return None
        try:
            store = pyoxigraph.Store.read_only(str(cache.folder / store_name))
        except (OSError, RuntimeError, ValueError):  # the engine's own checks found it damaged
            cache.mark_damaged()
            return None
        if not holds_sample(store, cache.sealed_sample()):
            cache.mark_damaged()
            return None
        return cls(cache, store, entities, manifest, entities.folded_names)

    @classmethod
    def _rebuild(cls, cache: CacheFolder, progress: Progress | None) -> CompiledStore:
        """Refresh the cache; if the result still does not open, build it again from scratch.

        The second build covers a damaged store or side file, and a file that
        changed while the first build ran.
        """
        builder = Builder(cache, progress)
        manifest = cache.read_manifest()
        if manifest is not None and cache.store_damage(str(manifest.get("store"))) is not None:
            manifest = None  # a damaged store is built again from scratch, never updated in place
        try:
            builder.refresh(manifest)
            opened = cls._open_fresh(cache)
        except _Stale:
            opened = None
        if opened is None:
            try:
                builder.refresh(None)
            except _Stale as error:
                raise StoreError(f"the compiled store in {cache.folder} cannot be read back after building it "
                                 f"({error}); {CLEAR_HINT}") from None
            opened = cls._open_fresh(cache)
        if opened is None:
            raise StoreError(f"the compiled store in {cache.folder} cannot be opened after a rebuild; {CLEAR_HINT}")
        return opened

    def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base, assembled from what the build saved: neither read nor validated again
        (a file whose saved assertions are missing or damaged is validated again from its records)."""
        index = read_index(self.cache)
        saved = read_assertions(self.cache, self.manifest, index) if index is not None else None
        if index is None or saved is None:
            return self._validated_knowledge_base()
        assertions = [assertion for of_file in saved.values() for assertion in of_file]
        files = tuple(Path(path) for path in saved)
        return KnowledgeBase(self.cache.kb_root, index.index.entities, index.index.sources, assertions, files)

    def _validated_knowledge_base(self) -> KnowledgeBase:
        """The knowledge base, validated again from the cached parse results without reading YAML."""
        parts = self.cache.read_marshal(INDEX_PARTS)
        if not isinstance(parts, dict) or set(parts) != set(self.manifest["files"]):
            from .loading import load

            return load(self.cache.kb_root)
        index = build_index(self.cache.kb_root, {path: part for path, (_, part) in parts.items()})
        assertions = []
        for path, (sha256, _) in parts.items():
            data = read_records(self.cache.records, sha256)
            assertions += validate_records(path, data if data is not None else parse_again(path), index).assertions
        files = tuple(Path(path) for path in parts)
        return KnowledgeBase(self.cache.kb_root, index.index.entities, index.index.sources, assertions, files)

    def network(self) -> networkx.MultiDiGraph:
        """The knowledge base as a networkx graph (:func:`alliancegraph.network.to_networkx`),
        built from the edges cached beside the store; from the knowledge base when they are missing."""
        from .network import graph_from_adjacency, to_networkx

        with _no_cycle_collection():  # millions of objects read, none of them cyclic garbage
            network = read_network(self.cache, self.manifest)
        if network is None:
            return to_networkx(self.knowledge_base())
        return graph_from_adjacency(self.cache.kb_root, network)

    def tie_table(self) -> TieTable:
        """The network's ties (:mod:`alliancegraph.tie_table`), as cached beside the store; from
        the network graph when they are missing."""
        from .tie_table import TieTable

        ties = read_ties(self.cache, self.manifest)
        return ties if ties is not None else TieTable.of_graph(self.network())

    def close(self) -> None:
        self.store = None  # type: ignore[assignment]
        self.cache.lock.release()

    def __enter__(self) -> CompiledStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def build(kb_root: Path | str, progress: Progress | None = None) -> dict:
    """Bring the cache of ``kb_root`` up to date and return its manifest."""
    with CompiledStore.open(kb_root, progress) as compiled:
        return compiled.manifest



def cache_summary(kb_root: Path | str) -> dict:
    """What ``cache info`` shows: where the cache is, its size, and whether it matches the files."""
    import datetime as dt

    cache = CacheFolder(Path(kb_root))
    summary: dict = {"knowledge base": str(cache.kb_root), "cache": str(cache.folder)}
    if not cache.folder.is_dir():
        return {**summary, "state": "empty"}
    if not is_ours(cache.folder):
        return {**summary, "state": "not a cache folder alliancegraph made: left as it is"}
    with cache.lock.held(exclusive=False):
        manifest = cache.read_manifest() or {}
        fresh = CompiledStore._open_fresh(cache) is not None
        damage = cache.store_damage(str(manifest["store"])) if manifest.get("store") else None
        summary["size (MB)"] = round(cache.size() / 2**20, 1)
    built = manifest.get("built_at")
    state = ("up to date" if fresh else f"damaged: {damage}; built again when next needed" if damage
             else "out of date" if manifest else "empty")
    return {
        **summary,
        "state": state,
        "files": len(manifest.get("files", {})),
        "source texts": len(manifest.get("texts", {})),
        "built": dt.datetime.fromtimestamp(built).isoformat(timespec="seconds") if built else None,
    }
