"""`alliancegraph export`, `draw` and `build` through click's CliRunner: output, files and error messages."""

from __future__ import annotations

import csv
import json
import sys

import networkx
import pytest
import rdflib
from lxml import etree
from rdflib.compare import isomorphic

from alliancegraph.cli import main

from conftest import TinyKB, cli_runner
from export_samples import ARTICLE, add_alignment


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    return add_alignment(TinyKB(tmp_path_factory.mktemp("cli") / "kb", article=ARTICLE)).write()


@pytest.fixture
def run(kb):
    def invoke(*args: str):
        return cli_runner().invoke(main, ["--kg", str(kb), *args])

    return invoke


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")])
def test_rdf_exports_go_to_standard_output(run, fmt, parser):
    result = run("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format=parser)
    serbia = rdflib.URIRef("https://w3id.org/alliancegraph/id/serbia")
    assert (serbia, rdflib.RDFS.label, rdflib.Literal("Serbia")) in graph


def test_text_network_formats_go_to_standard_output(run):
    gexf = run("export", "-f", "gexf", "--as-of", "2025-04-05")
    assert gexf.exit_code == 0 and gexf.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<gexf ')
    assert "as of 2025-04-05" in gexf.stdout
    graphml = run("export", "-f", "graphml", "--relations", "signs")
    assert graphml.exit_code == 0
    assert {d["relation"] for *_, d in networkx.parse_graphml(graphml.stdout).edges(data=True)} == {"signs"}


def test_export_to_a_file_prints_its_path(run, tmp_path):
    out = tmp_path / "alignment.gexf"
    result = run("export", "-f", "gexf", "-o", str(out), "--color-by", "bloc", "--include-contested")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert "bulgaria-denies-joining" in out.read_text(encoding="utf-8")


def test_csv_export_writes_the_pair_of_files_into_a_folder(run, tmp_path):
    out = tmp_path / "gephi"
    result = run("export", "-f", "csv", "-o", str(out), "--around", "Serbia")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(out / "nodes.csv"), str(out / "edges.csv")]
    edges = list(csv.DictReader((out / "edges.csv").open(encoding="utf-8", newline="")))
    assert "serbia-signs-srb-hun" in {row["Id"] for row in edges}
    assert "croatia-signs-declaration" not in {row["Id"] for row in edges}


def test_network_exports_keep_isolated_entities_and_write_all_directed_edges_on_request(run):
    def nodes(*options: str) -> set[str]:
        result = run("export", "-f", "gexf", *options)
        assert result.exit_code == 0, result.output
        return {n.get("id") for n in etree.fromstring(result.stdout.encode("utf-8")).iter("{http://gexf.net/1.3}node")}

    assert "bulgaria" not in nodes() and "bulgaria" in nodes("--keep-isolated")
    assert len(nodes("--keep-isolated")) == 14
    mixed = run("export", "-f", "graphml")
    with pytest.raises(networkx.NetworkXError):
        networkx.parse_graphml(mixed.stdout)
    directed = networkx.parse_graphml(run("export", "-f", "graphml", "--all-directed").stdout, force_multigraph=True)
    assert directed.edges["serbia", "hungary", "serbia-cooperates-with-hungary"]["direction"] == "undirected"


def test_csv_without_a_folder_is_a_usage_error(run):
    result = run("export", "-f", "csv")
    assert result.exit_code == 2
    assert result.stderr == "Error: csv writes a folder of files (csv/); name it with -o\n"


def test_unknown_format_lists_the_valid_ones(run):
    result = run("export", "-f", "pdf")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr and "'pdf'" in result.stderr
    assert all(name in result.stderr for name in ("turtle", "jsonld", "ntriples", "graphml", "gexf", "csv"))


def test_unknown_actor_is_an_error_with_a_suggestion_and_no_traceback(run):
    result = run("export", "-f", "turtle", "--around", "Serbja")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown entity 'Serbja' (did you mean 'serbia'?)\n"


def test_bad_filters_are_usage_errors(run):
    relations = run("export", "-f", "gexf", "--relations", "signs,sings")
    assert relations.exit_code == 2
    assert "Invalid value for '--relations': unknown relation 'sings' (did you mean 'signs'?)" in relations.stderr
    date = run("export", "-f", "gexf", "--as-of", "2025-04")
    assert date.exit_code == 2
    assert "Invalid value for '--as-of': expected a full date YYYY-MM-DD, got '2025-04'" in date.stderr
    depth = run("export", "-f", "gexf", "--around", "serbia", "--depth", "-1")
    assert depth.exit_code == 2
    alone = run("export", "-f", "gexf", "--depth", "2")
    assert alone.exit_code == 2
    assert alone.stderr == "Error: --depth counts steps from an actor: give it with --around ACTOR\n"


def test_build_writes_every_format(run, tmp_path):
    out = tmp_path / "build"
    result = run("build", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 7
    turtle = rdflib.Graph().parse(out / "graph.ttl")
    assert isomorphic(turtle, rdflib.Graph().parse(out / "graph.jsonld"))
    assert json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))["@context"]["ag"].endswith("vocab#")
    nodes = {n.get("id") for n in etree.parse(out / "graph.gexf").getroot().iter("{http://gexf.net/1.3}node")}
    assert len(nodes) == 10 and "bulgaria" not in nodes, "only a denial and a claim name Bulgaria"
    assert (out / "csv" / "edges.csv").exists()


@pytest.mark.parametrize("kind, name", [("network", "net.png"), ("stance-matrix", "stances.svg")])
def test_draw_writes_the_picture_and_prints_its_path(run, tmp_path, kind, name):
    pytest.importorskip("matplotlib")
    out = tmp_path / name
    result = run("draw", "--kind", kind, "-o", str(out), "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    assert out.stat().st_size > 5_000


def test_draw_defaults_to_a_png_named_after_the_kind(run, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    result = run("draw", "--color-by", "bloc")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "network.png").read_bytes().startswith(b"\x89PNG")


def test_draw_refuses_an_unknown_image_type(run, tmp_path):
    result = run("draw", "-o", str(tmp_path / "network.jpeg"))
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot draw 'network.jpeg': name a .png, .svg or .pdf file\n"


def test_draw_without_matplotlib_says_how_to_install_it(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run("draw", "-o", str(tmp_path / "network.png"))
    assert result.exit_code == 1
    assert result.stderr == 'Error: drawing needs matplotlib; install it with: pip install "alliancegraph[viz]"\n'
