"""The shortest chain of assertions linking START and END.

The chain runs over the network of assertions taken without their direction:
assertions that count towards alignment (affirmed, a fact or an intention,
cooperative or conflictual, holding as of the date: the rule of the blocs
query) and the offices that link an official to the state or body they speak
for. Each row is one step, read from START towards END: an assertion
traversed against its direction shows its inverse relation (signed-by,
has-office-holder, ...), and modality tells a fact from an intention (a
"has-member" step that is an intention is a wish to join). Among equally
short chains the one whose entity ids sort first is taken, and of several
assertions between the same two entities a fact before an intention, then
the smallest id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from alliancegraph.blocs import counts, holds_on, iso_day
from alliancegraph.queries import EntityId, QueryError
from alliancegraph.tie_table import OFFICE, TieTable
from alliancegraph.vocabulary import RELATIONS

COLUMNS = ("step", "from", "relation", "to", "source", "assertion", "modality")


def run(ties: TieTable, start: EntityId, end: EntityId, as_of: dt.date) -> Iterator[dict]:
    if start == end:
        raise QueryError(f"path: {start!r} is both ends; name two different entities")
    links = StrongestLinks(ties, as_of)
    chain = shortest_chain(links, start, end)
    if chain is None:
        raise QueryError(f"no chain of counted assertions links {start!r} and {end!r} as of {as_of.isoformat()}")
    for step, (here, there) in enumerate(zip(chain, chain[1:]), start=1):
        subject, _, position = links[here][there]
        relation, source, assertion, modality = ties.row(position, "relation", "source", "assertion", "modality")
        yield {
            "step": step,
            "from": here,
            "relation": traversed(relation, forward=subject == here),
            "to": there,
            "source": source,
            "assertion": assertion,
            "modality": modality,
        }


def links_entities(relation: str, tie: int, first: str | None, last: str | None, day: str | None) -> bool:
    """Whether an assertion may be a step: it counts towards alignment, or it is an office held."""
    if relation == OFFICE:
        # Offices are neutral ties, which blocs leaves out; here they link an official to the state.
        return holds_on(first, last, day)
    return counts(tie, first, last, day)


class StrongestLinks(dict):
    """For each entity, its linked neighbours, each with the assertion that links the two best
    (either way): ``links[here][there] == (subject, rank, position)``, the assertion's position
    in the table.

    An entity's links are found when first asked for, from its own ties: a chain between
    two entities looks at the entities around them, never at every tie of the network.
    """

    def __init__(self, ties: TieTable, as_of: dt.date):
        super().__init__()
        self.ties, self.day = ties, iso_day(as_of)

    def __missing__(self, node: str) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for position in self.ties.incident.get(node, ()):
            subject, target, key, relation, modality, tie, first, last = self.ties.row(
                position, "subject", "object", "assertion", "relation", "modality", "tie", "valid_from", "valid_until")
            other = target if subject == node else subject
            if other != node and links_entities(relation, tie, first, last, self.day):
                rank = (modality != "fact", key)
                current = found.get(other)
                if current is None or rank < current[1]:
                    found[other] = (subject, rank, position)
        self[node] = found
        return found


def shortest_chain(links: StrongestLinks, start: str, end: str) -> list[str] | None:
    """The entities of the shortest chain from start to end (ties: smallest ids first).

    Distances from ``end`` are found level by level until ``start``'s level is complete:
    every entity one step nearer than the one walked from is then known.
    """
    distance = {end: 0}
    level = [end]
    while level and start not in distance:
        following = []
        for node in level:
            for neighbour in links[node]:
                if neighbour not in distance:
                    distance[neighbour] = distance[node] + 1
                    following.append(neighbour)
        level = following
    if start not in distance:
        return None
    chain = [start]
    while chain[-1] != end:
        here = chain[-1]
        chain.append(min(n for n in links[here] if distance.get(n) == distance[here] - 1))
    return chain


def traversed(relation_id: str, forward: bool) -> str:
    """The relation as read in the direction of travel."""
    relation = RELATIONS[relation_id]
    if forward or relation.symmetric:
        return relation.id
    return relation.inverse or f"inverse of {relation.id}"
