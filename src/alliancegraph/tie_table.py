"""The network's ties as a table: what the ``path`` and ``blocs`` queries read.

The network graph (:mod:`alliancegraph.network`) carries every assertion with
everything it says. ``path`` and ``blocs`` read only the assertions that can
tie two entities — those with a tie sign (cooperative or conflictual and
counted, :meth:`alliancegraph.model.KnowledgeBase.tie_sign`) and the offices
held, which link an official to the state or body they speak for — and of
each only the attributes in :data:`COLUMNS`. A :class:`TieTable` holds exactly
that, column by column, in assertion id order, with every entity's label and
type.

At 100,000 assertions that is 58,230 of 105,326 edges, and the table is read
back from the cache in one ``marshal.loads`` of a few columns (a value that
repeats, a relation or an actor, is stored once): a hundredth of the time
the networkx graph takes. A build keeps it beside the graph
(:mod:`alliancegraph.sidefiles`); elsewhere it is taken from a graph
(:meth:`TieTable.of_graph`), so the answers are the same either way.

A Python query gets the table instead of the graph when its ``run``
annotates its first argument ``TieTable`` (see :mod:`alliancegraph.queries`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx

__all__ = ["COLUMNS", "OFFICE", "TieTable", "is_tie"]

#: The columns of a table: an edge's ends and key (the assertion id), then the attributes
#: ``path`` and ``blocs`` read (see :func:`alliancegraph.network.edge_attributes`); an absent one is None.
COLUMNS = ("subject", "object", "assertion", "relation", "modality", "tie", "actor", "counterpart",
           "valid_from", "valid_until", "source")
_ATTRIBUTES = COLUMNS[3:]

#: The relation of an office held: a neutral tie, kept for the chains of ``path``.
OFFICE = "holds-office"


def is_tie(edge: Mapping[str, Any]) -> bool:
    """Whether an edge of the network graph belongs in a table: it has a tie sign, or it is an office held."""
    return bool(edge.get("tie")) or edge.get("relation") == OFFICE


@dataclass(frozen=True)
class TieTable:
    """The ties of a network (see the module docs): ``columns`` in :data:`COLUMNS` order, one
    value per tie, ties in assertion id order; ``labels`` and ``types`` of every entity."""

    labels: dict[str, str]
    types: dict[str, str | None]
    columns: tuple[tuple, ...]

    @classmethod
    def of_edges(cls, nodes: Iterable[tuple[str, Mapping]], edges: Iterable[tuple[str, str, str, Mapping]]) -> TieTable:
        """The table of a graph given as its nodes (id, attributes) and edges (ends, key, attributes)."""
        return cls._of_rows(nodes, _tie_rows(edges))

    @classmethod
    def _of_rows(cls, nodes: Iterable[tuple[str, Mapping]], rows: list[tuple]) -> TieTable:
        labels: dict[str, str] = {}
        types: dict[str, str | None] = {}
        for node, attributes in nodes:
            labels[node], types[node] = attributes.get("label", node), attributes.get("type")
        rows.sort(key=itemgetter(COLUMNS.index("assertion")))
        return cls(labels, types, tuple(_shared(column) for column in zip(*rows)) if rows else ((),) * len(COLUMNS))

    def changed(self, nodes: Iterable[tuple[str, Mapping]], removed: Iterable[tuple[str, str, str, Mapping]],
                added: Iterable[tuple[str, str, str, Mapping]]) -> TieTable:
        """The table of the graph these edges were removed from and added to (``nodes`` are its nodes, as
        in :meth:`of_edges`): what :meth:`of_edges` of that graph gives, without going through its other edges."""
        gone = {key for _, _, key, _ in removed}
        key = COLUMNS.index("assertion")
        kept = [row for row in zip(*self.columns) if row[key] not in gone]
        return self._of_rows(nodes, kept + _tie_rows(added))

    @classmethod
    def of_graph(cls, graph: networkx.MultiDiGraph) -> TieTable:
        """The table of a networkx graph of the network (:func:`alliancegraph.network.to_networkx`)."""
        return cls.of_edges(graph.nodes(data=True), graph.edges(keys=True, data=True))

    def __len__(self) -> int:
        return len(self.columns[0])

    def rows(self, *names: str) -> Iterator[tuple]:
        """Each tie's values of the columns ``names``, in that order."""
        return zip(*(self.columns[COLUMNS.index(name)] for name in names))

    @cached_property
    def incident(self) -> dict[str, list[int]]:
        """For each entity, the positions of the ties it is an end of (a tie to itself once)."""
        found: dict[str, list[int]] = {}
        for position, (subject, target) in enumerate(self.rows("subject", "object")):
            found.setdefault(subject, []).append(position)
            if target != subject:
                found.setdefault(target, []).append(position)
        return found

    def row(self, position: int, *names: str) -> tuple:
        """The values of the columns ``names`` for the tie at ``position``."""
        return tuple(self.columns[COLUMNS.index(name)][position] for name in names)

    # -- as plain data, for the cache ---------------------------------------------------------

    def as_data(self) -> tuple:
        """The table as plain values (what :meth:`from_data` reads back)."""
        return self.labels, self.types, self.columns

    @classmethod
    def from_data(cls, data: Any) -> TieTable | None:
        """The table :meth:`as_data` gave, or None for anything else (a damaged or foreign side file)."""
        if not isinstance(data, tuple) or len(data) != 3:
            return None
        labels, types, columns = data
        if not (isinstance(labels, dict) and isinstance(types, dict) and isinstance(columns, tuple)
                and len(columns) == len(COLUMNS) and all(isinstance(c, tuple) for c in columns)
                and len({len(c) for c in columns}) == 1):
            return None
        return cls(labels, types, columns)


def _tie_rows(edges: Iterable[tuple[str, str, str, Mapping]]) -> list[tuple]:
    """The rows of the edges that are ties, in :data:`COLUMNS` order."""
    return [(subject, target, key, *map(edge.get, _ATTRIBUTES)) for subject, target, key, edge in edges if is_tie(edge)]


def _shared(column: tuple) -> tuple:
    """The column with equal values made one object, which marshal then writes once."""
    pool = {value: value for value in column}
    return tuple(map(pool.__getitem__, column))
