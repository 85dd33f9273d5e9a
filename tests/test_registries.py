"""Every registry is covered by every table that depends on it.

The vocabulary's registries (entity types, relations, positions, polarities,
modalities, date bases, source kinds) are read by tables elsewhere: colours,
line styles, cue words, field descriptions, the ontology. A value added to a
registry and forgotten in one of them would raise ``KeyError`` in an export or
a picture, or go missing from the vocabulary; these tests name the table.
"""

from __future__ import annotations

import pytest
import rdflib

from alliancegraph import cues, draw, palette, record_fields, schema
from alliancegraph.export import generate
from alliancegraph.ontology import ontology_lines
from alliancegraph.selection import CONTESTED_MODALITIES, Filters
from alliancegraph.vocabulary import (
    ACTOR_TYPES,
    COUNTED_MODALITIES,
    DATE_BASES,
    ENTITY_TYPES,
    GROUP_TYPES,
    MODALITIES,
    POLARITIES,
    POSITIONS,
    RELATION,
    RELATIONS,
    SOURCE_KINDS,
    VOCAB,
    tie_sign,
)

#: Every sign an edge can carry: each relation's, and 0 for what ties nobody (tie_sign).
SIGNS = {r.sign for r in RELATIONS.values()} | {tie_sign("denied", "fact", 1)}


def test_every_entity_type_has_a_colour_and_no_colour_is_stale():
    assert set(palette.TYPE_COLORS) == set(ENTITY_TYPES)


def test_every_position_has_a_colour_and_no_colour_is_stale():
    assert set(palette.POSITION_COLORS) == set(POSITIONS)


def test_every_relation_reads_as_a_known_position():
    assert {r.id: r.position for r in RELATIONS.values() if r.position not in POSITIONS} == {}


@pytest.mark.parametrize("table", ["SIGN_COLORS", "SIGN_NAMES", "SIGN_STYLES"])
def test_every_sign_has_a_colour_a_name_and_a_line_style(table):
    assert SIGNS <= set(getattr(palette, table)), table


@pytest.mark.parametrize("bloc", [None, 1, 2, len(palette.BLOC_COLORS), len(palette.BLOC_COLORS) + 1, 500])
def test_any_number_of_blocs_has_colours(bloc):
    assert palette.bloc_color(bloc).startswith("#")


def test_type_sets_name_only_registered_types():
    named = set(ACTOR_TYPES) | set(GROUP_TYPES)
    for relation in RELATIONS.values():
        named |= relation.subject_types | (relation.object_types or frozenset())
    assert named - set(ENTITY_TYPES) == set()


def test_modality_sets_name_only_registered_modalities():
    assert set(COUNTED_MODALITIES) | set(CONTESTED_MODALITIES) <= set(MODALITIES)


def test_relation_sets_name_only_registered_relations():
    assert draw.STRUCTURAL_RELATIONS <= set(RELATIONS)


def test_drafting_cues_name_only_registered_values():
    assert set(cues.RELATION_CUES) <= set(RELATIONS)
    assert set(cues.POLARITY_CUES) <= set(POLARITIES)
    assert set(cues.MODALITY_CUES) <= set(MODALITIES)
    for (relation, object_type), drafted in cues.RELATION_BY_OBJECT_TYPE.items():
        assert {relation, drafted} <= set(RELATIONS) and object_type in ENTITY_TYPES


def test_every_enumerated_field_takes_its_values_from_its_registry():
    assert record_fields.ENUMS == {
        "source-kind": SOURCE_KINDS, "entity-type": ENTITY_TYPES, "relation": RELATIONS,
        "polarity": POLARITIES, "modality": MODALITIES, "dated-by": DATE_BASES,
    }


def test_every_field_is_described_in_the_json_schema():
    for section, fields in record_fields.FIELDS.items():
        assert set(fields) <= set(schema.FIELD_DESCRIPTIONS[section]), section
    assert set(record_fields.OFFICE_FIELDS) <= set(schema.FIELD_DESCRIPTIONS["offices"])


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data="".join(ontology_lines()), format="nt")


def test_the_ontology_declares_every_entity_type_and_relation(ontology):
    subjects = set(ontology.subjects())
    assert {t.id for t in ENTITY_TYPES.values() if rdflib.URIRef(VOCAB + t.class_name) not in subjects} == set()
    assert {r for r in RELATIONS if rdflib.URIRef(RELATION + r) not in subjects} == set()


def test_the_ontology_names_every_polarity_modality_date_basis_and_source_kind(ontology):
    subjects = set(ontology.subjects())
    for registry in (POLARITIES, MODALITIES, DATE_BASES, SOURCE_KINDS):
        assert {v for v in registry if rdflib.URIRef(VOCAB + v) not in subjects} == set()


def one_of_every_type(tiny):
    """The test knowledge base with an entity of every registered type, each tied to Serbia."""
    present = {e["type"] for e in tiny.entities}
    for entity_type in sorted(set(ENTITY_TYPES) - present):
        tiny.entities.append({"id": f"some-{entity_type}", "label": f"Some {entity_type}", "type": entity_type})
    assert {e["type"] for e in tiny.entities} == set(ENTITY_TYPES)
    for i, entity in enumerate(tiny.entities):
        if entity["id"] != "serbia" and entity["type"] != "person":
            tiny.add(id=f"tie-{i}", subject="serbia", relation="meets" if entity["type"] in ACTOR_TYPES else "supports",
                     object=entity["id"], date="2025", source="record")
    return tiny.load()


@pytest.mark.parametrize("color_by", palette.COLOR_BY)
@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_an_export_with_every_entity_type_is_written(tiny, fmt, color_by):
    kb = one_of_every_type(tiny)
    options = {"color_by": color_by} if fmt == "gexf" else {}
    document = "".join(generate(kb, fmt, Filters(include_contested=True), **options))
    assert all(f'"{entity_id}"' in document for entity_id in kb.entities if entity_id.startswith("some-"))


def test_a_picture_with_every_entity_type_is_drawn(tiny, tmp_path):
    pytest.importorskip("matplotlib")
    kb = one_of_every_type(tiny)
    assert draw.draw(kb, tmp_path / "network.svg").stat().st_size > 0
