"""Where compiled knowledge bases are cached, and how the cache is kept safe.

Each knowledge base folder gets its own folder under the cache root
(``$ALLIANCEGRAPH_CACHE``, else ``$XDG_CACHE_HOME/alliancegraph``, else
``~/.cache/alliancegraph``), named after the folder and a digest of its
absolute path. Inside it:

``manifest.json``
    Written last, by atomic rename: the file digests the cache was built
    from, the store folder that holds the compiled graph, and a state. A
    missing, unreadable or foreign manifest means "build from scratch".
``lock``
    An advisory ``flock``: readers share it, a build takes it alone, so two
    commands never write at once and nobody reads a half-updated store.
``store-*/``, ``records/``, ``*.marshal``
    The Oxigraph store and what rebuilding it incrementally needs;
    ``network-*.marshal`` holds the network's edges, for Python queries.

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
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import AllianceGraphError
from .files import write_atomic

CACHE_ENV = "ALLIANCEGRAPH_CACHE"
MANIFEST = "manifest.json"
LOCK = "lock"
#: The compiler that wrote the parse results, and the parse results it keys by file content.
PARSED_BY = "parsed-by"
INDEX_PARTS = "index-parts.marshal"

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


def file_digest(path: Path | str) -> str:
    """The SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_marshal(path: Path) -> Any | None:
    """A marshal file's value, or None when missing or damaged."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


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

    @property
    def records(self) -> Path:
        return self.folder / "records"

    def read_manifest(self) -> dict | None:
        """The manifest, or None when it is missing or unreadable (then everything is rebuilt)."""
        try:
            manifest = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return manifest if isinstance(manifest, dict) else None

    def write_manifest(self, manifest: dict) -> None:
        self.write(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8"))

    def write(self, name: str, content: bytes) -> None:
        try:
            write_atomic(self.folder / name, content)
        except OSError as error:
            raise CacheError(f"cannot write the cache in {self.folder}: {error.strerror}") from None

    def read_marshal(self, name: str) -> Any | None:
        """A side file's value, or None when missing or damaged."""
        return read_marshal(self.folder / name)

    def write_marshal(self, name: str, value: Any) -> None:
        self.write(name, marshal.dumps(value))

    def remove_unused(self, keep: set[str]) -> None:
        """Delete store folders, network files and records the manifest no longer names."""
        for child in self.folder.glob("store-*"):
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
        for child in self.folder.glob("network-*"):
            if child.name not in keep:
                with contextlib.suppress(OSError):
                    child.unlink()
        for child in self.records.glob("*") if self.records.is_dir() else ():
            if child.name not in keep:
                with contextlib.suppress(OSError):
                    child.unlink()

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
        shutil.rmtree(self.records, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.folder / INDEX_PARTS).unlink()
        self.write(PARSED_BY, code.encode("utf-8"))

    def size(self) -> int:
        """Bytes on disk."""
        return sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())


def clear(folder: Path) -> bool:
    """Delete one cache folder, waiting for commands that use it; True if it existed."""
    if not folder.is_dir():
        return False
    lock = Lock(folder)
    with lock.held(exclusive=True):
        for child in folder.iterdir():
            if child.name == LOCK:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()
    with contextlib.suppress(OSError):
        (folder / LOCK).unlink()
        folder.rmdir()
    return True


def clear_all() -> list[Path]:
    """Delete every knowledge base's cache; return the folders removed."""
    root = cache_root()
    if not root.is_dir():
        return []
    return [folder for folder in sorted(root.iterdir()) if folder.is_dir() and clear(folder)]
