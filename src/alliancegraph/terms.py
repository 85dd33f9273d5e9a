"""RDF terms and triples written as N-Triples text, and such text read into rdflib.

The compiler (:mod:`alliancegraph.rdf`), the ontology and the Turtle writer
all write terms this way, so a literal is escaped by one rule everywhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .vocabulary import PREFIXES

if TYPE_CHECKING:
    import rdflib

__all__ = ["iri", "literal", "rdflib_graph", "triple"]

XSD = PREFIXES["xsd"]


def iri(value: str) -> str:
    return f"<{value}>"


def literal(text: str, datatype: str | None = None) -> str:
    """An N-Triples literal; control characters XML cannot carry are escaped, not lost."""
    escaped = text.translate(_ESCAPES) if _TO_ESCAPE.search(text) else text  # most text needs none
    return f'"{escaped}"^^<{XSD}{datatype}>' if datatype else f'"{escaped}"'


_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESCAPES})
_ESCAPES.update({0x7F: "\\u007F", 0xFFFE: "\\uFFFE", 0xFFFF: "\\uFFFF"})
# Lone surrogates (only the Python API can make them) are not characters RDF can carry.
_ESCAPES.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
#: Any character _ESCAPES changes.
_TO_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\\x7f\\ud800-\\udfff\\ufffe\\uffff]')


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def rdflib_graph(ntriples: str) -> rdflib.Graph:
    """N-Triples text parsed into an rdflib Graph, with the project's prefixes bound."""
    import rdflib

    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.parse(data=ntriples, format="nt")
    return graph
