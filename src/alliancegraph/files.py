"""Writing files so that nothing is lost: to a temporary file, then renamed into place.

A command that fails or is interrupted halfway leaves the previous good file
untouched; readers never see half a file. Inside :func:`all_or_nothing`, the
renames wait until the whole block has succeeded, so that a command writing
several files (``build``) leaves either all the new ones or all the old ones.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import secrets
from pathlib import Path
from typing import IO, Iterator


#: Renames waiting for the end of an :func:`all_or_nothing` block: (temporary, path).
_PENDING: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("pending_renames", default=None)


@contextlib.contextmanager
def atomic_writer(path: Path | str, mode: str = "w", encoding: str | None = "utf-8", durable: bool = True) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    ``durable=False`` skips the fsync, for caches that are checked when read
    and rebuilt when damaged.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, temporary = _create_temporary(path)
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        pending = _PENDING.get()
        if pending is None:
            os.replace(temporary, path)
        else:
            pending.append((temporary, path))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Write several files as one: every atomic write in the block is renamed into
    place only when the block ends without an error; otherwise none is, and the
    temporary files are removed."""
    pending: list[tuple[str, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
        _PENDING.reset(token)
        token = None
        for temporary, path in pending:
            os.replace(temporary, path)
    finally:
        if token is not None:
            _PENDING.reset(token)
        for temporary, _ in pending:  # left over only when the block failed
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def write_atomic(path: Path | str, content: str | bytes, durable: bool = True) -> Path:
    """Write ``content`` to ``path`` atomically; return the path."""
    mode = "wb" if isinstance(content, bytes) else "w"
    with atomic_writer(path, mode, durable=durable) as handle:
        handle.write(content)
    return Path(path)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, exclusive temporary file beside ``path``.

    Created with mode 0666 so the process umask applies, as for any file the
    user writes (``mkstemp`` would make it 0600; reading the umask to widen it
    would briefly change it for every thread).
    """
    for _ in range(100):
        temporary = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")
