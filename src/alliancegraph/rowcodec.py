"""Model objects as rows of plain values, which the cache's marshal files can hold and nothing unpickles.

A build saves the validated assertions, sources and entities this way
(marshal holds no dataclasses); commands read them back without reading or
validating any YAML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .dates import PartialDate
from .model import Entity, Evidence, Origin
from .resolve import FoldedNames, folded_names


def objects_to_rows(objects: Iterable) -> list[list]:
    """Dataclass instances as rows of plain values, one per field."""
    values_of: dict[type, Callable[[Any], tuple]] = {}  # each class's fields, looked up once
    rows = []
    for obj in objects:
        values = values_of.get(type(obj))
        if values is None:
            values = values_of[type(obj)] = _field_values(obj)
        # most values are text or absent, kept as they are without a call
        rows.append([value if value is None or type(value) is str else _plain(value) for value in values(obj)])
    return rows


def _field_values(obj) -> Callable[[Any], tuple]:
    """What gives the values of the fields of ``obj``'s class, in their order."""
    from dataclasses import fields
    from operator import attrgetter

    names = [f.name for f in fields(obj)]
    if len(names) == 1:
        return lambda instance: (getattr(instance, names[0]),)
    return attrgetter(*names)


def rows_to_objects(cls, rows: list[list]) -> list:
    """The instances :func:`objects_to_rows` wrote; equal values (a file, a date) are built once."""
    built: dict[tuple, object] = {}

    def typed(value):
        if not isinstance(value, dict):
            return value
        [(kind, text)] = value.items()
        if kind == "evidence":
            return Evidence(*text)
        key = (kind, text)
        if key not in built:
            built[key] = _TYPES[kind](text)
        return built[key]

    return [cls(*map(typed, row)) for row in rows]


def _plain(value):
    if isinstance(value, PartialDate):
        return {"date": str(value)}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Origin):
        return {"origin": str(value.file)}
    if isinstance(value, Evidence):
        return {"evidence": [value.exact, value.start, value.end, value.prefix, value.suffix]}
    if value is None or isinstance(value, (str, int, tuple)):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


_TYPES: dict[str, Callable[[Any], object]] = {"date": PartialDate.parse, "path": Path, "origin": lambda text: Origin(Path(text))}


# -- the entity registry, in the short form commands read at start-up ------------------------


def entity_table(entities: Iterable[Entity]) -> tuple[dict[str, tuple], dict[str, tuple[str, ...]]]:
    """The entities as rows of the fields a command resolves names with, and their names folded, each by
    id: two mappings marshal reads back as they are, with no pass over thousands of rows at start-up."""
    entities = list(entities)
    return ({e.id: (e.label, e.type, e.aliases, e.wikidata, e.part_of, e.description) for e in entities},
            {e.id: folded_names(e) for e in entities})


class EntityTable(Mapping[str, Entity]):
    """The entities :func:`entity_table` wrote, by id, each built when it is first asked for.

    A command names one entity or two among thousands: building every
    :class:`Entity` (a frozen dataclass) at start-up took a warm query a noticeable
    part of its time at 100,000 assertions. ``folded_names`` gives every entity's
    names as resolving compares them (see :func:`alliancegraph.resolve.named`),
    so that a name is resolved without building the entities it does not name.
    """

    def __init__(self, rows: dict[str, tuple], folded_names: FoldedNames):
        self._rows = rows
        self._built: dict[str, Entity] = {}
        self.folded_names = folded_names

    @classmethod
    def read(cls, saved: object) -> EntityTable | None:
        """The table of what :func:`entity_table` wrote; None for anything else."""
        if not (isinstance(saved, tuple) and len(saved) == 2 and all(isinstance(part, dict) for part in saved)):
            return None
        rows, folded = saved
        return cls(rows, folded) if rows.keys() == folded.keys() else None

    def __getitem__(self, entity_id: str) -> Entity:
        entity = self._built.get(entity_id)
        if entity is None:
            entity = self._built[entity_id] = Entity(entity_id, *self._rows[entity_id])
        return entity

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._rows  # without building the entity, as Mapping's own would

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
