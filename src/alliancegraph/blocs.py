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
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain, combinations, repeat

from .asof import holds
from .tie_table import TieTable
from .vocabulary import ACTOR_TYPES

#: Relations that make an actor party to an agreement.
PARTY_RELATIONS = frozenset({"signs", "member-of"})

#: Ties between two actors: (a, b) -> summed sign. ``Pulls`` are one-sided: (from, towards) -> sign.
Ties = dict[tuple[str, str], float]


def holds_on(first: str | None, last: str | None, day: str | None) -> bool:
    """Whether an assertion from ``first`` to ``last`` holds on the day (:func:`alliancegraph.asof.holds`,
    days as ISO text; any day when None)."""
    return day is None or holds(first, last, day)


def counts(tie: int | None, first: str | None, last: str | None, day: str | None) -> bool:
    """Whether an assertion with this tie sign and these days counts towards alignment (its ``tie``, see
    the module docs) on the day (:func:`holds_on`)."""
    return bool(tie) and holds_on(first, last, day)


def iso_day(as_of: dt.date | None) -> str | None:
    """The as-of date as the ISO text the table's days are in (None: any day)."""
    return as_of.isoformat() if as_of is not None else None


def signed_ties(table: TieTable, as_of: dt.date | None = None) -> tuple[Ties, Ties]:
    """Summed signs between pairs of actors (pairs sorted, self-ties dropped), and the one-sided pulls of intentions.

    Pairs are tallied a group at a time (an agreement's parties, an issue's sides: see
    :class:`_Tally`) and summed once at the end.
    """
    types, day = table.types, iso_day(as_of)
    actors = {node for node, kind in types.items() if kind in ACTOR_TYPES}
    parties: dict[str, set[str]] = defaultdict(set)
    mutual, one_sided = _Tally(), _Tally()  # sorted pairs of actors; (from, towards)
    direct: dict[int, list[tuple[str, str]]] = defaultdict(list)  # the assertions' own ties, by sign
    pulls: dict[int, list[tuple[str, str]]] = defaultdict(list)
    against: list[tuple[str, str, int]] = []
    joining: list[tuple[str, str]] = []  # intentions to join an agreement: pulls towards its parties
    for target, relation, modality, sign, actor, counterpart, first, last in table.rows(
            "object", "relation", "modality", "tie", "actor", "counterpart", "valid_from", "valid_until"):
        kind = types.get(target)
        if kind == "issue" or not counts(sign, first, last, day):
            continue
        if relation == "member-of" and kind == "international-organization":
            continue  # membership is not alignment (as in who-aligns-with): NATO's members are not one bloc
        if kind == "agreement":
            if sign > 0 and relation in PARTY_RELATIONS and modality == "fact":
                parties[target].add(actor)
            elif sign > 0 and relation in PARTY_RELATIONS:
                joining.append((actor, target))
            elif sign < 0:
                against.append((actor, target, sign))
        elif actor != counterpart and actor in actors and counterpart in actors:
            if modality == "intention":
                pulls[sign].append((actor, counterpart))
            else:
                direct[sign].append((actor, counterpart) if actor < counterpart else (counterpart, actor))
    for sign, pairs in direct.items():
        mutual.add(pairs, sign)
    for sign, pairs in pulls.items():
        one_sided.add(pairs, sign)
    party_lists = {agreement: sorted(members & actors) for agreement, members in parties.items()}
    for members in party_lists.values():
        mutual.add(combinations(members, 2), 1)
    for actor, agreement, sign in against:
        if actor in actors:
            below, above = _others(actor, party_lists.get(agreement, []))
            mutual.add(chain(zip(below, repeat(actor)), zip(repeat(actor), above)), sign)
    for actor, agreement in joining:
        if actor in actors:
            below, above = _others(actor, party_lists.get(agreement, []))
            one_sided.add(zip(repeat(actor), below + above), 1)
    for sides in issue_sides(table, as_of).values():
        # Same side +1, opposite sides -1: twice the pairs on the same side, less every pair.
        ordered = sorted(sides)
        mutual.add(combinations(ordered, 2), -1)
        for side in (1, -1):
            mutual.add(combinations([actor for actor in ordered if sides[actor] == side], 2), 2)
    return mutual.totals(), one_sided.totals()


class _Tally:
    """Pairs counted for and against by :class:`collections.Counter`, which counts a whole group
    of pairs (an agreement's parties, an issue's sides) in one call; summed once at the end.
    Every weight is a whole number, so the sums do not depend on the order they are taken in."""

    def __init__(self) -> None:
        self.plus: Counter = Counter()
        self.minus: Counter = Counter()

    def add(self, pairs: Iterable[tuple[str, str]], weight: int) -> None:
        counter = self.plus if weight > 0 else self.minus
        if abs(weight) == 1:
            counter.update(pairs)
        else:
            pairs = list(pairs)
            for _ in range(abs(weight)):
                counter.update(pairs)

    def totals(self) -> Ties:
        """Each pair's weight, pairs that sum to 0 left out."""
        plus, minus = self.plus.get, self.minus.get
        summed = {pair: plus(pair, 0) - minus(pair, 0) for pair in chain(self.plus, self.minus)}
        return {pair: float(weight) for pair, weight in summed.items() if weight}


def _others(actor: str, ordered: list[str]) -> tuple[list[str], list[str]]:
    """The members of a sorted list other than ``actor``: those before it, and those after it."""
    place = bisect_left(ordered, actor)
    return ordered[:place], ordered[place + 1 if ordered[place:place + 1] == [actor] else place:]


def issue_sides(table: TieTable, as_of: dt.date | None = None) -> dict[str, dict[str, int]]:
    """For each issue, each actor's side (+1 for, -1 against) by its latest counted stance as of the date.

    Stances dated the same day are summed; a day that cancels out leaves no side.
    """
    types, day = table.types, iso_day(as_of)
    latest: dict[tuple[str, str], tuple[str, int]] = {}
    for issue, sign, actor, first, last in table.rows("object", "tie", "actor", "valid_from", "valid_until"):
        if types.get(issue) != "issue" or not counts(sign, first, last, day) or types.get(actor) not in ACTOR_TYPES:
            continue
        key = (issue, actor)
        previous = latest.get(key)
        if previous is None or previous[0] < first:
            latest[key] = (first, sign)
        elif previous[0] == first:
            latest[key] = (first, previous[1] + sign)
    sides: dict[str, dict[str, int]] = defaultdict(dict)
    for (issue, actor), (_, total) in sorted(latest.items()):
        if total:
            sides[issue][actor] = 1 if total > 0 else -1
    return dict(sides)


def assign_blocs(table: TieTable, as_of: dt.date | None = None) -> dict[str, int]:
    """Bloc number (1 = largest) for every actor with a counted tie or stance of its own."""
    return detect_blocs(*signed_ties(table, as_of))


def detect_blocs(ties: Ties, pulls: Ties | None = None) -> dict[str, int]:
    """Signed-modularity local moving over ``ties`` and the one-sided ``pulls`` (see the module docs),
    in each connected part of the network on its own."""
    positive: dict[str, dict[str, int]] = defaultdict(dict)
    negative: dict[str, dict[str, int]] = defaultdict(dict)
    # What each actor's mutual ties offer a bloc, cooperative (True) and conflictual (False).
    offered: dict[bool, dict[str, int]] = {True: defaultdict(int), False: defaultdict(int)}
    for (a, b), weight in ties.items():
        side, strength = positive if weight > 0 else negative, abs(_whole(weight))
        side[a][b] = side[b][a] = strength
        offered[weight > 0][a] += strength
        offered[weight > 0][b] += strength
    for (a, b), weight in (pulls or {}).items():  # in the signaller's row only
        side = positive if weight > 0 else negative
        side[a][b] = side[a].get(b, 0) + abs(_whole(weight))
    nodes = sorted(set(positive) | set(negative))
    blocs: dict[str, tuple[int, int]] = {}
    for index, part in enumerate(_connected_parts(nodes, positive, negative)):
        for node, community in _local_moving(part, positive, negative, offered[True], offered[False]).items():
            blocs[node] = (index, community)  # the blocs of different parts stay apart
    return _number(blocs)


def _whole(weight: float) -> int:
    """A weight as the whole number it is (a sum of signs), so that every sum of weights is exact,
    whatever order it is taken in."""
    whole = int(weight)
    if whole != weight:
        raise ValueError(f"the weight of a tie is a sum of signs, a whole number, not {weight!r}")
    return whole


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

    Actors are numbered by their place in ``nodes``. What each actor's row weighs in each bloc
    is kept up to date as actors move (weights are whole numbers, so the running sums are
    exact): a pass weighs the blocs around each actor without going through its row again.
    """
    place = {node: i for i, node in enumerate(nodes)}
    # Per actor and sign: the weight of its row in each bloc, and the rows it is in (who weighs it, how much).
    # An actor outside the part is one only pulled towards, which holds no bloc of its own.
    links: dict[bool, list[dict[int, int]]] = {True: [{} for _ in nodes], False: [{} for _ in nodes]}
    weighed_by: dict[bool, list[list[tuple[int, int]]]] = {True: [[] for _ in nodes], False: [[] for _ in nodes]}
    for sign, rows in ((True, positive), (False, negative)):
        for me, name in enumerate(nodes):
            for other, weight in rows[name].items():
                if other in place:
                    links[sign][me][place[other]] = weight  # every actor starts in a bloc of its own
                    weighed_by[sign][place[other]].append((me, weight))
    links_pos, links_neg = links[True], links[False]
    degree_pos = [sum(positive[n].values()) for n in nodes]
    degree_neg = [sum(negative[n].values()) for n in nodes]
    two_w_pos = sum(degree_pos)
    two_w_neg = sum(degree_neg)
    own_pos = [offered_pos.get(n, 0) for n in nodes]
    own_neg = [offered_neg.get(n, 0) for n in nodes]
    bloc = list(range(len(nodes)))
    total_pos, total_neg = list(own_pos), list(own_neg)  # what each bloc's members offer, by bloc id
    size = [1] * len(nodes)
    seen: dict[tuple, int] = {}  # each pass's blocs, in the order of their ids, by pass
    passes: list[list[int]] = []
    for number in range(PASSES):
        moved = False
        for node in range(len(nodes)):
            home = bloc[node]
            total_pos[home] -= own_pos[node]
            total_neg[home] -= own_neg[node]
            size[home] -= 1
            mine_pos, mine_neg = links_pos[node], links_neg[node]
            own_degree_pos, own_degree_neg = degree_pos[node], degree_neg[node]
            best, best_gain = None, 0.0  # None: a bloc of its own, which gains nothing
            for community in sorted({*mine_pos, *mine_neg, home}):
                value = 0.0
                if two_w_pos:
                    value += mine_pos.get(community, 0) - own_degree_pos * total_pos[community] / two_w_pos
                if two_w_neg:
                    value -= mine_neg.get(community, 0) - own_degree_neg * total_neg[community] / two_w_neg
                if value > best_gain + 1e-12:
                    best, best_gain = community, value
            if best is None:
                best = home if size[home] == 0 else len(size)  # a new bloc's id is larger than every other
                if best == len(size):
                    total_pos.append(0)
                    total_neg.append(0)
                    size.append(0)
            bloc[node] = best
            total_pos[best] += own_pos[node]
            total_neg[best] += own_neg[node]
            size[best] += 1
            if best != home:
                moved = True
                _move(node, home, best, weighed_by[True], links_pos)
                _move(node, home, best, weighed_by[False], links_neg)
        if not moved:
            break
        # A pass depends on the blocs alone (their members, in the order of their ids: a new
        # bloc's id is larger than every other), so blocs seen after an earlier pass repeat
        # from there on: what the last pass would give is known without running it.
        state = _ordered_blocs(dict(zip(nodes, bloc)))
        if state in seen:
            first = seen[state]
            return dict(zip(nodes, passes[first + (PASSES - 1 - first) % (number - first)]))
        seen[state] = number
        passes.append(list(bloc))
    return dict(zip(nodes, bloc))


def _move(node: int, home: int, best: int, weighed_by: list[list[tuple[int, int]]], links: list[dict[int, int]]) -> None:
    """Move what ``node`` weighs in the rows it is in from bloc ``home`` to bloc ``best``
    (a bloc a row no longer weighs anything in is dropped from it: weights are positive)."""
    for other, weight in weighed_by[node]:
        row = links[other]
        left = row[home] - weight
        if left:
            row[home] = left
        else:
            del row[home]
        row[best] = row.get(best, 0) + weight


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


def bloc_rows(table: TieTable, blocs: dict[str, int]) -> Iterable[dict]:
    """Rows for the ``blocs`` query: bloc, actor, label, in bloc then id order."""
    for actor, number in sorted(blocs.items(), key=lambda item: (item[1], item[0])):
        yield {"bloc": number, "actor": actor, "label": table.labels.get(actor, actor)}
