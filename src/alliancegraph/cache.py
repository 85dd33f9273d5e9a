"""Where compiled knowledge bases are cached, and how the cache is kept safe.

Each knowledge base folder gets its own folder under the cache root
(``$ALLIANCEGRAPH_CACHE``, else ``$XDG_CACHE_HOME/alliancegraph``, else
``~/.cache/alliancegraph``), named after the folder and a digest of its
absolute path. Inside it:

``CACHEDIR.TAG``
    The mark of a folder this tool made (the Cache Directory Tagging
    Specification, which backup tools also honour): ``cache clear`` deletes
    only folders that carry it, and a folder of that name without it is
    never written into.
``manifest.json``
    Written last, by atomic rename: the file digests the cache was built
    from, the store folder that holds the compiled graph, a state, and a
    checksum of all that. A missing, unreadable, foreign or damaged manifest
    means "build from scratch".
``seal.json``
    The store folder's files (size, times, SHA-256) and a few of its quads,
    recorded when it was built: a store whose files no longer match, or that
    lost what it held, is damaged, and is built again instead of answering.
``lock``
    An advisory ``flock``: readers share it, a build takes it alone, so two
    commands never write at once and nobody reads a half-updated store.
``store-*/``, ``records/``, ``*.marshal``
    The Oxigraph store and what rebuilding it incrementally needs;
    ``network-*.marshal`` holds the network graph, for Python queries,
    ``ties-*.marshal`` its ties, for ``path`` and ``blocs``, and
    ``assertions/`` the validated assertions, one part per file, from which
    commands assemble the knowledge base without validating it again (an
    update writes the changed file's part alone). Each side file starts with
    the SHA-256 of what follows: a damaged one reads as missing.

Beside those folders, the cache root holds one file of its own,
``saved-queries.marshal``: the ``#+`` decorators of the saved queries read
before, parsed, by the digest of their text (:mod:`alliancegraph.queries`).
``cache clear --all`` deletes it with the folders.

Nothing here is ever unpickled: side files are ``marshal`` data (plain
values only) and JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import AllianceGraphError
from .files import write_atomic

CACHE_ENV = "ALLIANCEGRAPH_CACHE"
MANIFEST = "manifest.json"
SEAL = "seal.json"
LOCK = "lock"
#: The Cache Directory Tagging Specification's file, and the line that says this tool wrote it.
TAG = "CACHEDIR.TAG"
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
TAG_OWNER = "# This file is a cache directory tag created by alliancegraph: its compiled store of one knowledge base."
#: Set (under the shared lock) by a command that found the store damaged while reading it.
DAMAGED = "damaged"
#: Store files that change without the store changing (the engine's log and its lock).
UNSEALED = re.compile(r"^(LOG.*|LOCK)$")
#: How many quads a seal keeps, to check that the store still holds what it was built with.
SAMPLE_QUADS = 3
#: What a command tells a user whose cache could not be repaired.
CLEAR_HINT = "run `alliancegraph cache clear` and try again"
#: The compiler that wrote the parse results, and the parse results it keys by file content.
PARSED_BY = "parsed-by"
INDEX_PARTS = "index-parts.marshal"
#: The folder of each file's validated assertions, one part per file (:mod:`alliancegraph.sidefiles`).
ASSERTIONS = "assertions"
#: In the cache root: the saved queries' decorators, parsed (see the module docs).
SAVED_QUERIES = "saved-queries.marshal"

try:  # POSIX; elsewhere the cache works unlocked (one command at a time)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class CacheError(AllianceGraphError):
    """The cache folder cannot be used (permissions, a full disk)."""


def cache_root() -> Path:
    """The folder all knowledge-base caches live under."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "alliancegraph"


def cache_dir_for(kb_root: Path) -> Path:
    """The cache folder of one knowledge base: its name plus a digest of its absolute path."""
    resolved = Path(kb_root).resolve()
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:16]  # the path's bytes: any name a folder may have
    # The store's engine takes only UTF-8 paths: the name keeps the folder's ASCII letters and digits.
    name = re.sub(r"[^A-Za-z0-9._-]", "_", resolved.name) or "kb"
    return cache_root() / f"{name}-{digest}"


def fresh_token() -> str:
    """A fresh random part for the name of a store folder or side file: a name no reader has seen."""
    import secrets

    return secrets.token_hex(6)


def file_digest(path: Path | str) -> str:
    """The SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_digests(paths: list[Path]) -> list[str]:
    """The SHA-256 of each file's bytes, two files at a time: hashing and reading let go of Python's
    lock, so a new store's files (hundreds of megabytes) take half the time."""
    if len(paths) < 2:
        return [file_digest(path) for path in paths]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2, thread_name_prefix="seal") as pool:
        return list(pool.map(file_digest, paths))


def dump_marshal(value: Any) -> bytes:
    """A side file's bytes: the SHA-256 of the marshal data, then the data (ValueError for
    a value marshal cannot hold)."""
    payload = marshal.dumps(value)
    return hashlib.sha256(payload).digest() + payload


def read_marshal(path: Path) -> Any | None:
    """A side file's value, or None when it is missing, or damaged (its checksum differs)."""
    try:
        content = path.read_bytes()
        checksum, payload = content[:32], content[32:]
        if len(checksum) < 32 or hashlib.sha256(payload).digest() != checksum:
            return None
        return marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` (not a link) carries the tag this tool writes into the folders it makes."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        with open(folder / TAG, "rb") as handle:
            head = handle.read(len(TAG_SIGNATURE) + len(TAG_OWNER) + 2).decode("utf-8", "replace")
    except OSError:
        return False
    return head.splitlines()[:2] == [TAG_SIGNATURE, TAG_OWNER]


def _tag_text(kb_root: Path) -> str:
    return (f"{TAG_SIGNATURE}\n{TAG_OWNER}\n# For information about cache directory tags, see https://bford.info/cachedir/\n"
            f"# Knowledge base: {os.fsdecode(kb_root)!r}\n")


class Lock:
    """An advisory lock on a cache folder: shared for readers, exclusive for builders."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK
        self.fd: int | None = None

    def acquire(self, exclusive: bool) -> Lock:
        if self.fd is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as error:
                raise CacheError(f"cannot use the cache folder {self.path.parent}: {error.strerror}") from None
        if fcntl is not None:
            fcntl.flock(self.fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        return self

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None

    @contextlib.contextmanager
    def held(self, exclusive: bool) -> Iterator[Lock]:
        self.acquire(exclusive)
        try:
            yield self
        finally:
            self.release()


class CacheFolder:
    """The cache folder of one knowledge base: its manifest and side files."""

    def __init__(self, kb_root: Path, folder: Path | None = None):
        self.kb_root = Path(kb_root).resolve()
        self.folder = folder if folder is not None else cache_dir_for(self.kb_root)
        self.lock = Lock(self.folder)

    def claim(self) -> None:
        """Make sure the folder is one this tool made: create it, tagged, when missing; tag one
        left empty or made by an earlier version (it holds this knowledge base's manifest);
        refuse anything else, which is never written into."""
        if is_ours(self.folder):
            return
        try:
            if not self.folder.is_symlink():
                self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                if self._made_by_an_earlier_version():
                    write_atomic(self.folder / TAG, _tag_text(self.kb_root), durable=False)
                    return
        except OSError as error:
            raise CacheError(f"cannot use the cache folder {self.folder}: {error.strerror or error}") from None
        # A command that made the folder tags it before it writes anything else into it: what
        # looked foreign a moment ago may be its work, tagged since the first look.
        if is_ours(self.folder):
            return
        raise CacheError(f"{self.folder} exists and is not a cache folder alliancegraph made (it has no {TAG}); "
                         f"it is left as it is: remove it, or set ${CACHE_ENV} to another folder")

    def _made_by_an_earlier_version(self) -> bool:
        children = {child.name for child in self.folder.iterdir() if not child.name.startswith(".")}
        if children <= {LOCK}:  # empty, or only being tagged by another command (its temporary file is hidden)
            return True
        manifest = self.read_manifest(verify=False)
        return manifest is not None and manifest.get("kb") == os.fsdecode(self.kb_root)

    @property
    def records(self) -> Path:
        return self.folder / "records"

    def read_manifest(self, verify: bool = True) -> dict | None:
        """The manifest, or None when it is missing, unreadable or damaged (then everything is rebuilt)."""
        try:
            content = (self.folder / MANIFEST).read_bytes()
        except OSError:
            return None
        if verify and not _checksum_holds(content):
            return None
        try:
            manifest = json.loads(content)
        except ValueError:
            return None
        if not isinstance(manifest, dict):
            return None
        manifest.pop("checksum", None)
        return manifest

    def manifest_stamp(self) -> tuple[int, ...] | None:
        """What tells, without reading it, that the manifest was not written since: it is always
        replaced by a rename, so a new one is a new file (None when there is none)."""
        try:
            status = (self.folder / MANIFEST).stat()
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns

    def write_manifest(self, manifest: dict) -> None:
        manifest = {key: value for key, value in manifest.items() if key != "checksum"}
        # One line: json writes an indented document with its slower encoder, and the manifest lists every file.
        body = json.dumps(manifest, sort_keys=True).encode("utf-8")
        rest = b'", ' + body[1:] if manifest else b'"}'
        self.write(MANIFEST, _CHECKSUM_HEAD + hashlib.sha256(rest).hexdigest().encode("ascii") + rest)

    def _read_json(self, name: str) -> dict | None:
        try:
            value = json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    # -- the store's seal -----------------------------------------------------------------

    def seal(self, store_name: str, sample: list[str]) -> None:
        """Record the store folder's files, and ``sample`` (N-Quads lines it holds), beside it.

        Each file is recorded as [size, modification time, SHA-256, change
        time]. The change time (ctime) is the one no program can set back: a
        file written and given its old modification time again still shows a
        new one. Files unchanged since the last seal (same name, size and times:
        the engine never rewrites a table file) keep their digest, so sealing
        after a small update hashes only the new files.
        """
        old = self._read_json(SEAL) or {}
        known = old.get("files", {}) if old.get("store") == store_name else {}
        times = {name: _times(status) for name, status in self._store_files(store_name).items()}
        digests = {}
        for name, file_times in times.items():
            before = known.get(name)
            if isinstance(before, list) and len(before) == 4 and [before[0], before[1], before[3]] == file_times:
                digests[name] = before[2]
        new = [name for name in times if name not in digests]
        digests.update(zip(new, file_digests([self.folder / store_name / name for name in new])))
        files = {name: [size, mtime_ns, digests[name], ctime_ns] for name, (size, mtime_ns, ctime_ns) in times.items()}
        self.write(SEAL, json.dumps({"store": store_name, "files": files, "sample": sample}, indent=1,
                                    sort_keys=True).encode("utf-8"))
        with contextlib.suppress(FileNotFoundError):
            (self.folder / DAMAGED).unlink()

    def store_damage(self, store_name: str) -> str | None:
        """What is wrong with the store folder, compared with its seal; None when it is intact."""
        if (self.folder / DAMAGED).exists():
            return "a command found it damaged while reading it"
        seal = self._read_json(SEAL)
        if seal is None or seal.get("store") != store_name or not isinstance(seal.get("files"), dict):
            return "it has no seal to check it against"
        recorded: dict = seal["files"]
        try:
            current = self._store_files(store_name)
        except OSError:
            return "its folder cannot be read"
        if set(current) != set(recorded):
            return "files are missing or were added"
        moved = {}
        for name, status in current.items():
            size, mtime_ns, digest, ctime_ns = (list(recorded[name]) + [None] * 4)[:4]
            if status.st_size != size:
                return f"{name} changed size"
            times = _times(status)
            if times != [size, mtime_ns, ctime_ns]:
                if file_digest(self.folder / store_name / name) != digest:
                    return f"{name} changed"
                moved[name] = [times[0], times[1], digest, times[2]]
        if moved:
            self._reseal(seal, moved)
        return None

    def _reseal(self, seal: dict, moved: dict[str, list]) -> None:
        """Record the new times of store files found to hold what the seal says (a cache copied or
        restored from a backup has new change times): hashed once, not again at every command. A
        folder that cannot be written is left as it is, and hashed again next time."""
        resealed = {**seal, "files": {**seal["files"], **moved}}
        with contextlib.suppress(OSError):
            self.write(SEAL, json.dumps(resealed, indent=1, sort_keys=True).encode("utf-8"))

    def sealed_sample(self) -> list[str]:
        sample = (self._read_json(SEAL) or {}).get("sample")
        return sample if isinstance(sample, list) and all(isinstance(line, str) for line in sample) else []

    def mark_damaged(self) -> None:
        """Say that the store is damaged: the next command builds it again (safe under the shared lock)."""
        with contextlib.suppress(OSError):
            (self.folder / DAMAGED).touch()

    def _store_files(self, store_name: str) -> dict[str, os.stat_result]:
        folder = self.folder / store_name
        return {child.name: child.stat() for child in folder.iterdir() if not UNSEALED.match(child.name)}

    def write(self, name: str, content: bytes) -> None:
        try:
            write_atomic(self.folder / name, content)
        except OSError as error:
            raise CacheError(f"cannot write the cache in {self.folder}: {error.strerror}") from None

    def read_marshal(self, name: str) -> Any | None:
        """A side file's value, or None when missing or damaged."""
        return read_marshal(self.folder / name)

    def write_marshal(self, name: str, value: Any) -> None:
        self.write(name, dump_marshal(value))

    def remove_unused(self, keep: set[str]) -> None:
        """Delete store folders, side files, assertion parts and records the manifest no longer names
        (and the single assertions file of earlier versions)."""
        import shutil

        for child in self.folder.glob("store-*"):
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
        parts, records = self.folder / ASSERTIONS, self.records
        for child in [*self.folder.glob("network-*"), *self.folder.glob("ties-*"), *self.folder.glob("assertions-*"),
                      *(parts.iterdir() if parts.is_dir() else ()), *(records.iterdir() if records.is_dir() else ())]:
            if child.name not in keep:
                with contextlib.suppress(OSError):
                    child.unlink()

    def remove_parts(self, names: Iterable[str]) -> None:
        """Delete assertion parts a failed build wrote (the manifest never named them)."""
        for name in names:
            with contextlib.suppress(OSError):
                (self.folder / ASSERTIONS / name).unlink()

    def keep_parse_results_of(self, code: str) -> None:
        """Drop the parse results (``records/``, the index parts) that another version of the
        compiler wrote: they are keyed by a file's content alone, and another parser may
        read the same content differently."""
        marker = self.folder / PARSED_BY
        try:
            if marker.read_text(encoding="utf-8") == code:
                return
        except (OSError, ValueError):
            pass
        import shutil

        shutil.rmtree(self.records, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.folder / INDEX_PARTS).unlink()
        self.write(PARSED_BY, code.encode("utf-8"))

    def size(self) -> int:
        """Bytes on disk."""
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


def _times(status: os.stat_result) -> list[int]:
    """A file's size, modification time and change time: what tells, without reading it, that it is as sealed."""
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns]


#: A manifest is one JSON object whose first member is the checksum, the SHA-256 of every byte after it:
#: a command checks the bytes it read, instead of encoding the manifest again to compare (it lists every
#: file of the knowledge base, and encoding it took a warm query ~4 ms at 5,000 source texts).
_CHECKSUM_HEAD = b'{"checksum": "'
_CHECKSUM_END = len(_CHECKSUM_HEAD) + 64


def _checksum_holds(content: bytes) -> bool:
    """Whether a manifest's bytes start with the checksum of the bytes that follow it."""
    checksum = content[len(_CHECKSUM_HEAD):_CHECKSUM_END]
    return content.startswith(_CHECKSUM_HEAD) and hashlib.sha256(content[_CHECKSUM_END:]).hexdigest().encode("ascii") == checksum


def clear(folder: Path) -> bool:
    """Delete one cache folder this tool made, waiting for commands that use it; True if it did.

    A folder without this tool's tag (see :func:`is_ours`) is left as it is.
    """
    import shutil

    if not is_ours(folder):
        return False
    lock = Lock(folder)
    with lock.held(exclusive=True):
        for child in folder.iterdir():
            if child.name in (LOCK, TAG):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()
    with contextlib.suppress(OSError):
        (folder / LOCK).unlink()
        if {child.name for child in folder.iterdir()} == {TAG}:  # the tag goes last, with the folder
            (folder / TAG).unlink()
            folder.rmdir()
    return True


def clear_all() -> list[Path]:
    """Delete every knowledge base's cache: the folders under the cache root this tool made,
    and its parsed saved queries (nothing else there is touched); return the folders removed."""
    root = cache_root()
    if not root.is_dir():
        return []
    with contextlib.suppress(OSError):
        (root / SAVED_QUERIES).unlink()
    return [folder for folder in sorted(root.iterdir()) if clear(folder)]


def unclaimed(root: Path | None = None) -> list[Path]:
    """The folders under the cache root that this tool did not make (``cache clear --all`` leaves them)."""
    root = root if root is not None else cache_root()
    try:
        return [child for child in sorted(root.iterdir()) if child.is_dir() and not is_ours(child)]
    except OSError:
        return []
