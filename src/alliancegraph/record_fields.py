"""What each record of a knowledge base holds: its sections, fields, their kinds and which are required, and the limits on values.

The validator (:mod:`alliancegraph.validation`) checks records against these
specs, and the JSON Schemas (:mod:`alliancegraph.schema`) are generated from them.
"""

from __future__ import annotations

import re

from .vocabulary import DATE_BASES, ENTITY_TYPES, MODALITIES, POLARITIES, RELATIONS, SOURCE_KINDS

SECTIONS = ("sources", "entities", "assertions")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WIKIDATA_PATTERN = re.compile(r"^Q[1-9][0-9]*$")
URL_PATTERN = re.compile(r'^https?://[^\s<>"{}|\\^`]+$')  # also valid ECMAScript, for the JSON Schema
#: Longest id, and longest text, a field may hold: a label or quote pasted a
#: megabyte long is an accident, and one that would slow every export down.
MAX_ID_LENGTH = 200
MAX_TEXT_LENGTH = 10_000

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
