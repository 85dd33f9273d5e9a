"""The compiled store's entity table: every entity as the knowledge base has it, each built only
when asked for, and names resolved from it as from the validated entities."""

from __future__ import annotations

import pytest

import alliancegraph
from alliancegraph import rowcodec
from alliancegraph.cache import cache_dir_for, dump_marshal, read_marshal
from alliancegraph.errors import UnknownEntityError
from alliancegraph.model import Entity
from alliancegraph.resolve import resolve_entity
from alliancegraph.rowcodec import EntityTable, entity_table
from alliancegraph.store import ENTITY_TABLE, CompiledStore

from conftest import REPO

FIELDS = ("id", "label", "type", "aliases", "wikidata", "part_of", "description")


def fields(entity: Entity) -> tuple:
    return tuple(getattr(entity, name) for name in FIELDS)


def test_the_compiled_stores_entities_are_the_knowledge_bases(curated):
    with alliancegraph.open(REPO / "kg") as workspace:
        compiled = workspace.compiled()
        assert compiled is not None
        table = compiled.entities
        assert list(table) == list(curated.entities) and len(table) == len(curated.entities)
        assert [fields(table[i]) for i in table] == [fields(e) for e in curated.entities.values()]
        assert "serbia" in table and "nowhere" not in table and table.get("nowhere") is None
        with pytest.raises(KeyError):
            table["nowhere"]
        assert table["serbia"] is table["serbia"]  # built once


def test_a_name_is_resolved_without_building_the_entities_it_does_not_name(curated, monkeypatch):
    built: list[str] = []

    def counted(*row) -> Entity:
        built.append(row[0])
        return Entity(*row)

    monkeypatch.setattr(rowcodec, "Entity", counted)
    table = EntityTable.read(entity_table(curated.entities.values()))
    assert table is not None
    assert "serbia" in table and "nowhere" not in table and len(table) == len(curated.entities)
    assert built == []
    assert resolve_entity(table, "Belgrade", table.folded_names).id == "serbia"
    assert built == ["serbia"]


def test_names_resolve_from_the_table_as_from_the_validated_entities(curated):
    table = EntityTable.read(entity_table(curated.entities.values()))
    assert table is not None
    typed = [n for e in curated.entities.values() for n in e.names]
    typed += ["GASIC", "the Foreign Ministry", "the foreign ministry", "Serbiaa", "Putin tribunal", "Nowhere", ""]
    for name in typed:
        answers = []
        for entities, folded in ((list(curated.entities.values()), None), (table, table.folded_names)):
            try:
                answers.append(fields(resolve_entity(entities, name, folded)))
            except UnknownEntityError as error:
                answers.append((type(error), str(error), error.candidates))
        assert answers[0] == answers[1], name


@pytest.mark.parametrize("saved", [
    "rows as a list",  # as an earlier version wrote the table
    "names missing for one entity",
    "not a table",
])
def test_an_entity_table_of_another_shape_is_written_again(tiny, saved):
    root = tiny.write()
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"
    path = cache_dir_for(root) / ENTITY_TABLE
    rows, folded = read_marshal(path)
    other = {"rows as a list": [(i, *row, folded[i]) for i, row in rows.items()],
             "names missing for one entity": (rows, {i: f for i, f in folded.items() if i != "serbia"}),
             "not a table": {"serbia": "Serbia"}}[saved]
    path.write_bytes(dump_marshal(other))
    assert EntityTable.read(read_marshal(path)) is None
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia" and "serbia" in compiled.folded_names
    assert EntityTable.read(read_marshal(path)) is not None
