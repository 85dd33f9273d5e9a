"""Turning one parsed file's records into model objects, checked against the knowledge base's ids, collecting its problems.

Each problem is noted at its path in the document (:meth:`ParsedFile.problem`);
:mod:`alliancegraph.locate` turns the paths into lines and columns only when
a file has problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .dates import UNKNOWN, DateError, PartialDate, bounds_problem, bounds_text
from .errors import DRAFT_LEFT, QUOTED
from .model import Assertion, Entity, Origin, Source
from .parsing import KeyPath, ParsedFile
from .paths import INSIDE_RULE, inside_kb
from .record_fields import (
    ASSERTION_FIELDS,
    ENTITY_FIELDS,
    ENUMS,
    ID_PATTERN,
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    OFFICE_FIELDS,
    SOURCE_FIELDS,
    URL_PATTERN,
    WIKIDATA_PATTERN,
)
from .reference_index import ReferenceIndex
from .resolve import did_you_mean, fold
from .text import clip
from .vocabulary import RELATIONS


class Validator:
    """Turns one parsed file's records into model objects, collecting problems."""

    def __init__(self, parsed: ParsedFile, index: ReferenceIndex):
        self.parsed = parsed
        self.index = index

    def problem(self, path: KeyPath, message: str, at_key: bool = False) -> None:
        self.parsed.problem(path, message, at_key)

    # -- generic record checks -------------------------------------------------

    def fields(self, record: Any, path: KeyPath, spec: dict, what: str) -> dict | None:
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

    def value(self, value: Any, kind: str, path: KeyPath, label: str, key: str) -> Any:
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

    def sources(self) -> Iterable[tuple[Source, KeyPath]]:
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
                elif not inside_kb(file, self.index.root, self.index.trees):
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

    def entities(self) -> Iterable[tuple[Entity, KeyPath]]:
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

    def assertions(self) -> Iterable[tuple[Assertion, KeyPath]]:
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

    def offices(self, person: dict, path: KeyPath) -> Iterable[tuple[Assertion, KeyPath]]:
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

    def assertion(self, values: dict, path: KeyPath) -> Assertion | None:
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

    def check_time(self, values: dict, path: KeyPath, label: str) -> bool:
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

    def bounds(self, values: dict, path: KeyPath, label: str) -> tuple[PartialDate | None, PartialDate | None]:
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

    def check_quote(self, values: dict, path: KeyPath, label: str):
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


def _record_at(data: dict, path: KeyPath) -> dict:
    node: Any = data
    for step in path:
        node = node[step]
    return node


def _key_for(path: KeyPath, key: str) -> str:
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
