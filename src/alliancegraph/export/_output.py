"""Writing generated text to a file atomically: what every writer of the package shares."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..files import atomic_writer

__all__ = ["write_chunks"]


def write_chunks(path: Path | str, chunks: Iterable[str]) -> list[Path]:
    """Write ``chunks`` to ``path`` through a temporary file; return ``[path]``."""
    with atomic_writer(path) as handle:
        handle.writelines(chunks)
    return [Path(path)]
