"""The ids of a knowledge base: what records may refer to, and where each id was first defined.

:class:`ReferenceIndex` holds every entity and source (and reads a source's
text when a quote first needs it); :class:`IdRegistry` reports an id defined
a second time, naming where it was first.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .errors import display_path
from .evidence import NormalisedText
from .files import read_limited
from .locate import position
from .model import Entity, Source
from .parsing import KeyPath, ParsedFile
from .paths import kb_trees

#: Largest source text read to check quotes against (a news article is tens of kilobytes).
MAX_SOURCE_TEXT_BYTES = 16 * 1024 * 1024


class ReferenceIndex:
    """What records in one file may refer to: every entity and source of the knowledge base,
    whose folder (``root``) bounds the files its sources may name."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.entities: dict[str, Entity] = {}
        self.sources: dict[str, Source] = {}
        self.texts = SourceTexts(self.sources)

    @cached_property  # asked for every source's file
    def trees(self) -> tuple[Path, Path]:
        """The folders the files its sources name must be in (:func:`alliancegraph.paths.kb_trees`)."""
        return kb_trees(self.root)


class SourceTexts:
    """Each source's text, read and normalised when a quote first needs it."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.cache: dict[str, NormalisedText | None] = {}
        self.errors: dict[str, str] = {}  # why a source's file could not be read

    def get(self, source_id: str) -> NormalisedText | None:
        if source_id not in self.cache:
            source = self.sources.get(source_id)
            file = source.file if source is not None else None
            self.cache[source_id] = self._read(source_id, file) if file is not None else None
        return self.cache[source_id]

    def _read(self, source_id: str, file: Path) -> NormalisedText | None:
        try:
            return NormalisedText(read_limited(file, MAX_SOURCE_TEXT_BYTES).decode("utf-8"))
        except UnicodeDecodeError:
            self.errors[source_id] = "it is not UTF-8 text"
        except OSError as error:
            self.errors[source_id] = error.strerror or str(error)
        return None


class IdRegistry:
    """The first definition of every id, so that a second one is reported as a duplicate."""

    def __init__(self) -> None:
        self.origins: dict[tuple[str, str], tuple[ParsedFile, KeyPath]] = {}

    def register(self, kind: str, item_id: str, parsed: ParsedFile, path: KeyPath) -> bool:
        """Whether this is the first definition of ``item_id``; a later one is a problem of its file."""
        first = self.origins.get((kind, item_id))
        if first is None:
            self.origins[(kind, item_id)] = (parsed, path)
            return True
        first_parsed, first_path = first
        line, _ = position(first_parsed.nodes, first_path, False)
        where = f"{display_path(first_parsed.path)}:{line}"
        parsed.problem(path + ("id",), f"{kind} {item_id}: duplicate id, first defined at {where}")
        return False
