"""Colours shared by the Gephi exports and the drawings, so a picture and a GEXF file agree.

Entity types use the Okabe–Ito palette (distinguishable with the common
colour-vision deficiencies); blocs use a qualitative palette in bloc order;
edges are coloured and styled by the sign of their relation. Every colour is a
``#rrggbb`` string.
"""

from __future__ import annotations

from typing import Literal

__all__ = [
    "COLOR_BY",
    "TYPE_COLORS",
    "BLOC_COLORS",
    "NO_BLOC_COLOR",
    "SIGN_COLORS",
    "SIGN_NAMES",
    "SIGN_STYLES",
    "POSITION_COLORS",
    "bloc_color",
    "rgb",
]

#: What node colours can follow: the entity's type or its alignment bloc.
COLOR_BY = ("type", "bloc")

#: Node colour by entity type (Okabe–Ito).
TYPE_COLORS: dict[str, str] = {
    "state": "#0072B2",
    "partially-recognized-state": "#56B4E9",
    "sub-national-entity": "#009E73",
    "international-organization": "#CC79A7",
    "agreement": "#E69F00",
    "person": "#F0E442",
    "government-body": "#999999",
    "issue": "#D55E00",
}

#: Node colour by alignment bloc: bloc 1 (the largest) takes the first colour.
BLOC_COLORS: tuple[str, ...] = (
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#B07AA1",
    "#EDC948",
    "#76B7B2",
    "#FF9DA7",
    "#9C755F",
    "#E15759",
    "#BAB0AC",
)
#: Nodes outside every bloc (issues, agreements, actors without counted ties).
NO_BLOC_COLOR = "#D9D9D9"

#: Edge colour by the sign of its relation: cooperative, neutral, conflictual.
SIGN_COLORS: dict[int, str] = {1: "#1B9E77", 0: "#8C8C8C", -1: "#D62728"}
SIGN_NAMES: dict[int, str] = {1: "cooperative", 0: "neutral", -1: "conflictual"}
#: Edge line by the sign of its relation; names both GEXF's viz:shape and matplotlib take.
SIGN_STYLES: dict[int, Literal["solid", "dotted", "dashed"]] = {1: "solid", 0: "dotted", -1: "dashed"}

#: Cell colour by position in the stance matrix (keys of vocabulary.POSITIONS).
POSITION_COLORS: dict[str, str] = {
    "supports": "#1B9E77",
    "signs": "#66C2A5",
    "member": "#A6D854",
    "intends": "#B3DE69",
    "appeals": "#80B1D3",
    "meets": "#BEBADA",
    "invites": "#8DA0CB",
    "holds-office": "#D9D9D9",
    "demands": "#FDB462",
    "rejects": "#E7298A",
    "opposes": "#D62728",
    "denies": "#7F3B08",
    "doubts": "#C2A5CF",
}


def bloc_color(bloc: int | None) -> str:
    """The colour of bloc number ``bloc`` (1-based; None: no bloc)."""
    if bloc is None:
        return NO_BLOC_COLOR
    return BLOC_COLORS[(bloc - 1) % len(BLOC_COLORS)]


def rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three 0–255 integers."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
