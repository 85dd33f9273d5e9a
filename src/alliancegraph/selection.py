"""Selecting part of a knowledge base: the filters every export, picture and count accepts.

:func:`select` applies :class:`Filters` once and gives a :class:`Selection`,
which the exports (:mod:`alliancegraph.export`), the pictures
(:mod:`alliancegraph.draw`) and ``stats`` read alike.

* ``as_of``: only assertions that hold on that day (:meth:`Assertion.holds_on`).
* ``relations``: only assertions of those relations.
* ``include_contested``: keep denied assertions and claims and opinions (see
  :func:`is_contested`). RDF exports always keep them: the statement node
  carries its polarity and modality, and only facts get the direct triple.
* ``around`` / ``depth``: only the neighbourhood of an actor — the entities
  within ``depth`` steps of it, where an assertion links its subject and
  object and also the actors they stand for (a minister's statement links
  their state) — and the assertions between them.

A speaker of a kept assertion brings the office they spoke from (the
``holds-office`` assertion that makes their words count for a state or
body), when that office passes the filters too: the speaker is then tied to
what they speak for rather than only named.

Filters that narrow the view (``as_of``, ``relations``, ``around``) also drop
the entities and sources that no remaining assertion mentions. Who an
official speaks for is still read from the whole knowledge base, so a
filtered export never loses a roll-up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import UsageError
from .model import Assertion, KnowledgeBase
from .resolve import did_you_mean, resolve_entity
from .vocabulary import RELATIONS

__all__ = ["Filters", "Selection", "contested", "is_contested", "parse_relations", "select"]

#: Modalities whose assertions are someone's word rather than the source's report.
CONTESTED_MODALITIES = frozenset({"claim", "opinion"})


def contested(polarity: str, modality: str) -> bool:
    """Whether a polarity and modality make a denial or doubt, a claim or an opinion."""
    return polarity != "affirmed" or modality in CONTESTED_MODALITIES


def is_contested(assertion: Assertion) -> bool:
    """Whether an assertion is a denial, a claim or an opinion (left out of networks by default)."""
    return contested(assertion.polarity, assertion.modality)


def parse_relations(text: str | Iterable[str]) -> frozenset[str]:
    """Relation ids from ``"a,b"`` (or an iterable); raises :class:`UsageError` for unknown ones."""
    names = [n.strip() for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n for n in names if n]
    for name in names:
        if name not in RELATIONS:
            raise UsageError(
                f"unknown relation {name!r}{did_you_mean(name, RELATIONS)}; choose from {', '.join(RELATIONS)}"
            )
    return frozenset(names)


@dataclass(frozen=True)
class Filters:
    """What to keep of a knowledge base; the defaults keep every fact."""

    as_of: dt.date | None = None
    around: str | None = None
    depth: int = 1
    relations: frozenset[str] = field(default_factory=frozenset)  # empty: every relation
    include_contested: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "relations", parse_relations(self.relations))
        if self.depth < 0:
            raise UsageError(f"--depth must be 0 or more, not {self.depth}")
        if self.depth != 1 and self.around is None:
            raise UsageError("--depth counts steps from an actor: give it with --around ACTOR")

    @property
    def narrows(self) -> bool:
        """Whether the filters select part of the graph (and so drop unmentioned entities)."""
        return bool(self.as_of or self.around or self.relations)

    def keeps(self, assertion: Assertion) -> bool:
        """The per-assertion filters: date, relation and contested."""
        if self.as_of is not None and not assertion.holds_on(self.as_of):
            return False
        if self.relations and assertion.relation not in self.relations:
            return False
        return self.include_contested or not is_contested(assertion)


@dataclass(frozen=True)
class Selection:
    """What an export writes: the selected part of ``whole``, the filters that chose it and their focus."""

    kb: KnowledgeBase
    whole: KnowledgeBase
    filters: Filters
    focus: str | None = None  # the entity id ``filters.around`` names


def select(kb: KnowledgeBase, filters: Filters | None = None) -> Selection:
    """Apply ``filters`` to ``kb`` once, for every format alike."""
    filters = filters or Filters()
    kept = [a for a in kb.assertions if filters.keeps(a)]
    centre = resolve_entity(kb.entities.values(), filters.around).id if filters.around else None
    if centre is not None:
        kept = _around(kb, kept, centre, filters.depth)
    kept = _with_speakers_offices(kb, kept, filters)
    if not filters.narrows:
        if len(kept) == len(kb.assertions):
            return Selection(kb, kb, filters)
        return Selection(kb.part(kept), kb, filters)
    named = set(_mentioned(kb, kept)) | ({centre} if centre else set())
    entities = {i: e for i, e in kb.entities.items() if i in named}
    cited = {a.source for a in kept}
    sources = {i: s for i, s in kb.sources.items() if i in cited}
    return Selection(kb.part(kept, entities, sources), kb, filters, centre)


def _links(kb: KnowledgeBase, a: Assertion) -> Iterator[tuple[str, str]]:
    yield a.subject, a.object
    yield kb.actor_of(a), kb.counterpart_of(a)


def _around(kb: KnowledgeBase, assertions: list[Assertion], centre: str, depth: int) -> list[Assertion]:
    """The assertions between entities within ``depth`` steps of ``centre``."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a in assertions:
        for one, other in _links(kb, a):
            neighbours[one].add(other)
            neighbours[other].add(one)
    reached, frontier = {centre}, {centre}
    for _ in range(depth):
        frontier = {n for node in frontier for n in neighbours[node]} - reached
        if not frontier:  # everything reachable is reached: further steps add nothing
            break
        reached |= frontier
    return [a for a in assertions if a.subject in reached and a.object in reached]


def _with_speakers_offices(kb: KnowledgeBase, assertions: list[Assertion], filters: Filters) -> list[Assertion]:
    """``assertions`` and the offices their speakers spoke from that pass ``filters``, in the knowledge base's order."""
    offices = (kb.speakers_office(a) for a in assertions)
    kept = {a.id for a in assertions} | {o.id for o in offices if o is not None and filters.keeps(o)}
    return [a for a in kb.assertions if a.id in kept]


def _mentioned(kb: KnowledgeBase, assertions: list[Assertion]) -> Iterator[str]:
    """Every entity the assertions name, in any role."""
    for a in assertions:
        yield from (a.subject, a.object, kb.actor_of(a), kb.counterpart_of(a))
        yield from (x for x in (a.speaker, a.on_behalf_of, a.regarding, kb.speaker_for(a)) if x)
