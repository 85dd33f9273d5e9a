"""Pictures without Gephi: the alignment network and the stance matrix."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from lxml import etree

from alliancegraph.draw import draw, network_figure, stance_figure, stances
from alliancegraph.errors import AllianceGraphError, UsageError
from alliancegraph.selection import Filters, select

from export_samples import alignment_kb

pytest.importorskip("matplotlib")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return alignment_kb(tmp_path_factory.mktemp("draw") / "kb")


def legend_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].get_legend().get_texts()]


@pytest.mark.parametrize("kind", ["network", "stance-matrix"])
def test_draw_writes_a_png(kb, tmp_path, kind):
    path = draw(kb, tmp_path / f"{kind}.png", kind)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000


@pytest.mark.parametrize("kind", ["network", "stance-matrix"])
def test_draw_writes_an_svg_that_parses(kb, tmp_path, kind):
    path = draw(kb, tmp_path / f"{kind}.svg", kind)
    root = etree.parse(str(path)).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Serbia" in path.read_text(encoding="utf-8")


def test_draw_writes_a_pdf(kb, tmp_path):
    assert draw(kb, tmp_path / "network.pdf").read_bytes().startswith(b"%PDF")


def test_the_same_data_draws_the_same_svg(kb, tmp_path):
    first = draw(kb, tmp_path / "a.svg").read_bytes()
    assert draw(kb, tmp_path / "b.svg").read_bytes() == first


def test_network_title_names_the_knowledge_base_and_the_date(kb):
    figure = network_figure(select(kb, Filters(as_of=dt.date(2025, 4, 20))))
    assert figure.axes[0].get_title(loc="left") == "kb: alignment network, as of 2025-04-20"
    assert network_figure(select(kb)).axes[0].get_title(loc="left") == "kb: alignment network, all dates"


@pytest.mark.parametrize("kind", ["network", "stance-matrix"])
def test_a_picture_shows_today_unless_told_another_day(kb, tmp_path, monkeypatch, kind):
    import alliancegraph.draw as drawing

    shown = []
    figure = {"network": "network_figure", "stance-matrix": "stance_figure"}[kind]
    real = getattr(drawing, figure)
    monkeypatch.setattr(drawing, figure, lambda selection, *rest: shown.append(selection.filters.as_of) or real(selection, *rest))
    draw(kb, tmp_path / "today.png", kind)
    draw(kb, tmp_path / "then.png", kind, Filters(as_of=dt.date(2030, 1, 1)))
    assert shown == [dt.date.today(), dt.date(2030, 1, 1)]


def test_network_legend_explains_node_colours_and_tie_styles(kb):
    texts = legend_texts(network_figure(select(kb)))
    assert {"state", "person", "alliance, pact or agreement", "issue"} <= set(texts)
    assert {"cooperative tie", "conflictual tie", "neutral tie"} <= set(texts)
    assert "denied or contested" not in texts
    contested = legend_texts(network_figure(select(kb, Filters(include_contested=True))))
    assert "denied or contested" in contested


def test_network_can_be_coloured_by_bloc(kb):
    texts = legend_texts(network_figure(select(kb), color_by="bloc"))
    assert "bloc 1" in texts and "no bloc" in texts
    assert "state" not in texts


def test_network_shows_only_entities_with_ties_and_labels_them(kb):
    figure = network_figure(select(kb, Filters(around="serbia", depth=1)))
    labels = {t.get_text() for t in figure.axes[0].texts}
    assert {"Serbia", "Hungary", "Bratislav Gašić"} <= labels
    assert "Croatia" not in labels
    assert "Georg Georgiev" not in labels, "no tie left after the filters"


def test_nothing_to_draw_is_a_clear_error(kb, tmp_path):
    with pytest.raises(AllianceGraphError, match="nothing to draw"):
        draw(kb, tmp_path / "empty.png", filters=Filters(as_of=dt.date(1990, 1, 1)))
    with pytest.raises(AllianceGraphError, match="no positions on issues"):
        draw(kb, tmp_path / "empty.png", "stance-matrix", Filters(relations=frozenset({"signs"})))
    assert not (tmp_path / "empty.png").exists()


def test_an_unknown_picture_format_is_a_usage_error(kb, tmp_path):
    with pytest.raises(UsageError, match="name a .png, .svg or .pdf file"):
        draw(kb, tmp_path / "network.gif")


def test_without_matplotlib_the_error_says_how_to_install_it(kb, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(AllianceGraphError, match='pip install "alliancegraph\\[viz\\]"'):
        draw(kb, tmp_path / "network.png")


def test_stances_pair_actors_with_issues(kb):
    assert [tuple(s) for s in stances(kb)] == [
        ("serbia", "nato-forces", "opposes", "serbia-opposes-nato-forces", None, "2025", False)]


def test_the_latest_stance_wins_and_as_of_looks_back(tmp_path):
    from conftest import TinyKB
    from export_samples import ARTICLE, add_alignment

    tiny = add_alignment(TinyKB(tmp_path / "kb", article=ARTICLE))
    tiny.add(id="serbia-supported-nato-forces", subject="serbia", relation="supports", object="nato-forces", date="2020",
        source="record")
    tiny.add(id="gasic-opposes-nato-forces", subject="bratislav-gasic", relation="rejects", object="nato-forces",
        date="2024-06", source="record")
    kb = tiny.load()
    assert [(s.position, s.assertion) for s in stances(kb)] == [("opposes", "serbia-opposes-nato-forces")]
    assert [(s.actor, s.position) for s in stances(kb, dt.date(2021, 1, 1))] == [("serbia", "supports")]
    assert [(s.actor, s.position) for s in stances(kb, dt.date(2024, 12, 1))] == [("serbia",
        "rejects")], "the minister speaks for Serbia"


def test_on_one_date_a_stance_on_the_issue_wins_over_a_demand_regarding_it(tmp_path):
    from conftest import TinyKB
    from export_samples import ARTICLE, add_alignment

    tiny = add_alignment(TinyKB(tmp_path / "kb", article=ARTICLE))
    for id, relation, object, regarding in (
        ("a-serbia-opposes-nato-forces", "opposes", "nato-forces", None),
        ("z-serbia-demands-of-hungary", "demands", "hungary", "nato-forces"),
    ):
        extra = {"regarding": regarding} if regarding else {}
        tiny.add(id=id, subject="serbia", relation=relation, object=object, date="2024-06-01", source="record", **extra)
    kb = tiny.load()
    june = dt.date(2024, 6, 30)
    assert [(s.position, s.assertion, s.towards) for s in stances(kb, june)] == [
        ("opposes", "a-serbia-opposes-nato-forces", None)
    ]


def test_a_demand_regarding_an_issue_names_whom_it_is_addressed_to(tmp_path):
    from conftest import TinyKB
    from export_samples import ARTICLE, add_alignment

    tiny = add_alignment(TinyKB(tmp_path / "kb", article=ARTICLE))
    tiny.add(id="serbia-demands-of-hungary", subject="serbia", relation="demands", object="hungary",
             regarding="nato-forces", date="2024-06-01", source="record")
    kb = tiny.load()
    cells = [s for s in stances(kb, dt.date(2024, 6, 30)) if s.assertion == "serbia-demands-of-hungary"]
    assert [(s.position, s.towards) for s in cells] == [("demands", "hungary")]
    ax = stance_figure(select(kb, Filters(as_of=dt.date(2024, 6, 30)))).axes[0]
    assert "demands\n2024\n→ Hungary" in [t.get_text() for t in ax.texts]


def test_each_cell_gives_the_year_and_marks_a_government_that_has_left(tmp_path):
    from conftest import TinyKB
    from export_samples import ARTICLE, add_alignment

    tiny = add_alignment(TinyKB(tmp_path / "kb", article=ARTICLE))
    minister = next(e for e in tiny.entities if e["id"] == "bratislav-gasic")
    minister["offices"][0]["end"] = "2024-12-31"
    tiny.add(id="gasic-rejects-nato-forces", subject="serbia", relation="rejects", object="nato-forces",
             speaker="bratislav-gasic", date="2024-06", source="record")
    kb = tiny.load()
    in_office = [s for s in stances(kb, dt.date(2024, 7, 1)) if s.assertion == "gasic-rejects-nato-forces"]
    assert [(s.year, s.former) for s in in_office] == [("2024", False)]
    ax = stance_figure(select(kb, Filters(as_of=dt.date(2025, 1, 15)))).axes[0]
    assert "rejects\n2024*" in [t.get_text() for t in ax.texts]  # the office that spoke has ended


def test_stance_matrix_has_actors_issues_and_a_legend(kb):
    figure = stance_figure(select(kb))
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["NATO forces in the Balkans"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Serbia"]
    assert legend_texts(figure) == ["opposes"]
    assert ax.get_title(loc="left") == f"kb: stances on issues, as of today, {dt.date.today().isoformat()}"
    dated = stance_figure(select(kb, Filters(as_of=dt.date(2025, 5, 1))))
    assert dated.axes[0].get_title(loc="left") == "kb: stances on issues, as of 2025-05-01"


@pytest.fixture
def crowded(monkeypatch):
    """The limits for large networks, lowered so that the small knowledge base crosses every one."""
    from alliancegraph import draw as draw_module

    for name, value in {"CORE_SIZE": 3, "LABEL_CAP": 4, "ARROW_CAP": 0, "CROWDED_TIES": 2}.items():
        monkeypatch.setattr(draw_module, name, value)


def test_a_large_network_labels_only_its_best_connected_entities(kb, crowded):
    figure = network_figure(select(kb))
    graph_labels = [t.get_text() for t in figure.axes[0].texts if t.get_text()]
    assert len(graph_labels) == 4 and "Serbia" in graph_labels  # the entity with the most ties is among them
    title = figure.axes[0].get_title(loc="left")
    assert title.startswith("kb: alignment network, all dates\n") and "the 4 with the most ties labelled" in title
    assert not [t for t in figure.axes[0].texts if not t.get_text()]  # no arrowheads past ARROW_CAP


def test_a_large_network_is_laid_out_the_same_every_time(kb, crowded, tmp_path):
    first = draw(kb, tmp_path / "a.svg").read_bytes()
    assert draw(kb, tmp_path / "b.svg").read_bytes() == first


def test_every_entity_of_a_large_network_gets_a_place(kb, crowded):
    from alliancegraph.draw import _layout, _ties
    from alliancegraph.network_view import network_graph

    graph = network_graph(select(kb), blocs=False)
    graph.remove_nodes_from([n for n, degree in graph.degree() if degree == 0])
    positions = _layout(_ties(graph), {"serbia"})
    assert set(positions) == set(graph) and len(set(positions.values())) == len(positions)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions.values())
