"""Real SPARQL servers: querying them (SPARQL 1.1 Protocol) and replacing a graph on them
(SPARQL 1.1 Graph Store HTTP Protocol).

Any server that speaks the two W3C protocols works: Oxigraph (``/query``,
``/store``), Apache Jena Fuseki (``/DATASET/sparql``, ``/DATASET/data``),
GraphDB (``/repositories/ID``, ``/repositories/ID/rdf-graphs/service``),
QLever (query only). Only the standard library is used.

* :class:`RemoteEngine` runs the saved SPARQL queries on a server. A
  parameter is never pasted from what the user typed: the argument is first
  resolved to an entity of the local registry, and the query is sent with
  that entity's IRI (or the as-of date) written in place of the parameter
  variable, serialised as an N-Triples term, which is what binding a
  variable to a constant means (SPARQL 1.1, SEP-0007).
* :func:`push` uploads the compiled graph with one ``PUT``, which replaces
  the target graph as a whole: a reader sees the old graph or the new one,
  never half of it.

Every failure — an unreachable server, a 4xx or 5xx answer, a timeout, a
dropped connection — is an :class:`EndpointError` with a one-line message.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph

from . import __version__
from .engine import Engine, QueryError, Term, bind_parameters, solution_rows
from .errors import AllianceGraphError
from .model import Entity, KnowledgeBase

__all__ = ["DEFAULT_TIMEOUT", "EndpointError", "RemoteEngine", "endpoint_url", "graph_store_url", "push", "request"]

#: Seconds to wait for a server before giving up.
DEFAULT_TIMEOUT = 60.0
USER_AGENT = f"alliancegraph/{__version__}"


class EndpointError(AllianceGraphError):
    """A SPARQL server could not be reached or refused the request."""


# -- HTTP -------------------------------------------------------------------------------------


def endpoint_url(url: str) -> str:
    """``url`` if a request can be sent to it: http(s), a host, a valid port, no spaces or
    control characters (which the request line cannot carry); else an :class:`EndpointError`
    naming it as the user wrote it."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError as error:  # an unclosed IPv6 bracket, a port out of range or not a number
        raise EndpointError(f"{url!r} is not a valid URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise EndpointError(f"{url!r} is not an http(s) URL")
    if not parts.hostname:
        raise EndpointError(f"{url!r} names no host")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise EndpointError(f"{url!r} contains spaces or control characters; percent-encode them")
    return url


def request(url: str, method: str = "GET", body: bytes | IO[bytes] | None = None,
            headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Send one request and return the body of a 2xx answer; anything else is an :class:`EndpointError`."""
    endpoint_url(url)
    prepared = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with urllib.request.urlopen(prepared, timeout=timeout) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        raise EndpointError(f"{url} answered {error.code} {error.reason}{_detail(error)}") from None
    except urllib.error.URLError as error:
        raise EndpointError(f"cannot reach {url}: {_reason(error.reason)}") from None
    except TimeoutError:
        raise EndpointError(f"{url} did not answer within {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError) as error:
        raise EndpointError(f"{url} dropped the connection ({_reason(error)})") from None


def _reason(reason: object) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    text = str(reason) or type(reason).__name__
    return " ".join(text.split())


def _detail(error: urllib.error.HTTPError) -> str:
    """The first line of a server's error message, if it gave one."""
    try:
        text = error.read(500).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f": {first[:200]}" if first else ""


# -- queries -------------------------------------------------------------------------------------


class RemoteEngine(Engine):
    """Saved SPARQL queries answered by a server over the SPARQL 1.1 Protocol.

    ``entities`` is the local registry that names are resolved against; it
    is only asked for when a query has an entity argument.
    """

    def __init__(self, endpoint: str, entities: Callable[[], Mapping[str, Entity]], graph: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, knowledge_base: Callable[[], KnowledgeBase] | None = None):
        self.endpoint = endpoint_url(endpoint)
        self.graph = graph
        self.timeout = timeout
        self._entities_source = entities
        self._entities: Mapping[str, Entity] | None = None
        self._knowledge_base = knowledge_base  # the local one, for who speaks for whom, as for names

    def knowledge_base(self) -> KnowledgeBase | None:
        return self._knowledge_base() if self._knowledge_base is not None else None

    @property
    def entities(self) -> Mapping[str, Entity]:  # type: ignore[override]
        if self._entities is None:
            self._entities = self._entities_source()
        return self._entities

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None,
               prefixes: Mapping[str, str] | None = None) -> list[dict]:
        bindings = dict(bindings or {})
        text = _with_prefixes(bind_parameters(sparql, bindings), prefixes or {})
        body = self._post(text)
        try:
            results = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError, OSError) as error:
            raise EndpointError(f"{self.endpoint} did not answer with SPARQL JSON results: {_reason(error)}") from None
        return solution_rows(results, bindings)

    def network(self):
        raise QueryError(
            "Python queries work on the local graph; run this query without --endpoint "
            "(the SPARQL queries run on the server)"
        )

    def _post(self, sparql: str) -> bytes:
        url = self.endpoint
        if self.graph:
            url = _with_query(url, urllib.parse.urlencode({"default-graph-uri": self.graph}))
        headers = {"Content-Type": "application/sparql-query; charset=utf-8",
                   "Accept": "application/sparql-results+json"}
        return request(url, "POST", sparql.encode("utf-8"), headers, self.timeout)


def _with_prefixes(sparql: str, prefixes: Mapping[str, str]) -> str:
    """Declare the prefixes the local engine declares for a query (a server knows none of ours).

    A query's own declaration of the same prefix comes later and wins.
    """
    lines = [f"PREFIX {name}: {pyoxigraph.NamedNode(iri)}\n" for name, iri in prefixes.items()]
    return "".join(lines) + sparql


# -- uploading --------------------------------------------------------------------------------------


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol address of one graph: ``?graph=IRI``, or ``?default``."""
    if graph is not None:
        try:
            pyoxigraph.NamedNode(graph)
        except ValueError as error:
            raise EndpointError(f"--graph {graph!r} is not an absolute IRI: {error}") from None
    return _with_query(endpoint, urllib.parse.urlencode({"graph": graph}) if graph else "default")


def _with_query(url: str, query: str) -> str:
    """``url`` with ``query`` added to its query string (a server's own parameters are kept)."""
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + query


def push(ntriples: Path, endpoint: str, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Replace ``graph`` (default: the default graph) on a Graph Store endpoint with a file's triples.

    One ``PUT`` carries the whole graph: a server that applies a PUT as one
    transaction (Oxigraph does from 0.5.10 on) swaps it in at once or, when
    anything fails, keeps the graph it had. Returns the URL written to.
    """
    url = graph_store_url(endpoint_url(endpoint), graph)
    size = ntriples.stat().st_size
    headers = {"Content-Type": "application/n-triples", "Content-Length": str(size)}
    with open(ntriples, "rb") as body:
        request(url, "PUT", body, headers, timeout)
    return url

