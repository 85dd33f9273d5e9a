"""Pictures of the knowledge base without Gephi: the alignment network and the stance matrix.

Drawing needs matplotlib, the optional extra ``alliancegraph[viz]``; it is
imported here only, when a picture is asked for. Pictures take the same
filters as the exports (:class:`alliancegraph.selection.Filters`) and are
written atomically as PNG, SVG or PDF, chosen by the file's extension. A
picture shows one day, ``--as-of``, today by default (where an export holds
every date: see :mod:`alliancegraph.asof`).

* ``network``: the entities with at least one edge, laid out by a seeded
  ForceAtlas2 (the same picture every run) and nudged apart so labels have
  room; nodes coloured by entity type or by alignment bloc, sized by degree
  and labelled; one line per pair of entities and kind of tie, cooperative
  ties solid green, conflictual ties dashed red, neutral ones dotted grey,
  thicker for more assertions, with an arrow when they all point one way;
  memberships and offices thin and light in the background; denied or
  contested assertions (with ``include_contested``) faded. A legend explains
  the colours and lines; the title names the knowledge base and the date.
* ``stance-matrix``: issues by actors (officials rolled up to the state they
  speak for), each cell coloured by, and naming, the actor's latest position
  on the issue (supports, opposes, rejects, demands, denies, …) as of the
  date, with a legend; a demand or rejection only about the
  issue also names whom it is addressed to. Stances are what the
  ``who-stands-where`` query answers, so its rules decide which claims and
  denials count and ``include_contested`` does not apply.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .asof import answer_day
from .errors import AllianceGraphError, UsageError
from .files import atomic_writer
from .model import Assertion, KnowledgeBase
from .network_view import network_graph
from .palette import NO_BLOC_COLOR, POSITION_COLORS, SIGN_COLORS, SIGN_NAMES, SIGN_STYLES, TYPE_COLORS, bloc_color
from .selection import Filters, Selection, contested, select
from .text import clip
from .vocabulary import ENTITY_TYPES, POSITIONS

if TYPE_CHECKING:
    import networkx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["IMAGE_FORMATS", "KINDS", "Stance", "draw", "network_figure", "stance_figure", "stances"]

KINDS = ("network", "stance-matrix")
IMAGE_FORMATS = ("png", "svg", "pdf")
#: Relations that place an entity (membership, office) rather than align it.
STRUCTURAL_RELATIONS = frozenset({"member-of", "holds-office"})
STRUCTURAL_WEIGHT = 0.25
LAYOUT_ITERATIONS = 600
#: Most entities labelled in one picture, the best connected: past a hundred or two, labels cover each other
#: and the ties whatever the layout, and a label nobody can read only hides what is under it.
LABEL_CAP = 150
#: ForceAtlas2 computes every pair of entities in every iteration. Above this many entities the best-connected
#: ones are laid out first, the others start beside their neighbours, and the whole is refined in as many
#: iterations as REFINE_PAIRS pairs allow (at least a few), so the time grows with the square of the
#: entities only within that budget.
CORE_SIZE = 200
REFINE_PAIRS = 40_000_000
#: The fewest refining iterations: past about 2,000 entities each takes a third of a second, and five
#: already settle the entities placed beside their neighbours.
REFINE_ITERATIONS = 5
#: Resolution of a picture, in dots per inch; a large network's picture is already 25 inches wide, and at
#: 150 dpi its 14 million pixels took as long to draw and encode as the layout took.
DPI = 150
LARGE_DPI = 100
#: Arrowheads are patches of their own, drawn one by one: a picture with more directed ties than this has none.
ARROW_CAP = 400
#: Above this many ties, lines are drawn thinner and lighter (and without smoothing, which costs most).
CROWDED_TIES = 2000
INSTALL_HINT = 'drawing needs matplotlib; install it with: pip install "alliancegraph[viz]"'


def draw(
    kb: KnowledgeBase,
    path: Path | str,
    kind: str = "network",
    filters: Filters | None = None,
    color_by: str = "type",
) -> Path:
    """Draw ``kind`` of ``kb`` into ``path`` (.png, .svg or .pdf); return the path.

    A picture is as of ``filters.as_of``, as of today without one (:func:`alliancegraph.asof.answer_day`).
    """
    path = Path(path)
    image_format = path.suffix.lower().lstrip(".")
    if image_format not in IMAGE_FORMATS:
        raise UsageError(f"cannot draw {path.name!r}: name a .png, .svg or .pdf file")
    if kind not in KINDS:
        raise UsageError(f"unknown drawing {kind!r}; choose from {', '.join(KINDS)}")
    matplotlib = _require_matplotlib()
    filters = replace(filters or Filters(), as_of=answer_day((filters or Filters()).as_of))
    if kind == "network":
        figure = network_figure(select(kb, filters), color_by)
    else:  # the stance rules decide which claims and denials count (see stances)
        figure = stance_figure(select(kb, replace(filters, include_contested=True)))
    # No creation date in SVG/PDF, and fixed SVG ids: the same data gives the same file.
    metadata = {"Date": None} if image_format in ("svg", "pdf") else None
    with matplotlib.rc_context({"svg.hashsalt": "alliancegraph"}), atomic_writer(path, "wb") as handle:
        figure.savefig(handle, format=image_format, dpi="figure", metadata=metadata, bbox_inches="tight")
    return path


# -- the network -----------------------------------------------------------------------


#: Which line an assertion is drawn on: its two ends, its sign, and whether it is structural.
TieKey = tuple[tuple[str, str], int, bool]


class Tie(NamedTuple):
    """The assertions between two entities of one sign and kind, drawn as one line."""

    ends: tuple[str, str]
    sign: int
    structural: bool  # memberships and offices: drawn thin, in the background
    assertions: int  # how many assertions the line stands for
    contested: int
    head: str | None  # the end an arrow points to, when every assertion points the same way


def network_figure(selection: Selection, color_by: str = "type") -> Figure:
    """The alignment network of ``selection`` as a matplotlib figure (see the module docs)."""
    graph = network_graph(selection, color_by, blocs=False)
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    if graph.number_of_nodes() == 0:
        raise AllianceGraphError("nothing to draw: no assertions are left after the filters")
    ties = _ties(graph)
    labelled = _best_connected(graph, LABEL_CAP)
    positions = _layout(ties, labelled)
    # In points², as scatter takes them; smaller when there are more entities than a picture holds at full size.
    shrink = min(1.0, CORE_SIZE / graph.number_of_nodes())
    marker_areas = {n: (40 + 45 * graph.degree(n) ** 0.8) * shrink for n in graph}
    figure, ax = _figure(graph.number_of_nodes())
    _draw_ties(ax, ties, positions, marker_areas)
    _draw_nodes(ax, graph, positions, marker_areas, labelled)
    _network_legend(ax, graph, color_by, ties)
    title = _title(selection, "alignment network")
    if len(labelled) < graph.number_of_nodes():
        title += f"\n{graph.number_of_nodes():,} entities, the {len(labelled)} with the most ties labelled"
    ax.set_title(title, fontsize=16, loc="left")
    ax.set_axis_off()
    ax.margins(0.08)
    return figure


def _ties(graph: networkx.MultiDiGraph) -> list[Tie]:
    """Parallel assertions merged into one line per pair of entities, sign and structural kind."""
    counts: Counter[TieKey] = Counter()
    disputed: Counter[TieKey] = Counter()
    heads: dict[TieKey, set] = defaultdict(set)
    for source, target, data in graph.edges(data=True):
        first, second = sorted((source, target))
        key: TieKey = ((first, second), data["sign"], data["relation"] in STRUCTURAL_RELATIONS)
        counts[key] += 1
        disputed[key] += contested(data["polarity"], data["modality"])
        heads[key].add(target if data["direction"] == "directed" else None)
    return [Tie(*key, counts[key], disputed[key], _single(heads[key])) for key in sorted(counts)]


def _single(heads: set) -> str | None:
    return next(iter(heads)) if len(heads) == 1 else None


def _best_connected(graph: networkx.MultiDiGraph, cap: int) -> set[str]:
    """The ``cap`` entities with the most assertions (ties broken by id)."""
    return set(sorted(graph, key=lambda n: (-graph.degree(n), n))[:cap])


def _layout(ties: list[Tie], labelled: set[str]) -> dict:
    """ForceAtlas2 (Gephi's layout), seeded so the same data gives the same picture, then spread for labels.

    Memberships and offices attract less than alignment ties, so that the
    many NATO and EU memberships do not pull every member onto one spot.
    Large networks are laid out from their core outwards (see CORE_SIZE).
    """
    import networkx

    graph: networkx.Graph = networkx.Graph()
    for tie in ties:
        weight = (STRUCTURAL_WEIGHT if tie.structural else 1.0) * tie.assertions
        graph.add_edge(*tie.ends, weight=graph.get_edge_data(*tie.ends, default={"weight": 0.0})["weight"] + weight)
    sizes = {n: 1 + 0.3 * math.sqrt(graph.degree(n)) for n in graph}  # bigger hubs keep more room
    if len(graph) <= CORE_SIZE:
        layout = _forceatlas2(graph, sizes, LAYOUT_ITERATIONS)
    else:
        ranked = sorted(graph, key=lambda n: (-graph.degree(n, weight="weight"), n))
        start = _forceatlas2(graph.subgraph(ranked[:CORE_SIZE]), sizes, LAYOUT_ITERATIONS)
        start = _beside_neighbours(graph, start, ranked)
        iterations = min(LAYOUT_ITERATIONS, max(REFINE_ITERATIONS, REFINE_PAIRS // len(graph) ** 2))
        layout = _forceatlas2(graph, sizes, iterations, start)
    return _spread({n: (float(x), float(y)) for n, (x, y) in sorted(layout.items())}, labelled)


def _forceatlas2(graph: networkx.Graph, sizes: dict, iterations: int, start: dict | None = None) -> dict:
    import networkx

    return networkx.forceatlas2_layout(graph, start, max_iter=iterations, seed=7, weight="weight",
                                       node_size={n: sizes[n] for n in graph})


def _beside_neighbours(graph: networkx.Graph, placed: dict, ranked: list[str]) -> dict:
    """Starting positions for the entities not yet placed: beside the middle of their placed neighbours,
    nearest the core first; an entity with none (a part of its own) somewhere in the picture."""
    import random

    import numpy

    placed = {n: numpy.asarray(p, dtype=float) for n, p in placed.items()}
    corners = numpy.array(list(placed.values()))
    low, high = corners.min(axis=0), corners.max(axis=0)
    nudge = 0.03 * float((high - low).max() or 1.0)
    chance = random.Random(7)
    pending = [n for n in ranked if n not in placed]
    while pending:
        waiting = []
        for node in pending:
            around = [placed[m] for m in graph[node] if m in placed]
            if around:
                placed[node] = numpy.mean(around, axis=0) + [chance.uniform(-nudge, nudge) for _ in range(2)]
            else:
                waiting.append(node)
        if len(waiting) == len(pending):  # nothing of theirs is placed: another part of the network
            placed[waiting[0]] = low + (high - low) * [chance.random() for _ in range(2)]
            waiting = waiting[1:]
        pending = waiting
    return placed


def _spread(positions: dict, movable: set[str] | None = None, room: float = 0.055, rounds: int = 200) -> dict:
    """Positions scaled into the unit square, then the ``movable`` ones (default: all) nudged apart
    until their labels have ``room``."""
    xs, ys = zip(*positions.values())
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    points = {n: [(x - min(xs)) / span, (y - min(ys)) / span] for n, (x, y) in positions.items()}
    nudged = {n: p for n, p in points.items() if movable is None or n in movable}
    for _ in range(rounds):
        moved = False
        for a, b in _close_pairs(nudged, room):
            moved |= _push_apart(nudged[a], nudged[b], room)
        if not moved:
            break
    return {n: tuple(p) for n, p in points.items()}


def _close_pairs(points: dict, room: float):
    """Pairs of points that may be closer than ``room``: those in neighbouring grid cells."""
    cells: dict[tuple[int, int], list] = defaultdict(list)
    for node, (x, y) in points.items():
        cells[(math.floor(x / room), math.floor(y / room))].append(node)
    for (cx, cy), members in sorted(cells.items()):
        for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # each neighbouring pair of cells once
            others = cells.get((cx + dx, cy + dy), [])
            for i, a in enumerate(members):
                yield from ((a, b) for b in (members[i + 1 :] if (dx, dy) == (0, 0) else others))


def _push_apart(a: list, b: list, room: float) -> bool:
    """Move two points symmetrically to ``room`` apart; False when they already are."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    distance = math.hypot(dx, dy)
    if distance >= room:
        return False
    if distance == 0:  # coincident: separate along a fixed direction
        dx, dy, distance = 1e-3, 0.0, 1e-3
    push = (room - distance) / 2 / distance
    a[0], a[1], b[0], b[1] = a[0] - dx * push, a[1] - dy * push, b[0] + dx * push, b[1] + dy * push
    return True


def _figure(nodes: int) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    side = min(20.0, max(8.0, 1.2 * math.sqrt(nodes) + 4))
    figure = Figure(figsize=(side * 1.25, side), dpi=LARGE_DPI if nodes > CORE_SIZE else DPI, layout="constrained")
    return figure, figure.add_subplot()


def _draw_ties(ax: Axes, ties: list[Tie], positions: dict, marker_areas: dict) -> None:
    """The ties as lines, one collection per look (sign and fading), then their arrowheads."""
    from matplotlib.collections import LineCollection

    looks: dict[tuple[int, float], list[Tie]] = defaultdict(list)
    for tie in ties:
        looks[(tie.sign, _alpha(tie))].append(tie)
    # Thousands of ties cover each other: thinner and lighter, so the nodes and where ties gather still show.
    crowd = min(1.0, math.sqrt(CROWDED_TIES / len(ties)))
    for (sign, alpha), drawn in sorted(looks.items()):
        widths = [((0.6 if tie.structural else 1.4) + 1.2 * math.log2(tie.assertions)) * crowd for tie in drawn]
        lines = [[positions[tie.ends[0]], positions[tie.ends[1]]] for tie in drawn]
        ax.add_collection(LineCollection(lines, colors=SIGN_COLORS[sign], linestyles=SIGN_STYLES[sign],
                                         linewidths=widths, alpha=max(0.15, alpha * crowd), zorder=1,
                                         antialiaseds=crowd == 1.0))
    directed = [tie for tie in ties if tie.head is not None and not tie.structural]
    for tie in directed if len(directed) <= ARROW_CAP else ():
        tail, head = (tie.ends[1], tie.ends[0]) if tie.head == tie.ends[0] else tie.ends
        # The whole arrow again above the label boxes, its shaft of width 0: only the head shows.
        ax.annotate("", xy=positions[head], xytext=positions[tail], zorder=4, arrowprops={
            "arrowstyle": "-|>", "color": SIGN_COLORS[tie.sign], "alpha": _alpha(tie), "linewidth": 0,
            "mutation_scale": 12, "shrinkA": 0, "shrinkB": _radius(marker_areas[head]) + 1,
        })


def _alpha(tie: Tie) -> float:
    """Faded for memberships and offices, and for ties made only of denials or contested assertions."""
    return 0.3 if tie.contested == tie.assertions or tie.structural else 0.85


def _radius(area: float) -> float:
    """A marker's radius in points, from its area in points²."""
    return math.sqrt(area) / 2


def _draw_nodes(ax: Axes, graph: networkx.MultiDiGraph, positions: dict, marker_areas: dict, labelled: set[str]) -> None:
    nodes = sorted(graph.nodes)
    xs, ys = zip(*(positions[n] for n in nodes))
    areas = [marker_areas[n] for n in nodes]
    colors = [_node_color(graph.nodes[n]) for n in nodes]
    ax.scatter(xs, ys, s=areas, c=colors, edgecolors="#333333", linewidths=0.8, zorder=2)
    for node, x, y, area in zip(nodes, xs, ys, areas):
        if node not in labelled:
            continue
        label = textwrap.fill(graph.nodes[node]["label"], 18)
        ax.annotate(label, (x, y), xytext=(0, _radius(area) + 1), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, zorder=3, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})


def _node_color(data: dict) -> str:
    return "#{:02X}{:02X}{:02X}".format(data["r"], data["g"], data["b"])


def _network_legend(ax: Axes, graph: networkx.MultiDiGraph, color_by: str, ties: list[Tie]) -> None:
    from matplotlib.lines import Line2D

    handles = []
    if color_by == "type":
        present = {data["type"] for _, data in graph.nodes(data=True)}
        handles += [_dot(TYPE_COLORS[t], ENTITY_TYPES[t].label) for t in ENTITY_TYPES if t in present]
    else:
        blocs = sorted({data["bloc"] for _, data in graph.nodes(data=True) if "bloc" in data})
        handles += [_dot(bloc_color(b), f"bloc {b}") for b in blocs]
        handles.append(_dot(NO_BLOC_COLOR, "no bloc"))
    for sign in (1, 0, -1):
        if any(t.sign == sign for t in ties):
            handles.append(Line2D([], [], color=SIGN_COLORS[sign], linestyle=SIGN_STYLES[sign], linewidth=2,
                label=f"{SIGN_NAMES[sign]} tie"))
    if any(t.contested for t in ties):
        handles.append(Line2D([], [], color="#555555", alpha=0.35, linewidth=2, label="denied or contested"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9,
              title="nodes and ties", title_fontsize=10)


def _dot(color: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=color, markeredgecolor="#333333", label=label)


# -- the stance matrix -------------------------------------------------------------------


class Stance(NamedTuple):
    """One cell of the stance matrix: an actor's position on an issue and the assertion it comes from.

    ``towards`` is the party a demand or rejection is addressed to when the
    issue is only what it is about (None for a stance on the issue itself).
    ``year`` is when it was taken ("2026", or "2017–2024" for a start known only
    within bounds); ``former`` says it was stated under a government that has
    left office by the date.
    """

    actor: str
    issue: str
    position: str
    assertion: str
    towards: str | None = None
    year: str = ""
    former: bool = False


def stances(kb: KnowledgeBase, as_of: dt.date | None = None, within: KnowledgeBase | None = None) -> list[Stance]:
    """Each actor's latest position on each issue of ``kb`` as of ``as_of`` (default today).

    A stance is what the ``who-stands-where`` query answers — the same rules
    (facts and intentions, and claims or denials by the actor's own side;
    officials count for their state) — so the picture and the query agree.
    ``within`` (a filtered part of ``kb``) keeps only its assertions; the
    query still reads the whole, so an office that has ended is still there
    to say a position came through a government that left.
    """
    from .engine import LocalEngine
    from .queries import run_query

    engine = LocalEngine(kb)
    part = within or kb
    kept = {a.id for a in part.assertions}
    latest: dict[tuple[str, str], dict] = {}
    for issue in sorted(e.id for e in part.entities.values() if e.type == "issue"):
        rows = [row for row in run_query(engine, "who-stands-where", {"issue": issue}, as_of) if row["assertion"] in kept]
        # On one date, a stance on the issue itself says more than a demand that is only
        # 'regarding' it ("Russia demands of NATO, regarding enlargement" next to "Russia opposes enlargement").
        for row in sorted(rows, key=lambda row: (kb.assertions_by_id[row["assertion"]].valid_from, row["target"] == issue)):
            latest[(row["actor"], issue)] = row
    return [
        Stance(actor, issue, row["position"], row["assertion"], None if row["target"] == issue else row["target"],
               _year(kb.assertions_by_id[row["assertion"]]), row["left_office"] is not None)
        for (actor, issue), row in sorted(latest.items())
    ]


def _year(assertion: Assertion) -> str:
    """The year a position was taken, or the span of years its start can fall in."""
    beginning = assertion.beginning
    if beginning is None:
        return ""
    first = beginning.earliest.year
    last = beginning.latest.year if beginning.latest else None
    if last == first:
        return str(first)
    return f"{first}–{last or ''}"


def stance_figure(selection: Selection) -> Figure:
    """The stance matrix of ``selection``: issues down the side, actors across, cells by position."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    kb = selection.kb
    cells = stances(selection.whole, selection.filters.as_of, within=kb)
    if not cells:
        raise AllianceGraphError("nothing to draw: no positions on issues are left after the filters")
    actors = sorted({c.actor for c in cells}, key=lambda i: _label(kb, i).casefold())
    issues = sorted({c.issue for c in cells}, key=lambda i: _label(kb, i).casefold())
    positions = [p for p in POSITIONS if any(c.position == p for c in cells)]
    figure = Figure(figsize=(1.05 * len(actors) + 6, 0.42 * len(issues) + 2.5), dpi=DPI, layout="constrained")
    ax = figure.add_subplot()
    _draw_cells(ax, cells, actors, issues, positions, lambda entity_id: _label(kb, entity_id))
    ax.set_xticks(range(len(actors)), [textwrap.fill(_label(kb, a), 14) for a in actors], rotation=35, ha="right", fontsize=9)
    ax.set_yticks(range(len(issues)), [clip(_label(kb, i), 60, at_space=True) for i in issues], fontsize=9)
    ax.legend(handles=[Patch(color=POSITION_COLORS[p], label=p) for p in positions], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False,
              title="latest position, and its year\n(* stated under a government\nthat has since left office;\n"
                    "→ X: addressed to X,\nabout the issue)",
              fontsize=9)
    today = f"as of today, {answer_day(None).isoformat()}"
    ax.set_title(_title(selection, "stances on issues", today), fontsize=13, loc="left")
    return figure


def _draw_cells(ax: Axes, cells: list[Stance], actors: list[str], issues: list[str], positions: list[str],
                label: Callable[[str], str]) -> None:
    """One coloured cell per stance, the position (and whom it is addressed to) written in it, on a light grid."""
    from matplotlib.colors import ListedColormap

    grid = [[math.nan] * len(actors) for _ in issues]
    for cell in cells:
        grid[issues.index(cell.issue)][actors.index(cell.actor)] = positions.index(cell.position)
    ax.set_facecolor("#F2F2F2")  # cells without a stance
    colors = ListedColormap([POSITION_COLORS[p] for p in positions])
    ax.imshow(grid, cmap=colors, vmin=-0.5, vmax=len(positions) - 0.5, aspect="auto")
    for cell in cells:  # the word too, for readers who cannot tell the colours apart; the year, * for a past government
        text = f"{cell.position}\n{cell.year}{'*' if cell.former else ''}"
        if cell.towards is not None:
            text += f"\n→ {clip(label(cell.towards), 16, at_space=True)}"
        ax.text(actors.index(cell.actor), issues.index(cell.issue), text, ha="center", va="center",
                fontsize=7, color="#111111", linespacing=1.0)
    ax.set_xticks([x - 0.5 for x in range(1, len(actors))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(issues))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)


def _label(kb: KnowledgeBase, entity_id: str) -> str:
    entity = kb.entities.get(entity_id)
    return entity.label if entity else entity_id


# -- shared ---------------------------------------------------------------------------------


def _title(selection: Selection, what: str, undated: str = "all dates") -> str:
    as_of = selection.filters.as_of
    return f"{selection.whole.root.name}: {what}, {f'as of {as_of.isoformat()}' if as_of else undated}"


def _require_matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise AllianceGraphError(INSTALL_HINT) from None
    return matplotlib
