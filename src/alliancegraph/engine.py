"""The query engine boundary: where SPARQL runs and where the network comes from.

Saved queries and ad-hoc SPARQL never talk to a store directly; they go
through an :class:`Engine`:

* ``select(sparql, bindings)`` runs a SELECT query with parameters bound as
  RDF terms (never pasted into the text) and returns rows of plain Python
  values: entity, assertion, source and relation IRIs become their ids,
  vocabulary IRIs their local names, integers ``int``, other literals ``str``;
* ``network()`` gives the networkx graph Python queries work on;
* ``resolve(name)`` finds an entity of the ``entities`` registry by id, label
  or alias.

:class:`OxigraphEngine` answers from any pyoxigraph store; :class:`LocalEngine`
is one over an in-memory store compiled from a knowledge base. Both the store and the network are built on first use, so a
SPARQL query never imports networkx and a Python query never compiles RDF.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph

from .errors import AllianceGraphError
from .model import Entity, KnowledgeBase
from .resolve import FoldedNames, resolve_entity
from .text import one_line
from .vocabulary import ASSERTION, ENTITY, PREFIXES, RELATION, SOURCE, VOCAB

if TYPE_CHECKING:
    import networkx

    from .tie_table import TieTable

__all__ = [
    "Engine",
    "LocalEngine",
    "OxigraphEngine",
    "QueryError",
    "Term",
    "bind_parameters",
    "calls_out",
    "date_term",
    "entity_term",
    "plain_iri",
    "plain_literal",
    "projected_variables",
    "refuse_federation",
    "variables",
]

#: What a parameter is bound to: an IRI or a typed literal.
Term = pyoxigraph.NamedNode | pyoxigraph.Literal

XSD = PREFIXES["xsd"]

#: IRIs in these namespaces come back as their local part (an id or a name).
SHORTENED_NAMESPACES = (ENTITY, ASSERTION, SOURCE, RELATION, VOCAB)

INTEGER_TYPES = frozenset(
    XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip


class QueryError(AllianceGraphError):
    """A query that cannot run: malformed, unknown, or given wrong arguments."""


# -- terms and values ------------------------------------------------------------------


def entity_term(entity_id: str) -> pyoxigraph.NamedNode:
    """The IRI of an entity, ready to bind to a parameter."""
    return pyoxigraph.NamedNode(ENTITY + entity_id)


def date_term(day: dt.date) -> pyoxigraph.Literal:
    """An ``xsd:date`` literal, ready to bind to a parameter."""
    return pyoxigraph.Literal(day.isoformat(), datatype=pyoxigraph.NamedNode(XSD + "date"))


def plain_iri(iri: str) -> str:
    """An IRI as a row value: the local part in alliancegraph's namespaces, else the IRI."""
    for namespace in SHORTENED_NAMESPACES:
        if iri.startswith(namespace):
            return iri[len(namespace) :]
    return iri


def plain_literal(lexical: str, datatype: str | None) -> str | int:
    """A literal as a row value: integers as ``int``, everything else as its text (and so is
    an integer whose text is not one, or too long to print)."""
    if datatype in INTEGER_TYPES:
        try:
            return int(lexical)
        except ValueError:
            return lexical
    return lexical


def plain(term: object) -> str | int | None:
    """A pyoxigraph term as a row value (None for an unbound variable)."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return plain_iri(term.value)
    if isinstance(term, pyoxigraph.Literal):
        return plain_literal(term.value, term.datatype.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term)  # quoted triples (RDF-star) keep their N-Triples form


def solution_rows(results: object, bindings: Mapping[str, Term]) -> list[dict]:
    """The rows of a SELECT query's results, without the bound variables (rows never carry them)."""
    if not isinstance(results, pyoxigraph.QuerySolutions):
        raise QueryError("only SELECT queries give rows; this is an ASK, CONSTRUCT or DESCRIBE query")
    names = [variable.value for variable in results.variables]
    kept = [name not in bindings for name in names]
    # Rows repeat the same terms (an actor, a relation, a modality): each is made plain once.
    values: dict[object, str | int | None] = {None: None}
    rows = []
    for solution in results:
        row = {}
        for name, keep, term in zip(names, kept, solution):
            if keep:
                value = values.get(term, values)
                if value is values:
                    value = values[term] = plain(term)
                row[name] = value
        rows.append(row)
    return rows


# -- SPARQL text -------------------------------------------------------------------------
#
# Just enough lexing to find a query's variables and its top-level SELECT and
# GROUP BY clauses. Comments, strings and IRIs are matched as wholes so that a
# '#', '?' or '{' inside them is never taken for syntax.

_TOKEN = re.compile(
    r"""
      (?P<skip> \#[^\n]*
              | \"\"\"[\s\S]*?\"\"\" | '''[\s\S]*?'''
              | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'
              | <[^<>"{}|^`\\\s]*> )
    | (?P<variable> [?$]\w+ )
    | (?P<word> [A-Za-z_][\w-]* )
    | (?P<symbol> [{}()*] )
    """,
    re.VERBOSE,
)


class Token(NamedTuple):
    kind: str
    text: str
    start: int
    end: int


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of a query that matter for its structure (see above)."""
    for match in _TOKEN.finditer(sparql):
        kind = match.lastgroup  # every alternative of _TOKEN is a named group
        if kind and kind != "skip":
            yield Token(kind, match.group(), match.start(), match.end())


def variables(sparql: str) -> list[str]:
    """Every variable named in the query (without '?'), in order of first appearance."""
    return list(dict.fromkeys(t.text[1:] for t in tokens(sparql) if t.kind == "variable"))


def _select_clause(sparql: str) -> tuple[int, list[Token]]:
    """Where the outermost projection begins, and its tokens (up to WHERE, FROM or '{')."""
    stream = tokens(sparql)
    for token in stream:
        if token.kind == "word" and token.text.upper() == "SELECT":
            break
    else:
        raise QueryError("not a SELECT query: only SELECT queries give rows")
    insert_at, clause = token.end, list[Token]()
    for token in stream:
        keyword = token.text.upper() if token.kind == "word" else ""
        if keyword in ("WHERE", "FROM") or token.text == "{":
            break
        if keyword in ("DISTINCT", "REDUCED") and not clause:
            insert_at = token.end
            continue
        clause.append(token)
    return insert_at, clause


def projected_variables(sparql: str) -> list[str] | None:
    """The columns of a SELECT query in order, or None for ``SELECT *``."""
    _, clause = _select_clause(sparql)
    columns: list[str] = []
    depth = 0
    for previous, token in zip([None, *clause], clause):
        if token.text == "*" and depth == 0:
            return None
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        after_as = previous is not None and previous.text.upper() == "AS"
        if token.kind == "variable" and (depth == 0 or after_as):
            columns.append(token.text[1:])
    return columns


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def calls_out(sparql: str) -> bool:
    """Whether a query holds ``SERVICE``, a federated call that makes the engine send a request
    to another server: the keyword outside strings, IRIs and comments, once the ``\\u``
    escapes SPARQL allows anywhere in a query are decoded."""
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if int(m.group(1) or m.group(2), 16) < 0x110000
                          else m.group(0), sparql)
    for token in tokens(text):
        before, after = text[token.start - 1 : token.start], text[token.end : token.end + 1]
        if token.kind == "word" and token.text.upper() == "SERVICE" and before not in (":", ".", "@") and after != ":":
            return True
    return False


def refuse_federation(sparql: str) -> None:
    """A :class:`QueryError` for a query that would call another server (``SERVICE``)."""
    if calls_out(sparql):
        raise QueryError(
            "this query calls another SPARQL service (SERVICE), which is off: a query someone else wrote could "
            "send requests from your machine to any address; if you trust it, run it again with --allow-service"
        )


def bind_parameters(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with every bound variable replaced by its term, as a constant.

    This is what binding a variable means (SEP-0007), written into the text:
    a server then needs no extension to take parameters, and Oxigraph's
    planner sees the constant, so a pattern on the bound entity is evaluated
    first (substituted at run time, it is planned as a free variable: one
    query took 0.8 s instead of 0.01 s at 100,000 assertions). Within GROUP
    BY and ORDER BY the term is bracketed, as those clauses require; a bound
    variable in the top-level projection is dropped (rows never carry bound
    variables).
    """
    if not bindings:
        return sparql
    terms = {name: _serialise(term) for name, term in bindings.items()}
    pieces: list[str] = []
    position = 0
    in_projection = in_ordering = seen_select = False
    previous = ""
    for token in tokens(sparql):
        word = token.text.upper() if token.kind == "word" else ""
        if word == "SELECT" and not seen_select:
            in_projection = seen_select = True
        elif word in ("WHERE", "FROM") or token.text in ("{", "}"):
            in_projection = in_ordering = False
        elif word == "BY" and previous in ("GROUP", "ORDER"):
            in_ordering = True
        elif word in ("HAVING", "LIMIT", "OFFSET", "VALUES"):
            in_ordering = False
        previous = word
        name = token.text[1:] if token.kind == "variable" else None
        if name not in terms:
            continue
        pieces.append(sparql[position : token.start])
        if not in_projection:
            pieces.append(f"({terms[name]})" if in_ordering else terms[name])
        position = token.end
    pieces.append(sparql[position:])
    return "".join(pieces)


def _serialise(term: Term) -> str:
    """A term in N-Triples form (pyoxigraph escapes it), which SPARQL reads as the same term."""
    if not isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
        raise QueryError(f"cannot bind {term!r} as a parameter: only IRIs and literals")
    return str(term)


# -- engines ------------------------------------------------------------------------------


class Engine(ABC):
    """Runs SELECT queries and hands out the network; see the module docs.

    A query that calls another server (``SERVICE``) is refused unless
    ``allow_service`` is set.
    """

    entities: Mapping[str, Entity]
    allow_service: bool = False

    @abstractmethod
    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, prefixes: Mapping[str, str] | None = None
    ) -> list[dict]:
        """Rows of a SELECT query, each with every projected variable as a key.

        ``bindings`` maps variable names (without ``?``) to the terms they
        stand for throughout the query, as constants. ``prefixes`` are
        declared as if written at the top of the query (it may redeclare them).
        """

    @abstractmethod
    def network(self) -> networkx.MultiDiGraph:
        """The knowledge base as a networkx graph (see :mod:`alliancegraph.network`)."""

    def tie_table(self) -> TieTable:
        """The network's ties (see :mod:`alliancegraph.tie_table`), here taken from :meth:`network`."""
        from .tie_table import TieTable

        return TieTable.of_graph(self.network())

    #: Every entity's names folded, when they were computed beforehand (see :func:`alliancegraph.resolve.named`).
    folded_names: FoldedNames | None = None

    def resolve(self, name: str) -> Entity:
        """The entity named ``name`` (id, label or alias; case- and diacritics-insensitive)."""
        return resolve_entity(self.entities, name, self.folded_names)

    def knowledge_base(self) -> KnowledgeBase | None:
        """The knowledge base the graph was compiled from, for the rules the model holds (who
        speaks for whom); None when the engine does not know it."""
        return None


class OxigraphEngine(Engine):
    """SELECT queries answered by a pyoxigraph store, in memory or on disk.

    A subclass says where the store, the entities and the network come from.
    """

    @property
    @abstractmethod
    def store(self) -> pyoxigraph.Store:
        """The store holding the compiled graph."""

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, prefixes: Mapping[str, str] | None = None
    ) -> list[dict]:
        bindings = dict(bindings or {})
        sparql = bind_parameters(sparql, bindings)
        if not self.allow_service:
            refuse_federation(sparql)
        try:
            return solution_rows(self.store.query(sparql, prefixes=dict(prefixes or {})), bindings)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL: {one_line(str(error))}") from None
        except (OSError, RuntimeError) as error:  # evaluation: a SERVICE call, a store that cannot be read...
            raise self.evaluation_failed(error) from None

    def evaluation_failed(self, error: Exception) -> AllianceGraphError:
        """The error a query that failed while running is reported as (a store kept on disk
        says when it is damaged)."""
        return QueryError(f"the query failed: {one_line(str(error))}")


class LocalEngine(OxigraphEngine):
    """An engine over one knowledge base, held in memory."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.entities = kb.entities
        self._store: pyoxigraph.Store | None = None
        self._network: networkx.MultiDiGraph | None = None

    @property
    def store(self) -> pyoxigraph.Store:
        if self._store is None:
            from .rdf import to_oxigraph

            self._store = to_oxigraph(self.kb)
        return self._store

    def network(self) -> networkx.MultiDiGraph:
        if self._network is None:
            from .network import to_networkx

            self._network = to_networkx(self.kb)
        return self._network

    def knowledge_base(self) -> KnowledgeBase:
        return self.kb
