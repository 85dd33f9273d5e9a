"""One knowledge-base file's work in a build: parsed into cached records, then validated and compiled to N-Triples.

Parsing needs nothing but the file; validating needs the index of every
file's sources, entities and offices (:func:`build_index`), so a build parses
every changed file first, builds the index, then compiles each file from its
cached records. The tasks at the end run the same work in a worker process
(:mod:`alliancegraph.workers`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import dump_marshal, read_marshal
from .model import KnowledgeBase
from .rowcodec import objects_to_rows
from .workers import inherited

if TYPE_CHECKING:
    from .network import EdgeRow
    from .parsing import ParsedFile
    from .reference_index import ReferenceIndex


def index_part(data: dict) -> dict:
    """What other files depend on in one file: its sources, entities and offices."""
    part = {key: data[key] for key in ("sources", "entities") if key in data}
    offices = [r for r in data.get("assertions", ()) if isinstance(r, dict) and r.get("relation") == "holds-office"]
    if offices:
        part["assertions"] = offices
    return part


@dataclass
class Parsed:
    """One file after parsing: clean or not, what the index needs of it, and the file as read (its text
    and problems, for reporting them without reading it again; its sections only when no records keep them)."""

    path: str
    sha256: str
    clean: bool
    part: dict
    file: ParsedFile


def parse_to_records(path: str, sha256: str, records: Path) -> Parsed:
    """Parse one YAML file and cache its sections as ``records/<sha256>``."""
    from .parsing import parse_file

    parsed = parse_file(Path(path))
    clean = parsed.syntax is None and not parsed.problems
    kept = parsed
    if clean:
        try:
            payload = dump_marshal(parsed.data)
        except ValueError:  # a value marshal cannot hold (an explicit !!timestamp): parse again next time
            payload = None
        if payload is not None:
            from .files import write_atomic

            write_atomic(records / sha256, payload, durable=False)
            kept = replace(parsed, data={})  # the records hold them
    return Parsed(path, sha256, clean, index_part(parsed.data) if clean else {}, kept)


def parse_again(path: str) -> dict:
    """A file's sections, parsed again (its records could not be cached)."""
    from .parsing import parse_file

    return parse_file(Path(path)).data


def read_records(records: Path, sha256: str) -> dict | None:
    """A file's sections as :func:`parse_to_records` cached them, or None when missing or damaged."""
    data = read_marshal(records / sha256)
    return data if isinstance(data, dict) else None


@dataclass
class Index:
    """Everything a file's records may refer to, built from every file's index part."""

    index: ReferenceIndex
    offices: KnowledgeBase  # entities, sources and the offices: enough to say who speaks for whom
    clean: bool
    cached: bool = False  # read back from the last build rather than validated now


def build_index(kb_root: Path, parts: dict[str, dict]) -> Index:
    """Validate the sources, entities and offices of every file, as ``check`` does.

    Quotes are left unchecked here: an office's quote is checked when its own
    file is compiled, which happens whenever the file or the index changes.
    """
    from .loading import index_files, validated_assertions
    from .parsing import ParsedFile
    from .validation import Validator

    class IndexValidator(Validator):
        def check_quote(self, values: dict, path: tuple, label: str):
            return None

    thin = [ParsedFile(Path(path), "", data=dict(part)) for path, part in parts.items()]
    index, validators, registry = index_files(thin, IndexValidator, root=kb_root)
    offices = validated_assertions(validators, registry)
    clean = not any(p.problems or p.syntax for p in thin)
    return Index(index, KnowledgeBase(kb_root, index.entities, index.sources, offices), clean)


@dataclass
class Compiled:
    """One file compiled: its triples as N-Triples bytes, the assertion ids it defines and their network edges.

    ``shareable`` holds the lines another file may give too (truthy triples,
    :func:`alliancegraph.rdf.truthy_lines`), ``ntriples`` all the others.
    """

    path: str
    clean: bool
    ids: list[str]
    ntriples: bytes
    shareable: bytes
    edges: list[EdgeRow]
    assertions: list[list]  # the validated assertions as rows (objects_to_rows)

    @property
    def all_lines(self) -> bytes:
        return self.ntriples + self.shareable


@dataclass
class Validated:
    """One file's records as model objects, and whether they had problems."""

    sources: list
    entities: list
    assertions: list
    clean: bool


def validate_records(path: str, data: dict, index: Index) -> Validated:
    """Check one file's records against the index, as ``check`` does."""
    from .parsing import ParsedFile
    from .validation import Validator

    parsed = ParsedFile(Path(path), "", data=data)
    validator = Validator(parsed, index.index)
    sources = [source for source, _ in validator.sources()]
    entities = [entity for entity, _ in validator.entities()]
    validator.entity_references()
    assertions = [assertion for assertion, _ in validator.assertions()]
    return Validated(sources, entities, assertions, not parsed.problems)


def compile_records(path: str, data: dict, index: Index) -> Compiled:
    """Validate one file's records against the index and compile them to N-Triples."""
    from .network import edge_row
    from .rdf import record_lines, truthy_lines

    validated = validate_records(path, data, index)
    voices = [index.offices.voices(a) for a in validated.assertions]  # read once for the triples and the edge
    lines = record_lines(validated.sources, validated.entities, validated.assertions, index.offices, truthy=False,
                         voices=voices)
    shareable = (line for a in validated.assertions for line in truthy_lines(a))
    edges = [edge_row(index.offices, a, known) for a, known in zip(validated.assertions, voices)]
    return Compiled(path, validated.clean, [a.id for a in validated.assertions], "".join(lines).encode("utf-8"),
                    "".join(shareable).encode("utf-8"), edges, objects_to_rows(validated.assertions))


def compile_from_records(path: str, sha256: str, index: Index, records: Path, reparse: bool = True) -> Compiled | None:
    """Compile a file from its cached records; when they are missing, from the file parsed again if
    ``reparse`` (it is the version on disk), else None."""
    data = read_records(records, sha256)
    if data is None and not reparse:
        return None
    return compile_records(path, data if data is not None else parse_again(path), index)


def assertion_part(path: str, sha256: str, rows: list[list]) -> bytes:
    """The content of a file's assertion part (:func:`alliancegraph.sidefiles.write_assertion_part`):
    the file, the digest of the version compiled, its assertions as rows."""
    return dump_marshal((path, sha256, rows))


# -- the same work as tasks of a worker process (the state is handed over by the pool) ----------


def parse_task(task: tuple[str, str]) -> Parsed:
    """:func:`parse_to_records` for ``(path, sha256)``, into the records folder given as ``records``."""
    path, sha256 = task
    return parse_to_records(path, sha256, inherited("records"))


def compile_task(task: tuple[str, str]) -> tuple[Compiled, bytes, bytes]:
    """A file compiled against the ``index`` given, with the digests of the lines it may share with
    another file (:func:`alliancegraph.sharing.line_digests`) packed as 64-bit integers, and its
    assertions as the part the build saves (:func:`assertion_part`) in
    place of the rows: bytes cross from a worker process far faster than rows."""
    from array import array

    from .sharing import line_digests

    path, sha256 = task
    compiled = compile_from_records(path, sha256, inherited("index"), inherited("records"))
    assert compiled is not None  # reparsed when the records are missing
    part = assertion_part(path, sha256, compiled.assertions)
    return replace(compiled, assertions=[]), array("Q", line_digests(compiled.shareable)).tobytes(), part
