"""The one family of errors the library raises for anything a user can get wrong.

The CLI turns an :class:`AllianceGraphError` into ``Error: ...`` and exit 1 in
one place; programming errors keep their tracebacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Every status a command ends with, and what it means (the CLI reference's table is generated from it).
EXIT_STATUSES: dict[int, str] = {
    0: "done",
    1: "problems in the data (`check` lists them, each as `file:line:column`); a name that no entity or saved "
    "query goes by (with did-you-mean suggestions); or something outside the tool refused: a file that cannot be "
    "read or written, a full disk, a SPARQL server's error",
    2: "a usage error: an unknown command or option, a missing argument, a malformed value",
    3: "an internal error, which is a bug: one `Error:` line names it; `--debug` (or `ALLIANCEGRAPH_DEBUG=1`) "
    "shows its traceback",
}
EXIT_PROBLEM, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3


class AllianceGraphError(Exception):
    """Something the user can fix: bad data, an unknown name, a failed server."""

    exit_code = EXIT_PROBLEM


class UsageError(AllianceGraphError):
    """A command was called wrongly (exit status 2, like click's own usage errors)."""

    exit_code = EXIT_USAGE


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


class AmbiguousNameError(UnknownEntityError):
    """A name several entities go by; ``candidates`` are all of them."""


#: The most characters of a value a problem's message quotes (a pasted megabyte stays out of it).
QUOTED = 80
#: What the loader says of a record still marked ``review:`` (a draft nobody has accepted).
DRAFT_LEFT = "draft left to review"
REVIEW_HINT = "Correct the drafts in their file, then `alliancegraph review accept ID` or `review drop ID`."


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge base, located as ``file:line:column``."""

    file: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}:{self.column}: {self.message}"

    @property
    def is_draft(self) -> bool:
        """Whether the problem is only that a draft is still marked for review."""
        return self.message.endswith(f": {DRAFT_LEFT}") or f": {DRAFT_LEFT} (" in self.message


class KnowledgeBaseError(AllianceGraphError):
    """A knowledge base did not validate; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{_count_problems(self.problems)} in the knowledge base")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        if any(p.is_draft for p in self.problems):
            lines.append(REVIEW_HINT)
        return "\n".join(lines)


def _count_problems(problems: list[Problem]) -> str:
    """"3 problems", or "12 drafts left to review and 1 other problem" when drafts are among them."""
    drafts = sum(p.is_draft for p in problems)
    others = len(problems) - drafts
    plural = "s" if others != 1 else ""
    if not drafts:
        return f"{others} problem{plural}"
    left = f"{drafts} draft{'s' if drafts != 1 else ''} left to review"
    return left if not others else f"{left} and {others} other problem{plural}"


def display_path(path: Path) -> str:
    """A path as a curator wants to read it: relative to the working directory when inside it
    (a link named as itself, not as the file it leads to)."""
    import os

    try:
        here = Path.cwd().resolve()
    except OSError:  # the working directory was deleted
        return str(path)
    for candidate in (Path(os.path.abspath(path)), Path(path).resolve()):
        try:
            return str(candidate.relative_to(here))
        except ValueError:
            continue
    return str(path)
