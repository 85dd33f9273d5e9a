"""What the Turtle and JSON-LD writers share: the graph grouped by subject, and IRIs with prefixes.

Both writers lay the graph out the same way — subjects in IRI order, each
with ``rdf:type`` first and then its predicates in order, objects sorted — so
that the output is byte-identical from run to run (rdflib's own serialisers
iterate hash-ordered sets) and a change to one assertion changes the lines of
that assertion only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Iterator

from ..rdf import to_rdflib
from ..vocabulary import PREFIXES

if TYPE_CHECKING:
    import rdflib

    from .filters import Selection

__all__ = ["RDF_TYPE", "XSD_STRING", "compact", "grouped", "rdf_graph"]

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"

# A local name both Turtle (PN_LOCAL) and JSON-LD (compact IRI) read back unchanged.
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
# Longest namespace first, so that a namespace inside another never wins.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

Group = tuple["rdflib.URIRef", list[tuple["rdflib.URIRef", list["rdflib.term.Node"]]]]


def rdf_graph(selection: "Selection") -> "rdflib.Graph":
    """The selected part of the knowledge base, compiled to RDF."""
    return to_rdflib(selection.kb)


def compact(iri: str) -> str | None:
    """``prefix:local`` for an IRI under one of the project's prefixes, else None."""
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def grouped(graph: "rdflib.Graph") -> Iterator[Group]:
    """Subjects in IRI order, each with its predicates (``rdf:type`` first) and their sorted objects."""
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(o)
    for subject in sorted(by_subject, key=str):
        predicates = by_subject[subject]
        ordered = sorted(predicates, key=_predicate_key)
        yield subject, [(p, sorted(predicates[p], key=_object_key)) for p in ordered]


def _predicate_key(predicate) -> tuple[int, str]:
    text = str(predicate)
    return (0 if text == RDF_TYPE else 1, compact(text) or text)


def _object_key(term) -> tuple[int, str, str, str]:
    import rdflib

    if isinstance(term, rdflib.Literal):
        return (1, str(term), str(term.datatype or ""), term.language or "")
    return (0, str(term), "", "")
