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

import networkx

from alliancegraph.blocs import counts
from alliancegraph.queries import EntityId, QueryError
from alliancegraph.vocabulary import RELATIONS

COLUMNS = ("step", "from", "relation", "to", "source", "assertion", "modality")


def run(graph: networkx.MultiDiGraph, start: EntityId, end: EntityId, as_of: dt.date) -> Iterator[dict]:
    if start == end:
        raise QueryError(f"path: {start!r} is both ends; name two different entities")
    links = StrongestLinks(graph, as_of)
    chain = shortest_chain(links, start, end)
    if chain is None:
        raise QueryError(f"no chain of counted assertions links {start!r} and {end!r} as of {as_of.isoformat()}")
    for step, (here, there) in enumerate(zip(chain, chain[1:]), start=1):
        subject, _, edge = links[here][there]
        yield {
            "step": step,
            "from": here,
            "relation": traversed(edge["relation"], forward=subject == here),
            "to": there,
            "source": edge["source"],
            "assertion": edge["assertion"],
            "modality": edge["modality"],
        }


def links_entities(edge: dict, as_of: dt.date) -> bool:
    """Whether an assertion may be a step: it counts towards alignment, or it is an office held."""
    if edge["relation"] == "holds-office":
        # Offices are neutral ties, which blocs leaves out; here they link an official to the state.
        return counts({**edge, "tie": 1}, as_of)
    return counts(edge, as_of)


class StrongestLinks(dict):
    """For each entity, its linked neighbours, each with the assertion that links the two best
    (either way): ``links[here][there] == (subject, rank, edge)``.

    An entity's links are found when first asked for, from its own edges: a chain between
    two entities looks at the entities around them, never at every edge of the network.
    """

    def __init__(self, graph: networkx.MultiDiGraph, as_of: dt.date):
        super().__init__()
        self.graph, self.as_of = graph, as_of

    def __missing__(self, node: str) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        if node in self.graph:
            for neighbours, outgoing in ((self.graph.succ[node], True), (self.graph.pred[node], False)):
                for other, edges in neighbours.items():
                    if other != node:
                        for key, edge in edges.items():
                            if links_entities(edge, self.as_of):
                                rank = (edge["modality"] != "fact", key)
                                current = found.get(other)
                                if current is None or rank < current[1]:
                                    found[other] = (node if outgoing else other, rank, edge)
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
