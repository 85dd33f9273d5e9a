"""Writing files so that nothing is lost: to a temporary file, then renamed into place.

A command that fails or is interrupted halfway leaves the previous good file
untouched; readers never see half a file. Inside :func:`all_or_nothing`, the
renames wait until the whole block has succeeded, so that a command writing
several files (``build``) leaves either all the new ones or all the old ones.
A path that cannot be written is a :class:`WriteError` naming it.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import WriteError

#: Renames waiting for the end of an :func:`all_or_nothing` block: (temporary, path).
_PENDING: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar("pending_renames", default=None)


@contextlib.contextmanager
def atomic_writer(path: Path | str, mode: str = "w", encoding: str | None = "utf-8", durable: bool = True) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    A symbolic link stays a link: the file it points to is replaced. A pipe or
    a device (``-o /dev/stdout``) is written straight into, never renamed
    over. ``durable=False`` skips the fsync, for caches that are checked when
    read and rebuilt when damaged.
    """
    path = Path(path)
    # Text is written as given: no newline translation, so "\n" stays "\n" on every platform.
    options = {"encoding": None, "newline": None} if "b" in mode else {"encoding": encoding, "newline": ""}
    with _naming(path):
        kind = _existing_kind(path)
    if kind == "folder":
        raise WriteError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if kind == "special":  # a pipe or a device (/dev/stdout, /dev/null): nothing to keep, nothing to rename over
        with _naming(path):
            handle = open(path, mode, **options)
        with _naming(path, _NO_ROOM), handle:
            yield handle
        return
    if kind == "link":  # replace the file the link points to, and keep the link
        path = Path(os.path.realpath(path))
    with _naming(path):
        _make_parent(path)
        fd, temporary = _create_temporary(path)
    try:
        with _naming(path, _NO_ROOM), os.fdopen(fd, mode, **options) as handle:
            yield handle
            with _naming(path):
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
        pending = _PENDING.get()
        if pending is None:
            _replace(temporary, path)
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
    reset = False
    try:
        yield
        _PENDING.reset(token)
        reset = True
        for temporary, path in pending:
            _replace(temporary, path)
    finally:
        if not reset:
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


#: What a write into the file fails with when the disk cannot take the data.
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextlib.contextmanager
def _naming(path: Path, only: frozenset[int] | None = None) -> Iterator[None]:
    """Report a failed file operation (one of the ``only`` errnos, if given) as a
    :class:`WriteError` about ``path``, the file the user named, not the temporary
    file or the parent folder the operation was on."""
    try:
        yield
    except WriteError:
        raise
    except OSError as error:
        if only is not None and error.errno not in only:
            raise
        raise WriteError(error.errno, error.strerror, str(path)) from None


def _existing_kind(path: Path) -> str | None:
    """What ``path`` is now: None (nothing yet), "file", "link" (to a file), "folder" or "special"."""
    try:
        status = os.stat(path)  # follows links
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISDIR(status.st_mode):
        return "folder"
    if not stat.S_ISREG(status.st_mode):
        return "special"
    return "link" if os.path.islink(path) else "file"


def _make_parent(path: Path) -> None:
    """Create the folder ``path`` goes in; a file in the way means ``path`` is not in a folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise WriteError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path)) from None


def _replace(temporary: str, path: Path) -> None:
    with _naming(path):
        os.replace(temporary, path)


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


class RefusedRead(OSError):
    """A file not read: not a regular file, or larger than the reader takes. Its ``strerror``
    says why, as a failed read's does, so callers report both alike."""


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    A pipe, a device or a folder is refused without reading (a FIFO would block
    for ever, ``/dev/zero`` never ends), and so is a file larger than the limit,
    from its size before reading and again from what it gives (a file growing
    while read, a ``/proc`` file whose size says 0).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise RefusedRead(errno.EISDIR, "it is a folder, not a file", str(path))
        if not stat.S_ISREG(status.st_mode):
            raise RefusedRead(errno.EINVAL, "it is not a regular file (a pipe, a device or a socket)", str(path))
        if status.st_size > limit:
            raise RefusedRead(errno.EFBIG, f"it is larger than {_size(limit)}", str(path))
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise RefusedRead(errno.EFBIG, f"it is larger than {_size(limit)}", str(path))
    return content


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 1024} KiB"


def write_new(path: Path | str, content: str) -> Path:
    """Write ``content`` to a file that must not exist yet: an existing file is never replaced.

    The name is claimed first by creating the file exclusively, so that a file
    that appears meanwhile is not overwritten either; the text then replaces the
    empty claimed file atomically. On failure the claimed file is removed.
    """
    path = Path(path)
    with _naming(path):
        _make_parent(path)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise WriteError(errno.EEXIST, "it already exists; nothing was overwritten", str(path)) from None
    try:
        return write_atomic(path, content)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise
