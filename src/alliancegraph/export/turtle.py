"""Turtle: the readable RDF format, with the project's prefixes (``ag:``, ``id:``, ``asr:``…).

The file declares every prefix of :data:`alliancegraph.vocabulary.PREFIXES`,
then describes one subject per block, subjects in IRI order, ``a`` (rdf:type)
first and the other predicates in order, one per line. The output is
byte-identical for the same knowledge base whatever the Python hash seed, and
a changed assertion changes only the lines of its own block.

Literals are written with N-Triples escapes (``\\"``, ``\\n``, ``\\u0000``,
``\\uFFFE``…), which Turtle reads unchanged, so any text survives and nothing
is stripped. IRIs whose local part is not a plain name are written in full.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..terms import literal
from ..vocabulary import PREFIXES
from ._output import write_chunks
from ._rdf import RDF_TYPE, XSD_STRING, Group, compact, grouped, is_literal, rdf_triples

if TYPE_CHECKING:
    from ..selection import Selection

__all__ = ["generate_turtle", "write_turtle"]

_INDENT = " " * 4


def generate_turtle(selection: Selection) -> Iterator[str]:
    """The selected graph as Turtle text, in chunks."""
    for prefix, namespace in PREFIXES.items():
        yield f"@prefix {prefix}: <{namespace}> .\n"
    for group in grouped(rdf_triples(selection)):
        yield "\n" + _block(group)


def write_turtle(selection: Selection, path: Path | str) -> list[Path]:
    """Write the Turtle file atomically; return the path written."""
    return write_chunks(path, generate_turtle(selection))


def _block(group: Group) -> str:
    subject, predicates = group
    lines = [_iri(subject)]
    for index, (predicate, objects) in enumerate(predicates):
        end = " ." if index == len(predicates) - 1 else " ;"
        verb = "a" if predicate == RDF_TYPE else _iri(predicate)
        values = f",\n{_INDENT * 2}".join(_term(o) for o in objects)
        lines.append(f"{_INDENT}{verb} {values}{end}")
    return "\n".join(lines) + "\n"


def _iri(iri: str) -> str:
    return compact(iri) or f"<{iri}>"


def _term(term) -> str:
    if not is_literal(term):
        return _iri(term.value)
    text = literal(term.value)
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != XSD_STRING:
        return f"{text}^^{_iri(term.datatype.value)}"
    return text
