"""The one family of errors the library raises for anything a user can get wrong.

The CLI turns an :class:`AllianceGraphError` into ``Error: ...`` and exit 1 in
one place; programming errors keep their tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class AllianceGraphError(Exception):
    """Something the user can fix: bad data, an unknown name, a failed server."""

    exit_code = 1


class UsageError(AllianceGraphError):
    """A command was called wrongly (exit status 2, like click's own usage errors)."""

    exit_code = 2


class WriteError(AllianceGraphError, OSError):
    """A file or folder that cannot be written, named in the message.

    Built like an OSError, ``WriteError(errno, strerror, filename)``, and still
    one, so that code handling OSErrors (the cache falls back to reading the
    files) keeps doing so.
    """

    def __str__(self) -> str:
        return f"cannot write {display_path(self.filename)}: {(self.strerror or 'failed').lower()}"


class UnknownEntityError(AllianceGraphError):
    """A name matched no entity (or several)."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge base, located as ``file:line:column``."""

    file: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}: {self.message}"


class KnowledgeBaseError(AllianceGraphError):
    """A knowledge base did not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the knowledge base")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def display_path(path: Path) -> str:
    """A path as a curator wants to read it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
