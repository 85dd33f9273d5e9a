"""How ACTOR's positions changed over time: one row per change, with its date and evidence.

For each issue, agreement or counterpart ACTOR took a side on, its positions
in time order, and a row where one changes: the first position taken, a
change of side, the same side through another office holder (a new
government), a position held over time passing to its holder's next office,
a position that ended. ACTOR's own record (facts, and intentions, claims,
denials and doubts its own side voices) and others' readings of it
(opinions, modality opinion) are separate sequences, never mixed; through is
the office holder a position came through, or whose reading it is. See the
README, "Shifts", and alliancegraph.shifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import networkx

from alliancegraph.queries import EntityId
from alliancegraph.shifts import COLUMNS as SHIFT_COLUMNS
from alliancegraph.shifts import shift_rows

COLUMNS = ("target", "from", "to", "date", "through", "assertion", "source")
assert COLUMNS == SHIFT_COLUMNS


def run(graph: networkx.MultiDiGraph, actor: EntityId, as_of: dt.date) -> Iterable[dict]:
    return shift_rows(graph, actor, as_of)
