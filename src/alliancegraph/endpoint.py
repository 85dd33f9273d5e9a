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

import base64
import contextlib
import http.client
import io
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import IO

import pyoxigraph

from .engine import INTEGER_TYPES, Engine, QueryError, Term, bind_parameters, refuse_federation, solution_rows
from .errors import AllianceGraphError
from .model import Entity, KnowledgeBase
from .version import __version__

__all__ = ["DEFAULT_TIMEOUT", "MAX_ANSWER_BYTES", "EndpointError", "RemoteEngine", "endpoint_url", "graph_store_url",
           "push", "request", "shown_url"]

#: What a request carries: bytes, a binary file read from where it stands, or chunks sent as they come.
Body = bytes | IO[bytes] | Iterable[bytes]

#: Seconds a whole exchange with a server may take (connecting, sending, every byte of the answer).
DEFAULT_TIMEOUT = 60.0
#: The largest answer read from a server: a saved query's answer is kilobytes, and a runaway
#: (or hostile) one is refused instead of filling the memory.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
#: Redirects followed at most; only to http(s), and a POST or PUT only by 307 or 308 (which keep it one).
MAX_REDIRECTS = 5
USER_AGENT = f"alliancegraph/{__version__}"


class EndpointError(AllianceGraphError):
    """A SPARQL server could not be reached or refused the request (``status``: its HTTP status, if it answered)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


# -- addresses ----------------------------------------------------------------------------------

_USERINFO = re.compile(r"(?<=//)[^/?#@]*@")


def shown_url(url: str) -> str:
    """``url`` as messages show it: without the user name and password it may carry."""
    return _USERINFO.sub("", url)


@dataclass(frozen=True)
class Address:
    """Where a request goes: the URL as sent (ASCII), as shown (no credentials), and the credentials."""

    scheme: str
    host: str
    port: int | None
    target: str  # path and query, percent-encoded
    shown: str
    credentials: tuple[str, str] | None

    @property
    def origin(self) -> tuple[str, str, int | None]:
        return self.scheme, self.host, self.port

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=ssl.create_default_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)


def endpoint_url(url: str) -> str:
    """``url`` if a request can be sent to it: http(s), a host, a valid port, no spaces or
    control characters (which the request line cannot carry); else an :class:`EndpointError`
    naming it as the user wrote it (less any password)."""
    address(url)
    return url


def address(url: str) -> Address:
    """The :class:`Address` of ``url``; letters outside ASCII are encoded (the host by IDNA,
    the rest as UTF-8 percent-escapes), as a browser does."""
    shown = shown_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as error:  # an unclosed IPv6 bracket, a port out of range or not a number
        raise EndpointError(f"{shown!r} is not a valid URL: {_clean(error)}") from None
    if parts.scheme not in ("http", "https"):
        raise EndpointError(f"{shown!r} is not an http(s) URL")
    if not parts.hostname:
        raise EndpointError(f"{shown!r} names no host")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise EndpointError(f"{shown!r} contains spaces or control characters; percent-encode them")
    try:
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.hostname
    except UnicodeError:
        raise EndpointError(f"{shown!r} names a host that cannot be written in ASCII (IDNA)") from None
    target = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=~") + (
        "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=~?") if parts.query else "")
    credentials = None
    if parts.username is not None:
        credentials = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    return Address(parts.scheme, host, port, target, shown, credentials)


# -- HTTP -------------------------------------------------------------------------------------


def request(url: str, method: str = "GET", body: Body | None = None,
            headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
            limit: int | None = None) -> bytes:
    """Send one request and return the body of a 2xx answer; anything else is an :class:`EndpointError`.

    ``timeout`` bounds the whole exchange, redirects included, however slowly a
    server trickles its answer; an answer over ``limit`` bytes is refused. A
    redirect is followed only to http(s), a POST or PUT only by 307 or 308
    (which keep its method and body: a 301, 302 or 303 would turn it into a GET
    without them); credentials in the URL are sent as HTTP Basic authentication
    and never to another host, and never shown.
    """
    with _exchange(url, method, body, headers, timeout, limit or MAX_ANSWER_BYTES) as answer:
        return answer.read_all()


@dataclass
class _Answer:
    """A 2xx answer whose body is read within the exchange's deadline and size limit."""

    response: http.client.HTTPResponse
    shown: str
    limit: int
    guard: _Deadline

    def read_all(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self, size: int = 64 * 1024) -> Iterator[bytes]:
        declared = self.response.getheader("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.limit:
            raise self._too_large()
        total = 0
        while True:
            with self.guard.watching(self.shown):
                chunk = self.response.read(size)
            if not chunk:
                return
            total += len(chunk)
            if total > self.limit:
                raise self._too_large()
            yield chunk

    def _too_large(self) -> EndpointError:
        return EndpointError(f"{self.shown} answered with more than {self.limit // 2**20} MiB; refused (a SPARQL "
                             "answer this large is a runaway query or a wrong address)")


class _Deadline:
    """The time left for an exchange; when it runs out, the connection is shut, which wakes any
    read or write blocked on it (a per-read timeout alone lets a trickling server go on for ever)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self.sock: socket.socket | None = None  # the connection's, kept: the connection forgets it once answered
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(self.end - time.monotonic(), 0.001)

    def _expire(self) -> None:
        self.expired = True
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()

    @contextlib.contextmanager
    def watching(self, shown: str) -> Iterator[None]:
        """Turn what a failed exchange raises into an :class:`EndpointError` saying why."""
        try:
            if self.expired:
                raise TimeoutError
            yield
        except EndpointError:
            raise
        except TimeoutError:
            raise EndpointError(f"{shown} did not answer within {self.seconds:g} s") from None
        except (http.client.HTTPException, OSError) as error:
            if self.expired:
                raise EndpointError(f"{shown} did not answer within {self.seconds:g} s") from None
            raise EndpointError(f"{shown} dropped the connection ({_reason(error)})") from None


@contextlib.contextmanager
def _exchange(url: str, method: str, body: Body | None, headers: Mapping[str, str] | None,
              timeout: float, limit: int) -> Iterator[_Answer]:
    """One request, its redirects followed (see :func:`request`), as its 2xx answer."""
    target = address(url)
    guard = _Deadline(timeout)
    rewindable = body is not None and not isinstance(body, bytes) and hasattr(body, "seek")
    start = body.tell() if rewindable else 0  # type: ignore[union-attr]
    try:
        for _ in range(MAX_REDIRECTS + 1):
            connection = target.connection(guard.left())
            try:
                response = _send(connection, target, method, body, headers, guard)
                if response.status in (301, 302, 303, 307, 308):
                    target = _redirected(target, response, method)
                    if body is not None and not isinstance(body, bytes) and not rewindable:
                        raise EndpointError(f"the server sent the upload on to {target.shown}; a streamed upload "
                                            "cannot be sent twice: push to that address")
                    if rewindable:
                        body.seek(start)  # type: ignore[union-attr]
                    continue
                if not 200 <= response.status < 300:
                    raise EndpointError(f"{target.shown} answered {response.status} {_clean(response.reason)}"
                                        f"{_detail(response, guard, target.shown)}", response.status)
                yield _Answer(response, target.shown, limit, guard)
                return
            finally:
                connection.close()
        raise EndpointError(f"{shown_url(url)} redirected more than {MAX_REDIRECTS} times; give the final address")
    finally:
        guard.cancel()


def _send(connection: http.client.HTTPConnection, target: Address, method: str, body: Body | None,
          headers: Mapping[str, str] | None, guard: _Deadline) -> http.client.HTTPResponse:
    sent = {"User-Agent": USER_AGENT, **(headers or {})}
    if target.credentials is not None:
        token = base64.b64encode(":".join(target.credentials).encode("utf-8")).decode("ascii")
        sent["Authorization"] = f"Basic {token}"
    with guard.watching(target.shown):
        try:
            connection.connect()
        except TimeoutError:
            raise
        except OSError as error:
            raise EndpointError(f"cannot reach {target.shown}: {_reason(error)}") from None
        guard.sock = connection.sock
        if guard.expired:  # it ran out while connecting, before there was a socket to shut
            raise TimeoutError
        connection.request(method, target.target, body=body, headers=sent)
        return connection.getresponse()


def _redirected(target: Address, response: http.client.HTTPResponse, method: str) -> Address:
    """Where a redirect leads, when following it keeps the request what it was."""
    location = response.getheader("Location")
    if not location:
        raise EndpointError(f"{target.shown} answered {response.status} without saying where to")
    new_url = urllib.parse.urljoin(f"{target.scheme}://{target.host}" + (f":{target.port}" if target.port else "")
                                   + target.target, location.strip())
    if urllib.parse.urlsplit(new_url).scheme not in ("http", "https"):
        raise EndpointError(f"{target.shown} redirected to {shown_url(new_url)!r}, which is not an http(s) URL; not followed")
    new = address(new_url)
    if method not in ("GET", "HEAD") and response.status not in (307, 308):
        raise EndpointError(
            f"{target.shown} redirected the {method} to {new.shown} with {response.status}, which would turn it into a GET "
            "without its body; not followed: give that address instead")
    # The credentials go along only to the same scheme, host and port they were given for.
    credentials = target.credentials if new.origin == target.origin else None
    return replace(new, credentials=new.credentials or credentials)


def _clean(text: object) -> str:
    return " ".join(str(text).split())[:200]


def _reason(reason: object) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return _clean(reason) or type(reason).__name__


def _detail(response: http.client.HTTPResponse, guard: _Deadline, shown: str) -> str:
    """The first line of a server's error message, if it gave one."""
    try:
        with guard.watching(shown):
            text = response.read(500).decode("utf-8", "replace")
    except EndpointError:
        return ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return f": {_clean(first)}" if first else ""


# -- SPARQL JSON results, checked before they are believed ----------------------------------------


def check_sparql_json(body: bytes, shown: str) -> None:
    """Refuse an answer that is not SPARQL 1.1 Query Results JSON, with what is wrong in it.

    Every binding is an object whose ``type`` is uri, literal, bnode or triple
    and whose ``value`` is text (a triple's, three terms); a literal's language
    and datatype are text; an integer is written as one; and every variable a
    row binds is one the head declares.
    """
    def refuse(why: str) -> EndpointError:
        return EndpointError(f"{shown} did not answer with SPARQL JSON results: {why}")

    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise refuse(f"not JSON ({_clean(error)})") from None
    if not isinstance(document, dict) or not isinstance(document.get("head"), dict):
        raise refuse("no 'head' object")
    names = document["head"].get("vars", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise refuse("'head.vars' is not a list of names")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise refuse("'boolean' is not true or false")
        return
    results = document.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise refuse("no 'results.bindings' list")
    for number, row in enumerate(results["bindings"], start=1):
        if not isinstance(row, dict):
            raise refuse(f"row {number} is not an object")
        for name, term in row.items():
            if name not in names:
                raise refuse(f"row {number} binds {_clean(name)!r}, which 'head.vars' does not declare")
            why = _term_problem(term)
            if why:
                raise refuse(f"row {number}, {_clean(name)!r}: {why}")


def _term_problem(term: object, depth: int = 0) -> str | None:
    if not isinstance(term, dict):
        return "a term is not an object"
    kind = term.get("type")
    if kind == "triple" and depth < 8:
        value = term.get("value")
        if not isinstance(value, dict) or set(value) != {"subject", "predicate", "object"}:
            return "a triple's value is not its subject, predicate and object"
        return next((why for part in value.values() if (why := _term_problem(part, depth + 1))), None)
    if kind not in ("uri", "literal", "typed-literal", "bnode"):
        return f"unknown term type {_clean(kind)!r}"
    if not isinstance(term.get("value"), str):
        return f"the value is {type(term.get('value')).__name__}, not text"
    for key in ("xml:lang", "datatype"):
        if key in term and not isinstance(term[key], str):
            return f"'{key}' is not text"
    if term.get("datatype") in INTEGER_TYPES and not _INTEGER.fullmatch(term["value"]):
        return f"{_clean(repr(term['value']))} is not an integer, as its datatype says"
    return None


_INTEGER = re.compile(r"[+-]?[0-9]{1,1000}")


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
        if not self.allow_service:
            refuse_federation(text)
        body = self._post(text)
        shown = shown_url(self.endpoint)
        check_sparql_json(body, shown)
        try:
            results = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
            return solution_rows(results, bindings)
        except (SyntaxError, ValueError, OSError, TypeError) as error:
            raise EndpointError(f"{shown} did not answer with SPARQL JSON results: {_reason(error)}") from None

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


#: How much of the graph ``push`` replaces it reads first, to say what it holds.
LOOK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class GraphContent:
    """What a graph on a server holds, as far as reading its first :data:`LOOK_BYTES` tells."""

    url: str  # as shown: no credentials
    lines: int  # triples seen (lines of N-Triples, or of whatever the server sent)
    whole: bool  # every line of the graph was seen
    unreadable: str | None = None  # why the graph could not be read

    @property
    def empty(self) -> bool:
        return self.unreadable is None and self.lines == 0

    def describe(self) -> str:
        if self.unreadable is not None:
            return f"whose content could not be read ({self.unreadable})"
        if self.empty:
            return "which is empty"
        if self.whole:
            return f"which holds {self.lines:,} triple{'s' if self.lines != 1 else ''}"
        return f"which holds more than {self.lines:,} triples"


def graph_content(endpoint: str, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> GraphContent:
    """Look at the graph :func:`push` would replace (a Graph Store GET, read only in part).

    A graph the server does not have (404) is empty.
    """
    url = graph_store_url(endpoint_url(endpoint), graph)
    shown = shown_url(url)
    seen, whole = b"", True
    try:
        with _exchange(url, "GET", None, {"Accept": "application/n-triples"}, timeout, limit=2**62) as answer:
            for chunk in answer.chunks():
                seen += chunk
                if len(seen) > LOOK_BYTES:
                    whole = False
                    break
    except EndpointError as error:
        if error.status is None:  # no answer at all: the upload would fare no better
            raise
        if error.status == 404:
            return GraphContent(shown, 0, True)
        return GraphContent(shown, 0, False, unreadable=str(error).removeprefix(f"{shown} "))
    lines = [line for line in seen[:LOOK_BYTES].splitlines() if line.strip() and not line.lstrip().startswith(b"#")]
    return GraphContent(shown, len(lines) - (0 if whole else 1), whole)


def push(ntriples: IO[bytes] | Iterable[bytes], endpoint: str, graph: str | None = None,
         timeout: float = DEFAULT_TIMEOUT) -> str:
    """Replace ``graph`` (default: the default graph) on a Graph Store endpoint with N-Triples:
    the triples of the binary file ``ntriples`` (from where it stands to its end), or chunks
    of them as they are produced, sent with chunked transfer encoding.

    One ``PUT`` carries the whole graph: a server that applies a PUT as one
    transaction (Oxigraph does from 0.5.10 on) swaps it in at once or, when
    anything fails, keeps the graph it had (a stream that fails never sends its
    last chunk). ``timeout`` bounds the whole upload. Returns the URL written
    to, as shown (without credentials).
    """
    url = graph_store_url(endpoint_url(endpoint), graph)
    headers = {"Content-Type": "application/n-triples"}
    if isinstance(ntriples, io.IOBase):  # a file: its size is known
        headers["Content-Length"] = str(os.fstat(ntriples.fileno()).st_size - ntriples.tell())
    request(url, "PUT", ntriples, headers, timeout)
    return shown_url(url)
