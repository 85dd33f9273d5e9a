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
``alliancegraph check`` reports.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import pyoxigraph

from .cache import CLEAR_HINT, SAMPLE_QUADS, CacheFolder, dump_marshal, file_digest, is_ours, read_marshal
from .dates import PartialDate
from .engine import OxigraphEngine
from .errors import AllianceGraphError, KnowledgeBaseError
from .model import Entity, Evidence, KnowledgeBase, Origin
from .paths import inside_kb
from .text import one_line
from .version import __version__

if TYPE_CHECKING:
    import networkx

    from .loading import ReferenceIndex
    from .network import Adjacency, EdgeRow

#: Bumped whenever the layout of the cache changes.
STORE_FORMAT = 2
#: Modules whose code decides what a file compiles to: a change to any of them rebuilds.
COMPILER_MODULES = ("loading", "rdf", "terms", "network", "ontology", "vocabulary", "model", "evidence", "dates", "store")
#: Below this many bytes of YAML to parse or compile, worker processes cost more than they save.
PARALLEL_BYTES = 4 * 1024 * 1024
#: A file modified this close to a build may have changed within one timestamp tick: confirm by digest.
RACY_SECONDS = 2.0

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


# -- what the files on disk are now ------------------------------------------------------


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    sha256: str

    def as_list(self) -> list:
        return [self.size, self.mtime_ns, self.sha256]


def scan(paths: Iterable[Path | str], known: dict[str, list], built_at: float) -> dict[str, FileState]:
    """Each file's size, time and digest; the digest is reused when size and time are unchanged."""
    states = {}
    for path in paths:
        key = os.fspath(path)
        stat = os.stat(key)
        old = known.get(key)
        racy = stat.st_mtime_ns / 1e9 >= built_at - RACY_SECONDS
        if old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns and not racy:
            states[key] = FileState(stat.st_size, stat.st_mtime_ns, old[2])
        else:
            states[key] = FileState(stat.st_size, stat.st_mtime_ns, file_digest(path))
    return states


def unchanged(paths: Iterable[Path | str], known: dict[str, list], built_at: float) -> bool:
    """Whether the files are exactly those recorded, with the same sizes, times and content.

    A file touched but not changed counts as changed once, so that the next
    build records its new time instead of every command hashing it again.
    """
    paths = list(paths)
    if {os.fspath(p) for p in paths} != set(known):
        return False
    try:
        current = scan(paths, known, built_at)
    except OSError:
        return False
    return all(current[key].as_list() == list(known[key]) for key in known)


# -- per-file work: parse, then validate and compile ----------------------------------------


def index_part(data: dict) -> dict:
    """What other files depend on in one file: its sources, entities and offices."""
    part = {key: data[key] for key in ("sources", "entities") if key in data}
    offices = [r for r in data.get("assertions", ()) if isinstance(r, dict) and r.get("relation") == "holds-office"]
    if offices:
        part["assertions"] = offices
    return part


@dataclass
class Parsed:
    """One file after parsing: clean or not, and what the index needs of it."""

    path: str
    sha256: str
    clean: bool
    part: dict


def parse_to_records(path: str, sha256: str, records: Path) -> Parsed:
    """Parse one YAML file and cache its sections as ``records/<sha256>``."""
    from .loading import parse_file

    parsed = parse_file(Path(path))
    clean = parsed.syntax is None and not parsed.problems
    if clean:
        try:
            payload = dump_marshal(parsed.data)
        except ValueError:  # a value marshal cannot hold (an explicit !!timestamp): parse again next time
            payload = None
        if payload is not None:
            from .files import write_atomic

            write_atomic(records / sha256, payload, durable=False)
    return Parsed(path, sha256, clean, index_part(parsed.data) if clean else {})


def _parse(path: str) -> dict:
    """A file's sections, parsed again (its records could not be cached)."""
    from .loading import parse_file

    return parse_file(Path(path)).data


def read_records(records: Path, sha256: str) -> dict | None:
    data = read_marshal(records / sha256)
    return data if isinstance(data, dict) else None


@dataclass
class Index:
    """Everything a file's records may refer to, built from every file's index part."""

    index: ReferenceIndex
    offices: KnowledgeBase  # entities, sources and the offices: enough to say who speaks for whom
    clean: bool
    cached: bool = False  # read back from the last build rather than validated now


def build_index(kb_root: Path, parts: dict[str, dict]) -> Index:
    """Validate the sources, entities and offices of every file, as ``check`` does.

    Quotes are left unchecked here: an office's quote is checked when its own
    file is compiled, which happens whenever the file or the index changes.
    """
    from .loading import ParsedFile, Validator, index_files, validated_assertions

    class IndexValidator(Validator):
        def check_quote(self, values: dict, path: tuple, label: str):
            return None

    thin = [ParsedFile(Path(path), "", data=dict(part)) for path, part in parts.items()]
    index, validators, registry = index_files(thin, IndexValidator, root=kb_root)
    offices = validated_assertions(validators, registry)
    clean = not any(p.problems or p.syntax for p in thin)
    return Index(index, KnowledgeBase(kb_root, index.entities, index.sources, offices), clean)


@dataclass
class Compiled:
    """One file compiled: its triples as N-Triples bytes, the assertion ids it defines and their network edges.

    ``shareable`` holds the lines another file may give too (truthy triples,
    :func:`alliancegraph.rdf.truthy_lines`), ``ntriples`` all the others.
    """

    path: str
    clean: bool
    ids: list[str]
    ntriples: bytes
    shareable: bytes
    edges: list[EdgeRow]
    assertions: list[list]  # the validated assertions as rows (objects_to_rows)

    @property
    def all_lines(self) -> bytes:
        return self.ntriples + self.shareable


@dataclass
class Validated:
    """One file's records as model objects, and whether they had problems."""

    sources: list
    entities: list
    assertions: list
    clean: bool


def validate_records(path: str, data: dict, index: Index) -> Validated:
    """Check one file's records against the index, as ``check`` does."""
    from .loading import ParsedFile, Validator

    parsed = ParsedFile(Path(path), "", data=data)
    validator = Validator(parsed, index.index)
    sources = [source for source, _ in validator.sources()]
    entities = [entity for entity, _ in validator.entities()]
    validator.entity_references()
    assertions = [assertion for assertion, _ in validator.assertions()]
    return Validated(sources, entities, assertions, not parsed.problems)


def compile_records(path: str, data: dict, index: Index) -> Compiled:
    """Validate one file's records against the index and compile them to N-Triples."""
    from .network import edge_row
    from .rdf import record_lines, truthy_lines

    validated = validate_records(path, data, index)
    lines = record_lines(validated.sources, validated.entities, validated.assertions, index.offices, truthy=False)
    shareable = (line for a in validated.assertions for line in truthy_lines(a))
    edges = [edge_row(index.offices, a) for a in validated.assertions]
    return Compiled(path, validated.clean, [a.id for a in validated.assertions], "".join(lines).encode("utf-8"),
                    "".join(shareable).encode("utf-8"), edges, objects_to_rows(validated.assertions))


def line_digests(ntriples: bytes) -> set[int]:
    """The digest of each distinct line."""
    return {_digest(line) for line in set(ntriples.split(b"\n")) if line}


def _digest(line: bytes) -> int:
    """A stable 64-bit digest of one line."""
    return int.from_bytes(hashlib.blake2b(line, digest_size=8).digest(), "big")


# -- worker processes ------------------------------------------------------------------------
#
# Workers are forked, so they inherit the index built in the parent without
# copying it; each task names a file and returns plain data.

_WORKER: dict = {}


def _parse_task(task: tuple[str, str]) -> Parsed:
    path, sha256 = task
    return parse_to_records(path, sha256, _WORKER["records"])


def _compile_task(task: tuple[str, str]) -> tuple[Compiled, bytes]:
    path, sha256 = task
    data = read_records(_WORKER["records"], sha256)
    compiled = compile_records(path, data if data is not None else _parse(path), _WORKER["index"])
    from array import array

    return compiled, array("Q", line_digests(compiled.shareable)).tobytes()


@contextlib.contextmanager
def worker_results(function, tasks: list, size: int, **state) -> Iterator[Iterator]:
    """Results of ``function`` over ``tasks``, in order: from two forked workers when the work is large.

    At most a few results wait to be consumed, so memory stays bounded when
    the consumer is slower than the workers.
    """
    _WORKER.clear()
    _WORKER.update(state)
    processes = min(2, os.cpu_count() or 1)
    import multiprocessing  # only a large build needs it: a query's start-up does without

    if size < PARALLEL_BYTES or processes < 2 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield map(function, tasks)
        return
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield _bounded(pool, function, tasks, window=2 * processes)


def _bounded(pool, function, tasks: list, window: int) -> Iterator:
    remaining = iter(tasks)
    pending: deque = deque(pool.apply_async(function, (task,)) for _, task in zip(range(window), remaining))
    while pending:
        result = pending.popleft().get()
        for task in remaining:
            pending.append(pool.apply_async(function, (task,)))
            break
        yield result


# -- building -----------------------------------------------------------------------------------


class Builder:
    """Brings one knowledge base's cache up to date (the caller holds the exclusive lock)."""

    def __init__(self, cache: CacheFolder, progress: Progress | None = None):
        self.cache = cache
        self.kb_root = cache.kb_root
        self.progress = progress or (lambda stage, done, total: None)
        self.records = cache.records

    def refresh(self, manifest: dict | None) -> dict:
        """Rebuild what changed; return the new manifest (already written)."""
        started = time.time()
        code = code_digest()
        self.cache.keep_parse_results_of(code)
        if manifest is not None and (manifest.get("code") != code or manifest.get("state") != "ready"):
            manifest = None
        old_files = manifest["files"] if manifest else {}
        paths = self._discover()
        files = scan(paths, old_files, manifest["built_at"] if manifest else 0.0)
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
        self.cache.remove_unused({store_name, *side.values()} | {s.sha256 for s in files.values()})
        return new_manifest

    def _discover(self) -> list[Path]:
        from .loading import discover

        if not self.kb_root.exists():
            self._fail()
        paths = [p.resolve() for p in discover(self.kb_root)]
        if not paths or not all(inside_kb(p, self.kb_root) for p in paths):
            self._fail()
        return paths

    def _fail(self) -> NoReturn:
        """Report exactly what ``check`` reports (a build only needs to know that something is wrong)."""
        from .loading import check

        _, problems = check(self.kb_root)
        if not problems:  # pragma: no cover - the build and check disagree: a bug
            raise StoreError("the compiled store and the loader disagree about the knowledge base")
        raise KnowledgeBaseError(problems)

    def _index_parts(self, files: dict[str, FileState], old_files: dict[str, list]) -> dict[str, dict]:
        """Every file's index part: cached for unchanged files, parsed for the others."""
        cached = self.cache.read_marshal("index-parts.marshal") or {}
        parts: dict[str, dict] = {}
        to_parse = []
        for path, state in files.items():
            known = cached.get(path)
            if known is not None and known[0] == state.sha256 and (self.records / state.sha256).exists():
                parts[path] = known[1]
            else:
                to_parse.append((path, state.sha256))
        size = sum(files[path].size for path, _ in to_parse)
        with worker_results(_parse_task, to_parse, size, records=self.records) as results:
            for done, parsed in enumerate(results, start=1):
                if not parsed.clean:
                    break
                parts[parsed.path] = parsed.part
                self.progress("Parsing", done, len(to_parse))
        if any(path not in parts for path in files):
            self._fail()
        ordered = {path: parts[path] for path in files}  # the loader's order: sorted paths
        self.cache.write_marshal("index-parts.marshal", {p: [files[p].sha256, part] for p, part in ordered.items()})
        return ordered

    def _texts(self, index: Index, manifest: dict | None) -> dict[str, FileState]:
        paths = sorted({s.file for s in index.index.sources.values() if s.file is not None})
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

    def _save_index(self, index: Index) -> None:
        self.cache.write_marshal("index.marshal", {
            "entities": objects_to_rows(index.index.entities.values()),
            "sources": objects_to_rows(index.index.sources.values()),
            "offices": objects_to_rows(index.offices.assertions),
        })

    def _compile(self, path: str, sha256: str, index: Index, current: bool) -> Compiled:
        """Compile a file's cached records; parse it again only if it is the ``current`` version."""
        data = read_records(self.records, sha256)
        if data is None and not current:
            raise _Stale
        return compile_records(path, data if data is not None else _parse(path), index)

    # -- from scratch ------------------------------------------------------------------------

    def _build(self, files: dict[str, FileState], index: Index) -> tuple[str, dict[str, str]]:
        """Compile every file into a new store folder; return its name and the side files' (:data:`SIDE_FILES`)."""
        import shutil
        from array import array

        from .network import adjacency
        from .ontology import ontology_lines

        name = f"store-{_token()}"
        folder = self.cache.folder / name
        tasks = [(path, state.sha256) for path, state in files.items()]
        ontology = "".join(ontology_lines()).encode("utf-8")
        # Only truthy triples can come from two files: only they are digested and counted.
        seen, shared, ids = set[int](), dict[int, int](), dict[str, str]()
        edges: list[EdgeRow] = []
        assertions: dict[str, list] = {}
        size = sum(s.size for s in files.values())
        # The workers are forked before the store opens: a fork must not copy a live database.
        with worker_results(_compile_task, tasks, size, records=self.records, index=index) as results:
            store: pyoxigraph.Store | None = None
            batch: _Batch | None = None
            try:
                store = pyoxigraph.Store(str(folder))
                store.bulk_load(ontology, pyoxigraph.RdfFormat.N_TRIPLES)
                batch = _Batch(store)
                for done, (compiled, digests) in enumerate(results, start=1):
                    if not compiled.clean or not _add_ids(ids, compiled):
                        raise _Broken
                    batch.add(compiled.ntriples)
                    batch.add(compiled.shareable)
                    edges += compiled.edges
                    assertions[compiled.path] = compiled.assertions
                    _count_shared(seen, shared, array("Q", digests))
                    self.progress("Compiling", done, len(tasks))
                batch.load()
                store.flush()
                # Bulk loading leaves many small files; compacting them halves query times.
                self.progress("Optimizing", 0, 1)
                store.optimize()
                self.progress("Optimizing", 1, 1)
                del store
            except BaseException as error:
                # Drop the last references, which closes the database, before deleting its folder.
                store = batch = None  # noqa: F841
                shutil.rmtree(folder, ignore_errors=True)
                if isinstance(error, OSError):  # the disk is full, the folder is not writable...
                    raise StoreError(f"cannot write the compiled store in {self.cache.folder}: {error}") from None
                if not isinstance(error, _Broken):
                    raise
                broken = True
            else:
                broken = False
        if broken:
            self._fail()
        self.cache.write_marshal("shared.marshal", shared)
        self.cache.write_marshal("ids.marshal", ids)
        self.cache.write_marshal("entities.marshal", entity_table(index.index.entities.values()))
        self._save_index(index)
        return name, self._write_sides(adjacency(index.index.entities.values(), edges), assertions)

    def _seal(self, store_name: str) -> None:
        """Record the store's files and a few quads it holds, to tell later that it is intact."""
        try:
            store = pyoxigraph.Store.read_only(str(self.cache.folder / store_name))
            sample = sample_quads(store)
            del store
        except (OSError, RuntimeError) as error:  # a store kept from before was damaged: build it anew
            raise _Stale(one_line(str(error))) from None
        self.cache.seal(store_name, sample)

    # -- one file at a time --------------------------------------------------------------------

    def _update(self, store_name: str, manifest: dict, changed: list[str], files: dict[str, FileState],
                old_files: dict[str, list], index: Index) -> dict[str, str]:
        """Apply each changed file's difference to the store in place; return the side files' names."""
        from .network import change_edges

        if not changed and all(side_file(self.cache, manifest, kind) for kind in SIDE_FILES):
            return {kind: manifest[kind] for kind in SIDE_FILES}
        network, assertions = read_network(self.cache, manifest), read_side(self.cache, manifest, "assertions")
        if network is None or not isinstance(assertions, dict):
            raise _Stale
        ids = self.cache.read_marshal("ids.marshal")
        shared = self.cache.read_marshal("shared.marshal")
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
        manifest = self.cache.read_manifest() or {}
        self.cache.write_manifest({**manifest, "state": "updating"})
        try:
            store = pyoxigraph.Store(str(self.cache.folder / store_name))
            for done, (old, new) in enumerate(deltas, start=1):
                apply_difference(store, old.all_lines if old else b"", new.all_lines if new else b"", shared)
                self.progress("Updating", done, len(deltas))
            store.flush()
        except (OSError, RuntimeError):  # damaged: build from scratch
            raise _Stale from None
        del store
        self.cache.write_marshal("shared.marshal", shared)
        self.cache.write_marshal("ids.marshal", ids)
        if not index.cached:
            self.cache.write_marshal("entities.marshal", entity_table(index.index.entities.values()))
            self._save_index(index)
        removed = [edge for old, _ in deltas if old is not None for edge in old.edges]
        added = [edge for _, new in deltas if new is not None for edge in new.edges]
        change_edges(network, removed, added)
        for path in changed:
            assertions.pop(path, None)
        assertions.update((new.path, new.assertions) for _, new in deltas if new is not None)
        return self._write_sides(network, {path: assertions[path] for path in files})

    def _write_sides(self, network: Adjacency, assertions: dict[str, list]) -> dict[str, str]:
        """Write the side files of a build under new names (the manifest then names them); return the names.

        ``assertions`` holds each file's assertion rows, in the order of the manifest's files (the loader's).
        """
        names = {kind: f"{kind}-{_token()}.marshal" for kind in SIDE_FILES}
        self.cache.write_marshal(names["network"], network)
        self.cache.write_marshal(names["assertions"], assertions)
        return names


def _token() -> str:
    """A fresh random part for the name of a store folder or side file."""
    import secrets

    return secrets.token_hex(6)


#: What a build writes beside the store, under names the manifest gives: the network graph for Python
#: queries (:func:`alliancegraph.network.adjacency`), and each file's validated assertions as rows.
SIDE_FILES = ("network", "assertions")


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


def read_index(cache: CacheFolder) -> Index | None:
    """The index the last build saved (every file's sources, entities and offices), or None."""
    from .loading import ReferenceIndex
    from .model import Assertion, Source

    saved = cache.read_marshal("index.marshal")
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


class _Batch:
    """N-Triples gathered into large bulk loads: each load has a fixed cost of tens of milliseconds."""

    SIZE = 64 * 1024 * 1024

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, ntriples: bytes) -> None:
        self.chunks.append(ntriples)
        self.size += len(ntriples)
        if self.size >= self.SIZE:
            self.load()

    def load(self) -> None:
        if self.chunks:
            # lenient: the lines were generated from validated ids, so IRIs need no second check
            self.store.bulk_load(b"".join(self.chunks), pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
        self.chunks, self.size = [], 0


class _Broken(Exception):
    """A compiled file has problems: stop the build and report them as ``check`` would."""


class _Stale(Exception):
    """The cache's side files are missing or damaged: build from scratch."""


def _add_ids(ids: dict[str, str], compiled: Compiled) -> bool:
    """Record a file's assertion ids; False when one is already defined elsewhere."""
    for assertion_id in compiled.ids:
        if ids.setdefault(assertion_id, compiled.path) != compiled.path:
            return False
    return len(set(compiled.ids)) == len(compiled.ids)


def _count_shared(seen: set[int], shared: dict[int, int], digests) -> None:
    """Count the lines that more than one file produces (a file's digests are distinct)."""
    for digest in seen.intersection(digests):
        shared[digest] = shared.get(digest, 1) + 1
    seen.update(digests)


def apply_difference(store: pyoxigraph.Store, old: bytes, new: bytes, shared: dict[int, int]) -> None:
    """Change the store from a file's old triples to its new ones, keeping what other files also say."""
    old_lines = set(old.split(b"\n")) - {b""}
    new_lines = set(new.split(b"\n")) - {b""}
    removed, added = old_lines - new_lines, new_lines - old_lines
    to_delete = []
    for line in removed:
        digest = _digest(line)
        count = shared.get(digest, 1)
        if count > 2:
            shared[digest] = count - 1
        elif count == 2:
            del shared[digest]
        else:
            to_delete.append(line)
    to_insert = []
    for line in added:
        digest = _digest(line)
        if digest in shared:
            shared[digest] += 1
        elif _contains(store, line):
            shared[digest] = 2
        else:
            to_insert.append(line)
    if to_delete:
        store.update("DELETE DATA {\n" + b"\n".join(to_delete).decode("utf-8") + "\n}")
    if to_insert:
        store.load(b"\n".join(to_insert) + b"\n", pyoxigraph.RdfFormat.N_TRIPLES)


def _contains(store: pyoxigraph.Store, line: bytes) -> bool:
    triple = next(iter(pyoxigraph.parse(line, pyoxigraph.RdfFormat.N_TRIPLES)))
    return pyoxigraph.Quad(triple.subject, triple.predicate, triple.object) in store


# -- telling an intact store from a damaged one ------------------------------------------------------


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


# -- model objects as plain rows (marshal holds no dataclasses, and nothing is unpickled) ----------


def objects_to_rows(objects: Iterable) -> list[list]:
    """Dataclass instances as rows of plain values, one per field."""
    from dataclasses import fields

    return [[_plain(getattr(obj, f.name)) for f in fields(obj)] for obj in objects]


def rows_to_objects(cls, rows: list[list]) -> list:
    """The instances :func:`objects_to_rows` wrote; equal values (a file, a date) are built once."""
    built: dict[tuple, object] = {}

    def typed(value):
        if not isinstance(value, dict):
            return value
        [(kind, text)] = value.items()
        if kind == "evidence":
            return Evidence(*text)
        key = (kind, text)
        if key not in built:
            built[key] = _TYPES[kind](text)
        return built[key]

    return [cls(*map(typed, row)) for row in rows]


def _plain(value):
    if isinstance(value, PartialDate):
        return {"date": str(value)}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Origin):
        return {"origin": str(value.file)}
    if isinstance(value, Evidence):
        return {"evidence": [value.exact, value.start, value.end, value.prefix, value.suffix]}
    if value is None or isinstance(value, (str, int, tuple)):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


_TYPES: dict[str, Callable[[Any], object]] = {"date": PartialDate.parse, "path": Path, "origin": lambda text: Origin(Path(text))}


# -- the entity registry, without YAML --------------------------------------------------------


def entity_table(entities: Iterable[Entity]) -> list[tuple]:
    return [(e.id, e.label, e.type, e.aliases, e.wikidata, e.part_of, e.description) for e in entities]


def entities_from_table(rows: list) -> dict[str, Entity]:
    return {row[0]: Entity(row[0], row[1], row[2], tuple(row[3]), row[4], row[5], row[6]) for row in rows}


# -- opening ---------------------------------------------------------------------------------


class CompiledStore:
    """A knowledge base's compiled graph, opened read-only, and its entities.

    Holds the cache's shared lock until :meth:`close`, so no build changes
    the store while it is being read.
    """

    def __init__(self, cache: CacheFolder, store: pyoxigraph.Store, entities: dict[str, Entity], manifest: dict):
        self.cache = cache
        self.store = store
        self.entities = entities
        self.manifest = manifest

    @classmethod
    def open(cls, kb_root: Path | str, progress: Progress | None = None, cache_folder: Path | None = None) -> CompiledStore:
        """Open the compiled store of ``kb_root``, building or refreshing it first when needed."""
        cache = CacheFolder(Path(kb_root), cache_folder)
        cache.claim()
        cache.lock.acquire(exclusive=False)
        try:
            opened = cls._open_fresh(cache)
            if opened is None:
                cache.lock.acquire(exclusive=True)
                opened = cls._open_fresh(cache) or cls._rebuild(cache, progress)
                cache.lock.acquire(exclusive=False)
            return opened
        except BaseException:
            cache.lock.release()
            raise

    @classmethod
    def _open_fresh(cls, cache: CacheFolder) -> CompiledStore | None:
        """The store as cached, when the cache is complete and matches the files; else None."""
        from .loading import discover

        manifest = cache.read_manifest()
        if not manifest or manifest.get("state") != "ready" or manifest.get("code") != code_digest():
            return None
        try:
            files = [p.resolve() for p in discover(cache.kb_root)] if cache.kb_root.exists() else []
        except OSError:
            return None
        built_at = manifest.get("built_at", 0.0)
        if not unchanged(files, manifest.get("files", {}), built_at):
            return None
        texts = manifest.get("texts", {})
        if not isinstance(texts, dict) or not unchanged(list(texts), texts, built_at):
            return None
        table = cache.read_marshal("entities.marshal")
        if not isinstance(table, list) or not all(side_file(cache, manifest, kind) for kind in SIDE_FILES):
            return None
        return cls._open_intact(cache, manifest, table)

    @classmethod
    def _open_intact(cls, cache: CacheFolder, manifest: dict, table: list) -> CompiledStore | None:
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
        return cls(cache, store, entities_from_table(table), manifest)

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
        """The knowledge base, assembled from what the build saved: neither read nor validated again."""
        from .model import Assertion

        index = read_index(self.cache)
        saved = read_side(self.cache, self.manifest, "assertions")
        if index is not None and isinstance(saved, dict) and set(saved) == set(self.manifest["files"]):
            try:
                assertions = [a for path in saved for a in rows_to_objects(Assertion, saved[path])]
            except (TypeError, ValueError, KeyError):
                assertions = None
            if assertions is not None:
                files = tuple(Path(path) for path in saved)
                return KnowledgeBase(self.cache.kb_root, index.index.entities, index.index.sources, assertions, files)
        return self._validated_knowledge_base()

    def _validated_knowledge_base(self) -> KnowledgeBase:
        """The knowledge base, validated again from the cached parse results without reading YAML."""
        parts = self.cache.read_marshal("index-parts.marshal")
        if not isinstance(parts, dict) or set(parts) != set(self.manifest["files"]):
            from .loading import load

            return load(self.cache.kb_root)
        index = build_index(self.cache.kb_root, {path: part for path, (_, part) in parts.items()})
        assertions = []
        for path, (sha256, _) in parts.items():
            data = read_records(self.cache.records, sha256)
            assertions += validate_records(path, data if data is not None else _parse(path), index).assertions
        files = tuple(Path(path) for path in parts)
        return KnowledgeBase(self.cache.kb_root, index.index.entities, index.index.sources, assertions, files)

    def network(self) -> networkx.MultiDiGraph:
        """The knowledge base as a networkx graph (:func:`alliancegraph.network.to_networkx`),
        built from the edges cached beside the store; from the knowledge base when they are missing."""
        from .network import graph_from_adjacency, to_networkx

        network = read_network(self.cache, self.manifest)
        if network is None:
            return to_networkx(self.knowledge_base())
        return graph_from_adjacency(self.cache.kb_root, network)

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


# -- the engine ---------------------------------------------------------------------------------


class StoreEngine(OxigraphEngine):
    """The query engine over a knowledge base folder's compiled, cached store.

    The store is opened (and built or refreshed when the files changed) on
    first use. Python queries get the networkx graph built from the network
    edges cached beside the store, on first use too.
    """

    def __init__(self, kb_root: Path | str, progress: Progress | None = None):
        self.kb_root = Path(kb_root)
        self.progress = progress
        self._compiled: CompiledStore | None = None
        self._network: networkx.MultiDiGraph | None = None
        self._kb: KnowledgeBase | None = None

    @property
    def compiled(self) -> CompiledStore:
        if self._compiled is None:
            self._compiled = CompiledStore.open(self.kb_root, self.progress)
        return self._compiled

    @property
    def store(self) -> pyoxigraph.Store:
        return self.compiled.store

    @property
    def entities(self) -> dict[str, Entity]:  # type: ignore[override]
        return self.compiled.entities

    def network(self) -> networkx.MultiDiGraph:
        if self._network is None:
            self._network = self.compiled.network()
        return self._network

    def knowledge_base(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = self.compiled.knowledge_base()
        return self._kb

    def evaluation_failed(self, error: Exception) -> AllianceGraphError:
        """A store that fails while read is damaged (what else the engine could fail on, a
        SERVICE call, is refused before the query runs): the next command builds it again."""
        cache = self.compiled.cache
        cache.mark_damaged()
        return StoreError(f"the compiled store in {cache.folder} is damaged ({one_line(str(error))}); it is built again "
                          f"the next time a command needs it, or {CLEAR_HINT}")

    def close(self) -> None:
        if self._compiled is not None:
            self._compiled.close()
            self._compiled = None


# -- around the store ------------------------------------------------------------------------------


@contextlib.contextmanager
def dump_ntriples(compiled: CompiledStore) -> Iterator[IO[bytes]]:
    """The compiled graph as N-Triples in an anonymous temporary file, read from its start.

    The file has no name (or loses it at once): a command killed while using
    it leaves nothing behind, whatever the size of the graph.
    """
    import tempfile

    with tempfile.TemporaryFile(prefix="alliancegraph-", suffix=".nt") as handle:
        compiled.store.dump(handle, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        handle.seek(0)
        yield handle


@contextlib.contextmanager
def streamed_ntriples(compiled: CompiledStore, chunk_size: int = 1 << 20) -> Iterator[Iterator[bytes]]:
    """The compiled graph as N-Triples, in chunks read while the store writes them (no temporary file).

    The store writes into a pipe from a thread of its own; a failure there is raised
    where the chunks are read, before the last one, so an upload never ends as if whole.
    """
    import threading

    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open(write_end, "wb", buffering=chunk_size) as sink:
                compiled.store.dump(sink, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        except BrokenPipeError:  # the reader stopped (the upload failed): nothing more to write
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the reader, which raises it
            failures.append(error)

    writer = threading.Thread(target=write, name="alliancegraph-dump", daemon=True)
    source = open(read_end, "rb", buffering=0)

    def chunks() -> Iterator[bytes]:
        while chunk := source.read(chunk_size):
            yield chunk
        writer.join()
        if failures:
            raise StoreError(f"cannot read the compiled store: {failures[0]}")

    writer.start()
    try:
        yield chunks()
    finally:
        source.close()  # a writer still writing gets a broken pipe and stops
        writer.join()


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
