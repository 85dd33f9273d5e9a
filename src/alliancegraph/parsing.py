"""One knowledge-base YAML file read and parsed: its sections, or the located problem that stopped it.

Files are parsed on a fast path that keeps no positions; only a file that has
problems is composed a second time, from the text already read, into YAML
nodes that know the line and column of each problem (:mod:`alliancegraph.locate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .errors import QUOTED, Problem
from .files import read_limited
from .record_fields import SECTIONS
from .resolve import did_you_mean
from .text import clip
from .yamlsafe import SafeLoader, YAMLLimitError, YAMLValueError, refused_for_nesting, safe_load

#: Largest YAML file read, a guard against runaway input (64 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024

KeyPath = tuple  # a path into a YAML document: keys and list indexes


@dataclass
class ParsedFile:
    """One YAML file as read: its sections, or the syntax problem that stopped it."""

    path: Path
    text: str
    data: dict[str, list] = field(default_factory=dict)
    problems: list[tuple[KeyPath, bool, str]] = field(default_factory=list)  # (path, at_key, message)
    syntax: Problem | None = None

    def problem(self, path: KeyPath, message: str, at_key: bool = False) -> None:
        """Note a problem at ``path`` in the document (at its key rather than its value when ``at_key``)."""
        self.problems.append((path, at_key, message))

    @cached_property
    def nodes(self) -> yaml.Node | None:
        """The file composed into YAML nodes, which know their positions; composed
        once, when a problem first needs locating."""
        text = self.source_text()
        try:
            return yaml.compose(text, Loader=SafeLoader) if text is not None else None
        except (yaml.YAMLError, RecursionError):  # parsed once already, so unexpected
            return None

    def source_text(self) -> str | None:
        """The text the problems are placed in."""
        return self.text


class ParsedBefore(ParsedFile):
    """A file as an earlier parse left it (its sections kept apart from it): its text is read only
    when a problem needs placing in it."""

    def __init__(self, path: Path, data: dict[str, list]):
        super().__init__(path, "", data)

    def source_text(self) -> str | None:
        try:
            return read_limited(self.path, MAX_FILE_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):  # changed or removed since it was parsed: placed at its start
            return None


def _reader_problem(path: Path, text: str, error: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow, located where it first occurs.

    The error's own position counts characters or UTF-8 bytes depending on the
    loader, and its message spans two lines; the character itself is enough.
    """
    if not isinstance(error.character, int):
        return Problem(path, 1, 1, f"YAML error: {' '.join(str(error).split())}")
    offset = max(text.find(chr(error.character)), 0)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Problem(path, line, column, f"YAML does not allow the character U+{error.character:04X}: remove it or escape it")


def _marked_problem(path: Path, error: yaml.MarkedYAMLError) -> Problem:
    """A parse error at its place: a refused document as "YAML refused", any other as a syntax error."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    family = ("YAML refused" if isinstance(error, YAMLLimitError)
              else "YAML value error" if isinstance(error, YAMLValueError) else "YAML syntax error")
    return Problem(path, line, column, f"{family}: {error.problem or error}")


def parse_file(path: Path) -> ParsedFile:
    """Read one file with the safe loader; report syntax errors with their position."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except OSError as error:
        return ParsedFile(path, "", syntax=Problem(path, 1, 1, f"cannot read file: {error.strerror or error}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return ParsedFile(path, "", syntax=Problem(path, line, column, "file is not valid UTF-8 text"))
    parsed = ParsedFile(path, text)
    try:
        document = safe_load(text)
    except yaml.MarkedYAMLError as error:
        refused = error if isinstance(error, YAMLLimitError) else refused_for_nesting(text, error)
        parsed.syntax = _marked_problem(path, refused or error)
        return parsed
    except yaml.reader.ReaderError as error:
        parsed.syntax = _reader_problem(path, text, error)
        return parsed
    except yaml.YAMLError as error:
        parsed.syntax = Problem(path, 1, 1, f"YAML error: {' '.join(str(error).split())}")
        return parsed
    except RecursionError:
        parsed.syntax = Problem(path, 1, 1, "YAML refused: nested too deep to read")
        return parsed
    except ValueError as error:  # a constructor refused a value (e.g. an out-of-range number)
        parsed.syntax = Problem(path, 1, 1, f"YAML value error: {error}")
        return parsed
    if document is None:
        return parsed
    if not isinstance(document, dict):
        parsed.problem((), f"expected a mapping with sections {', '.join(SECTIONS)}")
        return parsed
    for key, value in document.items():
        if key not in SECTIONS:
            hint = did_you_mean(str(key), SECTIONS)
            parsed.problem((key,), f"unknown section {clip(key, QUOTED)!r}{hint}; expected {', '.join(SECTIONS)}", at_key=True)
        elif value is None:
            continue
        elif not isinstance(value, list):
            parsed.problem((key,), f"section {key!r} must be a list of records")
        else:
            parsed.data[key] = value
    return parsed
