"""Loading and validating a knowledge base folder.

Every ``*.yaml`` file under the folder may hold any of three sections —
``sources``, ``entities`` and ``assertions`` — each a list of records. Loading
reads them all with PyYAML's safe loader (the C one when available), checks
every record, and either returns a :class:`~alliancegraph.model.KnowledgeBase`
or raises :class:`~alliancegraph.errors.KnowledgeBaseError` carrying every
problem found, each located as ``file:line:column``.

Files are parsed on a fast path that keeps no positions; only a file that has
problems is parsed a second time, into YAML nodes, to find the line and column
of each problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .dates import UNKNOWN, DateError, PartialDate, bounds_problem, bounds_text
from .errors import DRAFT_LEFT, KnowledgeBaseError, Problem, display_path
from .evidence import NormalisedText
from .files import read_limited
from .model import Assertion, Entity, KnowledgeBase, Origin, Source
from .paths import ARTICLES_BESIDE, inside_kb
from .resolve import did_you_mean, fold
from .text import clip
from .vocabulary import DATE_BASES, ENTITY_TYPES, MODALITIES, POLARITIES, RELATIONS, SOURCE_KINDS

try:  # libyaml is several times faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class YAMLValueError(yaml.constructor.ConstructorError):
    """A value its tag cannot hold, located where it is written."""


class SafeLoader(_BaseLoader):
    """The safe loader, minus implicit timestamps: dates stay text and are
    parsed by :class:`PartialDate`, which reports 2025-02-30 as a curator error
    instead of crashing inside PyYAML. A key written twice in one mapping is an
    error, not a silent overwrite (a second ``assertions:`` would drop the first)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            _refuse_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        """A value its tag cannot hold (``!!float abc``, ``!!binary`` that is not base64) is a
        YAML error at its place, not a Python error from deep inside the library."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError):
            shown = clip(node.value, QUOTED) if isinstance(node, yaml.ScalarNode) else "this value"
            raise YAMLValueError(
                None, None, f"{shown!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from None

    def construct_yaml_int(self, node):
        """An integer, refused when longer than any the format uses: Python cannot even
        print one of more than 4,300 digits."""
        if len(node.value) > MAX_INTEGER_LENGTH:
            raise YAMLValueError(None, None, f"an integer written with {len(node.value)} characters is too long "
                                 f"(the most is {MAX_INTEGER_LENGTH})", node.start_mark)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node):
        """``!!timestamp 2025-01-01`` stays text, as an untagged date does: dates are read
        by :class:`PartialDate`, and every value stays one the cache can store."""
        return self.construct_scalar(node)


SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)
SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeLoader.construct_yaml_timestamp)


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], yaml.Node] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        first = seen.setdefault((key.tag, key.value), key)
        if first is not key:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {clip(key.value, QUOTED)!r} (first written on line {first.start_mark.line + 1})",
                key.start_mark,
            )


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

SECTIONS = ("sources", "entities", "assertions")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
URL_PATTERN = re.compile(r'^https?://[^\s<>"{}|\\^`]+$')  # also valid ECMAScript, for the JSON Schema
#: Largest YAML file read, a guard against runaway input (64 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The rule a file a knowledge base names breaks when it is not read (see :func:`alliancegraph.paths.kb_trees`).
INSIDE_RULE = f"every file it names must be, links followed, in its folder or in the {ARTICLES_BESIDE}/ folder beside it"
#: Largest source text read to check quotes against (a news article is tens of kilobytes).
MAX_SOURCE_TEXT_BYTES = 16 * 1024 * 1024
#: Longest id, and longest text, a field may hold: a label or quote pasted a
#: megabyte long is an accident, and one that would slow every export down.
MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 10_000
#: The most characters of a value a message quotes (a pasted megabyte stays out of it).
QUOTED = 80
#: Longest integer read: years have four digits, and no field needs more than a few.
MAX_INTEGER_LENGTH = 100
#: Deepest nesting read. The format needs fewer than ten levels, and libyaml
#: builds documents by recursion in C: tens of thousands of levels crash Python.
MAX_DEPTH = 1000
#: A document that fails to parse once nested this deep is refused for its
#: nesting, whoever stopped it: our walk, or a limit of the YAML library's own
#: (libyaml has one, whose value and wording are its own to change).
DEEP_NESTING = 100
#: How many times its own size a file's aliases may expand it to: a "billion
#: laughs" document is a few hundred bytes whose aliases stand for gigabytes.
MAX_EXPANSION = 10

# A record's fields: name -> (kind, required). Kinds: "id", "text", "date", "start" (a date or UNKNOWN),
# "ref" (an entity id), "enum:<registry>", "texts" (list of text), "offices",
# "review" (the mark of a draft: always reported, so a draft never passes as curated).
SOURCE_FIELDS = {
    "id": ("id", True),
    "title": ("text", True),
    "kind": ("enum:source-kind", True),
    "published": ("date", False),
    "earliest": ("date", False),
    "latest": ("date", False),
    "outlet": ("text", False),
    "author": ("text", False),
    "url": ("url", False),
    "file": ("text", False),
    "note": ("text", False),
    "review": ("review", False),
}
ENTITY_FIELDS = {
    "id": ("id", True),
    "label": ("text", True),
    "type": ("enum:entity-type", True),
    "aliases": ("texts", False),
    "wikidata": ("wikidata", False),
    "part_of": ("ref", False),
    "description": ("text", False),
    "concerns": ("refs", False),
    "offices": ("offices", False),
    "review": ("review", False),
}
OFFICE_FIELDS = {
    "id": ("id", False),
    "role": ("text", True),
    "of": ("ref", True),
    "start": ("date", True),
    "end": ("date", False),
    "source": ("source", True),
    "quote": ("text", False),
    "dated_by": ("enum:dated-by", False),
    "note": ("text", False),
}
ASSERTION_FIELDS = {
    "id": ("id", True),
    "subject": ("ref", True),
    "relation": ("enum:relation", True),
    "object": ("ref", True),
    "source": ("source", True),
    "quote": ("text", False),
    "polarity": ("enum:polarity", False),
    "modality": ("enum:modality", False),
    "date": ("date", False),
    "start": ("start", False),
    "end": ("date", False),
    "earliest": ("date", False),
    "latest": ("date", False),
    "dated_by": ("enum:dated-by", False),
    "speaker": ("ref", False),
    "on_behalf_of": ("ref", False),
    "regarding": ("ref", False),
    "role": ("text", False),
    "note": ("text", False),
    "review": ("review", False),
}
FIELDS = {"sources": SOURCE_FIELDS, "entities": ENTITY_FIELDS, "assertions": ASSERTION_FIELDS}
ENUMS: dict[str, dict] = {
    "source-kind": SOURCE_KINDS,
    "entity-type": ENTITY_TYPES,
    "relation": RELATIONS,
    "polarity": POLARITIES,
    "modality": MODALITIES,
    "dated-by": DATE_BASES,
}
RECORD_NAMES = {"sources": "source", "entities": "entity", "assertions": "assertion"}

Path_ = tuple  # a path into a YAML document: keys and list indexes


@dataclass
class ParsedFile:
    """One YAML file as read: its sections, or the syntax problem that stopped it."""

    path: Path
    text: str
    data: dict[str, list] = field(default_factory=dict)
    problems: list[tuple[Path_, bool, str]] = field(default_factory=list)  # (path, at_key, message)
    syntax: Problem | None = None

    @cached_property
    def nodes(self) -> yaml.Node | None:
        """The file composed into YAML nodes, which know their positions; composed
        once, when a problem first needs locating."""
        try:
            return yaml.compose(self.text, Loader=SafeLoader)
        except (yaml.YAMLError, RecursionError):  # parsed once already, so unexpected
            return None


def discover(root: Path) -> list[Path]:
    """The YAML files of a knowledge base, in a stable order."""
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class YAMLLimitError(yaml.MarkedYAMLError):
    """A document refused before it is built: nested too deep, or aliases expanding too far."""


def safe_load(text: str) -> Any:
    """Parse YAML text with :class:`SafeLoader`, refusing documents that would crash or hang it.

    Raises a :class:`yaml.YAMLError` (:class:`YAMLLimitError` for a refused document).
    """
    _check_limits(text)
    return yaml.load(text, Loader=SafeLoader)


def _check_limits(text: str) -> None:
    """Walk the parse events (libyaml produces them without recursion) when the text
    could nest deeper than :data:`MAX_DEPTH` or holds anchors; refuse what goes too far."""
    # Block nesting needs indentation, flow nesting brackets: together a cheap upper bound.
    longest_line = max(map(len, text.splitlines()), default=0)
    if longest_line + 2 * (text.count("[") + text.count("{")) <= MAX_DEPTH and "&" not in text:
        return
    limit = MAX_EXPANSION * len(text) + 65536
    size, anchored, open_nodes = 0, dict[str, int](), list[tuple[str | None, int]]()
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in open_nodes):
                raise _refused("an alias refers to the collection it is inside (a value cannot contain itself)",
                               event.start_mark)
            size += anchored.get(event.anchor or "", 0)
        elif isinstance(event, yaml.ScalarEvent):
            size += len(event.value) + 1
            if event.anchor:
                anchored[event.anchor] = len(event.value) + 1
        elif isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append((event.anchor, size))
            size += 1
            if len(open_nodes) > MAX_DEPTH:
                raise _nesting_refused(len(open_nodes), event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_nodes.pop()
            if anchor:
                anchored[anchor] = size - start
        if size > limit:
            raise _refused(f"aliases expand the data to more than {MAX_EXPANSION} times the file's size", event.start_mark)


def _refused(why: str, mark: Any) -> YAMLLimitError:
    """A refusal at ``mark`` (libyaml's marks are a type of their own, with the same fields)."""
    return YAMLLimitError(None, None, why, mark)


def _nesting_refused(depth: int, mark: Any) -> YAMLLimitError:
    return _refused(f"nested at least {depth} levels deep (a knowledge base needs fewer than ten)", mark)


def _nesting_before(text: str, mark: Any) -> int:
    """How deep the document is nested where the parser stopped: the deepest block
    nesting its events reached (libyaml produces them without recursion), or the flow
    brackets still open at the mark (the scanner reads flow text ahead of any event)."""
    depth = deepest = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    else:
        return 0  # the events parse: whatever failed, it was not the nesting
    lines = text.split("\n")[: mark.line + 1] if mark else []
    before = "\n".join(lines[:-1] + [lines[-1][: mark.column]]) if lines else ""
    flow_open = before.count("[") + before.count("{") - before.count("]") - before.count("}")
    return max(deepest, flow_open)


def _refused_for_nesting(text: str, error: yaml.MarkedYAMLError) -> YAMLLimitError | None:
    """The syntax error a parser's own nesting limit raises, told apart from a real one
    by how deep the document is where it stopped, never by the library's wording."""
    mark = error.problem_mark or error.context_mark
    depth = _nesting_before(text, mark)
    return _nesting_refused(depth, mark) if depth >= DEEP_NESTING else None


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
        refused = error if isinstance(error, YAMLLimitError) else _refused_for_nesting(text, error)
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
        parsed.problems.append(((), False, f"expected a mapping with sections {', '.join(SECTIONS)}"))
        return parsed
    for key, value in document.items():
        if key not in SECTIONS:
            hint = did_you_mean(str(key), SECTIONS)
            parsed.problems.append(((key,), True, f"unknown section {clip(key, QUOTED)!r}{hint}; expected {', '.join(SECTIONS)}"))
        elif value is None:
            continue
        elif not isinstance(value, list):
            parsed.problems.append(((key,), False, f"section {key!r} must be a list of records"))
        else:
            parsed.data[key] = value
    return parsed


class ReferenceIndex:
    """What records in one file may refer to: every entity and source of the knowledge base,
    whose folder (``root``) bounds the files its sources may name."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.entities: dict[str, Entity] = {}
        self.sources: dict[str, Source] = {}
        self.texts = _SourceTexts(self.sources)


class _SourceTexts:
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


class Validator:
    """Turns one parsed file's records into model objects, collecting problems."""

    def __init__(self, parsed: ParsedFile, index: ReferenceIndex):
        self.parsed = parsed
        self.index = index

    def problem(self, path: Path_, message: str, at_key: bool = False) -> None:
        self.parsed.problems.append((path, at_key, message))

    # -- generic record checks -------------------------------------------------

    def fields(self, record: Any, path: Path_, spec: dict, what: str) -> dict | None:
        """Check a record's keys and value types; return the usable values."""
        if not isinstance(record, dict):
            self.problem(path, f"{what} must be a mapping of fields")
            return None
        rid = record.get("id")
        label = f"{what} {clip(rid, QUOTED)}" if isinstance(rid, str) and rid else what
        values: dict[str, Any] = {}
        for key, value in record.items():
            if key not in spec:
                hint = did_you_mean(str(key), spec)
                self.problem(path + (key,), f"{label}: unknown key {clip(key, QUOTED)!r}{hint}", at_key=True)
                continue
            checked = self.value(value, spec[key][0], path + (key,), label, key)
            if checked is not None:
                values[key] = checked
        for key, (_kind, required) in spec.items():
            if required and record.get(key) in (None, "", []):
                self.problem(path, f"{label}: missing required key {key!r}")
        values["_label"] = label
        return values

    def value(self, value: Any, kind: str, path: Path_, label: str, key: str) -> Any:
        if value is None:
            return None
        if kind == "review":
            why = "" if value == "needed" else f" ({clip(str(value), 200)})"
            self.problem(path, f"{label}: {DRAFT_LEFT}{why}")
            return None
        if kind == "start" and value == UNKNOWN:
            return UNKNOWN
        if kind in ("date", "start"):
            try:
                return PartialDate.parse(value)
            except DateError as error:
                self.problem(path, f"{label}: {key}: {error}")
                return None
        if kind == "texts":
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                self.problem(path, f"{label}: {key} must be a list of non-empty texts")
                return None
            if any(len(v) > MAX_TEXT_LENGTH for v in value):
                self.problem(path, f"{label}: {key}: a text is longer than {MAX_TEXT_LENGTH} characters")
                return None
            return tuple(value)
        if kind == "refs":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                self.problem(path, f"{label}: {key} must be a list of entity ids")
                return None
            unknown = [v for v in value if v not in self.index.entities]
            for v in unknown:
                self.problem(path, f"{label}: {key}: unknown entity {clip(v, QUOTED)!r}{did_you_mean(v, self.index.entities)}")
            return None if unknown else tuple(dict.fromkeys(value))
        if kind == "offices":
            if not isinstance(value, list):
                self.problem(path, f"{label}: offices must be a list")
                return None
            return value
        if not isinstance(value, str):
            self.problem(path, f"{label}: {key} must be text, not {_kind_of(value)}")
            return None
        if not value.strip():
            self.problem(path, f"{label}: {key} is empty")
            return None
        longest = MAX_TEXT_LENGTH if kind in ("text", "url") else MAX_ID_LENGTH
        if len(value) > longest:
            self.problem(path, f"{label}: {key} is {len(value)} characters long; the most is {longest}")
            return None
        if kind == "id" and not ID_PATTERN.match(value):
            self.problem(path, f"{label}: id {clip(value, QUOTED)!r} must be lowercase kebab-case (e.g. 'republika-srpska')")
            return None
        if kind == "wikidata" and not WIKIDATA_PATTERN.match(value):
            self.problem(path, f"{label}: wikidata {clip(value, QUOTED)!r} must be a Wikidata item id such as 'Q403'")
            return None
        if kind == "url" and not URL_PATTERN.match(value):
            self.problem(path, f"{label}: url {clip(value, QUOTED)!r} must be an http(s) URL without spaces")
            return None
        if kind.startswith("enum:"):
            registry = ENUMS[kind[5:]]
            if value not in registry:
                hint = did_you_mean(value, registry)
                self.problem(path, f"{label}: unknown {kind[5:].replace('-', ' ')} {clip(value, QUOTED)!r}{hint}")
                return None
        if kind == "ref" and value not in self.index.entities:
            self.problem(path, f"{label}: unknown entity {clip(value, QUOTED)!r}{did_you_mean(value, self.index.entities)}")
            return None
        if kind == "source" and value not in self.index.sources:
            self.problem(path, f"{label}: unknown source {clip(value, QUOTED)!r}{did_you_mean(value, self.index.sources)}")
            return None
        return value

    # -- sources and entities ------------------------------------------------------

    def sources(self) -> Iterable[tuple[Source, Path_]]:
        for i, record in enumerate(self.parsed.data.get("sources", ())):
            path = ("sources", i)
            values = self.fields(record, path, SOURCE_FIELDS, "source")
            if not values or "id" not in values or "title" not in values or "kind" not in values:
                continue
            file = None
            if "file" in values:
                file = _existing_file(self.parsed.path.parent, values["file"])
                if file is None:
                    why = _why_not_a_file(self.parsed.path.parent, values["file"])
                    self.problem(path + ("file",), f"{values['_label']}: source file {values['file']!r} {why}")
                elif not inside_kb(file, self.index.root):
                    outside = f"source file {clip(values['file'], QUOTED)!r} is outside the knowledge base: {INSIDE_RULE}"
                    self.problem(path + ("file",), f"{values['_label']}: {outside}")
                    file = None
            elif values["kind"] != "reference":
                self.problem(path, f"{values['_label']}: a {values['kind']} source needs its text as 'file' to check quotes")
            misfit = bounds_problem(values.get("published"), values.get("earliest"), values.get("latest"))
            if misfit:
                self.problem(path + ("earliest" if "earliest" in values else "latest",), f"{values['_label']}: {misfit}")
            yield Source(
                id=values["id"],
                title=values["title"],
                kind=values["kind"],
                published=values.get("published"),
                outlet=values.get("outlet"),
                author=values.get("author"),
                url=values.get("url"),
                file=file,
                file_label=values.get("file"),
                note=values.get("note"),
                origin=Origin(self.parsed.path),
                earliest=values.get("earliest"),
                latest=values.get("latest"),
            ), path

    def entities(self) -> Iterable[tuple[Entity, Path_]]:
        """Entities, checked for shape only: references are checked once all are known."""
        for i, record in enumerate(self.parsed.data.get("entities", ())):
            path = ("entities", i)
            saved, self.index.entities = self.index.entities, _AnyKey()
            try:
                values = self.fields(record, path, ENTITY_FIELDS, "entity")
            finally:
                self.index.entities = saved
            if not values or not {"id", "label", "type"} <= values.keys():
                continue
            yield Entity(
                id=values["id"],
                label=values["label"],
                type=values["type"],
                aliases=values.get("aliases", ()),
                wikidata=values.get("wikidata"),
                part_of=values.get("part_of"),
                description=values.get("description"),
                origin=Origin(self.parsed.path),
                concerns=values.get("concerns", ()),
            ), path

    def entity_references(self) -> None:
        """Check part_of and concerns references now that every entity is known."""
        for i, record in enumerate(self.parsed.data.get("entities", ())):
            if not isinstance(record, dict):
                continue
            label = f"entity {record.get('id')}"
            if isinstance(record.get("part_of"), str):
                self.value(record["part_of"], "ref", ("entities", i, "part_of"), label, "part_of")
            concerns = record.get("concerns")
            if isinstance(concerns, list) and concerns and all(isinstance(c, str) for c in concerns):
                self.value(concerns, "refs", ("entities", i, "concerns"), label, "concerns")  # shape checked before
            if concerns is not None:
                if record.get("type") != "issue":
                    self.problem(("entities", i, "concerns"), f"{label}: only an issue names the actors it concerns",
                                 at_key=True)

    # -- assertions and offices -------------------------------------------------

    def assertions(self) -> Iterable[tuple[Assertion, Path_]]:
        for i, record in enumerate(self.parsed.data.get("assertions", ())):
            path = ("assertions", i)
            values = self.fields(record, path, ASSERTION_FIELDS, "assertion")
            if values is not None:
                assertion = self.assertion(values, path)
                if assertion is not None:
                    yield assertion, path
        for i, record in enumerate(self.parsed.data.get("entities", ())):
            if isinstance(record, dict) and isinstance(record.get("offices"), list):
                yield from self.offices(record, ("entities", i))

    def offices(self, person: dict, path: Path_) -> Iterable[tuple[Assertion, Path_]]:
        person_id = person.get("id")
        if not isinstance(person_id, str) or person_id not in self.index.entities:
            return
        if self.index.entities[person_id].type != "person":
            self.problem(path + ("offices",), f"entity {person_id}: only a person holds offices")
            return
        for j, record in enumerate(person["offices"]):
            opath = path + ("offices", j)
            role = record.get("role") if isinstance(record, dict) else None
            what = f"entity {person_id}: office {role if isinstance(role, str) else j + 1}"
            values = self.fields(record, opath, OFFICE_FIELDS, what)
            if values is None:
                continue
            values.update(subject=person_id, relation="holds-office", object=values.pop("of", None))
            values.setdefault("dated_by", "record")  # office dates come from the public record
            if "id" not in values and "role" in values and "start" in values:
                values["id"] = f"{person_id}-{_slug(values['role'])}-{values['start']}"
            values["_label"] = f"entity {person_id}: office {values.get('id', j + 1)}"
            assertion = self.assertion(values, opath)
            if assertion is not None:
                yield assertion, opath

    def assertion(self, values: dict, path: Path_) -> Assertion | None:
        label = values["_label"]
        ok = all(k in values for k in ("id", "subject", "relation", "object", "source"))
        relation = RELATIONS.get(values.get("relation", ""))
        entities = self.index.entities
        if relation is not None:
            for key, allowed in (("subject", relation.subject_types), ("object", relation.object_types)):
                entity = entities.get(values.get(key, ""))
                if entity is not None and allowed is not None and entity.type not in allowed:
                    kinds = ", ".join(sorted(allowed))
                    self.problem(
                        path + (_key_for(path, key),),
                        f"{label}: the {key} of relation {relation.id!r} must be of type {kinds}; "
                        f"{entity.id!r} is of type {entity.type}",
                    )
                    ok = False
            if relation.id == "holds-office" and "role" not in values:
                self.problem(path, f"{label}: relation 'holds-office' needs a 'role' (e.g. 'Minister of Foreign Affairs')")
            if relation.symmetric and values.get("subject") == values.get("object") and values.get("subject"):
                self.problem(path, f"{label}: subject and object are the same entity")
        ok &= self.check_time(values, path, label)
        earliest, latest = self.bounds(values, path, label) if ok else (None, None)
        modality = values.get("modality", "fact")
        if modality == "claim" and "speaker" not in values:
            self.problem(path, f"{label}: a claim needs a 'speaker' (who makes the claim)")
        evidence = self.check_quote(values, path, label)
        if not ok or evidence is False:
            return None
        return Assertion(
            id=values["id"],
            subject=values["subject"],
            relation=values["relation"],
            object=values["object"],
            source=values["source"],
            polarity=values.get("polarity", "affirmed"),
            modality=modality,
            date=values.get("date"),
            start=None if values.get("start") == UNKNOWN else values.get("start"),
            end=values.get("end"),
            dated_by=values.get("dated_by", "article"),
            quote=values.get("quote"),
            speaker=values.get("speaker"),
            on_behalf_of=values.get("on_behalf_of"),
            regarding=values.get("regarding"),
            role=values.get("role"),
            note=values.get("note"),
            evidence=evidence,
            origin=Origin(self.parsed.path),
            earliest=earliest,
            latest=latest,
            start_unknown=values.get("start") == UNKNOWN,
        )

    def check_time(self, values: dict, path: Path_, label: str) -> bool:
        date, start, end = values.get("date"), values.get("start"), values.get("end")
        record = _record_at(self.parsed.data, path)
        written = {k for k in ("date", "start", "end") if record.get(k) is not None}
        if "date" in written and written & {"start", "end"}:
            self.problem(path + ("date",), f"{label}: give either a point 'date' or a 'start'/'end' interval, not both")
            return False
        if not written:
            self.problem(path, f"{label}: missing a date: give 'date', or 'start' and/or 'end'")
            return False
        bounded = {k for k in ("earliest", "latest") if values.get(k) is not None}
        if bounded and not written & {"date", "start"}:
            self.problem(path + (min(bounded),), f"{label}: earliest and latest bound the 'date' or the 'start'; "
                         f"give one (write 'start: {UNKNOWN}' when only its bounds are known)")
            return False
        if start == UNKNOWN:
            if "earliest" not in bounded:
                self.problem(path + ("start",), f"{label}: 'start: {UNKNOWN}' needs 'earliest', the first day it can "
                             "be, so that it counts as of a date")
                return False
            start = values["earliest"]
        if start and end and end.latest < start.earliest:
            self.problem(path + ("end",), f"{label}: end {end} is before start {start}")
            return False
        return date is not None or start is not None or end is not None

    def bounds(self, values: dict, path: Path_, label: str) -> tuple[PartialDate | None, PartialDate | None]:
        """The earliest and latest day the assertion's beginning can be (P1319, P1326).

        Its own, else, when it is dated by its source's publication, the
        source's: an essay known to be written after 2026-05-08 dates every
        statement it dates by publication no earlier either.
        """
        beginning = values.get("date") or values.get("start")
        value = None if beginning == UNKNOWN else beginning
        earliest, latest = values.get("earliest"), values.get("latest")
        misfit = bounds_problem(value, earliest, latest)
        if misfit:
            self.problem(path + ("earliest" if earliest is not None else "latest",), f"{label}: {misfit}")
            return None, None
        source = self.index.sources.get(values.get("source", ""))
        if earliest is None and latest is None and values.get("dated_by") == "publication" and source is not None:
            earliest, latest = source.earliest, source.latest
            misfit = bounds_problem(value, earliest, latest)
            if misfit:
                self.problem(path + ("date",), f"{label}: dated by the publication of source {source.id!r}, "
                             f"published {source.published or ''} {bounds_text(earliest, latest)}, but {misfit}")
                return None, None
        return earliest, latest

    def check_quote(self, values: dict, path: Path_, label: str):
        """The quote's evidence; None when there is nothing to check; False when it fails."""
        source = self.index.sources.get(values.get("source", ""))
        quote = values.get("quote")
        if source is None:
            return False if "source" in values else None
        if quote is None and _record_at(self.parsed.data, path).get("quote") is not None:
            return False  # written, but not as text: already reported
        if quote is None:
            if source.kind != "reference":
                self.problem(path, f"{label}: missing 'quote': a verbatim quote from source {source.id!r}")
                return False
            return None
        text = self.index.texts.get(source.id)
        if text is None:
            if source.id in self.index.texts.errors:
                why = self.index.texts.errors[source.id]
                self.problem(path + ("quote",),
                    f"{label}: cannot check the quote: source {source.id!r} file cannot be read: {why}")
                return False
            if source.file is None and source.kind == "reference":
                return None
            return False  # the source's own problem is already reported
        evidence = text.locate(quote)
        if evidence is None:
            self.problem(path + ("quote",), f"{label}: quote {clip(quote, 60)!r} does not occur in source {source.id!r}")
            return False
        return evidence


class _AnyKey(dict):
    """A stand-in entity index that accepts every id (for shape-only checks)."""

    def __contains__(self, key: object) -> bool:
        return True


def _existing_file(folder: Path, name: str) -> Path | None:
    try:
        file = (folder / name).resolve()
        return file if file.is_file() else None
    except (OSError, ValueError):  # a name no file system can hold (a NUL byte, too long)
        return None


def _why_not_a_file(folder: Path, name: str) -> str:
    """Why :func:`_existing_file` found nothing: a folder of that name, or nothing at all."""
    try:
        return "is a folder, not a file" if (folder / name).is_dir() else "does not exist"
    except (OSError, ValueError):
        return "does not exist"


def _record_at(data: dict, path: Path_) -> dict:
    node: Any = data
    for step in path:
        node = node[step]
    return node


def _key_for(path: Path_, key: str) -> str:
    """Offices write their object as 'of' and their subject implicitly."""
    if "offices" in path:
        return {"object": "of", "subject": "role"}.get(key, key)
    return key


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "office"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


# -- locating problems ----------------------------------------------------------


def locate(parsed: ParsedFile) -> list[Problem]:
    """Turn a file's path-addressed problems into ``file:line:column`` problems."""
    if parsed.syntax is not None:
        return [parsed.syntax]
    problems = []
    for path, at_key, message in parsed.problems:
        line, column = _position(parsed.nodes, path, at_key)
        problems.append(Problem(parsed.path, line, column, message))
    return problems


def _position(node: Any, path: Path_, at_key: bool) -> tuple[int, int]:
    best = node
    for depth, step in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    node = key_node if (last and at_key) else value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
        best = node
    if best is None:
        return 1, 1
    return best.start_mark.line + 1, best.start_mark.column + 1


# -- the whole knowledge base ---------------------------------------------------


class IdRegistry:
    """The first definition of every id, so that a second one is reported as a duplicate."""

    def __init__(self) -> None:
        self.origins: dict[tuple[str, str], tuple[Validator, Path_]] = {}

    def register(self, kind: str, item_id: str, validator: Validator, path: Path_) -> bool:
        first = self.origins.get((kind, item_id))
        if first is None:
            self.origins[(kind, item_id)] = (validator, path)
            return True
        first_validator, first_path = first
        line, _ = _position(first_validator.parsed.nodes, first_path, False)
        where = f"{display_path(first_validator.parsed.path)}:{line}"
        validator.problem(path + ("id",), f"{kind} {item_id}: duplicate id, first defined at {where}")
        return False


def index_files(parsed: list[ParsedFile], validator: type[Validator] | None = None, *,
                root: Path) -> tuple[ReferenceIndex, list[Validator], IdRegistry]:
    """Check every file's sources and entities and index them: what assertions may refer to.

    Problems (duplicate ids, shared Wikidata ids, malformed records) are added
    to the files they are in.
    """
    index = ReferenceIndex(root)
    registry = IdRegistry()
    validators = [(validator or Validator)(p, index) for p in parsed]
    for v in validators:
        for source, path in v.sources():
            if registry.register("source", source.id, v, path):
                index.sources[source.id] = source
    for v in validators:
        for entity, path in v.entities():
            if registry.register("entity", entity.id, v, path):
                index.entities[entity.id] = entity
    _check_wikidata(index, validators)
    return index, validators, registry


def validated_assertions(validators: list[Validator], registry: IdRegistry) -> list[Assertion]:
    """Every file's assertions and offices, checked against the index; duplicates reported."""
    assertions: list[Assertion] = []
    for v in validators:
        v.entity_references()
        for assertion, path in v.assertions():
            if registry.register("assertion", assertion.id, v, path):
                assertions.append(assertion)
    return assertions


def check(root: Path | str, with_drafts: bool = False) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and validate a knowledge base; return it (None if broken) and its problems.

    ``with_drafts`` takes records still marked for review as they stand, for the
    tools that draft more of them (``add``, ``suggest``); nothing else does.
    """
    root = Path(root)
    if not root.exists():
        return None, [Problem(root, 1, 1, "no such knowledge base folder or file")]
    files = discover(root)
    if not files:
        return None, [Problem(root, 1, 1, "no YAML files (*.yaml) in the knowledge base folder")]
    parsed = [parse_file(path) if inside_kb(path, root) else _outside(path) for path in files]
    index, validators, registry = index_files(parsed, root=root)
    assertions = validated_assertions(validators, registry)
    if with_drafts:  # a draft's problems are the curator's to fix while reviewing it
        for parsed_file in parsed:
            parsed_file.problems = [p for p in parsed_file.problems if not _in_draft(parsed_file.data, p[0])]
    problems = [p for parsed_file in parsed for p in locate(parsed_file)]
    if problems:
        return None, sorted(problems)
    kb = KnowledgeBase(root, index.entities, index.sources, assertions, tuple(files))
    return kb, []


def _outside(path: Path) -> ParsedFile:
    """A YAML file of the folder that is a link leading out of the knowledge base: not read."""
    why = f"not read: this file is a link leading out of the knowledge base: {INSIDE_RULE}"
    return ParsedFile(path, "", syntax=Problem(path, 1, 1, why))


def _in_draft(data: dict, path: Path_) -> bool:
    """Whether ``path`` lies inside a record marked for review."""
    if len(path) < 2 or path[0] not in SECTIONS or not isinstance(path[1], int):
        return False
    records = data.get(path[0])
    record = records[path[1]] if isinstance(records, list) and path[1] < len(records) else None
    return isinstance(record, dict) and "review" in record


def load(root: Path | str, with_drafts: bool = False) -> KnowledgeBase:
    """Load a knowledge base, raising :class:`KnowledgeBaseError` with every problem."""
    kb, problems = check(root, with_drafts)
    if problems:
        raise KnowledgeBaseError(problems)
    assert kb is not None
    return kb


def _check_wikidata(index: ReferenceIndex, validators: list[Validator]) -> None:
    """Two entities with one Wikidata id are almost always one entity written twice."""
    seen: dict[str, str] = {}
    by_entity = {}
    for v in validators:
        for i, record in enumerate(v.parsed.data.get("entities", ())):
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                by_entity[record["id"]] = (v, ("entities", i, "wikidata"))
    for entity in index.entities.values():
        if entity.wikidata is None:
            continue
        other = seen.setdefault(entity.wikidata, entity.id)
        if other != entity.id:
            v, path = by_entity[entity.id]
            v.problem(path, f"entity {entity.id}: wikidata {entity.wikidata} is already used by entity {other!r}")

