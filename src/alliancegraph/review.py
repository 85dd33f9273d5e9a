"""Reviewing drafts: what is left to review, and accepting or dropping a draft without retyping it.

A draft is a record (source, entity or assertion) that carries a ``review:``
key; ``alliancegraph add`` writes every record it drafts that way, and the
loader reports every such record as a problem (``draft left to review``), so
a draft never passes as curated. A curator reads the draft file (plain YAML),
corrects what is wrong in place, and then either accepts a record — its
``review:`` line is deleted — or drops it — the record is deleted. This module
does those two edits on the file's lines, leaving every other line, comment
and blank line as it was, and checks before writing that the file then means
exactly what it meant minus the review mark (or minus the record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import AllianceGraphError
from .files import write_atomic
from .parsing import parse_file
from .paths import discover, inside_kb, kb_folder
from .record_fields import RECORD_NAMES, SECTIONS
from .resolve import did_you_mean
from .yamlsafe import safe_load

__all__ = ["COMMENT_MARK", "REVIEW_KEY", "Marked", "accept", "drop", "marked_records"]

REVIEW_KEY = "review"
#: Comment lines written just above a draft begin with this; dropping the draft drops them too.
COMMENT_MARK = "# draft:"


@dataclass(frozen=True)
class Marked:
    """A record still marked for review, and where its lines are (0-based, inclusive)."""

    file: Path
    section: str
    index: int  # its place in the section's list
    id: str
    review: str
    summary: str  # what it says, in a few words
    first: int
    last: int
    mark_first: int
    mark_last: int

    @property
    def kind(self) -> str:
        return RECORD_NAMES[self.section]

    @property
    def line(self) -> int:
        return self.first + 1


def marked_records(root: Path) -> list[Marked]:
    """Every record under ``root`` still marked for review, file by file in order.

    Files that cannot be read or parsed are left out: ``check`` reports them.
    """
    found: list[Marked] = []
    for path in discover(Path(root)):
        found += _marked_in(path)[1]
    return found


def _marked_in(path: Path) -> tuple[str, list[Marked]]:
    parsed = parse_file(path)
    if parsed.syntax is not None or not parsed.data:
        return parsed.text, []
    root = parsed.nodes
    if not isinstance(root, yaml.MappingNode):
        return parsed.text, []
    lines = parsed.text.splitlines()
    found = []
    for key, section in root.value:
        if key.value not in SECTIONS or not isinstance(section, yaml.SequenceNode):
            continue
        for index, item in enumerate(section.value):
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = {k.value: (k, v) for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            if REVIEW_KEY not in fields:
                continue
            mark_key, mark_value = fields[REVIEW_KEY]
            record = parsed.data[key.value][index]
            found.append(
                Marked(
                    file=path,
                    section=key.value,
                    index=index,
                    id=str(record.get("id", "")),
                    review=str(record.get(REVIEW_KEY)),
                    summary=_summary(key.value, record),
                    first=item.start_mark.line,
                    last=max(_last_line(v, lines) for _, v in item.value),
                    mark_first=mark_key.start_mark.line,
                    mark_last=_last_line(mark_value, lines),
                )
            )
    return parsed.text, found


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The last line holding ``node``'s text (a block scalar's end mark is the next line's start)."""
    last = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
    while last > node.start_mark.line and not lines[last].strip():
        last -= 1
    return last


def _summary(section: str, record: dict) -> str:
    if section == "assertions":
        said = [str(record.get(k, "?")) for k in ("subject", "relation", "object")]
        qualifiers = [str(record[k]) for k in ("polarity", "modality") if record.get(k) not in (None, "affirmed", "fact")]
        speaker = [f"said by {record['speaker']}"] if record.get("speaker") else []
        return " ".join(said) + (f" ({', '.join(qualifiers + speaker)})" if qualifiers or speaker else "")
    if section == "entities":
        return f"{record.get('type', '?')} {record.get('label', '?')}"
    return str(record.get("title", "?"))


def _select(root: Path, ids: Iterable[str], everything: bool) -> dict[Path, list[Marked]]:
    """The marked records named by ``ids`` (or all of them), by file; an unknown id is an error."""
    marked = marked_records(root)
    wanted = list(dict.fromkeys(ids))
    if not everything and not wanted:
        raise AllianceGraphError("name the drafts by id, or give --all")
    by_id: dict[str, list[Marked]] = {}
    for record in marked:
        by_id.setdefault(record.id, []).append(record)
    chosen = marked if everything else []
    for record_id in wanted if not everything else ():
        matches = by_id.get(record_id, [])
        if not matches:
            hint = did_you_mean(record_id, by_id) or ("" if by_id else " (no draft is left to review)")
            raise AllianceGraphError(f"no draft left to review has the id {record_id!r}{hint}")
        if len(matches) > 1:
            where = ", ".join(f"{m.file.name}:{m.line}" for m in matches)
            raise AllianceGraphError(f"{len(matches)} drafts have the id {record_id!r} ({where}); give them distinct ids first")
        chosen += matches
    by_file: dict[Path, list[Marked]] = {}
    for record in chosen:
        by_file.setdefault(record.file, []).append(record)
    return by_file


def accept(root: Path, ids: Iterable[str] = (), everything: bool = False) -> list[Marked]:
    """Delete the ``review:`` line of each named draft (every draft with ``everything``)."""
    return _edit(root, ids, everything, keep_record=True)


def drop(root: Path, ids: Iterable[str]) -> list[Marked]:
    """Delete each named draft, with the ``# draft:`` comment lines written just above it."""
    return _edit(root, ids, False, keep_record=False)


def _edit(root: Path, ids: Iterable[str], everything: bool, keep_record: bool) -> list[Marked]:
    planned = _select(root, ids, everything)
    edits = []
    for path, records in planned.items():
        if not inside_kb(path, root):  # a file linked from outside is not the knowledge base's to edit
            raise AllianceGraphError(f"{path} is a link leading out of the knowledge base; its drafts are not edited")
        text, _ = _marked_in(path)
        edits.append((path, _edited(path, text, records, keep_record)))
    for path, new in edits:  # every file is checked before any is written
        write_atomic(path, new, within=kb_folder(root))
    return [record for records in planned.values() for record in records]


def _edited(path: Path, text: str, records: list[Marked], keep_record: bool) -> str:
    """``text`` with the records' review lines (or the records) removed, checked to mean just that."""
    lines = text.splitlines(keepends=True)
    expected = safe_load(text)
    for record in sorted(records, key=lambda r: r.first, reverse=True):
        if keep_record:
            del lines[record.mark_first : record.mark_last + 1]
            del expected[record.section][record.index][REVIEW_KEY]
        else:
            first = record.first
            while first > 0 and lines[first - 1].lstrip().startswith(COMMENT_MARK):
                first -= 1
            del lines[first : record.last + 1]
            del expected[record.section][record.index]
    new = "".join(lines)
    try:
        meaning = safe_load(new)
    except yaml.YAMLError:
        meaning = None
    if _sections(meaning) != _sections(expected):  # e.g. a record written in flow style, {id: ..., review: ...}
        what = "accept" if keep_record else "drop"
        raise AllianceGraphError(f"{path}: cannot {what} these drafts by deleting lines; edit the file by hand")
    return new


def _sections(data):
    """A file's meaning, an emptied section (``entities:`` with nothing under it) being no section."""
    if not isinstance(data, dict):
        return data
    return {key: value for key, value in data.items() if value not in (None, [])}


def referring(root: Path, entity_ids: set[str]) -> list[tuple[str, str]]:
    """(assertion id, entity id) for each assertion under ``root`` that refers to one of ``entity_ids``."""
    found = []
    for path in discover(Path(root)):
        parsed = parse_file(path)
        for record in parsed.data.get("assertions", ()):
            if not isinstance(record, dict):
                continue
            for key in ("subject", "object", "speaker", "on_behalf_of", "regarding"):
                if record.get(key) in entity_ids:
                    found.append((str(record.get("id")), str(record[key])))
    return found

