"""JSON-LD: the graph as JSON, with an ``@context`` of the project's prefixes.

The document is ``{"@context": {prefix: namespace, ...}, "@graph": [node, ...]}``
with one node object per subject, in IRI order; IRIs are written as compact
IRIs (``id:serbia``) where the prefix allows, ``@type`` comes first, the other
properties follow in order and multiple values are sorted. Plain strings are
JSON strings; typed literals are ``{"@value": ..., "@type": "xsd:..."}``. The
output is byte-identical for the same knowledge base (rdflib's own JSON-LD
serialiser is not). JSON escapes control characters itself, so any text
survives and nothing is stripped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..vocabulary import PREFIXES
from ._output import write_chunks
from ._rdf import RDF_TYPE, XSD_STRING, Group, compact, grouped, is_literal, rdf_triples

if TYPE_CHECKING:
    from ..selection import Selection

__all__ = ["jsonld_document", "generate_jsonld", "write_jsonld"]


def jsonld_document(selection: Selection) -> dict[str, Any]:
    """The selected graph as a JSON-LD document (a dict ready for ``json.dumps``)."""
    return {"@context": dict(PREFIXES), "@graph": [_node(group) for group in grouped(rdf_triples(selection))]}


def generate_jsonld(selection: Selection) -> Iterator[str]:
    """The JSON-LD document as text."""
    yield json.dumps(jsonld_document(selection), indent=2, ensure_ascii=False) + "\n"


def write_jsonld(selection: Selection, path: Path | str) -> list[Path]:
    """Write the JSON-LD file atomically; return the path written."""
    return write_chunks(path, generate_jsonld(selection))


def _node(group: Group) -> dict[str, Any]:
    subject, predicates = group
    node: dict[str, Any] = {"@id": _iri(subject)}
    for predicate, objects in predicates:
        if predicate == RDF_TYPE:
            node["@type"] = _one_or_many([_iri(o.value) for o in objects])
        else:
            node[_iri(predicate)] = _one_or_many([_value(o) for o in objects])
    return node


def _one_or_many(values: list) -> Any:
    return values[0] if len(values) == 1 else values


def _iri(iri: str) -> str:
    return compact(iri) or iri


def _value(term) -> Any:
    if not is_literal(term):
        return {"@id": _iri(term.value)}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value != XSD_STRING:
        return {"@value": term.value, "@type": _iri(term.datatype.value)}
    return term.value
