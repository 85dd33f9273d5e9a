"""What a curation change does: two knowledge bases compared, record by record and answer by answer.

``alliancegraph diff OLD [NEW]`` takes two knowledge-base folders or two git
revisions (NEW defaults to the knowledge base as it is on disk) and reports

* the sources, entities and assertions added, removed and changed, a changed
  record with the fields that differ;
* the answers of the main queries that changed: ``who-aligns-with`` and
  ``who-opposes`` for every actor, ``members-of`` for every organisation or
  agreement, and ``who-stands-where`` for every issue, that a changed record
  touches (its subject, object, speaker, whom they speak for and what it is
  regarding), so that a reviewer sees what the change does to "who aligns
  with whom" and "who stands where".

A git revision is read with ``git archive`` into a temporary folder: the
user's working tree, index and branches are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .asof import answer_day
from .blocs import PARTY_RELATIONS
from .errors import AllianceGraphError, KnowledgeBaseError, Problem, UnknownEntityError, UsageError
from .model import Assertion, KnowledgeBase
from .text import clip
from .vocabulary import ACTOR_TYPES, GROUP_TYPES

__all__ = ["ANSWER_QUERIES", "FieldChange", "RecordChanges", "AnswerChange", "Diff", "diff", "diff_knowledge_bases",
           "open_version"]

#: The queries whose answers a diff compares, and the entity types each is asked about.
ANSWER_QUERIES: dict[str, frozenset[str]] = {
    "who-aligns-with": ACTOR_TYPES,
    "who-opposes": ACTOR_TYPES,
    "members-of": GROUP_TYPES,
    "who-stands-where": frozenset({"issue"}),
}

#: Fields a diff leaves out: where a record is written, and what is derived from other fields.
IGNORED_FIELDS = frozenset({"origin", "evidence", "file"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class RecordChanges:
    """Records of one kind (sources, entities, assertions) added, removed and changed, by id."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list[tuple[Any, Any, list[FieldChange]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class AnswerChange:
    """Rows of one query for one entity that appear or disappear."""

    query: str
    entity: str
    added: tuple[dict, ...]
    removed: tuple[dict, ...]


@dataclass
class Diff:
    sources: RecordChanges
    entities: RecordChanges
    assertions: RecordChanges
    answers: list[AnswerChange]

    def __bool__(self) -> bool:
        return bool(self.sources or self.entities or self.assertions or self.answers)

    def to_dict(self) -> dict:
        """The diff as plain data (for ``--format json``)."""
        return {
            "sources": _changes_dict(self.sources),
            "entities": _changes_dict(self.entities),
            "assertions": _changes_dict(self.assertions),
            "answers": [
                {"query": a.query, "entity": a.entity, "added": list(a.added), "removed": list(a.removed)}
                for a in self.answers
            ],
        }


# -- records ------------------------------------------------------------------------------


def _fields(record) -> dict[str, Any]:
    """A record's comparable fields, dates as text."""
    return {
        f.name: _plain(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if f.name not in IGNORED_FIELDS and f.compare
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def compare_records(old: Mapping[str, Any], new: Mapping[str, Any]) -> RecordChanges:
    """Records added, removed and changed between two id -> record mappings, in id order."""
    changes = RecordChanges()
    for record_id in sorted(old.keys() | new.keys()):
        before, after = old.get(record_id), new.get(record_id)
        if before is None:
            changes.added.append(after)
        elif after is None:
            changes.removed.append(before)
        else:
            old_fields, new_fields = _fields(before), _fields(after)
            differing = [FieldChange(k, old_fields[k], new_fields[k]) for k in old_fields if old_fields[k] != new_fields[k]]
            if differing:
                changes.changed.append((before, after, differing))
    return changes


def _changes_dict(changes: RecordChanges) -> dict:
    return {
        "added": [_fields(r) for r in changes.added],
        "removed": [_fields(r) for r in changes.removed],
        "changed": [
            {"id": old.id, "fields": {c.field: {"old": c.old, "new": c.new} for c in fields}}
            for old, _, fields in changes.changed
        ],
    }


# -- answers -------------------------------------------------------------------------------


def _touched(kb: KnowledgeBase, assertions: Iterable[Assertion]) -> set[str]:
    """Entities an assertion is about or speaks for."""
    touched: set[str] = set()
    for a in assertions:
        touched |= {a.subject, a.object, kb.actor_of(a), kb.counterpart_of(a)}
        touched |= {e for e in (a.speaker, kb.speaker_for(a), a.on_behalf_of, a.regarding) if e}
    return touched


def involved_entities(old: KnowledgeBase, new: KnowledgeBase, entities: RecordChanges,
                      assertions: RecordChanges) -> set[str]:
    """Every entity whose answers a change may move: what the changed records touch; the
    statements of anyone whose office or body changed (they now count for someone else);
    and the parties of every agreement touched (parties align, and are opposed, through it)."""
    before = [*assertions.removed, *(old_record for old_record, _, _ in assertions.changed)]
    after = [*assertions.added, *(new_record for _, new_record, _ in assertions.changed)]
    involved = _touched(old, before) | _touched(new, after)
    changed_entities = {e.id for e in (*entities.added, *entities.removed)} | {e.id for e, _, _ in entities.changed}
    involved |= changed_entities
    moved = changed_entities | {a.subject for a in (*before, *after) if a.relation == "holds-office"}
    for kb in (old, new):
        involved |= _touched(kb, [a for a in kb.assertions if moved & {a.subject, a.object, a.speaker}])
    for kb in (old, new):
        agreements = {e for e in involved if e in kb.entities and kb.entities[e].type == "agreement"}
        involved |= {kb.actor_of(a) for a in kb.assertions if a.relation in PARTY_RELATIONS and a.object in agreements}
    return involved


def _frozen(row: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in row.items()))


def _answers(engine, kb: KnowledgeBase, query, entity_id: str, as_of: dt.date) -> dict[tuple, dict]:
    if entity_id not in kb.entities or kb.entities[entity_id].type not in ANSWER_QUERIES[query.name]:
        return {}
    parameter = next(p for p in query.parameters if p.required)
    try:
        rows = query.run(engine, {parameter.name: entity_id}, as_of)
    except UnknownEntityError:
        return {}
    return {_frozen(row): row for row in rows}


def compare_answers(old: KnowledgeBase, new: KnowledgeBase, entity_ids: Iterable[str], as_of: dt.date,
                    query_folders: Iterable[Path] = ()) -> list[AnswerChange]:
    """The main queries' rows that differ between the two knowledge bases, per entity asked about."""
    from .engine import LocalEngine
    from .queries import get_query, load_queries

    saved = load_queries(query_folders)
    engines = LocalEngine(old), LocalEngine(new)
    changes = []
    for name in ANSWER_QUERIES:
        query = get_query(saved, name)
        for entity_id in sorted(entity_ids):
            before = _answers(engines[0], old, query, entity_id, as_of)
            after = _answers(engines[1], new, query, entity_id, as_of)
            added = tuple(after[k] for k in sorted(after.keys() - before.keys(), key=repr))
            removed = tuple(before[k] for k in sorted(before.keys() - after.keys(), key=repr))
            if added or removed:
                changes.append(AnswerChange(name, entity_id, added, removed))
    return changes


def diff_knowledge_bases(old: KnowledgeBase, new: KnowledgeBase, as_of: dt.date | None = None,
                         query_folders: Iterable[Path] = ()) -> Diff:
    """Compare two loaded knowledge bases: records, then the answers the changed records touch."""
    sources = compare_records(old.sources, new.sources)
    entities = compare_records(old.entities, new.entities)
    assertions = compare_records(old.assertions_by_id, new.assertions_by_id)
    involved = involved_entities(old, new, entities, assertions)
    answers = compare_answers(old, new, involved, answer_day(as_of), query_folders)
    return Diff(sources, entities, assertions, answers)


# -- versions: folders and git revisions ------------------------------------------------------


def _git(repository: Path, *arguments: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repository), *arguments], capture_output=True, check=False)
    except FileNotFoundError as error:
        raise AllianceGraphError("git is not installed; compare two folders instead") from error


def _repository_of(kg: Path) -> tuple[Path, Path]:
    """The git work tree holding ``kg``, and ``kg``'s path inside it."""
    folder = kg if kg.is_dir() else kg.parent
    result = _git(folder, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise UsageError(f"{kg} is not inside a git repository, so revisions cannot be read; compare two folders")
    top = Path(result.stdout.decode().strip()).resolve()
    return top, kg.resolve().relative_to(top)


def _extract_revision(revision: str, kg: Path, into: Path) -> Path:
    """Write the tree of ``revision`` into ``into`` (with git archive); return where ``kg`` is in it."""
    if revision.startswith("-"):
        raise UsageError(f"{revision!r} is neither a folder nor a git revision")
    top, inside = _repository_of(kg)
    verified = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{tree}}")
    if verified.returncode != 0:
        raise UsageError(f"{revision!r} is neither a folder nor a git revision of {top}")
    archive = _git(top, "archive", "--format=tar", verified.stdout.decode().strip())
    if archive.returncode != 0:
        raise AllianceGraphError(f"git archive {revision} failed: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = list(_members_inside(tar))
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later also check each member as written
            tar.extractall(into, members, filter="data")
        else:
            tar.extractall(into, members)
    return into / inside


def _members_inside(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """The archive's folders, files and symbolic links that stay inside it.

    git commits a link as it was made, absolute or climbing out of the
    repository: such a link is left out, as if the file were not there (the
    knowledge base then reports it missing, as a link leading out of it is
    reported on disk).
    """
    for member in tar:
        name = PurePosixPath(member.name)
        if name.is_absolute() or ".." in name.parts:
            continue
        if member.issym():
            target = PurePosixPath(member.linkname)
            if target.is_absolute() or not _stays_inside(name.parent / target):
                continue
        elif not (member.isfile() or member.isdir()):
            continue
        yield member


def _stays_inside(path: PurePosixPath) -> bool:
    """Whether a relative path, with its '..' steps taken, stays below where it starts."""
    depth = 0
    for part in path.parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return False
    return True


def _on_disk(spec: str | Path) -> bool:
    """Whether ``spec`` names a folder or file; '' (the working directory to pathlib) and a
    name too long to look up do not, and are then tried as revisions."""
    try:
        return str(spec) != "" and Path(spec).exists()
    except OSError:
        return False


@contextlib.contextmanager
def open_version(spec: str | Path, kg: Path) -> Iterator[KnowledgeBase]:
    """The knowledge base ``spec`` names: a folder, or a git revision of the repository holding ``kg``."""
    from .loading import load

    if _on_disk(spec):
        yield load(Path(spec))
        return
    with tempfile.TemporaryDirectory(prefix="alliancegraph-diff-") as temporary:
        root = _extract_revision(str(spec), Path(kg), Path(temporary))
        try:
            yield load(root)
        except KnowledgeBaseError as error:
            raise KnowledgeBaseError([_at_revision(p, str(spec), Path(temporary)) for p in error.problems]) from None


def _at_revision(problem: Problem, revision: str, root: Path) -> Problem:
    """A problem in an extracted revision, located as ``REVISION:path``."""
    try:
        where = Path(f"{revision}:{Path(problem.file).relative_to(root).as_posix()}")
    except ValueError:
        where = problem.file
    return Problem(where, problem.line, problem.column, problem.message)


def diff(old: str | Path, new: str | Path | None, kg: Path, as_of: dt.date | None = None,
         query_folders: Iterable[Path] = ()) -> Diff:
    """Compare two versions, each a folder or a git revision; ``new`` defaults to ``kg`` as it is on disk."""
    with open_version(old, kg) as before, open_version(new if new is not None else kg, kg) as after:
        return diff_knowledge_bases(before, after, as_of, query_folders)


# -- the report ---------------------------------------------------------------------------------


def _describe(record) -> str:
    if isinstance(record, Assertion):
        polarity = "" if record.polarity == "affirmed" else f" ({record.polarity})"
        modality = "" if record.modality == "fact" else f" [{record.modality}]"
        return f"{record.subject} {record.relation} {record.object}{polarity}{modality}, {record.when}"
    return str(getattr(record, "label", None) or getattr(record, "title", ""))


def _shown(value: Any) -> str:
    text = "-" if value in (None, [], "") else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return clip(text, 60)


def _row_text(row: dict) -> str:
    keep = ("actor", "label", "position", "relation", "target", "via", "since", "until", "date", "modality", "assertion",
            "assertions")
    return ", ".join(f"{k} {_shown(row[k])}" for k in keep if row.get(k) not in (None, "", []))


def report(changes: Diff) -> str:
    """The diff as a reviewer reads it."""
    if not changes:
        return "No differences.\n"
    lines: list[str] = []
    for title, records in (("Sources", changes.sources), ("Entities", changes.entities),
                           ("Assertions", changes.assertions)):
        if not records:
            continue
        lines.append(f"{title}: {len(records.added)} added, {len(records.removed)} removed, "
                     f"{len(records.changed)} changed")
        lines += [f"  + {r.id}: {_describe(r)}" for r in records.added]
        lines += [f"  - {r.id}: {_describe(r)}" for r in records.removed]
        for before, _, fields in records.changed:
            lines.append(f"  ~ {before.id}: " + "; ".join(f"{c.field} {_shown(c.old)} -> {_shown(c.new)}" for c in fields))
    if changes.answers:
        lines.append("Answers that changed:")
        for answer in changes.answers:
            lines.append(f"  {answer.query} {answer.entity}:")
            lines += [f"    + {_row_text(row)}" for row in answer.added]
            lines += [f"    - {_row_text(row)}" for row in answer.removed]
    return "\n".join(lines) + "\n"
