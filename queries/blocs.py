"""Alignment blocs: communities of the signed network of actors, from their ties and their stances.

Cooperative ties pull actors together and conflictual ties push them apart.
Every assertion that counts (affirmed, a fact or an intention its own side
voices, cooperative or conflictual, holding as of the date; officials rolled
up to their state) adds its sign to the tie between two actors; parties to
the same agreement are tied +1, and opposing an agreement ties its author -1
to each party. Actors on the same side of an issue (their latest counted
stances on it as of the date) are tied +1 for it, on opposite sides -1. An
intention pulls only the actor who signals it. Blocs maximise the signed
modularity of Gómez, Jensen and Arenas (2009) by local moving from
singletons, in each connected part of the network on its own,
deterministically; bloc 1 is the largest. See the README, "Blocs", and
alliancegraph.blocs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from alliancegraph.blocs import assign_blocs, bloc_rows
from alliancegraph.tie_table import TieTable

COLUMNS = ("bloc", "actor", "label")


def run(ties: TieTable, as_of: dt.date) -> Iterable[dict]:
    return bloc_rows(ties, assign_blocs(ties, as_of))
