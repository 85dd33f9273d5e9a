"""Alignment blocs: communities of the signed network of actors.

Cooperative ties pull actors together and conflictual ties push them apart;
so do the positions actors take on issues. The method:

1. **Ties between actors.** Every assertion that counts (its ``tie``:
   affirmed, a fact or an intention its own side voices, relation sign +1
   or -1, holding as of the date) adds its sign to the tie between the
   actors it stands for (officials are rolled up to their state).
   Co-signing an agreement ties every pair of its parties with +1; a
   conflictual assertion aimed at an agreement ties its author to each party
   with -1. Membership of an international organisation is left out: being
   in NATO or the EU is recorded for every member and says nothing about who
   sides with whom.
2. **Stances on issues.** Each actor's latest counted stance on each issue as
   of the date gives it a side (+1 for, -1 against; a later stance replaces
   an earlier one, so only positions held at the same time compare). Two
   actors on the same side of an issue are tied +1 for it, on opposite sides
   -1: the pattern of alliance-portfolio and voting similarity (Signorino
   and Ritter's S score), projected from the actor–issue network. Germany's
   2026 support for military aid to Ukraine and Bulgaria's opposition to it
   push the two apart.
3. **One-sided intentions.** An intention is signalled by one side alone:
   it pulls the actor who signals it towards the other, never the other
   towards it. Serbia's interest in bringing Slovakia into its orbit may
   move Serbia, but does not put Slovakia in Serbia's bloc; Dodik's
   willingness to align Republika Srpska with Serbia moves Republika Srpska.
4. **Signed modularity.** Blocs maximise the signed modularity of Gómez,
   Jensen and Arenas (Phys. Rev. E 80, 016114, 2009): positive modularity
   over the cooperative weights minus negative modularity over the
   conflictual weights, each weighted by its share of the total. A one-sided
   pull counts in its signaller's row only: the actor weighs its own ties
   and pulls against what a bloc's members offer in mutual ties.
5. **Each connected part on its own.** Modularity compares a bloc's ties with
   what the whole network's ties would give at random, so ties among actors
   that have no link at all to a part of the network would change how that
   part divides; each connected part (actors linked by ties or pulls, either
   way) is divided separately.
6. **Local moving.** Starting from singletons, each actor in id order moves
   to the neighbouring bloc with the best modularity gain, until no move
   helps. The result is deterministic; blocs are numbered by size, largest
   first. An actor is placed when it has a counted tie or stance of its own,
   or a tie that counts both ways: one only wanted by others is not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .asof import holds
from .vocabulary import ACTOR_TYPES

if TYPE_CHECKING:
    import networkx

#: Relations that make an actor party to an agreement.
PARTY_RELATIONS = frozenset({"signs", "member-of"})

#: Ties between two actors: (a, b) -> summed sign. ``Pulls`` are one-sided: (from, towards) -> sign.
Ties = dict[tuple[str, str], float]


def counts(edge: dict, as_of: dt.date | None) -> bool:
    """Whether an assertion edge counts towards alignment (its ``tie``, see the module docs) as of the date."""
    return bool(edge.get("tie")) and holds_on(edge, as_of)


def holds_on(edge: dict, as_of: dt.date | None) -> bool:
    """Whether an assertion edge holds as of the date (:func:`alliancegraph.asof.holds`; any date when None)."""
    return as_of is None or holds(edge.get("valid_from"), edge.get("valid_until"), as_of.isoformat())


def signed_ties(graph: networkx.MultiDiGraph, as_of: dt.date | None = None) -> tuple[Ties, Ties]:
    """Summed signs between pairs of actors (pairs sorted, self-ties dropped), and the one-sided pulls of intentions."""
    types = dict(graph.nodes(data="type"))
    parties: dict[str, set[str]] = defaultdict(set)
    ties: Ties = defaultdict(float)
    pulls: Ties = defaultdict(float)
    against: list[tuple[str, str, int]] = []
    joining: list[tuple[str, str]] = []  # intentions to join an agreement: pulls towards its parties

    def tie(a: str, b: str, weight: float, one_sided: bool = False) -> None:
        if a != b and types.get(a) in ACTOR_TYPES and types.get(b) in ACTOR_TYPES:
            if one_sided:
                pulls[(a, b)] += weight
            else:
                ties[(a, b) if a < b else (b, a)] += weight

    for _, target, edge in graph.edges(data=True):
        if not counts(edge, as_of) or types.get(target) == "issue":
            continue
        actor, counterpart = edge["actor"], edge["counterpart"]
        if edge["relation"] == "member-of" and types.get(target) == "international-organization":
            continue  # membership is not alignment (as in who-aligns-with): NATO's members are not one bloc
        if types.get(target) == "agreement":
            if edge["tie"] > 0 and edge["relation"] in PARTY_RELATIONS and edge["modality"] == "fact":
                parties[target].add(actor)
            elif edge["tie"] > 0 and edge["relation"] in PARTY_RELATIONS:
                joining.append((actor, target))
            elif edge["tie"] < 0:
                against.append((actor, target, edge["tie"]))
            continue
        tie(actor, counterpart, edge["tie"], one_sided=edge["modality"] == "intention")
    for members in parties.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                tie(a, b, 1)
    for actor, agreement, sign in against:
        for party in parties.get(agreement, ()):
            tie(actor, party, sign)
    for actor, agreement in joining:
        for party in parties.get(agreement, ()):
            tie(actor, party, 1, one_sided=True)
    for sides in issue_sides(graph, as_of).values():
        ordered = sorted(sides)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                tie(a, b, sides[a] * sides[b])
    return ({pair: weight for pair, weight in ties.items() if weight},
            {pair: weight for pair, weight in pulls.items() if weight})


def issue_sides(graph: networkx.MultiDiGraph, as_of: dt.date | None = None) -> dict[str, dict[str, int]]:
    """For each issue, each actor's side (+1 for, -1 against) by its latest counted stance as of the date.

    Stances dated the same day are summed; a day that cancels out leaves no side.
    """
    types = dict(graph.nodes(data="type"))
    latest: dict[tuple[str, str], tuple[str, int]] = {}
    for _, issue, edge in graph.edges(data=True):
        if types.get(issue) != "issue" or not counts(edge, as_of) or types.get(edge.get("actor")) not in ACTOR_TYPES:
            continue
        key, day = (issue, edge["actor"]), edge["valid_from"]
        previous = latest.get(key)
        if previous is None or previous[0] < day:
            latest[key] = (day, edge["tie"])
        elif previous[0] == day:
            latest[key] = (day, previous[1] + edge["tie"])
    sides: dict[str, dict[str, int]] = defaultdict(dict)
    for (issue, actor), (_, total) in sorted(latest.items()):
        if total:
            sides[issue][actor] = 1 if total > 0 else -1
    return dict(sides)


def assign_blocs(graph: networkx.MultiDiGraph, as_of: dt.date | None = None) -> dict[str, int]:
    """Bloc number (1 = largest) for every actor with a counted tie or stance of its own."""
    return detect_blocs(*signed_ties(graph, as_of))


def detect_blocs(ties: Ties, pulls: Ties | None = None) -> dict[str, int]:
    """Signed-modularity local moving over ``ties`` and the one-sided ``pulls`` (see the module docs),
    in each connected part of the network on its own."""
    positive: dict[str, dict[str, float]] = defaultdict(dict)
    negative: dict[str, dict[str, float]] = defaultdict(dict)
    # What each actor's mutual ties offer a bloc, cooperative (True) and conflictual (False).
    offered: dict[bool, dict[str, float]] = {True: defaultdict(float), False: defaultdict(float)}
    for (a, b), weight in ties.items():
        side = positive if weight > 0 else negative
        side[a][b] = side[b][a] = abs(weight)
        offered[weight > 0][a] += abs(weight)
        offered[weight > 0][b] += abs(weight)
    for (a, b), weight in (pulls or {}).items():  # in the signaller's row only
        side = positive if weight > 0 else negative
        side[a][b] = side[a].get(b, 0.0) + abs(weight)
    nodes = sorted(set(positive) | set(negative))
    blocs: dict[str, tuple[int, int]] = {}
    for index, part in enumerate(_connected_parts(nodes, positive, negative)):
        for node, community in _local_moving(part, positive, negative, offered[True], offered[False]).items():
            blocs[node] = (index, community)  # the blocs of different parts stay apart
    return _number(blocs)


def _connected_parts(nodes: list[str], positive: dict, negative: dict) -> list[list[str]]:
    """The actors linked to each other by ties or pulls, either way, as sorted lists.

    Modularity compares a bloc's ties with what the whole network's ties would
    give at random, so ties among actors with no link at all to a part (the
    Balkan pacts, for Bulgaria's neighbourhood) would change how that part
    divides; each part is therefore divided on its own.
    """
    placed = set(nodes)
    linked: dict[str, set[str]] = defaultdict(set)
    for rows in (positive, negative):
        for node, row in rows.items():
            for other in row.keys() & placed:
                linked[node].add(other)
                linked[other].add(node)
    seen: set[str] = set()
    parts: list[list[str]] = []
    for node in nodes:
        if node in seen:
            continue
        part, frontier = {node}, [node]
        while frontier:
            for other in linked[frontier.pop()] - part:
                part.add(other)
                frontier.append(other)
        seen |= part
        parts.append(sorted(part))
    return parts


#: Passes of local moving at most: it settles in a few, or some actors move back and forth for ever.
PASSES = 100


def _local_moving(nodes: list[str], positive: dict, negative: dict, offered_pos: dict, offered_neg: dict) -> dict[str, int]:
    """Signed-modularity local moving of ``nodes`` from singletons (see the module docs).

    An actor weighs its own row (its mutual ties and the pulls it signals)
    against what a bloc's members offer in mutual ties: a pull towards an
    actor is the signaller's reason to move, never a weight the other carries.
    """
    degree_pos = {n: sum(positive[n].values()) for n in nodes}
    degree_neg = {n: sum(negative[n].values()) for n in nodes}
    two_w_pos = sum(degree_pos.values())
    two_w_neg = sum(degree_neg.values())
    bloc = {n: i for i, n in enumerate(nodes)}
    total_pos = dict(zip(range(len(nodes)), (offered_pos.get(n, 0.0) for n in nodes)))
    total_neg = dict(zip(range(len(nodes)), (offered_neg.get(n, 0.0) for n in nodes)))

    def gain(node: str, community: int, links_pos: float, links_neg: float) -> float:
        value = 0.0
        if two_w_pos:
            value += links_pos - degree_pos[node] * total_pos[community] / two_w_pos
        if two_w_neg:
            value -= links_neg - degree_neg[node] * total_neg[community] / two_w_neg
        return value

    size = dict.fromkeys(range(len(nodes)), 1)
    fresh = len(nodes)  # next unused bloc id
    seen: dict[tuple, int] = {}  # each pass's blocs, in the order of their ids, by pass
    passes: list[dict[str, int]] = []
    for number in range(PASSES):
        moved = False
        for node in nodes:
            home = bloc[node]
            total_pos[home] -= offered_pos.get(node, 0.0)
            total_neg[home] -= offered_neg.get(node, 0.0)
            size[home] -= 1
            links: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
            for other, weight in positive[node].items():
                if other in bloc:  # one pulled towards holds no bloc of its own unless it has ties
                    links[bloc[other]][0] += weight
            for other, weight in negative[node].items():
                if other in bloc:
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
            total_pos[best] += offered_pos.get(node, 0.0)
            total_neg[best] += offered_neg.get(node, 0.0)
            size[best] += 1
            moved |= best != home
        if not moved:
            break
        # A pass depends on the blocs alone (their members, in the order of their ids: a new
        # bloc's id is larger than every other), so blocs seen after an earlier pass repeat
        # from there on: what the last pass would give is known without running it.
        state = _ordered_blocs(bloc)
        if state in seen:
            first = seen[state]
            return passes[first + (PASSES - 1 - first) % (number - first)]
        seen[state] = number
        passes.append(dict(bloc))
    return bloc


def _ordered_blocs(bloc: dict[str, int]) -> tuple[tuple[str, ...], ...]:
    """The blocs' members, bloc by bloc in the order of their ids."""
    members: dict[int, list[str]] = defaultdict(list)
    for node, community in bloc.items():
        members[community].append(node)
    return tuple(tuple(members[community]) for community in sorted(members))


def _number(bloc: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Blocs numbered 1, 2, … by size, largest first (ties: the smallest member id first)."""
    members: dict[tuple[int, int], list[str]] = defaultdict(list)
    for node, community in bloc.items():
        members[community].append(node)
    ordered = sorted(members.values(), key=lambda group: (-len(group), min(group)))
    return {node: number for number, group in enumerate(ordered, start=1) for node in group}


def bloc_rows(graph: networkx.MultiDiGraph, blocs: dict[str, int]) -> Iterable[dict]:
    """Rows for the ``blocs`` query: bloc, actor, label, in bloc then id order."""
    for actor, number in sorted(blocs.items(), key=lambda item: (item[1], item[0])):
        yield {"bloc": number, "actor": actor, "label": graph.nodes[actor].get("label", actor)}
