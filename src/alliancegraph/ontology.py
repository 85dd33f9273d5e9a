"""The alliancegraph ontology, generated from the registries in :mod:`vocabulary`.

The committed ``ontology.ttl`` beside this module is this generator's output
(``alliancegraph ontology`` rewrites it; a test keeps the two equal), so the
relation vocabulary is written down once, in Python, and read everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .terms import iri, literal, rdflib_graph, triple
from .vocabulary import (
    DATE_BASES,
    ENTITY_TYPES,
    MODALITIES,
    POLARITIES,
    PREFIXES,
    RELATION,
    RELATIONS,
    SOURCE_KINDS,
    VOCAB,
)

ONTOLOGY_IRI = VOCAB.rstrip("#")
ONTOLOGY_FILE = Path(__file__).with_name("ontology.ttl")
VERSION = "0.1.0"

_RDF, _RDFS, _OWL, _XSD = (PREFIXES[p] for p in ("rdf", "rdfs", "owl", "xsd"))

#: Classes: name -> (label, comment, superclass or None)
CLASSES = {
    "Entity": ("entity", "Anything the knowledge base names: an actor, an agreement or an issue.", None),
    "Actor": ("actor", "An entity that acts: a state, organisation, body or person.", "Entity"),
    "Assertion": (
        "assertion",
        "One curated statement: subject, relation and object with its time, speaker, polarity, modality and evidence.",
        _RDF + "Statement",
    ),
    "Source": ("source", "A document assertions are drawn from: an article or a public record.", None),
    "Relation": ("relation", "A relation of the alliancegraph vocabulary.", _OWL + "ObjectProperty"),
    "Polarity": ("polarity", "Whether an assertion says that its relation holds, that it does not, or that it is in doubt.",
        None),
    "Modality": ("modality", "On what authority an assertion is made: fact, claim, intention or opinion.", None),
    "DateBasis": ("date basis", "Where an assertion's date comes from.", None),
    "SourceKind": ("source kind", "What kind of document a source is.", None),
}

#: Properties: name -> (label, comment, kind, range or None). kind: object | data
PROPERTIES = {
    "subject": ("subject", "The entity the assertion is about, as written.", "object", "Entity"),
    "relation": ("relation", "The relation the assertion states.", "object", "Relation"),
    "object": ("object", "The entity the relation points to, as written.", "object", "Entity"),
    "actor": (
        "actor",
        "Whom the subject stands for: the state or body an official or ministry speaks for at the assertion's date, "
        "or the subject itself.",
        "object",
        "Entity",
    ),
    "counterpart": ("counterpart", "Whom the object stands for, in the same way as ag:actor.", "object", "Entity"),
    "polarity": ("polarity", "ag:affirmed, ag:denied or ag:doubted.", "object", "Polarity"),
    "modality": ("modality", "ag:fact, ag:claim, ag:intention or ag:opinion.", "object", "Modality"),
    "datedBy": ("dated by", "Where the date comes from: the article, its publication date, or the record.", "object",
        "DateBasis"),
    "date": ("date", "When a point-in-time assertion happened, at its precision (xsd:date, xsd:gYearMonth or xsd:gYear).",
        "data", None),
    "start": ("start", "When an interval assertion began, at its precision.", "data", None),
    "end": ("end", "When an interval assertion ended, at its precision.", "data", None),
    "earliest": (
        "earliest date",
        "The first day an assertion's date or start (or a source's publication date) can be, at its precision: "
        "Wikidata's 'earliest date' qualifier (P1319). An assertion dated by its source's publication takes the "
        "source's.",
        "data",
        None,
    ),
    "latest": ("latest date", "The last day the date can be: Wikidata's 'latest date' qualifier (P1326).", "data", None),
    "dated": (
        "dated",
        "The assertion's date or start as written, with its bounds in EDTF set notation ('2026 [05-08..]': 2026, "
        "on or after May 8); for display. Derived at compile time.",
        "data",
        _XSD + "string",
    ),
    "validFrom": (
        "valid from",
        "The first day the assertion may hold: the earliest day its date or start can be, bounds applied, at day "
        "precision.",
        "data",
        _XSD + "date",
    ),
    "validUntil": ("valid until", "The last day an interval assertion holds, at day precision.", "data", _XSD + "date"),
    "speaker": ("speaker", "Who makes the statement: the claimant, the one who denies, or the author of an opinion.", "object",
        "Actor"),
    "speaksFor": (
        "speaks for",
        "Whom the speaker speaks for at the assertion's date (by office or as part of a body), or the speaker itself.",
        "object",
        "Entity",
    ),
    "onBehalfOf": ("on behalf of", "Whom the speaker speaks for, when the curator states it.", "object", "Actor"),
    "regarding": ("regarding", "The issue or proposal the assertion concerns (e.g. what is demanded).", "object", "Entity"),
    "role": ("role", "The office held, for holds-office assertions.", "data", _XSD + "string"),
    "quote": ("quote", "The verbatim quote as curated.", "data", _XSD + "string"),
    "evidence": ("evidence", "The quote's place in its source (an oa:SpecificResource with selectors).", "object", None),
    "partOf": ("part of", "The state or organisation a body or region belongs to; a government body speaks for it.", "object",
        "Entity"),
    "concerns": (
        "concerns",
        "On an issue: the actors it concerns (NATO forces in Romania and Bulgaria concern Romania, Bulgaria and "
        "NATO). On an assertion on such an issue (its object, or what it is regarding): the same actors, derived "
        "at compile time, so that their timelines find it.",
        "object",
        "Actor",
    ),
    "sourceKind": ("source kind", "News, opinion or reference.", "object", "SourceKind"),
    "file": ("file", "The source's text file, relative to the knowledge base file that declares it.", "data", _XSD + "string"),
    "proposition": (
        "proposition",
        "What the assertion states: its subject, relation and object as written, whoever says it and whether it is "
        "affirmed or denied. Assertions that claim and deny the same thing share it. Derived at compile time.",
        "object",
        None,
    ),
    "cooperativeTieTo": (
        "cooperative tie to",
        "On an assertion that counts towards alignment (affirmed, a fact or an intention its actor's side voices) with a "
        "cooperative relation: "
        "whom the tie is aimed at, its object and whom the object stands for (ag:counterpart). Derived at compile time.",
        "object",
        "Entity",
    ),
    "conflictualTieTo": (
        "conflictual tie to",
        "As ag:cooperativeTieTo, for an assertion that counts with a conflictual relation. Derived at compile time.",
        "object",
        "Entity",
    ),
    "stanceOf": (
        "stance of",
        "On an assertion that is its actor's own position — a fact, or an intention, claim, denial or doubt its "
        "actor's side voices (no named speaker, or one who speaks for the actor); never an opinion: that actor. "
        "Derived at compile time.",
        "object",
        "Entity",
    ),
    "stancePosition": (
        "stance position",
        "How the assertion reads as a stance: denies for a denial, doubts for a doubt, intends for an intention, "
        "else its relation's ag:position. Derived at compile time.",
        "data",
        _XSD + "string",
    ),
    "through": (
        "through",
        "The office (a holds-office assertion) the assertion came through: the one its voice — the speaker, or "
        "the official acting — held when it was stated (a position held over an interval: when it was taken up), "
        "the office that makes the words count for a state or body. Derived at compile time.",
        "object",
        "Assertion",
    ),
    "holder": (
        "holder",
        "On an office (a holds-office assertion): who held it, as what ('Nikolai Denkov, Prime Minister'). "
        "Derived at compile time.",
        "data",
        _XSD + "string",
    ),
    "tookOffice": (
        "took office",
        "On an office: the first day it was held (its ag:validFrom, on a property only offices have, so that a "
        "query finds it fast). Derived at compile time.",
        "data",
        _XSD + "date",
    ),
    "leftOffice": (
        "left office",
        "On an office that has ended: its last day (its ag:validUntil). Derived at compile time.",
        "data",
        _XSD + "date",
    ),
    "sign": ("sign", "+1 cooperative, -1 conflictual, 0 neutral.", "data", _XSD + "integer"),
    "position": ("position", "How an affirmed assertion of the relation reads as a stance.", "data", _XSD + "string"),
    "ploverCategory": ("PLOVER category", "The PLOVER event type (and mode) the relation corresponds to.", "data",
        _XSD + "string"),
    "cameoCode": ("CAMEO code", "The CAMEO event code (with its Goldstein score) the relation corresponds to.", "data",
        _XSD + "string"),
}

SUPER_PROPERTIES = {"speaker": PREFIXES["prov"] + "wasAttributedTo"}

#: Named individuals of the small closed classes.
INDIVIDUALS = {"Polarity": POLARITIES, "Modality": MODALITIES, "DateBasis": DATE_BASES, "SourceKind": SOURCE_KINDS}


def _term(name: str) -> str:
    return name if name.startswith("http") else VOCAB + name


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(triple(s, p, o))

    a, label, comment = iri(_RDF + "type"), iri(_RDFS + "label"), iri(_RDFS + "comment")
    onto = iri(ONTOLOGY_IRI)
    add(onto, a, iri(_OWL + "Ontology"))
    add(onto, label, literal("alliancegraph vocabulary"))
    add(onto, comment, literal("Classes, properties and relations of the alliancegraph knowledge graph."))
    add(onto, iri(_OWL + "versionInfo"), literal(VERSION))
    for name, (text, note, parent) in CLASSES.items():
        s = iri(VOCAB + name)
        add(s, a, iri(_OWL + "Class"))
        add(s, label, literal(text))
        add(s, comment, literal(note))
        if parent:
            add(s, iri(_RDFS + "subClassOf"), iri(_term(parent)))
    for entity_type in ENTITY_TYPES.values():
        s = iri(VOCAB + entity_type.class_name)
        add(s, a, iri(_OWL + "Class"))
        add(s, label, literal(entity_type.label))
        add(s, comment, literal(entity_type.definition))
        parent = "Entity" if entity_type.id in ("agreement", "issue") else "Actor"
        add(s, iri(_RDFS + "subClassOf"), iri(VOCAB + parent))
    for name, (text, note, kind, range_) in PROPERTIES.items():
        s = iri(VOCAB + name)
        add(s, a, iri(_OWL + ("ObjectProperty" if kind == "object" else "DatatypeProperty")))
        add(s, label, literal(text))
        add(s, comment, literal(note))
        if range_:
            add(s, iri(_RDFS + "range"), iri(_term(range_)))
        if name in SUPER_PROPERTIES:
            add(s, iri(_RDFS + "subPropertyOf"), iri(SUPER_PROPERTIES[name]))
    for class_name, members in INDIVIDUALS.items():
        for member, note in members.items():
            s = iri(VOCAB + member)
            add(s, a, iri(VOCAB + class_name))
            add(s, label, literal(member))
            add(s, comment, literal(note))
    for relation in RELATIONS.values():
        s = iri(RELATION + relation.id)
        add(s, a, iri(_OWL + "ObjectProperty"))
        add(s, a, iri(VOCAB + "Relation"))
        if relation.symmetric:
            add(s, a, iri(_OWL + "SymmetricProperty"))
        add(s, label, literal(relation.label))
        add(s, comment, literal(relation.definition))
        add(s, iri(VOCAB + "sign"), literal(str(relation.sign), "integer"))
        add(s, iri(VOCAB + "position"), literal(relation.position))
        if relation.plover:
            add(s, iri(VOCAB + "ploverCategory"), literal(relation.plover))
        if relation.cameo:
            add(s, iri(VOCAB + "cameoCode"), literal(relation.cameo))
        if relation.inverse:
            inverse = iri(RELATION + relation.inverse)
            add(s, iri(_OWL + "inverseOf"), inverse)
            add(inverse, a, iri(_OWL + "ObjectProperty"))
            add(inverse, label, literal(relation.inverse_label or relation.inverse))
    return tuple(lines)


def ontology_lines() -> Iterator[str]:
    """The ontology as N-Triples lines (part of every compiled graph)."""
    return iter(_lines())


def ontology_turtle() -> str:
    """The ontology as Turtle, as committed in ``ontology.ttl``."""
    return rdflib_graph("".join(_lines())).serialize(format="turtle")


def write_ontology() -> Path:
    """Rewrite the committed ``ontology.ttl`` from the vocabulary (atomically); return its path."""
    from .files import write_atomic

    return write_atomic(ONTOLOGY_FILE, ontology_turtle())
