"""Loading and validating a knowledge base folder: every file checked, every problem located, or the knowledge base.

Every ``*.yaml`` file under the folder may hold any of three sections —
``sources``, ``entities`` and ``assertions`` — each a list of records. Loading
reads them all with a hardened safe loader (:mod:`alliancegraph.yamlsafe`,
through :mod:`alliancegraph.parsing`), checks every record
(:mod:`alliancegraph.validation`, against the fields of
:mod:`alliancegraph.record_fields` and the ids of
:mod:`alliancegraph.reference_index`), and either returns a
:class:`~alliancegraph.model.KnowledgeBase` or raises
:class:`~alliancegraph.errors.KnowledgeBaseError` carrying every problem
found, each located as ``file:line:column`` (:mod:`alliancegraph.locate`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import parsing
from .errors import KnowledgeBaseError, Problem
from .locate import locate
from .model import Assertion, KnowledgeBase
from .parsing import KeyPath, ParsedFile
from .paths import INSIDE_RULE, discover, inside_kb
from .record_fields import SECTIONS
from .reference_index import IdRegistry, ReferenceIndex
from .validation import Validator


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
            if registry.register("source", source.id, v.parsed, path):
                index.sources[source.id] = source
    for v in validators:
        for entity, path in v.entities():
            if registry.register("entity", entity.id, v.parsed, path):
                index.entities[entity.id] = entity
    _check_wikidata(index, validators)
    return index, validators, registry


def validated_assertions(validators: list[Validator], registry: IdRegistry) -> list[Assertion]:
    """Every file's assertions and offices, checked against the index; duplicates reported."""
    assertions: list[Assertion] = []
    for v in validators:
        v.entity_references()
        for assertion, path in v.assertions():
            if registry.register("assertion", assertion.id, v.parsed, path):
                assertions.append(assertion)
    return assertions


def check(root: Path | str, with_drafts: bool = False,
          parse: Callable[[Path], ParsedFile] | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Load and validate a knowledge base; return it (None if broken) and its problems.

    ``with_drafts`` takes records still marked for review as they stand, for the
    tools that draft more of them (``add``, ``suggest``); nothing else does.
    ``parse`` gives a file as parsed (by default :func:`alliancegraph.parsing.parse_file`
    reads it): a build that has parsed the files already reports their problems
    without reading them again.
    """
    root = Path(root)
    if not root.exists():
        return None, [Problem(root, 1, 1, "no such knowledge base folder or file")]
    files = discover(root)
    if not files:
        return None, [Problem(root, 1, 1, "no YAML files (*.yaml) in the knowledge base folder")]
    parse = parse or parsing.parse_file  # looked up when called: one name for every caller to watch
    parsed = [parse(path) if inside_kb(path, root) else _outside(path) for path in files]
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


def _in_draft(data: dict, path: KeyPath) -> bool:
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

