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
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..rdf import kb_lines
from ..vocabulary import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

    from ..selection import Selection

__all__ = ["RDF_TYPE", "XSD_STRING", "compact", "grouped", "is_literal", "rdf_triples", "sorted_lines"]

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"

# A local name both Turtle (PN_LOCAL) and JSON-LD (compact IRI) read back unchanged.
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
# Longest namespace first, so that a namespace inside another never wins.
_NAMESPACES = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

#: A subject IRI with its predicate IRIs, each with its objects (Oxigraph terms).
Group = tuple[str, list[tuple[str, list["pyoxigraph.NamedNode | pyoxigraph.Literal"]]]]


def sorted_lines(selection: Selection) -> list[str]:
    """The selected graph as sorted, unique N-Triples lines."""
    return sorted(set(kb_lines(selection.kb)))


def rdf_triples(selection: Selection) -> Iterator[tuple]:
    """The selected graph's triples, read by Oxigraph's parser (many times faster than rdflib's)."""
    import pyoxigraph

    data = "".join(sorted_lines(selection)).encode("utf-8")
    for triple in pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES):
        yield triple.subject, triple.predicate, triple.object


def is_literal(term) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.Literal)


def compact(iri: str) -> str | None:
    """``prefix:local`` for an IRI under one of the project's prefixes, else None."""
    for prefix, namespace in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL_NAME.match(iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def grouped(triples) -> Iterator[Group]:
    """Subjects in IRI order, each with its predicates (``rdf:type`` first) and their sorted objects."""
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        by_subject[s.value][p.value].append(o)
    for subject in sorted(by_subject):
        predicates = by_subject[subject]
        ordered = sorted(predicates, key=_predicate_key)
        yield subject, [(p, sorted(predicates[p], key=_object_key)) for p in ordered]


def _predicate_key(predicate: str) -> tuple[int, str]:
    return (0 if predicate == RDF_TYPE else 1, compact(predicate) or predicate)


def _object_key(term) -> tuple[int, str, str, str]:
    if is_literal(term):
        return (1, term.value, term.datatype.value, term.language or "")
    return (0, term.value, "", "")
