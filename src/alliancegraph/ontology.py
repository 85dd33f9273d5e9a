"""The alliancegraph ontology, generated from the registries in :mod:`vocabulary`.

The committed ``ontology.ttl`` beside this module is this generator's output
(``alliancegraph ontology`` rewrites it; a test keeps the two equal), so the
relation vocabulary is written down once, in Python, and read everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterator

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
    "Polarity": ("polarity", "Whether an assertion says that its relation holds or that it does not.", None),
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
    "polarity": ("polarity", "ag:affirmed or ag:denied.", "object", "Polarity"),
    "modality": ("modality", "ag:fact, ag:claim, ag:intention or ag:opinion.", "object", "Modality"),
    "datedBy": ("dated by", "Where the date comes from: the article, its publication date, or the record.", "object", "DateBasis"),
    "date": ("date", "When a point-in-time assertion happened, at its precision (xsd:date, xsd:gYearMonth or xsd:gYear).", "data", None),
    "start": ("start", "When an interval assertion began, at its precision.", "data", None),
    "end": ("end", "When an interval assertion ended, at its precision.", "data", None),
    "validFrom": ("valid from", "The first day the assertion may hold: its date or start, at day precision.", "data", _XSD + "date"),
    "validUntil": ("valid until", "The last day an interval assertion holds, at day precision.", "data", _XSD + "date"),
    "speaker": ("speaker", "Who makes the statement: the claimant, the one who denies, or the author of an opinion.", "object", "Actor"),
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
    "partOf": ("part of", "The state or organisation a body or region belongs to; a government body speaks for it.", "object", "Entity"),
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
        "On an assertion that counts towards alignment (affirmed, a fact or an intention) with a cooperative relation: "
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
    "sign": ("sign", "+1 cooperative, -1 conflictual, 0 neutral.", "data", _XSD + "integer"),
    "position": ("position", "How an affirmed assertion of the relation reads as a stance.", "data", _XSD + "string"),
    "ploverCategory": ("PLOVER category", "The PLOVER event type (and mode) the relation corresponds to.", "data", _XSD + "string"),
    "cameoCode": ("CAMEO code", "The CAMEO event code (with its Goldstein score) the relation corresponds to.", "data", _XSD + "string"),
}

SUPER_PROPERTIES = {"speaker": PREFIXES["prov"] + "wasAttributedTo"}

#: Named individuals of the small closed classes.
INDIVIDUALS = {"Polarity": POLARITIES, "Modality": MODALITIES, "DateBasis": DATE_BASES, "SourceKind": SOURCE_KINDS}


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(text: str, datatype: str | None = None) -> str:
    from .rdf import literal

    return literal(text, datatype)


def _term(name: str) -> str:
    return name if name.startswith("http") else VOCAB + name


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} .\n")

    a, label, comment = _iri(_RDF + "type"), _iri(_RDFS + "label"), _iri(_RDFS + "comment")
    onto = _iri(ONTOLOGY_IRI)
    add(onto, a, _iri(_OWL + "Ontology"))
    add(onto, label, _lit("alliancegraph vocabulary"))
    add(onto, comment, _lit("Classes, properties and relations of the alliancegraph knowledge graph."))
    add(onto, _iri(_OWL + "versionInfo"), _lit(VERSION))
    for name, (text, note, parent) in CLASSES.items():
        s = _iri(VOCAB + name)
        add(s, a, _iri(_OWL + "Class"))
        add(s, label, _lit(text))
        add(s, comment, _lit(note))
        if parent:
            add(s, _iri(_RDFS + "subClassOf"), _iri(_term(parent)))
    for entity_type in ENTITY_TYPES.values():
        s = _iri(VOCAB + entity_type.class_name)
        add(s, a, _iri(_OWL + "Class"))
        add(s, label, _lit(entity_type.label))
        add(s, comment, _lit(entity_type.definition))
        parent = "Entity" if entity_type.id in ("agreement", "issue") else "Actor"
        add(s, _iri(_RDFS + "subClassOf"), _iri(VOCAB + parent))
    for name, (text, note, kind, range_) in PROPERTIES.items():
        s = _iri(VOCAB + name)
        add(s, a, _iri(_OWL + ("ObjectProperty" if kind == "object" else "DatatypeProperty")))
        add(s, label, _lit(text))
        add(s, comment, _lit(note))
        if range_:
            add(s, _iri(_RDFS + "range"), _iri(_term(range_)))
        if name in SUPER_PROPERTIES:
            add(s, _iri(_RDFS + "subPropertyOf"), _iri(SUPER_PROPERTIES[name]))
    for class_name, members in INDIVIDUALS.items():
        for member, note in members.items():
            s = _iri(VOCAB + member)
            add(s, a, _iri(VOCAB + class_name))
            add(s, label, _lit(member))
            add(s, comment, _lit(note))
    for relation in RELATIONS.values():
        s = _iri(RELATION + relation.id)
        add(s, a, _iri(_OWL + "ObjectProperty"))
        add(s, a, _iri(VOCAB + "Relation"))
        if relation.symmetric:
            add(s, a, _iri(_OWL + "SymmetricProperty"))
        add(s, label, _lit(relation.label))
        add(s, comment, _lit(relation.definition))
        add(s, _iri(VOCAB + "sign"), _lit(str(relation.sign), "integer"))
        add(s, _iri(VOCAB + "position"), _lit(relation.position))
        if relation.plover:
            add(s, _iri(VOCAB + "ploverCategory"), _lit(relation.plover))
        if relation.cameo:
            add(s, _iri(VOCAB + "cameoCode"), _lit(relation.cameo))
        if relation.inverse:
            inverse = _iri(RELATION + relation.inverse)
            add(s, _iri(_OWL + "inverseOf"), inverse)
            add(inverse, a, _iri(_OWL + "ObjectProperty"))
            add(inverse, label, _lit(relation.inverse_label or relation.inverse))
    return tuple(lines)


def ontology_lines() -> Iterator[str]:
    """The ontology as N-Triples lines (part of every compiled graph)."""
    return iter(_lines())


def ontology_turtle() -> str:
    """The ontology as Turtle, as committed in ``ontology.ttl``."""
    import rdflib

    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.parse(data="".join(_lines()), format="nt")
    return graph.serialize(format="turtle")
