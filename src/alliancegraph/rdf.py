"""Compiling a knowledge base to RDF.

The graph follows Wikidata's two layers:

* every assertion is a statement node (``ag:Assertion``) carrying its subject,
  relation and object, the actors they stand for, its dates, polarity,
  modality, speaker, its source (``prov:wasDerivedFrom``) and its quote, located
  in the source with W3C Web Annotation selectors;
* only an assertion that holds as fact (affirmed, modality ``fact``) also gets
  the direct, "truthy" triple ``id:subject rel:relation id:object`` — a denial
  or a claim never does;
* two derived properties make the saved queries' lookups one bound pattern
  each: ``ag:proposition``, what the assertion states (claims and denials of
  the same thing share it), and, on an assertion that counts towards
  alignment, ``ag:cooperativeTieTo`` or ``ag:conflictualTieTo`` whom it is
  aimed at. Both depend on the assertion alone (and on who speaks for whom),
  so a file still compiles on its own.

Triples are produced as N-Triples lines: Oxigraph loads them natively, fast,
and rdflib parses them for the exports. Blank nodes are never used, so the
output is deterministic and graphs compare by plain set equality.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING

from .dates import PartialDate
from .model import Assertion, Entity, KnowledgeBase, Source, Voices
from .ontology import ontology_lines
from .terms import iri, literal, rdflib_graph, triple
from .vocabulary import (
    ASSERTION,
    ENTITY,
    ENTITY_TYPES,
    EVIDENCE,
    PREFIXES,
    PROPOSITION,
    RELATION,
    SOURCE,
    VOCAB,
    WIKIDATA,
)

if TYPE_CHECKING:
    import rdflib

RDF_TYPE = f"<{PREFIXES['rdf']}type>"
RDFS_LABEL = f"<{PREFIXES['rdfs']}label>"
RDFS_COMMENT = f"<{PREFIXES['rdfs']}comment>"
RDFS_SEE_ALSO = f"<{PREFIXES['rdfs']}seeAlso>"
SKOS_ALT = f"<{PREFIXES['skos']}altLabel>"
SKOS_EXACT = f"<{PREFIXES['skos']}exactMatch>"
DC = PREFIXES["dcterms"]
PROV = PREFIXES["prov"]
OA = PREFIXES["oa"]


@cache  # a few hundred names, asked for on every line
def ag(name: str) -> str:
    return f"<{VOCAB}{name}>"


def entity_iri(entity_id: str) -> str:
    return f"<{ENTITY}{entity_id}>"


@cache  # the same few thousand dates, on every statement
def date_literal(value: PartialDate) -> str:
    """A date as a literal of the datatype that carries its precision."""
    return literal(str(value), value.xsd_datatype)


# -- entities and sources ---------------------------------------------------------


def entity_lines(entity: Entity) -> Iterator[str]:
    s = entity_iri(entity.id)
    yield triple(s, RDF_TYPE, ag(ENTITY_TYPES[entity.type].class_name))
    yield triple(s, RDFS_LABEL, literal(entity.label))
    for alias in entity.aliases:
        yield triple(s, SKOS_ALT, literal(alias))
    if entity.wikidata:
        yield triple(s, SKOS_EXACT, iri(WIKIDATA + entity.wikidata))
    if entity.part_of:
        yield triple(s, ag("partOf"), entity_iri(entity.part_of))
    if entity.description:
        yield triple(s, RDFS_COMMENT, literal(entity.description))
    for concerned in entity.concerns:
        yield triple(s, ag("concerns"), entity_iri(concerned))


def source_lines(source: Source) -> Iterator[str]:
    s = iri(SOURCE + source.id)
    yield triple(s, RDF_TYPE, ag("Source"))
    yield triple(s, RDF_TYPE, iri(PROV + "Entity"))
    yield triple(s, iri(DC + "title"), literal(source.title))
    yield triple(s, ag("sourceKind"), ag(source.kind))
    if source.published:
        yield triple(s, iri(DC + "issued"), date_literal(source.published))
    yield from bound_lines(s, source.earliest, source.latest)
    if source.outlet:
        yield triple(s, iri(DC + "publisher"), literal(source.outlet))
    if source.author:
        yield triple(s, iri(DC + "creator"), literal(source.author))
    if source.url:
        yield triple(s, RDFS_SEE_ALSO, iri(source.url))
    if source.file_label:
        yield triple(s, ag("file"), literal(source.file_label))
    if source.note:
        yield triple(s, RDFS_COMMENT, literal(source.note))


# -- assertions -------------------------------------------------------------------


def assertion_lines(assertion: Assertion, kb: KnowledgeBase, truthy: bool = True,
                    voices: Voices | None = None) -> Iterator[str]:
    """The statement node, its evidence, its derived properties, and (unless ``truthy`` is
    false) the truthy triple when it holds as fact.

    ``kb`` says who speaks for whom (the knowledge base, or at least its offices); ``voices``
    is what it says of this assertion, when already read (:meth:`KnowledgeBase.voices`).
    """
    a = assertion
    voices = voices or kb.voices(a)
    s = iri(ASSERTION + a.id)
    subject, obj, relation = entity_iri(a.subject), entity_iri(a.object), iri(RELATION + a.relation)
    yield triple(s, RDF_TYPE, ag("Assertion"))
    yield triple(s, ag("subject"), subject)
    yield triple(s, ag("relation"), relation)
    yield triple(s, ag("object"), obj)
    yield triple(s, ag("actor"), entity_iri(voices.actor))
    yield triple(s, ag("counterpart"), entity_iri(voices.counterpart))
    yield triple(s, ag("polarity"), ag(a.polarity))
    yield triple(s, ag("modality"), ag(a.modality))
    yield triple(s, ag("datedBy"), ag(a.dated_by))
    for name, value in (("date", a.date), ("start", a.start), ("end", a.end)):
        if value is not None:
            yield triple(s, ag(name), date_literal(value))
    yield from bound_lines(s, a.earliest, a.latest)
    if a.dated:
        yield triple(s, ag("dated"), literal(a.dated))
    if a.valid_from:
        yield triple(s, ag("validFrom"), literal(a.valid_from.isoformat(), "date"))
    if a.valid_until:
        yield triple(s, ag("validUntil"), literal(a.valid_until.isoformat(), "date"))
    for name, entity in (
        ("speaker", a.speaker),
        ("speaksFor", voices.speaker_for),
        ("onBehalfOf", a.on_behalf_of),
        ("regarding", a.regarding),
    ):
        if entity:
            yield triple(s, ag(name), entity_iri(entity))
    if a.role:
        yield triple(s, ag("role"), literal(a.role))
    if a.note:
        yield triple(s, RDFS_COMMENT, literal(a.note))
    yield triple(s, iri(PROV + "wasDerivedFrom"), iri(SOURCE + a.source))
    if a.quote:
        yield triple(s, ag("quote"), literal(a.quote))
    if a.evidence:
        yield from evidence_lines(a, s)
    yield from derived_lines(a, s, voices, kb)
    if truthy:
        yield from truthy_lines(a)


def truthy_lines(a: Assertion) -> Iterator[str]:
    """The direct triple of an assertion that holds as fact, both ways for a symmetric relation.

    These are the only lines two records can both give: every other line is about
    a record's own IRI (a statement, its evidence, an entity, a source).
    """
    if a.is_fact:
        subject, relation, obj = entity_iri(a.subject), iri(RELATION + a.relation), entity_iri(a.object)
        yield triple(subject, relation, obj)
        if a.rel.symmetric:
            yield triple(obj, relation, subject)


def bound_lines(s: str, earliest: PartialDate | None, latest: PartialDate | None) -> Iterator[str]:
    """A date's bounds, at their precision (Wikidata's P1319 and P1326 qualifiers)."""
    for name, value in (("earliest", earliest), ("latest", latest)):
        if value is not None:
            yield triple(s, ag(name), date_literal(value))


#: The derived property naming whom a counted tie is aimed at, by the tie's sign.
TIE_PROPERTIES = {+1: "cooperativeTieTo", -1: "conflictualTieTo"}


def proposition_iri(a: Assertion) -> str:
    """The proposition an assertion states; ids hold no dots, so the three parts stay apart."""
    return iri(PROPOSITION + ".".join(a.proposition))


def derived_lines(a: Assertion, statement: str, voices: Voices, kb: KnowledgeBase) -> Iterator[str]:
    """What the saved queries look up in one bound pattern: the proposition, the tie
    when it counts, whose stance it is, and the office it came through.

    A tie is aimed at the object as written and at whom it stands for, so an
    actor is found both through its officials and as itself.
    """
    yield triple(statement, ag("proposition"), proposition_iri(a))
    if voices.tie:
        tie = ag(TIE_PROPERTIES[voices.tie])
        for target in dict.fromkeys((a.object, voices.counterpart)):
            yield triple(statement, tie, entity_iri(target))
    yield triple(statement, ag("stancePosition"), literal(a.position))
    if voices.stance:
        yield triple(statement, ag("stanceOf"), entity_iri(voices.actor))
    if voices.through is not None:
        yield triple(statement, ag("through"), iri(ASSERTION + voices.through.id))
    for concerned in voices.concerned:
        yield triple(statement, ag("concerns"), entity_iri(concerned))
    if a.relation == "holds-office" and a.role and a.valid_from:
        yield from office_lines(a, statement, kb)


def office_lines(office: Assertion, statement: str, kb: KnowledgeBase) -> Iterator[str]:
    """What the stance queries read of an office a position came through, on properties only offices have:
    who held it as what ("Nikolai Denkov, Prime Minister"), and when it was taken and left."""
    holder = kb.entities.get(office.subject)
    yield triple(statement, ag("holder"), literal(f"{holder.label if holder else office.subject}, {office.role}"))
    assert office.valid_from is not None
    yield triple(statement, ag("tookOffice"), literal(office.valid_from.isoformat(), "date"))
    if office.valid_until:
        yield triple(statement, ag("leftOffice"), literal(office.valid_until.isoformat(), "date"))


def evidence_lines(a: Assertion, statement: str) -> Iterator[str]:
    ev = a.evidence
    assert ev is not None
    target, quote, position = (iri(f"{EVIDENCE}{a.id}{suffix}") for suffix in ("", ".quote", ".position"))
    yield triple(statement, ag("evidence"), target)
    yield triple(target, RDF_TYPE, iri(OA + "SpecificResource"))
    yield triple(target, iri(OA + "hasSource"), iri(SOURCE + a.source))
    yield triple(target, iri(OA + "hasSelector"), quote)
    yield triple(target, iri(OA + "hasSelector"), position)
    yield triple(quote, RDF_TYPE, iri(OA + "TextQuoteSelector"))
    yield triple(quote, iri(OA + "exact"), literal(ev.exact))
    yield triple(quote, iri(OA + "prefix"), literal(ev.prefix))
    yield triple(quote, iri(OA + "suffix"), literal(ev.suffix))
    yield triple(position, RDF_TYPE, iri(OA + "TextPositionSelector"))
    yield triple(position, iri(OA + "start"), literal(str(ev.start), "nonNegativeInteger"))
    yield triple(position, iri(OA + "end"), literal(str(ev.end), "nonNegativeInteger"))


# -- the whole graph ------------------------------------------------------------------


def kb_lines(kb: KnowledgeBase, include_ontology: bool = True) -> Iterator[str]:
    """Every N-Triples line of the compiled graph, in a stable order."""
    if include_ontology:
        yield from ontology_lines()
    by_id = attrgetter("id")
    yield from record_lines(sorted(kb.sources.values(), key=by_id), sorted(kb.entities.values(), key=by_id),
                            sorted(kb.assertions, key=by_id), kb)


def record_lines(sources: Iterable[Source], entities: Iterable[Entity], assertions: Iterable[Assertion],
                 offices: KnowledgeBase, truthy: bool = True, voices: Iterable[Voices] | None = None) -> Iterator[str]:
    """The N-Triples lines of some records (without the truthy triples unless ``truthy``);
    ``offices`` says whom each official speaks for, ``voices`` (when read already) what it says
    of each assertion, in order."""
    for source in sources:
        yield from source_lines(source)
    for entity in entities:
        yield from entity_lines(entity)
    read: Iterable[Voices | None] = repeat(None) if voices is None else voices
    for assertion, known in zip(assertions, read):
        yield from assertion_lines(assertion, offices, truthy, known)


def to_ntriples(kb: KnowledgeBase, include_ontology: bool = True) -> str:
    return "".join(kb_lines(kb, include_ontology))


def to_rdflib(kb: KnowledgeBase, include_ontology: bool = True) -> rdflib.Graph:
    """The compiled graph as an rdflib Graph, with the project's prefixes bound."""
    return rdflib_graph(to_ntriples(kb, include_ontology))


def to_oxigraph(kb: KnowledgeBase, include_ontology: bool = True):
    """The compiled graph in an in-memory pyoxigraph Store (the query engine)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(to_ntriples(kb, include_ontology).encode("utf-8"), pyoxigraph.RdfFormat.N_TRIPLES)
    return store

