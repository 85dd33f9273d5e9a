"""JSON Schema for the knowledge base's YAML files, generated from the loader.

The record specs in :mod:`alliancegraph.record_fields` (``SOURCE_FIELDS``,
``ENTITY_FIELDS``, ``OFFICE_FIELDS``, ``ASSERTION_FIELDS``) and the registries
in :mod:`alliancegraph.vocabulary` are the one definition of the YAML format;
this module turns them into JSON Schema (draft 2020-12) so that an editor with
a YAML language server completes keys, relation names and entity types and
flags mistakes while the curator types.

One schema is written per kind of file: ``sources``, ``entities`` and
``assertions`` for files holding only that section, and ``knowledge-base`` for
a file holding any of them. The committed copies live in ``schemas/`` at the
top of the repository (``alliancegraph schema --write`` regenerates them; a
test keeps them equal to this generator's output). Each file in ``kg/`` names
its schema in a first-line comment::

    # yaml-language-server: $schema=../schemas/assertions.schema.json

The schema checks shape only. What needs the whole knowledge base — whether a
referenced entity exists, whether a quote occurs in its article, whether a
relation fits its subject's type — is left to ``alliancegraph check``, which
stays the authority.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .dates import UNKNOWN
from .errors import Problem, UsageError, WriteError
from .files import write_atomic
from .parsing import parse_file
from .paths import SCHEMAS_BESIDE, discover, inside_kb, kb_folder, schemas_dir
from .record_fields import (
    ENUMS,
    FIELDS,
    ID_PATTERN,
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    OFFICE_FIELDS,
    RECORD_NAMES,
    SECTIONS,
    URL_PATTERN,
    WIKIDATA_PATTERN,
)
from .vocabulary import BASE
from .yamlsafe import safe_load

__all__ = [
    "KINDS",
    "FIELD_DESCRIPTIONS",
    "generate_schema",
    "schema_json",
    "write_schemas",
    "kind_of_file",
    "modeline",
    "annotate",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = BASE + "schema/"
#: The pattern PartialDate.parse accepts for a date written as text.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"

#: Kinds of YAML file: name -> (the sections it may hold, its title).
KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "knowledge-base": (SECTIONS, "An alliancegraph knowledge base file (sources, entities and assertions)"),
    "sources": (("sources",), "An alliancegraph sources file"),
    "entities": (("entities",), "An alliancegraph entities file"),
    "assertions": (("assertions",), "An alliancegraph assertions file"),
}

_REVIEW = (
    "Marks a draft nobody has reviewed yet (`alliancegraph add` writes it): check refuses the record while it "
    "has one. Delete the line to accept the record."
)

#: What each field means, shown by editors on hover and completion. A test
#: keeps this table and the loader's specs in step: every field is described.
FIELD_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "sources": {
        "id": "Stable kebab-case id of the source; assertions cite it as 'source'.",
        "title": "The article's headline or the record's name.",
        "kind": "What kind of document this is.",
        "published": "Publication date: YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.",
        "earliest": (
            "The first day the publication date can be (Wikidata P1319 'earliest date'), e.g. an undated essay written "
            "after an event it mentions. Assertions dated by publication take it."
        ),
        "latest": "The last day the publication date can be (Wikidata P1326 'latest date').",
        "outlet": "The publication that ran the article.",
        "author": "The author, when the article names one.",
        "url": "Where the source can be read (http or https).",
        "file": "The source's text, relative to this YAML file; quotes are checked against it.",
        "note": "Why the date is what it is, and anything else a reader should know.",
        "review": _REVIEW,
    },
    "entities": {
        "id": "Lowercase kebab-case of the common English short name (e.g. 'republika-srpska').",
        "label": "The name shown to users.",
        "type": "What kind of entity this is.",
        "aliases": "Every other spelling seen in the articles, misspellings and forms without diacritics included.",
        "wikidata": "The Wikidata item id (e.g. 'Q403'), where one exists.",
        "part_of": "The entity id of the state or organisation this body or region belongs to.",
        "description": "A one-line description.",
        "concerns": (
            "For an issue: the entity ids of the actors it concerns (NATO forces in Romania and Bulgaria concern "
            "romania, bulgaria, nato); their timelines include what is said about it."
        ),
        "offices": "Offices a person holds, so that what they say counts for the state or body they serve.",
        "review": _REVIEW,
    },
    "offices": {
        "id": "Optional id of the office assertion (default: <person>-<role>-<start>).",
        "role": "The office held (e.g. 'Minister of Foreign Affairs').",
        "of": "The entity id of the state, organisation or body the office belongs to.",
        "start": "When the person took office.",
        "end": "When the person left office; leave out while in office.",
        "source": "The source id the office is taken from (usually a reference source).",
        "quote": "A verbatim quote from the source, when it has text.",
        "dated_by": "Where the dates come from (default 'record' for offices).",
        "note": "Free text for the next curator.",
    },
    "assertions": {
        "id": "Kebab-case, unique and never reused: queries and users cite it.",
        "subject": "The entity id the assertion is about.",
        "relation": "The relation the assertion states.",
        "object": "The entity id the relation points to.",
        "source": "The source id the assertion is drawn from.",
        "quote": "The verbatim sentence (or shortest part) from the source that carries the statement.",
        "polarity": (
            "Whether the relation is said to hold (default 'affirmed'), not to hold ('denied') or to be in doubt ('doubted')."
        ),
        "modality": "On what authority the assertion is made (default 'fact').",
        "date": "When it happened: YYYY, YYYY-MM or YYYY-MM-DD. Give either date or start/end.",
        "start": "When an interval began; 'unknown' when only its bounds (earliest, latest) are known.",
        "end": "When an interval ended.",
        "earliest": (
            "The first day the date (or the start) can be (Wikidata P1319 'earliest date'); as-of answers count the "
            "assertion from it. Default for an assertion dated by publication: its source's."
        ),
        "latest": "The last day the date (or the start) can be (Wikidata P1326 'latest date').",
        "dated_by": "Where the date comes from (default 'article').",
        "speaker": "The entity id of who makes the statement; required for claims and denials.",
        "on_behalf_of": "The entity id the speaker speaks for, when not clear from their office.",
        "regarding": "The entity id of the issue a demand or rejection is about.",
        "role": "The office held, for 'holds-office' assertions.",
        "note": "Free text for the next curator.",
        "review": _REVIEW,
    },
}

#: Definitions for the loader's field kinds ("ref" is an entity id, "source" a source id).
_ID = {"type": "string", "pattern": ID_PATTERN.pattern, "maxLength": MAX_ID_LENGTH}
_KIND_DEFS = {
    "id": {**_ID, "description": "A lowercase kebab-case id."},
    "entity-id": {**_ID, "description": "The id of an entity of the knowledge base."},
    "source-id": {**_ID, "description": "The id of a source of the knowledge base."},
    "text": {"type": "string", "pattern": r"\S", "maxLength": MAX_TEXT_LENGTH, "description": "Non-empty text."},
    "texts": {"type": "array", "items": {"$ref": "#/$defs/text"}},
    "entity-ids": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/entity-id"}},
    "url": {"type": "string", "pattern": URL_PATTERN.pattern, "maxLength": MAX_TEXT_LENGTH,
            "description": "An http(s) URL without spaces."},
    "wikidata": {"type": "string", "pattern": WIKIDATA_PATTERN.pattern, "maxLength": MAX_ID_LENGTH,
                 "description": "A Wikidata item id such as 'Q403'."},
    "date": {
        "description": "YYYY, YYYY-MM or YYYY-MM-DD (a bare year may be written as a number).",
        "anyOf": [{"type": "string", "pattern": DATE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}],
    },
    "start": {
        "description": "A date as for 'date', or 'unknown' (Wikidata's unknown value) when only its bounds are known.",
        "anyOf": [{"$ref": "#/$defs/date"}, {"const": UNKNOWN}],
    },
    "offices": {"type": "array", "items": {"$ref": "#/$defs/office"}},
    "review": {"type": "string", "description": "What is left to check in a draft; check refuses a record that has it."},
}


def _enum_def(registry: dict) -> dict:
    """An enum with one description per value (shown by VS Code and the YAML language server)."""
    return {
        "type": "string",
        "enum": list(registry),
        "enumDescriptions": [_describe(value) for value in registry.values()],
    }


def _describe(value) -> str:
    return value if isinstance(value, str) else value.definition


def _def_name(kind: str) -> str:
    """Where a loader field kind is defined in ``$defs``."""
    if kind.startswith("enum:"):
        return kind[len("enum:") :]
    return {"ref": "entity-id", "refs": "entity-ids", "source": "source-id"}.get(kind, kind)


def _record(spec: dict, descriptions: dict[str, str], title: str) -> dict:
    """One record's schema from a loader spec: typed keys, required keys, nothing else."""
    properties = {}
    for key, (kind, required) in spec.items():
        ref = {"$ref": f"#/$defs/{_def_name(kind)}", "description": descriptions[key]}
        # An optional key written as null counts as absent, as in the loader.
        properties[key] = ref if required else {"anyOf": [ref, {"type": "null"}], "description": descriptions[key]}
    return {
        "type": "object",
        "title": title,
        "properties": properties,
        "required": [key for key, (_, required) in spec.items() if required],
        "additionalProperties": False,
    }


def _present(key: str) -> dict:
    """The key is written with a value (null counts as absent, as in the loader)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _assertion_rules() -> list[dict]:
    """The assertion rules the loader applies across fields and JSON Schema can state."""
    return [
        {"anyOf": [_present("date"), _present("start"), _present("end")]},  # a date is needed
        {"not": {"allOf": [_present("date"), {"anyOf": [_present("start"), _present("end")]}]}},  # point or interval
        {"if": {"required": ["modality"], "properties": {"modality": {"const": "claim"}}}, "then": _present("speaker")},
        {"if": {"required": ["relation"], "properties": {"relation": {"const": "holds-office"}}}, "then": _present("role")},
        {"if": {"required": ["start"], "properties": {"start": {"const": UNKNOWN}}}, "then": _present("earliest")},
    ]


def _definitions() -> dict:
    defs: dict[str, Any] = dict(_KIND_DEFS)
    for name, registry in ENUMS.items():
        defs[name] = _enum_def(registry)
    for section, spec in FIELDS.items():
        defs[RECORD_NAMES[section]] = _record(spec, FIELD_DESCRIPTIONS[section], RECORD_NAMES[section])
    defs["office"] = _record(OFFICE_FIELDS, FIELD_DESCRIPTIONS["offices"], "office")
    defs["assertion"]["allOf"] = _assertion_rules()
    return defs


def generate_schema(kind: str = "knowledge-base") -> dict:
    """The JSON Schema for one kind of knowledge base file (see :data:`KINDS`)."""
    if kind not in KINDS:
        raise UsageError(f"unknown schema kind {kind!r}; choose from {', '.join(KINDS)}")
    sections, title = KINDS[kind]
    return {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_BASE}{kind}.schema.json",
        "title": title,
        "description": "Generated by `alliancegraph schema` from the loader's field specs; do not edit by hand.",
        "type": ["object", "null"],
        "properties": {
            section: {
                "type": ["array", "null"],
                "description": f"A list of {section}.",
                "items": {"$ref": f"#/$defs/{RECORD_NAMES[section]}"},
            }
            for section in sections
        },
        "additionalProperties": False,
        "$defs": _definitions(),
    }


def schema_json(kind: str = "knowledge-base") -> str:
    """The schema as committed: indented JSON with a final newline."""
    return json.dumps(generate_schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_path(kind: str, folder: Path | None = None) -> Path:
    return (folder or schemas_dir()) / f"{kind}.schema.json"


def write_schemas(folder: Path | None = None) -> list[Path]:
    """Write every kind's schema into ``folder`` (default: the committed ``schemas/``)."""
    return [write_atomic(schema_path(kind, folder), schema_json(kind)) for kind in KINDS]


# -- naming the schema inside each YAML file --------------------------------------

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)[ \t]*\r?\n?")


def kind_of_file(text: str) -> str:
    """The narrowest kind that fits a file: its one section's kind, else knowledge-base."""
    try:
        document = safe_load(text)
    except yaml.YAMLError:
        return "knowledge-base"
    sections = [s for s in SECTIONS if isinstance(document, dict) and s in document]
    return sections[0] if len(sections) == 1 else "knowledge-base"


def modeline(file: Path, kind: str, folder: Path | None = None) -> str:
    """The first-line comment that points an editor at ``kind``'s schema, relative to ``file``."""
    target = schema_path(kind, folder).resolve()
    relative = Path(os.path.relpath(target, Path(file).resolve().parent)).as_posix()
    return f"# yaml-language-server: $schema={relative}"


@dataclass
class Annotated:
    """What ``schema --annotate`` did: the files it wrote, and the files it left alone, with why."""

    changed: list[Path] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def annotate(root: Path, folder: Path | None = None) -> Annotated:
    """Add or update the schema line at the top of every YAML file under ``root``.

    The line points at ``folder``, by default the ``schemas/`` folder beside the
    knowledge base's folder (as ``kg/`` and ``schemas/`` sit in the repository),
    so that it travels with the knowledge base; the schemas are written there
    first when missing or stale. Each file keeps its line endings. A file that
    cannot be read as UTF-8 text, or that is a link leading out of the knowledge
    base, is left as it is and reported.
    """
    tree = kb_folder(root)
    folder = Path(folder) if folder is not None else tree.parent / SCHEMAS_BESIDE
    done = Annotated()
    for kind in KINDS:
        path, wanted = schema_path(kind, folder), schema_json(kind)
        if not path.is_file() or path.read_text(encoding="utf-8", errors="replace") != wanted:
            done.changed.append(write_atomic(path, wanted))
    for file in discover(Path(root)):
        if not inside_kb(file, root):
            done.skipped.append(Problem(file, 1, 1, "not annotated: it is a link leading out of the knowledge base"))
            continue
        parsed = parse_file(file)
        if parsed.syntax is not None and not parsed.text:  # not read: not UTF-8, too large, not a regular file
            done.skipped.append(dataclasses.replace(parsed.syntax, message=f"not annotated: {parsed.syntax.message}"))
            continue
        text = parsed.text
        newline = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
        body = MODELINE.sub("", text, count=1)
        wanted = modeline(file, kind_of_file(body), folder) + newline + body
        if wanted == text:
            continue
        try:
            done.changed.append(write_atomic(file, wanted, within=tree))
        except WriteError as error:
            done.skipped.append(Problem(file, 1, 1, f"not annotated: {error}"))
    return done
