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
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import WriteError

try:  # POSIX; elsewhere folders are not held (one command at a time)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Renames waiting for the end of an :func:`all_or_nothing` block: (temporary, path, in place).
_PENDING: contextvars.ContextVar[list[tuple[str, Path, bool]] | None] = contextvars.ContextVar("pending_renames",
                                                                                             default=None)


@contextlib.contextmanager
def atomic_writer(path: Path | str, mode: str = "w", encoding: str | None = "utf-8", durable: bool = True,
                  within: Path | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    The new file keeps what the old one had: its permissions, and its owner
    and group where the system lets us give them. A file a rename would change
    the identity of (one with several hard links, or whose owner we cannot give
    the new file) is rewritten in place instead, once the new content is
    completely written beside it. A symbolic link stays a link: the file it
    points to is replaced, but never outside ``within``, when given (a link
    leading out of the folder being edited is refused). A pipe or a device
    (``-o /dev/stdout``) is written straight into, never renamed over.
    ``durable=False`` skips the fsync, for caches that are checked when read
    and rebuilt when damaged.
    """
    path = Path(path)
    # Text is written as given: no newline translation, so "\n" stays "\n" on every platform.
    options = {"encoding": None, "newline": None} if "b" in mode else {"encoding": encoding, "newline": ""}
    with _naming(path):
        kind = _existing_kind(path)
    if kind == "folder":
        raise WriteError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if within is not None:
        _refuse_leaving(path, within)
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
        in_place = kind is not None and not _take_identity(fd, os.stat(path))
        with _naming(path, _NO_ROOM), os.fdopen(fd, mode, **options) as handle:
            yield handle
            with _naming(path):
                handle.flush()
                if durable:
                    os.fsync(handle.fileno())
        pending = _PENDING.get()
        if pending is None:
            _replace(temporary, path, in_place)
        else:
            pending.append((temporary, path, in_place))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Write several files as one: every atomic write in the block is renamed into
    place only when the block ends without an error; otherwise none is, and the
    temporary files are removed."""
    pending: list[tuple[str, Path, bool]] = []
    token = _PENDING.set(pending)
    reset = False
    try:
        yield
        _PENDING.reset(token)
        reset = True
        for temporary, path, in_place in pending:
            _replace(temporary, path, in_place)
    finally:
        if not reset:
            _PENDING.reset(token)
        for temporary, _, _ in pending:  # left over only when the block failed
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


@contextlib.contextmanager
def sole_writer(folder: Path | str) -> Iterator[Path]:
    """Hold ``folder`` (created if missing) for this command alone: another command that
    asks for it meanwhile is refused with a :class:`WriteError` before it writes
    anything, so that two builds into one folder never leave a mix of their outputs.

    The hold is an advisory lock on the folder itself (nothing is added to it),
    released when the block ends or the process dies.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise WriteError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None
    except OSError as error:
        raise WriteError(error.errno, error.strerror, str(folder)) from None
    if fcntl is None:  # pragma: no cover - Windows: no advisory locks on folders
        yield folder
        return
    with _naming(folder):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WriteError(errno.EBUSY, "another command is writing into this folder now; nothing was written, "
                             "run again when it has finished", str(folder)) from None
        yield folder
    finally:
        os.close(fd)


def write_atomic(path: Path | str, content: str | bytes, durable: bool = True, within: Path | None = None) -> Path:
    """Write ``content`` to ``path`` atomically (see :func:`atomic_writer`); return the path."""
    mode = "wb" if isinstance(content, bytes) else "w"
    with atomic_writer(path, mode, durable=durable, within=within) as handle:
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


def _replace(temporary: str, path: Path, in_place: bool = False) -> None:
    with _naming(path):
        if not in_place:
            os.replace(temporary, path)
            return
        import shutil

        with open(temporary, "rb") as new, open(path, "r+b") as old:
            shutil.copyfileobj(new, old)
            old.truncate()
            old.flush()
            os.fsync(old.fileno())
        os.unlink(temporary)


def _take_identity(fd: int, old: os.stat_result) -> bool:
    """Give the new file ``fd`` the old file's permissions, owner and group; False when a
    rename would still change what the old file is (more hard links than one, an owner
    or group only an administrator could give)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(old.st_mode))
    if old.st_nlink > 1:
        return False
    if not hasattr(os, "fchown"):
        return True
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (old.st_uid, old.st_gid):
        return True
    try:
        os.fchown(fd, old.st_uid if mine.st_uid != old.st_uid else -1, old.st_gid)
    except OSError:
        return False
    return True


def _refuse_leaving(path: Path, within: Path) -> None:
    """A :class:`WriteError` when ``path``, its links followed, is not inside the folder ``within``."""
    target = Path(os.path.realpath(path))
    if not is_inside(target, Path(os.path.realpath(within))):
        raise WriteError(errno.EXDEV, "it is a link leading out of the folder being written; not written through",
                         str(path))


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both already resolved)."""
    return path == folder or folder in path.parents


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new, exclusive temporary file beside ``path``.

    Created with mode 0666 so the process umask applies, as for any file the
    user writes (``mkstemp`` would make it 0600; reading the umask to widen it
    would briefly change it for every thread).
    """
    import secrets

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
