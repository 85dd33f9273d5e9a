"""What Gephi and Gephi Lite draw from the network exports: lines or arrows, which nodes, how wide.

Each export is read back the way Gephi reads it — GEXF edge ``type`` over the
graph's default, GraphML ``directed`` over ``edgedefault``, the CSV ``Type``
column — into the same small picture: nodes, and edges with their direction
and weight. The curated graph is checked whole and around Serbia; small
knowledge bases built here pin down each rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict
from typing import NamedTuple

import networkx
import pytest
from lxml import etree
from test_exports import validate_gexf

from alliancegraph.export import export, generate
from alliancegraph.network_view import network_graph
from alliancegraph.selection import Filters, select
from alliancegraph.vocabulary import RELATIONS

from conftest import TinyKB, networkx_read_gexf
from export_samples import ARTICLE, add_alignment

GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
NETWORK_FORMATS = ["gexf", "graphml", "csv"]
SELECTIONS = {"default": Filters(), "around-serbia": Filters(around="Serbia", depth=1)}


class Edge(NamedTuple):
    id: str
    source: str
    target: str
    directed: bool
    weight: float
    relation: str
    kind: str
    statements: int
    sources: int


class Drawn(NamedTuple):
    """What a Gephi user gets from one export: the nodes, and the edges as drawn."""

    nodes: set[str]
    edges: list[Edge]

    def edge(self, assertion: str) -> Edge:
        return next(e for e in self.edges if e.id == assertion)


def read_gexf(document: str) -> Drawn:
    graph = etree.fromstring(document.encode("utf-8")).find(f"{GEXF}graph")
    default = graph.get("defaultedgetype", "undirected")  # the GEXF schema's default
    nodes = {n.get("id") for n in graph.iter(f"{GEXF}node")}
    edges = []
    for e in graph.iter(f"{GEXF}edge"):
        values = {v.get("for"): v.get("value") for v in e.iter(f"{GEXF}attvalue")}
        edges.append(Edge(e.get("id"), e.get("source"), e.get("target"), e.get("type", default) == "directed",
                          float(e.get("weight")), values["relation"], e.get("kind"), int(values["statements"]),
                          int(values["sources"])))
    return Drawn(nodes, edges)


def read_graphml(document: str) -> Drawn:
    root = etree.fromstring(document.encode("utf-8"))
    names = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    graph = root.find(f"{GRAPHML}graph")
    default = "true" if graph.get("edgedefault") == "directed" else "false"
    nodes = {n.get("id") for n in graph.iter(f"{GRAPHML}node")}
    edges = []
    for e in graph.iter(f"{GRAPHML}edge"):
        data = {names[d.get("key")]: d.text for d in e.iter(f"{GRAPHML}data")}
        edges.append(Edge(e.get("id"), e.get("source"), e.get("target"), e.get("directed", default) == "true",
                          float(data["weight"]), data["relation"], data["kind"], int(data["statements"]),
                          int(data["sources"])))
    return Drawn(nodes, edges)


def read_csv(folder) -> Drawn:
    nodes = {row["Id"] for row in csv.DictReader((folder / "nodes.csv").open(encoding="utf-8", newline=""))}
    edges = [
        Edge(row["Id"], row["Source"], row["Target"], row["Type"] == "Directed", float(row["Weight"]), row["relation"],
             row["Kind"], int(row["statements"]), int(row["sources"]))
        for row in csv.DictReader((folder / "edges.csv").open(encoding="utf-8", newline=""))
    ]
    return Drawn(nodes, edges)


def drawn(kb, fmt: str, folder, filters: Filters | None = None, **options) -> Drawn:
    if fmt == "csv":
        export(kb, "csv", folder / "csv", filters, **options)
        return read_csv(folder / "csv")
    document = "".join(generate(kb, fmt, filters, **options))
    return read_gexf(document) if fmt == "gexf" else read_graphml(document)


def tie(kb, assertion_id: str) -> tuple:
    """The tie an assertion states, as Gephi merges edges: its ends (unordered when symmetric) and its kind."""
    a = kb.assertions_by_id[assertion_id]
    ends = tuple(sorted((a.subject, a.object))) if a.rel.symmetric else (a.subject, a.object)
    return (*ends, a.relation, a.polarity, a.modality)


# -- the curated graph, whole and around Serbia ----------------------------------------


@pytest.fixture(scope="module")
def curated_drawn(curated, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gephi")
    return {
        (fmt, name): drawn(curated, fmt, folder / f"{fmt}-{name}", filters)
        for fmt in NETWORK_FORMATS
        for name, filters in SELECTIONS.items()
    }


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_no_entity_floats_alone(curated, curated_drawn, fmt, selection):
    picture = curated_drawn[fmt, selection]
    touched = {end for e in picture.edges for end in (e.source, e.target)}
    focus = {"serbia"} if selection == "around-serbia" else set()
    assert picture.nodes == touched | focus
    assert "serbia" in picture.nodes


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_symmetric_ties_are_lines_and_the_others_arrows(curated_drawn, fmt, selection):
    edges = curated_drawn[fmt, selection].edges
    assert {e.relation for e in edges if not e.directed} <= {r for r, spec in RELATIONS.items() if spec.symmetric}
    assert all(e.directed for e in edges if not RELATIONS[e.relation].symmetric)
    assert any(not e.directed for e in edges), "the selection has symmetric ties to show"


@pytest.mark.parametrize("selection", SELECTIONS)
@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_weights_add_up_the_statements_and_sources_each_tie_rests_on(curated, curated_drawn, fmt, selection):
    edges = curated_drawn[fmt, selection].edges
    statements: Counter = Counter()
    sources = defaultdict(set)
    for a in select(curated, SELECTIONS[selection]).kb.assertions:
        statements[tie(curated, a.id)] += 1
        sources[tie(curated, a.id)].add(a.source)
    expected = {e.id: (statements[tie(curated, e.id)], len(sources[tie(curated, e.id)])) for e in edges}
    assert {e.id: (e.statements, e.sources) for e in edges} == expected
    assert all(e.weight == e.statements + e.sources for e in edges)


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_weights_differ_where_the_evidence_differs(curated_drawn, fmt):
    weights = Counter(e.weight for e in curated_drawn[fmt, "default"].edges)
    assert len(weights) > 1 and min(weights) == 2.0, "a passing mention weighs 2"
    assert sum(n for w, n in weights.items() if w > 2) > 0.05 * sum(weights.values())


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_dodik_is_tied_to_republika_srpska_by_his_office_around_serbia(curated, curated_drawn, fmt):
    picture = curated_drawn[fmt, "around-serbia"]
    offices = [e for e in picture.edges if e.source == "milorad-dodik"]
    assert [(e.relation, e.target) for e in offices] == [("holds-office", "republika-srpska")]
    spoken = [a for a in select(curated, SELECTIONS["around-serbia"]).kb.assertions if a.speaker == "milorad-dodik"]
    assert spoken and not any("milorad-dodik" in (a.subject, a.object) for a in spoken), "only a speaker there"


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_entities_no_fact_ties_are_left_out_unless_kept(curated, curated_drawn, tmp_path, fmt):
    facts = select(curated, Filters()).kb.assertions
    untied = set(curated.entities) - {end for a in facts for end in (a.subject, a.object)}
    assert untied, "the curated graph names entities only in claims, opinions or as speakers"
    assert not untied & curated_drawn[fmt, "default"].nodes
    assert drawn(curated, fmt, tmp_path, keep_isolated=True).nodes == set(curated.entities)


@pytest.mark.parametrize("selection", SELECTIONS)
def test_mixed_gexf_is_schema_valid_and_networkx_reads_the_all_directed_one(curated, selection):
    filters = SELECTIONS[selection]
    mixed = "".join(generate(curated, "gexf", filters))
    all_directed = "".join(generate(curated, "gexf", filters, all_directed=True))
    graph = networkx_read_gexf(io.BytesIO(all_directed.encode("utf-8")))
    assert graph.number_of_edges() == len(read_gexf(mixed).edges)
    # the two differ only in saying which edges are undirected
    untyped = re.sub(r' type="(un)?directed"', "", mixed)
    assert untyped.replace('<graph mode="dynamic"', '<graph defaultedgetype="directed" mode="dynamic"') == all_directed
    validate_gexf(mixed)  # last: it skips when the schema is not beside the checkout
    validate_gexf(all_directed)


@pytest.mark.parametrize("selection", SELECTIONS)
def test_mixed_graphml_reads_in_igraph_and_networkx_reads_the_all_directed_one(curated, selection, tmp_path):
    igraph = pytest.importorskip("igraph")
    filters = SELECTIONS[selection]
    mixed = export(curated, "graphml", tmp_path / "mixed.graphml", filters)[0]
    all_directed = export(curated, "graphml", tmp_path / "all.graphml", filters, all_directed=True)[0]
    edges = len(read_graphml(mixed.read_text(encoding="utf-8")).edges)
    assert igraph.Graph.Read_GraphML(str(mixed)).ecount() == edges
    assert networkx.read_graphml(all_directed, force_multigraph=True).number_of_edges() == edges
    text = mixed.read_text(encoding="utf-8").replace(' directed="false"', "")
    assert text == all_directed.read_text(encoding="utf-8")


# -- the rules, on small knowledge bases -------------------------------------------------


def speaking_kb(tiny: TinyKB, office_end: str | None = None):
    """Gašić (an office in Serbia's government) and Dodik (no office) speak about Serbia and Hungary."""
    add_alignment(tiny)
    if office_end:
        gasic = next(e for e in tiny.entities if e["id"] == "bratislav-gasic")
        gasic["offices"][0]["end"] = office_end
    agreement = "Serbia signed a military cooperation agreement with Hungary on April 3."
    for speaker, party in (("bratislav-gasic", "serbia"), ("milorad-dodik", "hungary")):
        tiny.add(id=f"{speaker}-says-{party}-signs", subject=party, relation="signs", object="srb-hun", speaker=speaker,
                 date="2025-04-03", quote=agreement)
    return tiny.load()


@pytest.fixture
def tiny(tmp_path) -> TinyKB:
    return TinyKB(tmp_path / "kb", article=ARTICLE)


def test_a_speaker_is_tied_to_what_they_speak_for_by_their_office(tiny):
    kb = speaking_kb(tiny)
    around = select(kb, Filters(around="srb-hun", depth=1))
    assert "bratislav-gasic-minister-of-defence-2024-05-02" in {a.id for a in around.kb.assertions}
    graph = network_graph(around)
    assert list(graph.edges("bratislav-gasic", keys=True)) == [
        ("bratislav-gasic", "serbia", "bratislav-gasic-minister-of-defence-2024-05-02")
    ]
    assert "milorad-dodik" not in graph, "no office recorded: only named as a speaker"
    assert "milorad-dodik" in network_graph(around, keep_isolated=True)


def test_a_speakers_office_joins_only_when_it_passes_the_filters(tiny):
    kb = speaking_kb(tiny, office_end="2025-05-31")
    only_signing = select(kb, Filters(around="srb-hun", relations=frozenset({"signs"})))
    assert "bratislav-gasic" not in network_graph(only_signing)
    after_the_term = select(kb, Filters(around="srb-hun", as_of=dt.date(2025, 7, 1)))
    assert "bratislav-gasic-says-serbia-signs" in {a.id for a in after_the_term.kb.assertions}
    assert "bratislav-gasic" not in network_graph(after_the_term)


def test_the_focus_stays_when_nothing_ties_it(tiny):
    kb = add_alignment(tiny).load()
    graph = network_graph(select(kb, Filters(around="serbia", depth=0)))
    assert list(graph.nodes) == ["serbia"] and graph.number_of_edges() == 0


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_a_tie_stated_three_times_weighs_three_in_either_direction(tiny, tmp_path, fmt):
    add_alignment(tiny)
    tiny.add(id="hungary-cooperates-with-serbia", subject="hungary", relation="cooperates-with", object="serbia",
             date="2025-04-03", quote="Serbia cooperates with Hungary.")
    tiny.add(id="record-cooperation", subject="serbia", relation="cooperates-with", object="hungary",
             date="2025-05-01", source="record")
    tiny.add(id="serbia-supports-hungary", subject="serbia", relation="supports", object="hungary", date="2025-05-01",
             source="record")
    tiny.add(id="hungary-supports-serbia", subject="hungary", relation="supports", object="serbia", date="2025-05-01",
             source="record")
    picture = drawn(tiny.load(), fmt, tmp_path)
    cooperation = [picture.edge(i) for i in ("serbia-cooperates-with-hungary", "hungary-cooperates-with-serbia",
        "record-cooperation")]
    assert [(e.weight, e.statements, e.sources, e.directed) for e in cooperation] == [(5.0, 3, 2, False)] * 3
    assert picture.edge("gasic-criticizes-declaration").weight == 2.0
    assert picture.edge("serbia-supports-hungary").weight == 2.0, "a directed tie the other way round is another tie"


@pytest.mark.parametrize("fmt", NETWORK_FORMATS)
def test_a_denial_or_a_claim_never_adds_to_a_fact(tiny, tmp_path, fmt):
    add_alignment(tiny)
    tiny.add(id="bulgaria-signs-declaration", subject="bulgaria", relation="signs", object="declaration",
             date="2025-04-20", source="record")
    picture = drawn(tiny.load(), fmt, tmp_path, Filters(include_contested=True))
    kinds = {i: (picture.edge(i).kind, picture.edge(i).weight) for i in
             ("bulgaria-signs-declaration", "bulgaria-denies-joining", "maqedonci-claims-bulgaria-joins")}
    assert kinds == {
        "bulgaria-signs-declaration": ("signs", 2.0),
        "bulgaria-denies-joining": ("signs (denied)", 2.0),
        "maqedonci-claims-bulgaria-joins": ("signs (claim)", 2.0),
    }
    assert picture.edge("dodik-willing-to-align").kind == "aligns-with (intention)"


def test_the_gexf_says_each_edges_type_and_declares_no_default(tiny):
    kb = add_alignment(tiny).load()
    graph = etree.fromstring("".join(generate(kb, "gexf")).encode("utf-8")).find(f"{GEXF}graph")
    assert graph.get("defaultedgetype") is None, "Gephi drops undirected edges from a graph declared directed"
    types = {e.get("id"): e.get("type") for e in graph.iter(f"{GEXF}edge")}
    assert types["serbia-cooperates-with-hungary"] == "undirected" and types["serbia-signs-srb-hun"] == "directed"
    assert set(types.values()) == {"directed", "undirected"}
    directed = etree.fromstring("".join(generate(kb, "gexf", all_directed=True)).encode("utf-8")).find(f"{GEXF}graph")
    assert directed.get("defaultedgetype") == "directed"
    assert not [e for e in directed.iter(f"{GEXF}edge") if e.get("type")]
