"""Whether a knowledge base's files changed since a build: their sizes, modification times and digests.

A build records each file's state in its manifest; a command compares the
files on disk with that record before trusting the compiled store. Sizes and
times decide when they can be trusted; a file modified within a timestamp
tick of a build is confirmed by its SHA-256.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import file_digest

#: A file modified this close to a build may have changed within one timestamp tick: confirm by digest.
RACY_SECONDS = 2.0


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
        if old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns and not _racy(stat.st_mtime_ns, built_at):
            states[key] = FileState(stat.st_size, stat.st_mtime_ns, old[2])
        else:
            states[key] = FileState(stat.st_size, stat.st_mtime_ns, file_digest(path))
    return states


def unchanged(paths: Iterable[Path | str], known: dict[str, list], built_at: float) -> bool:
    """Whether the files are exactly those recorded, with the same sizes, times and content.

    A file touched but not changed counts as changed once, so that the next
    build records its new time instead of every command hashing it again.
    Equivalent to comparing :func:`scan`'s states with the record, without hashing a file whose
    size or time already differ; every command checks thousands of files (one source text an
    article), so the loop does the least it can around each ``stat``.
    """
    keys = [os.fspath(p) for p in paths]
    if not isinstance(known, dict) or known.keys() != set(keys):
        return False
    try:
        for key in keys:
            recorded = known[key]
            if not isinstance(recorded, list) or len(recorded) != 3:
                return False
            stat = os.stat(key)
            if stat.st_size != recorded[0] or stat.st_mtime_ns != recorded[1]:
                return False
            if _racy(stat.st_mtime_ns, built_at) and file_digest(key) != recorded[2]:
                return False
    except OSError:
        return False
    return True


def _racy(mtime_ns: int, built_at: float) -> bool:
    """Whether a file was modified so close to the build that its size and time cannot be trusted."""
    return mtime_ns / 1e9 >= built_at - RACY_SECONDS

