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
from collections import deque
from collections.abc import Iterator

import networkx

from alliancegraph.blocs import counts
from alliancegraph.queries import EntityId, QueryError
from alliancegraph.vocabulary import RELATIONS

COLUMNS = ("step", "from", "relation", "to", "source", "assertion", "modality")


def run(graph: networkx.MultiDiGraph, start: EntityId, end: EntityId, as_of: dt.date) -> Iterator[dict]:
    if start == end:
        raise QueryError(f"path: {start!r} is both ends; name two different entities")
    links = strongest_links(graph, as_of)
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


def strongest_links(graph: networkx.MultiDiGraph, as_of: dt.date) -> dict[str, dict[str, tuple]]:
    """For each pair of linked entities, both ways, the assertion that links them best."""
    links: dict[str, dict[str, tuple]] = {}
    for subject, target, key, edge in graph.edges(keys=True, data=True):
        if subject == target or not links_entities(edge, as_of):
            continue
        rank = (edge["modality"] != "fact", key)
        current = links.get(subject, {}).get(target)
        if current is None or rank < current[1]:
            links.setdefault(subject, {})[target] = (subject, rank, edge)
            links.setdefault(target, {})[subject] = (subject, rank, edge)
    return links


def shortest_chain(links: dict[str, dict[str, tuple]], start: str, end: str) -> list[str] | None:
    """The entities of the shortest chain from start to end (ties: smallest ids first)."""
    distance = {end: 0}
    queue = deque([end])
    while queue:
        node = queue.popleft()
        for neighbour in links.get(node, {}):
            if neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
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
