"""Compiling to RDF and networkx: statement nodes for everything, truthy triples for facts only."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF

from alliancegraph.network import to_networkx
from alliancegraph.ontology import ONTOLOGY_FILE, ontology_turtle
from alliancegraph.paths import PACKAGE
from alliancegraph.rdf import to_rdflib
from alliancegraph.vocabulary import PREFIXES, RELATIONS

AG = Namespace(PREFIXES["ag"])
ID = Namespace(PREFIXES["id"])
REL = Namespace(PREFIXES["rel"])
ASR = Namespace(PREFIXES["asr"])
OA = Namespace(PREFIXES["oa"])
PROV = Namespace(PREFIXES["prov"])
XSD = Namespace(PREFIXES["xsd"])


@pytest.fixture
def contested(tiny):
    """A fact, a claim and its denial, and a minister's statement."""
    tiny.add(id="serbia-signs", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary on April 3.")
    tiny.add(id="bulgaria-joins-claimed", subject="bulgaria", relation="signs", object="declaration",
             modality="claim", speaker="ejup-maqedonci", date="2025-04-15",
             quote="Kosovo's minister claimed that Bulgaria would join the declaration.")
    tiny.add(id="bulgaria-joins-denied", subject="bulgaria", relation="signs", object="declaration",
             polarity="denied", modality="claim", speaker="georg-georgiev", date="2025-04-16",
             quote="Bulgaria's foreign minister said reports of Bulgaria's interest are inaccurate.")
    tiny.add(id="gasic-criticizes", subject="bratislav-gasic", relation="criticizes", object="declaration",
             date="2025-04", dated_by="publication", quote="called the declaration “a provocative move”")
    tiny.add(id="dodik-aligns", subject="republika-srpska", relation="aligns-with", object="serbia",
             modality="intention", speaker="milorad-dodik", date="2025-04",
             quote="Milorad Dodik signaled willingness to align with Serbia and Hungary.")
    dodik = next(e for e in tiny.entities if e["id"] == "milorad-dodik")
    dodik["offices"] = [{"role": "President", "of": "republika-srpska", "start": "2022-11-15", "source": "record"}]
    return tiny.load()


def test_fact_gets_truthy_triple(contested):
    graph = to_rdflib(contested)
    assert (ID.serbia, REL.signs, ID["srb-hun"]) in graph


def test_denied_membership_is_not_a_fact(contested):
    graph = to_rdflib(contested)
    assert (ID.bulgaria, REL.signs, ID.declaration) not in graph
    denial = ASR["bulgaria-joins-denied"]
    assert (denial, AG.polarity, AG.denied) in graph
    assert (denial, AG.speaker, ID["georg-georgiev"]) in graph
    claim = ASR["bulgaria-joins-claimed"]
    assert (claim, AG.modality, AG.claim) in graph


def test_intention_is_kept_but_not_a_fact(contested):
    graph = to_rdflib(contested)
    assert (ID["republika-srpska"], REL["aligns-with"], ID.serbia) not in graph
    assert (ASR["dodik-aligns"], AG.modality, AG.intention) in graph


def test_symmetric_fact_reads_both_ways(tiny):
    tiny.add(id="cooperate", subject="serbia", relation="cooperates-with", object="hungary", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary")
    graph = to_rdflib(tiny.load())
    assert (ID.serbia, REL["cooperates-with"], ID.hungary) in graph
    assert (ID.hungary, REL["cooperates-with"], ID.serbia) in graph


def test_a_claim_and_its_denial_state_the_same_proposition(contested):
    graph = to_rdflib(contested)
    claimed = graph.value(ASR["bulgaria-joins-claimed"], AG.proposition)
    assert claimed == URIRef(PREFIXES["prop"] + "bulgaria.signs.declaration")
    assert graph.value(ASR["bulgaria-joins-denied"], AG.proposition) == claimed
    assert graph.value(ASR["serbia-signs"], AG.proposition) != claimed


def test_a_counted_tie_is_aimed_at_the_object_and_whom_it_stands_for(contested, tiny):
    graph = to_rdflib(contested)
    assert set(graph.objects(ASR["serbia-signs"], AG.cooperativeTieTo)) == {ID["srb-hun"]}
    assert set(graph.objects(ASR["gasic-criticizes"], AG.conflictualTieTo)) == {ID.declaration}
    assert set(graph.objects(ASR["dodik-aligns"], AG.cooperativeTieTo)) == {ID.serbia}  # an intention counts
    for claim in ("bulgaria-joins-claimed", "bulgaria-joins-denied"):
        assert not set(graph.predicate_objects(ASR[claim])) & {AG.cooperativeTieTo, AG.conflictualTieTo}
    tiny.add(id="hungary-backs-gasic", subject="hungary", relation="supports", object="bratislav-gasic",
             date="2025-04-10", source="record")
    tiny.add(id="serbia-meets-hungary", subject="serbia", relation="meets", object="hungary",
             date="2025-04-10", source="record")
    graph = to_rdflib(tiny.load())
    assert set(graph.objects(ASR["hungary-backs-gasic"], AG.cooperativeTieTo)) == {ID["bratislav-gasic"], ID.serbia}
    assert not set(graph.objects(ASR["serbia-meets-hungary"], AG.cooperativeTieTo))


def test_statement_node_carries_time_source_and_roll_up(contested):
    graph = to_rdflib(contested)
    node = ASR["gasic-criticizes"]
    assert (node, AG.subject, ID["bratislav-gasic"]) in graph
    assert (node, AG.actor, ID.serbia) in graph
    assert (node, AG.date, Literal("2025-04", datatype=XSD.gYearMonth)) in graph
    assert (node, AG.validFrom, Literal("2025-04-01", datatype=XSD.date)) in graph
    assert (node, AG.datedBy, AG.publication) in graph
    assert (node, PROV.wasDerivedFrom, URIRef(PREFIXES["src"] + "art")) in graph


def test_quote_is_located_with_web_annotation_selectors(contested, tiny):
    graph = to_rdflib(contested)
    article = (tiny.root / "article.txt").read_text(encoding="utf-8")
    evidence = graph.value(ASR["serbia-signs"], AG.evidence)
    assert (evidence, RDF.type, OA.SpecificResource) in graph
    selectors = {graph.value(s, RDF.type): s for s in graph.objects(evidence, OA.hasSelector)}
    exact = str(graph.value(selectors[OA.TextQuoteSelector], OA.exact))
    start = int(graph.value(selectors[OA.TextPositionSelector], OA.start))
    end = int(graph.value(selectors[OA.TextPositionSelector], OA.end))
    assert article[start:end] == exact == "Serbia signed a military cooperation agreement with Hungary on April 3."


def test_relations_are_described_in_the_graph(contested):
    graph = to_rdflib(contested)
    for relation in RELATIONS.values():
        assert (REL[relation.id], AG.sign, Literal(relation.sign)) in graph
    assert (ID["bratislav-gasic"], REL["holds-office"], ID.serbia) in graph


def test_compiled_graph_conforms_to_shacl_shapes(contested):
    shapes = rdflib.Graph().parse(PACKAGE / "shapes.ttl")
    conforms, _, report = pyshacl.validate(to_rdflib(contested), shacl_graph=shapes)
    assert conforms, report


def test_shacl_shapes_catch_a_broken_statement(contested):
    graph = to_rdflib(contested)
    graph.remove((ASR["serbia-signs"], AG.polarity, None))
    graph.add((ASR["serbia-signs"], AG.date, Literal("2025-04-03", datatype=XSD.date)))
    graph.add((ASR["serbia-signs"], AG.start, Literal("2025", datatype=XSD.gYear)))
    shapes = rdflib.Graph().parse(PACKAGE / "shapes.ttl")
    conforms, _, report = pyshacl.validate(graph, shacl_graph=shapes)
    assert not conforms
    assert "polarity" in report


def test_shacl_shapes_catch_a_tie_both_cooperative_and_conflictual(contested):
    graph = to_rdflib(contested)
    graph.add((ASR["serbia-signs"], AG.conflictualTieTo, ID["srb-hun"]))
    shapes = rdflib.Graph().parse(PACKAGE / "shapes.ttl")
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=shapes)
    assert not conforms


def test_committed_ontology_is_generated_from_the_registry():
    assert ONTOLOGY_FILE.read_text(encoding="utf-8") == ontology_turtle()


def test_networkx_edges_carry_assertion_attributes(contested):
    network = to_networkx(contested)
    assert network.nodes["serbia"] == {"label": "Serbia", "type": "state", "wikidata": "Q403"}
    edge = network.edges["bratislav-gasic", "declaration", "gasic-criticizes"]
    assert edge["relation"] == "criticizes" and edge["sign"] == -1
    assert edge["actor"] == "serbia" and edge["source"] == "art"
    denial = network.edges["bulgaria", "declaration", "bulgaria-joins-denied"]
    assert (denial["polarity"], denial["modality"], denial["fact"]) == ("denied", "claim", False)
    assert network.number_of_edges() == len(contested.assertions)


def test_hostile_text_survives_the_round_trip(tiny):
    hostile = 'Ampersand & <tag> "quoted" \\ back\tslash\u202eRTL\u05d0 🚀 \x0b'
    tiny.entities.append({"id": "hostile", "label": hostile, "type": "issue", "aliases": ["a\nb"]})
    graph = to_rdflib(tiny.load())
    assert graph.value(ID.hostile, URIRef(PREFIXES["rdfs"] + "label")) == Literal(hostile)


def test_lone_surrogates_become_replacement_characters():
    from alliancegraph.terms import literal

    assert literal("a\ud800b") == '"a\ufffdb"'


def test_text_is_escaped_exactly_where_ntriples_needs_it():
    from alliancegraph.terms import _ESCAPES, _TO_ESCAPE, literal

    assert {c for c in range(0x110000) if _TO_ESCAPE.match(chr(c))} == set(_ESCAPES)
    assert literal('a "quoted"\\ line\n\x01') == '"a \\"quoted\\"\\\\ line\\n\\u0001"'
    assert literal("plain text, nothing to escape") == '"plain text, nothing to escape"'
