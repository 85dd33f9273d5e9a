"""How an actor's positions changed over time: one row per change, with its date and evidence.

An actor's positions are the assertions whose actor it is (its officials'
statements in office included) that take a side: a cooperative or
conflictual relation, affirmed (its sign), denied (the opposite) or doubted.
Two tracks are kept apart and never mixed: the actor's own record — its
stances, the facts and the intentions, claims, denials and doubts its own
side voices (:meth:`KnowledgeBase.is_stance`) — and others' readings of it
(opinions): an essayist's reading that Bulgaria opposes military aid to
Ukraine is shown beside Bulgaria's record, as a reading, and changes nothing
in it.

Positions are grouped by what they are on: an issue or an agreement, or the
counterpart an actor stands for (a statement about a minister is about their
state). Within a group and a track, in time order (the earliest day each can
be, as ``--as-of`` counts), a row is written when

* the first position is taken (``from`` is empty);
* the side changes (``supports`` to ``opposes``);
* the same side is stated through another office holder: the position
  outlived a change of government (Petkov's, then Radev's);
* a position held over time passes to its holder's next office (Radev,
  President, then Prime Minister): it became the government's;
* a position held over an interval ends (``to`` is empty).

Restating a position through the same office holder changes nothing and
gives no row. Neutral relations (meetings, invitations, appeals, offices)
take no side and are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .asof import begun, ended

if TYPE_CHECKING:
    import networkx

__all__ = ["COLUMNS", "shift_rows"]

#: The keys of every row.
COLUMNS = ("target", "from", "to", "date", "through", "assertion", "source")

#: Which track a position belongs to: the actor's own record, or someone's reading of it.
RECORD, READING = "record", "reading"


@dataclass(frozen=True)
class _Event:
    """A moment in a track: a position stated, passed to a new office, or ended."""

    day: str  # ISO date, for ordering
    edge: dict
    kind: str  # "stated", "office" or "ended"
    office: str | None  # the office (assertion id) the position comes through then
    shown: str  # the date as the row shows it


def shift_rows(graph: networkx.MultiDiGraph, actor: str, as_of: dt.date) -> Iterator[dict]:
    """The changes in ``actor``'s positions up to ``as_of`` (see the module docs), grouped by target, oldest first."""
    offices = {key: (person, data) for person, _, key, data in graph.edges(keys=True, data=True)
               if data["relation"] == "holds-office"}
    tracks: dict[tuple[str, str], list[_Event]] = defaultdict(list)
    for _, target, edge in graph.edges(data=True):
        track = _track(edge, actor, as_of)
        if track is not None:
            group = target if graph.nodes[target].get("type") in ("issue", "agreement") else edge["counterpart"]
            tracks[(group, track)] += _events(edge, offices, as_of)
    rows: dict[str, list[dict]] = defaultdict(list)
    for (group, _), events in tracks.items():
        rows[group] += _changes(group, sorted(events, key=_order), offices, graph)
    for group in sorted(rows, key=lambda g: (min(r["_day"] for r in rows[g]), g)):
        for row in sorted(rows[group], key=lambda r: (r["_day"], r["assertion"])):
            del row["_day"]
            yield row


def _track(edge: dict, actor: str, as_of: dt.date) -> str | None:
    """The track an assertion edge belongs to in ``actor``'s positions, or None when it is not one."""
    if edge.get("actor") != actor or not edge.get("sign") or not begun(edge.get("valid_from"), as_of.isoformat()):
        return None
    if edge.get("stance"):
        return RECORD
    return READING if edge["modality"] == "opinion" else None


def _events(edge: dict, offices: dict[str, tuple[str, dict]], as_of: dt.date) -> Iterable[_Event]:
    """The moments of one position: stated; passed on to each later office while it lasts; ended."""
    held = sorted((o for o in (edge.get("offices_held") or "").split() if o in offices),
                  key=lambda o: offices[o][1].get("valid_from") or "")
    start, day = edge["valid_from"], as_of.isoformat()
    stated = edge.get("through") if edge.get("through") in offices else None
    yield _Event(start, edge, "stated", stated, edge.get("dated") or start)
    interval = edge.get("date") is None
    end = edge.get("valid_until")
    if interval:
        for office in held:
            taken = offices[office][1].get("valid_from") or ""
            # taken after the position was stated, by the day, and before the position ended
            if start < taken and begun(taken, day) and not ended(end, taken):
                yield _Event(taken, edge, "office", office, taken)
    if end is not None and ended(end, day):
        yield _Event(end, edge, "ended", None, edge.get("end") or end)


def _order(event: _Event) -> tuple:
    return (event.day, {"ended": 0, "stated": 1, "office": 2}[event.kind], event.edge["assertion"])


def _side(edge: dict) -> int:
    """+1 or -1 for the side taken (a denial takes the opposite side), 0 for a doubt."""
    return {"affirmed": 1, "denied": -1}.get(edge["polarity"], 0) * edge["sign"]


def _changes(group: str, events: list[_Event], offices: dict[str, tuple[str, dict]],
             graph: networkx.MultiDiGraph) -> Iterator[dict]:
    """The rows of one track: the events that change its position or the office holder it comes through."""
    current: _Event | None = None
    last_holder: tuple[str, str] | None = None  # the office holder the position last came through
    for event in events:
        holder = _holder(event.office, offices)
        if event.kind == "ended":
            if current is not None and current.edge is event.edge:
                yield _row(group, current, None, event, None)
                current = None
            continue
        if current is not None and event.kind == "office" and current.edge is not event.edge:
            continue  # a later statement already replaced this position
        new_holder = holder is not None and last_holder is not None and holder != last_holder
        last_holder = holder or last_holder
        if current is not None and _side(event.edge) == _side(current.edge) and not new_holder:
            continue  # restated (or first attested through an office): no change
        yield _row(group, current, event, event, _voice_text(event, offices, graph))
        current = event


def _holder(office: str | None, offices: dict[str, tuple[str, dict]]) -> tuple[str, str] | None:
    """Who held an office, and as what: (person, role)."""
    if office is None:
        return None
    person, data = offices[office]
    return person, data.get("role") or ""


def _row(group: str, before: _Event | None, after: _Event | None, event: _Event, holder: str | None) -> dict:
    edge = event.edge
    return {
        "target": group,
        "from": before.edge["position"] if before is not None else None,
        "to": after.edge["position"] if after is not None else None,
        "date": event.shown,
        "through": holder,
        "assertion": edge["assertion"],
        "source": edge["source"],
        "_day": event.day,
    }


def _voice_text(event: _Event, offices: dict[str, tuple[str, dict]], graph: networkx.MultiDiGraph) -> str | None:
    """Whose position it is: the office holder it came through ("Nikolai Denkov, Prime Minister"),
    or, for a reading, whose reading ("Ilian Vassilev (opinion)")."""
    edge = event.edge
    if edge["modality"] == "opinion":
        speaker = edge.get("speaker")
        return f"{graph.nodes[speaker].get('label', speaker)} (opinion)" if speaker else "(opinion)"
    held = _holder(event.office, offices)
    if held is None:
        return None
    person, role = held
    return f"{graph.nodes[person].get('label', person)}, {role}"
