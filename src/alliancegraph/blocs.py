"""Alignment blocs: communities of the signed network of actors.

Cooperative ties pull actors together and conflictual ties push them apart.
The method:

1. **The signed network.** Every assertion that counts (affirmed, modality
   fact or intention, relation sign +1 or -1, holding as of the date) adds its
   sign to the tie between the actors it stands for (officials are rolled up
   to their state). Co-signing an agreement ties every pair of its parties with
   +1; a conflictual assertion aimed at an agreement ties its author to each
   party with -1. Ties to issues are left out: blocs are made of actors. So is
   membership of an international organisation: being in NATO or the EU is
   recorded for every member and says nothing about who sides with whom.
2. **Signed modularity.** Blocs maximise the signed modularity of Gómez,
   Jensen and Arenas (Phys. Rev. E 80, 016114, 2009): positive modularity over
   the cooperative weights minus negative modularity over the conflictual
   weights, each weighted by its share of the total.
3. **Local moving.** Starting from singletons, each actor in id order moves to
   the neighbouring bloc with the best modularity gain, until no move helps.
   The result is deterministic; blocs are numbered by size, largest first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .vocabulary import ACTOR_TYPES

if TYPE_CHECKING:
    import networkx

#: Relations that make an actor party to an agreement.
PARTY_RELATIONS = frozenset({"signs", "member-of"})


def counts(edge: dict, as_of: dt.date | None) -> bool:
    """Whether an assertion edge counts towards alignment (its ``tie``, see the module docs) as of the date."""
    return bool(edge.get("tie")) and holds(edge, as_of)


def holds(edge: dict, as_of: dt.date | None) -> bool:
    """Whether an assertion edge holds as of the date (any date when None)."""
    if as_of is None:
        return True
    start = edge.get("valid_from")
    end = edge.get("valid_until")
    return start is not None and start <= as_of.isoformat() and (end is None or as_of.isoformat() <= end)


def signed_ties(graph: networkx.MultiDiGraph, as_of: dt.date | None = None) -> dict[tuple[str, str], float]:
    """Summed signs between pairs of actors (pairs sorted, self-ties dropped)."""
    types = dict(graph.nodes(data="type"))
    parties: dict[str, set[str]] = defaultdict(set)
    ties: dict[tuple[str, str], float] = defaultdict(float)
    against: list[tuple[str, str, int]] = []

    def tie(a: str, b: str, weight: float) -> None:
        if a != b and types.get(a) in ACTOR_TYPES and types.get(b) in ACTOR_TYPES:
            ties[(a, b) if a < b else (b, a)] += weight

    for _, target, edge in graph.edges(data=True):
        if not counts(edge, as_of):
            continue
        actor, counterpart = edge.get("actor", ""), edge.get("counterpart", "")
        if edge["relation"] == "member-of" and types.get(target) == "international-organization":
            continue  # membership is not alignment (as in who-aligns-with): NATO's members are not one bloc
        if types.get(target) == "agreement":
            if edge["tie"] > 0 and edge["relation"] in PARTY_RELATIONS:
                parties[target].add(actor)
            elif edge["tie"] < 0:
                against.append((actor, target, edge["tie"]))
            continue
        tie(actor, counterpart, edge["tie"])
    for members in parties.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                tie(a, b, 1)
    for actor, agreement, sign in against:
        for party in parties.get(agreement, ()):
            tie(actor, party, sign)
    return {pair: weight for pair, weight in ties.items() if weight}


def assign_blocs(graph: networkx.MultiDiGraph, as_of: dt.date | None = None) -> dict[str, int]:
    """Bloc number (1 = largest) for every actor with at least one counted tie."""
    return detect_blocs(signed_ties(graph, as_of))


def detect_blocs(ties: dict[tuple[str, str], float]) -> dict[str, int]:
    """Signed-modularity local moving over ``ties`` (see the module docs)."""
    positive: dict[str, dict[str, float]] = defaultdict(dict)
    negative: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), weight in ties.items():
        side = positive if weight > 0 else negative
        side[a][b] = side[b][a] = abs(weight)
    nodes = sorted(set(positive) | set(negative))
    if not nodes:
        return {}
    degree_pos = {n: sum(positive[n].values()) for n in nodes}
    degree_neg = {n: sum(negative[n].values()) for n in nodes}
    two_w_pos = sum(degree_pos.values())
    two_w_neg = sum(degree_neg.values())
    bloc = {n: i for i, n in enumerate(nodes)}
    total_pos = dict(zip(range(len(nodes)), (degree_pos[n] for n in nodes)))
    total_neg = dict(zip(range(len(nodes)), (degree_neg[n] for n in nodes)))

    def gain(node: str, community: int, links_pos: float, links_neg: float) -> float:
        value = 0.0
        if two_w_pos:
            value += links_pos - degree_pos[node] * total_pos[community] / two_w_pos
        if two_w_neg:
            value -= links_neg - degree_neg[node] * total_neg[community] / two_w_neg
        return value

    size = dict.fromkeys(range(len(nodes)), 1)
    fresh = len(nodes)  # next unused bloc id
    for _ in range(100):  # converges in a few passes; the bound guards against cycling
        moved = False
        for node in nodes:
            home = bloc[node]
            total_pos[home] -= degree_pos[node]
            total_neg[home] -= degree_neg[node]
            size[home] -= 1
            links: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for other, weight in positive[node].items():
                links[bloc[other]][0] += weight
            for other, weight in negative[node].items():
                links[bloc[other]][1] += weight
            best, best_gain = None, 0.0  # None: a bloc of its own, which gains nothing
            for community in sorted(set(links) | {home}):
                value = gain(node, community, *links.get(community, (0.0, 0.0)))
                if value > best_gain + 1e-12:
                    best, best_gain = community, value
            if best is None:
                best = home if size[home] == 0 else fresh
                if best == fresh:
                    fresh += 1
                    total_pos[best] = total_neg[best] = 0.0
                    size[best] = 0
            bloc[node] = best
            total_pos[best] += degree_pos[node]
            total_neg[best] += degree_neg[node]
            size[best] += 1
            moved |= best != home
        if not moved:
            break
    return _number(bloc)


def _number(bloc: dict[str, int]) -> dict[str, int]:
    members: dict[int, list[str]] = defaultdict(list)
    for node, community in bloc.items():
        members[community].append(node)
    ordered = sorted(members.values(), key=lambda group: (-len(group), min(group)))
    return {node: number for number, group in enumerate(ordered, start=1) for node in group}


def bloc_rows(graph: networkx.MultiDiGraph, blocs: dict[str, int]) -> Iterable[dict]:
    """Rows for the ``blocs`` query: bloc, actor, label, in bloc then id order."""
    for actor, number in sorted(blocs.items(), key=lambda item: (item[1], item[0])):
        yield {"bloc": number, "actor": actor, "label": graph.nodes[actor].get("label", actor)}
