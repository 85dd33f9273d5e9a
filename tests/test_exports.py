"""The export formats: each parsed back by an independent reader, deterministic, filtered alike, hostile-text proof."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import importlib
import inspect
import io
import json
import os
import subprocess
import sys

import networkx
import pytest
import rdflib
from lxml import etree
from rdflib.compare import isomorphic

from alliancegraph.errors import UnknownEntityError, UsageError
from alliancegraph.export import FORMATS, build_all, export, generate, get_format
from alliancegraph.network_view import xml_clean
from alliancegraph.rdf import to_rdflib
from alliancegraph.selection import Filters, is_contested, select
from alliancegraph.vocabulary import PREFIXES

from conftest import REPO, networkx_read_gexf
from export_samples import HOSTILE, alignment_kb, hostile_kb

GEXF_SCHEMA = REPO.parent / "shared" / "schemas" / "gexf-1.3" / "gexf.rng"
RDF_FORMATS = [name for name, spec in FORMATS.items() if spec.is_rdf]
FILE_NETWORK_FORMATS = [name for name, spec in FORMATS.items() if not spec.is_rdf and not spec.folder]
RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt"}
AG = rdflib.Namespace(PREFIXES["ag"])
ID = rdflib.Namespace(PREFIXES["id"])
ASR = rdflib.Namespace(PREFIXES["asr"])
REL = rdflib.Namespace(PREFIXES["rel"])


@pytest.fixture
def kb(tmp_path):
    return alignment_kb(tmp_path / "kb")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_kb(tmp_path_factory.mktemp("hostile") / "kb")


def text(kb, fmt, filters=None, **options) -> str:
    return "".join(generate(kb, fmt, filters, **options))


def rdf(kb, fmt, filters=None) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text(kb, fmt, filters), format=RDFLIB_FORMATS[fmt])


def gexf(kb, filters=None, **options) -> networkx.Graph:
    """The GEXF as networkx reads it: networkx refuses mixed graphs, so the all-directed form."""
    return networkx_read_gexf(io.BytesIO(text(kb, "gexf", filters, all_directed=True, **options).encode("utf-8")))


def graphml(kb, filters=None) -> networkx.MultiDiGraph:
    """The GraphML as networkx reads it (the all-directed form, as for :func:`gexf`)."""
    document = text(kb, "graphml", filters, all_directed=True)
    return networkx.read_graphml(io.BytesIO(document.encode("utf-8")), force_multigraph=True)


def csv_rows(kb, tmp_path, filters=None) -> dict[str, list[dict]]:
    folder = tmp_path / "csv"
    export(kb, "csv", folder, filters)
    return {name: list(csv.DictReader((folder / name).open(encoding="utf-8", newline=""))) for name in ("nodes.csv", "edges.csv")}


def network_edge_ids(kb, fmt, tmp_path, filters=None) -> set[str]:
    if fmt == "gexf":
        document = etree.fromstring(text(kb, "gexf", filters).encode("utf-8"))
        return {edge.get("id") for edge in document.iter("{http://gexf.net/1.3}edge")}
    if fmt == "graphml":
        return {key for _, _, key in graphml(kb, filters).edges(keys=True)}
    return {row["Id"] for row in csv_rows(kb, tmp_path, filters)["edges.csv"]}


def rdf_assertion_ids(kb, fmt, filters=None) -> set[str]:
    graph = rdf(kb, fmt, filters)
    return {str(s).removeprefix(str(ASR)) for s in graph.subjects(rdflib.RDF.type, AG.Assertion)}


# -- the registry -------------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMATS)
def test_every_registered_format_has_a_documented_module_and_writer(name):
    spec = FORMATS[name]
    module = importlib.import_module(f"alliancegraph.export.{spec.module}")
    assert module.__doc__ and len(module.__doc__) > 200
    assert f"write_{name}" in module.__all__
    assert callable(spec.writer())


@pytest.mark.parametrize("name", FORMATS)
def test_every_writer_takes_the_options_its_format_registers(name):
    spec = FORMATS[name]
    for function in (spec.writer(), *([] if spec.folder else [spec.generator()])):
        assert set(spec.options) <= set(inspect.signature(function).parameters), function.__name__


def test_unknown_format_names_the_valid_ones():
    with pytest.raises(UsageError,
        match="unknown export format 'gexff' \\(did you mean 'gexf'\\?\\); choose from turtle, jsonld"):
        get_format("gexff")


def test_a_folder_format_has_no_standard_output(kb):
    with pytest.raises(UsageError, match="csv writes a folder"):
        generate(kb, "csv")


def test_build_writes_every_format_under_its_registered_name(kb, tmp_path):
    written = build_all(kb, tmp_path / "build")
    assert [p.relative_to(tmp_path / "build").as_posix() for p in written] == [
        "graph.ttl",
        "graph.jsonld",
        "graph.nt",
        "graph.graphml",
        "graph.gexf",
        "csv/nodes.csv",
        "csv/edges.csv",
    ]
    assert all(p.stat().st_size > 0 for p in written)
    assert not list((tmp_path / "build").rglob("*.tmp"))


# -- RDF --------------------------------------------------------------------------------------


def test_rdf_formats_describe_the_same_graph_as_the_compiler(kb):
    compiled = to_rdflib(kb)
    for fmt in RDF_FORMATS:
        assert isomorphic(rdf(kb, fmt), compiled), fmt


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_formats_parse_with_oxigraph_too(kb, fmt):
    import pyoxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES}
    quads = list(pyoxigraph.parse(text(kb, fmt).encode("utf-8"), formats[fmt]))
    assert len(quads) == len(to_rdflib(kb))


def test_turtle_is_grouped_by_subject_with_readable_prefixes(kb):
    turtle = text(kb, "turtle")
    assert turtle.startswith(f"@prefix ag: <{PREFIXES['ag']}> .\n")
    assert "\nasr:serbia-signs-srb-hun\n    a ag:Assertion ;\n" in turtle
    assert "    ag:subject id:serbia ;\n" in turtle
    blocks = [b.split("\n", 1)[0] for b in turtle.split("\n\n")[1:]]
    assert len(blocks) == len(set(blocks)), "each subject is described once"


def test_jsonld_has_a_context_of_the_project_prefixes(kb):
    document = json.loads(text(kb, "jsonld"))
    assert document["@context"] == PREFIXES
    node = next(n for n in document["@graph"] if n["@id"] == "asr:gasic-criticizes-declaration")
    assert node["@type"] == "ag:Assertion"
    assert node["ag:actor"] == {"@id": "id:serbia"}
    assert node["ag:date"] == {"@value": "2025-04-10", "@type": "xsd:date"}


def test_ntriples_lines_are_sorted_and_unique(kb):
    lines = text(kb, "ntriples").splitlines()
    assert lines == sorted(set(lines))


def test_rdf_keeps_denials_and_claims_with_their_polarity(kb):
    graph = rdf(kb, "turtle")
    assert (ASR["bulgaria-denies-joining"], AG.polarity, AG.denied) in graph
    assert (ASR["maqedonci-claims-bulgaria-joins"], AG.modality, AG.claim) in graph
    assert (ID.bulgaria, REL.signs, ID.declaration) not in graph, "neither becomes a fact"


def test_minister_statement_counts_for_his_state_in_every_format(kb, tmp_path):
    assert (ASR["gasic-criticizes-declaration"], AG.actor, ID.serbia) in rdf(kb, "jsonld")
    assert gexf(kb).edges["bratislav-gasic", "declaration"]["actor"] == "serbia"
    edge = next(r for r in csv_rows(kb, tmp_path)["edges.csv"] if r["Id"] == "gasic-criticizes-declaration")
    assert edge["actor"] == "serbia"


# -- determinism ----------------------------------------------------------------------------

WRITE_ALL = """
import sys
import alliancegraph
from alliancegraph.export import build_all
from alliancegraph.rdf import to_rdflib
build_all(alliancegraph.load(sys.argv[1]), sys.argv[2])
"""


def test_two_processes_with_different_hash_seeds_write_identical_bytes(kb, tmp_path):
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", WRITE_ALL, str(kb.root), str(out)], check=True, env=environment)
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert len(outputs[0]) == 7
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "ntriples", "gexf", "graphml"])
def test_a_changed_assertion_gives_a_small_diff(tmp_path, fmt):
    from conftest import TinyKB
    from export_samples import ARTICLE, add_alignment

    before = add_alignment(TinyKB(tmp_path / "before", article=ARTICLE))
    after = add_alignment(TinyKB(tmp_path / "after", article=ARTICLE))
    next(a for a in after.assertions if a["id"] == "dodik-willing-to-align")["date"] = "2025-05"
    old, new = (text(t.load(), fmt, Filters(include_contested=True)).splitlines() for t in (before, after))
    changed = [line for line in difflib.unified_diff(old, new, lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++",
        "---")]
    # RDF: the date, dated and validFrom lines; networks: also the edge's start and the node's start
    assert 0 < len(changed) <= (6 if FORMATS[fmt].is_rdf else 8), changed


# -- GEXF -------------------------------------------------------------------------------------


def validate_gexf(document: str) -> None:
    if not GEXF_SCHEMA.exists():
        pytest.skip(f"the official GEXF 1.3 schema is not available at {GEXF_SCHEMA}")
    schema = etree.RelaxNG(etree.parse(str(GEXF_SCHEMA)))
    tree = etree.fromstring(document.encode("utf-8"))
    assert schema.validate(tree), schema.error_log


@pytest.mark.parametrize("color_by", ["type", "bloc"])
def test_gexf_is_valid_against_the_official_schema(kb, color_by):
    validate_gexf(text(kb, "gexf", Filters(include_contested=True), color_by=color_by))


def test_gexf_reads_back_with_networkx_with_its_attributes(kb):
    graph = gexf(kb)
    assert graph.nodes["serbia"]["label"] == "Serbia"
    assert graph.nodes["serbia"]["type"] == "state"
    assert graph.nodes["serbia"]["wikidata"] == "Q403"
    assert graph.nodes["serbia"]["bloc"] == graph.nodes["hungary"]["bloc"]
    edge = graph.edges["bratislav-gasic", "declaration"]
    assert {k: edge[k] for k in ("relation", "sign", "polarity", "modality", "cited_source", "weight")} == {
        "relation": "criticizes",
        "sign": -1,
        "polarity": "affirmed",
        "modality": "fact",
        "cited_source": "art",
        "weight": 2.0,
    }


def test_gexf_is_dynamic_with_dates_from_assertions(kb):
    root = etree.fromstring(text(kb, "gexf").encode("utf-8"))
    ns = {"g": "http://gexf.net/1.3"}
    graph = root.find("g:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    edge = root.find(".//g:edge[@id='serbia-cooperates-with-hungary']", ns)
    assert (edge.get("start"), edge.get("end")) == ("2025-04-03", "2025-12-31")
    point = root.find(".//g:edge[@id='serbia-signs-srb-hun']", ns)
    assert (point.get("start"), point.get("end")) == ("2025-04-03", None)
    # an agreement appears with its first signature
    assert root.find(".//g:node[@id='declaration']", ns).get("start") == "2025-03-01"


def test_gexf_colours_nodes_by_type_or_by_bloc_and_sizes_them_by_degree(kb):
    ns = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}

    def viz(color_by, node):
        root = etree.fromstring(text(kb, "gexf", color_by=color_by).encode("utf-8"))
        element = root.find(f".//g:node[@id='{node}']", ns)
        color = element.find("viz:color", ns)
        return (int(color.get("r")), int(color.get("g")), int(color.get("b"))), float(element.find("viz:size", ns).get("value"))

    by_type = {node: viz("type", node) for node in ("serbia", "hungary", "declaration")}
    assert by_type["serbia"][0] == by_type["hungary"][0] != by_type["declaration"][0]
    assert viz("bloc", "serbia")[0] != by_type["serbia"][0]
    assert by_type["serbia"][1] > by_type["hungary"][1], "Serbia has more edges"


def test_gexf_edge_ids_are_the_unique_assertion_ids(kb):
    ids = etree.fromstring(text(kb, "gexf").encode("utf-8")).xpath("//*[local-name()='edge']/@id")
    assert len(ids) == len(set(ids)) > 0


# -- GraphML ----------------------------------------------------------------------------------


def test_graphml_reads_back_with_networkx_with_typed_attributes(kb):
    graph = graphml(kb)
    assert graph.nodes["serbia"]["label"] == "Serbia"
    edge = graph.edges["serbia", "hungary", "serbia-cooperates-with-hungary"]
    assert (edge["relation"], edge["sign"], edge["weight"], edge["direction"]) == ("cooperates-with", 1, 2.0, "undirected")
    assert (edge["start"], edge["end"]) == ("2025-04-03", "2025-12-31")


def test_graphml_reads_back_with_igraph(kb, tmp_path):
    igraph = pytest.importorskip("igraph")
    path = export(kb, "graphml", tmp_path / "graph.graphml")[0]
    graph = igraph.Graph.Read_GraphML(str(path))
    serbia = graph.vs.find(id="serbia")
    assert (serbia["label"], serbia["type"]) == ("Serbia", "state")
    assert sorted(set(graph.es["relation"])) == ["aligns-with", "cooperates-with", "criticizes", "holds-office", "opposes",
        "signs"]
    assert set(graph.es["sign"]) == {-1, 0, 1}


def test_graphml_declares_typed_keys_and_unique_edge_ids(kb):
    root = etree.fromstring(text(kb, "graphml").encode("utf-8"))
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.xpath("//*[local-name()='key']")}
    assert keys[("node", "label")] == keys[("edge", "relation")] == "string"
    assert keys[("edge", "sign")] == "long" and keys[("edge", "weight")] == "double"
    ids = root.xpath("//*[local-name()='edge']/@id")
    assert len(ids) == len(set(ids)) > 0


# -- CSV --------------------------------------------------------------------------------------


def test_csv_follows_gephi_spreadsheet_conventions(kb, tmp_path):
    tables = csv_rows(kb, tmp_path)
    nodes, edges = tables["nodes.csv"], tables["edges.csv"]
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:7] == ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight"]
    by_id = {row["Id"]: row for row in edges}
    cooperation = by_id["serbia-cooperates-with-hungary"]
    assert (cooperation["Type"], cooperation["Kind"], cooperation["Weight"], cooperation["sign"]) == ("Undirected",
        "cooperates-with", "2.0", "1")
    assert cooperation["Interval"] == "<[2025-04-03, 2025-12-31]>"
    assert by_id["serbia-signs-srb-hun"]["Interval"] == "<[2025-04-03, Infinity]>"
    assert by_id["gasic-criticizes-declaration"]["Type"] == "Directed"
    assert {row["Id"]: row["Label"] for row in nodes}["bratislav-gasic"] == "Bratislav Gašić"


# -- filters ----------------------------------------------------------------------------------

NETWORK = ["gexf", "graphml", "csv"]


@pytest.mark.parametrize("fmt", NETWORK)
def test_network_formats_leave_out_denials_and_claims_unless_asked(kb, fmt, tmp_path):
    contested = {"bulgaria-denies-joining", "maqedonci-claims-bulgaria-joins"}
    assert not contested & network_edge_ids(kb, fmt, tmp_path)
    assert contested <= network_edge_ids(kb, fmt, tmp_path / "all", Filters(include_contested=True))


def test_kept_contested_edges_carry_their_polarity_and_modality(kb):
    graph = graphml(kb, Filters(include_contested=True))
    denial = graph.edges["bulgaria", "declaration", "bulgaria-denies-joining"]
    claim = graph.edges["bulgaria", "declaration", "maqedonci-claims-bulgaria-joins"]
    assert (denial["polarity"], claim["modality"], claim["speaker"]) == ("denied", "claim", "ejup-maqedonci")


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(as_of=dt.date(2025, 4, 5)),
        Filters(relations=frozenset({"signs", "criticizes"})),
        Filters(around="Serbia", depth=1),
        Filters(around="kosovo", depth=2, as_of=dt.date(2025, 4, 30)),
    ],
    ids=["none", "as-of", "relations", "around", "combined"],
)
def test_every_format_keeps_the_same_assertions(kb, filters, tmp_path):
    expected = {a.id for a in select(kb, Filters(**{**filters.__dict__, "include_contested": True})).kb.assertions}
    for fmt in RDF_FORMATS:
        assert rdf_assertion_ids(kb, fmt, filters) == expected, fmt
    network = {a.id for a in select(kb, filters).kb.assertions}
    assert network == {i for i in expected if not is_contested(kb.assertions_by_id[i])}
    for fmt in NETWORK:
        assert network_edge_ids(kb, fmt, tmp_path / fmt, filters) == network, fmt


def test_as_of_keeps_what_holds_on_that_day(kb):
    kept = {a.id for a in select(kb, Filters(as_of=dt.date(2025, 4, 5))).kb.assertions}
    assert "serbia-signs-srb-hun" in kept and "croatia-signs-declaration" in kept
    assert "gasic-criticizes-declaration" not in kept, "said later"
    after = {a.id for a in select(kb, Filters(as_of=dt.date(2026, 1, 1))).kb.assertions}
    assert "serbia-cooperates-with-hungary" not in after, "the interval has ended"


def test_relations_keep_only_those(kb):
    kept = select(kb, Filters(relations=frozenset({"criticizes"}))).kb
    assert [a.id for a in kept.assertions] == ["gasic-criticizes-declaration"]
    assert kept.actor_of(kept.assertions[0]) == "serbia", "the office still rolls up, though holds-office is filtered out"
    assert set(kept.entities) == {"bratislav-gasic", "declaration", "serbia"}
    assert set(kept.sources) == {"art"}


def test_around_keeps_the_neighbourhood_linked_through_roll_up(kb):
    one = select(kb, Filters(around="Belgrade", depth=1)).kb
    # Gašić speaks for Serbia, so his criticism links Serbia to the declaration.
    assert {"gasic-criticizes-declaration", "serbia-signs-srb-hun",
        "serbia-opposes-nato-forces"} <= {a.id for a in one.assertions}
    assert "croatia-signs-declaration" not in {a.id for a in one.assertions}
    two = select(kb, Filters(around="serbia", depth=2)).kb
    assert "croatia-signs-declaration" in {a.id for a in two.assertions}
    assert set(select(kb, Filters(around="serbia", depth=0)).kb.entities) == {"serbia"}


def test_a_huge_depth_stops_once_the_neighbourhood_is_complete(kb):
    everything = select(kb, Filters(around="serbia", depth=50)).kb
    huge = select(kb, Filters(around="serbia", depth=10**20)).kb  # would count steps forever
    assert [a.id for a in huge.assertions] == [a.id for a in everything.assertions]


def test_around_an_unknown_actor_suggests_a_name(kb):
    with pytest.raises(UnknownEntityError, match="did you mean 'serbia'"):
        select(kb, Filters(around="Serbiaa"))


def test_depth_without_an_actor_is_a_usage_error():
    with pytest.raises(UsageError, match="give it with --around ACTOR"):
        Filters(depth=3)


def test_unknown_relation_is_a_usage_error(kb):
    with pytest.raises(UsageError, match="unknown relation 'sings' \\(did you mean 'signs'\\?\\)"):
        Filters(relations=frozenset({"sings"}))


def test_without_filters_an_export_is_the_whole_knowledge_base(kb):
    selection = select(kb, FORMATS["turtle"].filters_for(None))
    assert selection.kb is kb


# -- hostile text -----------------------------------------------------------------------------


def test_hostile_text_reaches_the_writers_through_the_loader(hostile):
    # YAML escapes every control character, so the whole corpus goes end to end.
    assert hostile.entities["serbia"].label == f"Serbia {HOSTILE}"
    assert hostile.entities["serbia"].aliases[-1] == HOSTILE
    assert hostile.assertions_by_id["serbia-aligns-hostile"].quote == HOSTILE


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_hostile_text_round_trips_exactly_through_rdf(hostile, fmt):
    graph = rdf(hostile, fmt)
    assert isomorphic(graph, to_rdflib(hostile))
    assert (ID.serbia, rdflib.RDFS.label, rdflib.Literal(f"Serbia {HOSTILE}")) in graph
    assert (ASR["serbia-aligns-hostile"], AG.quote, rdflib.Literal(HOSTILE)) in graph


def test_hostile_text_is_valid_gexf(hostile):
    validate_gexf(text(hostile, "gexf", Filters(include_contested=True)))
    document = text(hostile, "gexf", Filters(include_contested=True), all_directed=True)
    validate_gexf(document)
    graph = networkx_read_gexf(io.BytesIO(document.encode("utf-8")))
    # tab, newline and carriage return are written as character references, so they survive
    assert graph.nodes["serbia"]["label"] == xml_clean(f"Serbia {HOSTILE}")
    quotes = {data["id"]: data.get("quote") for *_, data in graph.edges(data=True)}
    assert quotes["serbia-aligns-hostile"] == xml_clean(HOSTILE)


def test_hostile_text_is_valid_graphml(hostile, tmp_path):
    document = text(hostile, "graphml", Filters(include_contested=True))
    etree.fromstring(document.encode("utf-8"))  # strict XML parser
    all_directed = text(hostile, "graphml", Filters(include_contested=True), all_directed=True)
    graph = networkx.read_graphml(io.BytesIO(all_directed.encode("utf-8")))
    assert graph.nodes["serbia"]["label"].replace("\r", "\n") == xml_clean(f"Serbia {HOSTILE}").replace("\r\n",
        "\n").replace("\r", "\n")
    igraph = pytest.importorskip("igraph")
    path = tmp_path / "hostile.graphml"
    path.write_text(document, encoding="utf-8")
    assert igraph.Graph.Read_GraphML(str(path)).vcount() == graph.number_of_nodes()


def test_hostile_text_is_valid_csv(hostile, tmp_path):
    tables = csv_rows(hostile, tmp_path, Filters(include_contested=True))
    labels = {row["Id"]: row["Label"] for row in tables["nodes.csv"]}
    assert labels["serbia"] == xml_clean(f"Serbia {HOSTILE}")
    quotes = {row["Id"]: row["quote"] for row in tables["edges.csv"]}
    assert quotes["serbia-aligns-hostile"] == xml_clean(HOSTILE)


def test_xml_clean_removes_only_what_xml_forbids():
    allowed = "\t\n\r &<>\"' 🇷🇸 العربية \u202e \x7f \ufffd \U0010fffd"
    assert xml_clean(allowed) == allowed
    assert xml_clean("a\x00b\x08c\x0bd\x1fe\ufffef\uffffg\ud800h") == "abcdefgh"


def test_the_curated_knowledge_base_exports_to_every_format(curated, tmp_path):
    written = build_all(curated, tmp_path)
    validate_gexf((tmp_path / "graph.gexf").read_text(encoding="utf-8"))
    graph = rdflib.Graph().parse(tmp_path / "graph.ttl")
    assert isomorphic(graph, rdflib.Graph().parse(tmp_path / "graph.jsonld"))
    assert isomorphic(graph, rdflib.Graph().parse(tmp_path / "graph.nt"))
    facts = sum(not is_contested(a) for a in curated.assertions)
    igraph = pytest.importorskip("igraph")
    assert igraph.Graph.Read_GraphML(str(tmp_path / "graph.graphml")).ecount() == facts
    all_directed = export(curated, "graphml", tmp_path / "all-directed.graphml", all_directed=True)[0]
    assert networkx.read_graphml(all_directed).number_of_edges() == facts
    assert len(written) == 7


def test_the_exports_page_documents_every_format_and_the_palette():
    from alliancegraph.palette import TYPE_COLORS

    exports = (REPO / "docs" / "exports.md").read_text(encoding="utf-8")
    for name, spec in FORMATS.items():
        assert f"| `{name}` | `{spec.filename}" in exports, name
    for entity_type, color in TYPE_COLORS.items():
        assert f"| `{entity_type}` | `{color}` |" in exports, entity_type
