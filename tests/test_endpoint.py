"""Real SPARQL servers: the same answers through Oxigraph's HTTP server as locally, and clean failures."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

import alliancegraph
from alliancegraph.cli import main
from alliancegraph.endpoint import EndpointError, RemoteEngine, push, request
from alliancegraph.engine import LocalEngine, bind_parameters, entity_term
from alliancegraph.queries import load_queries

from conftest import REPO, cli_runner, read_request_body

GRAPH = "https://example.org/graphs/alliancegraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is missing: pip install '.[test]' installs it")
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """An Oxigraph server on a free loopback port, stopped by its PID afterwards."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph did not start: {process.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
        yield base
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def cli(*args: str):
    result = cli_runner().invoke(main, ["--kg", str(REPO / "kg"), *args])
    return result


@pytest.fixture(scope="module")
def pushed(oxigraph):
    """The curated graph uploaded into the server's default graph."""
    result = cli("push", "--endpoint", f"{oxigraph}/store")
    assert result.exit_code == 0, result.output
    return oxigraph


def count(endpoint: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    engine = RemoteEngine(f"{endpoint}/query", dict)
    return engine.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"]


# -- identical answers -------------------------------------------------------------------------


def saved_sparql_queries():
    return sorted(name for name, query in load_queries().items() if query.kind == "SPARQL")


@pytest.mark.parametrize("name", saved_sparql_queries())
@pytest.mark.parametrize("actor", ["Serbia", "Bulgaria"])
def test_saved_queries_answer_the_same_through_the_server(pushed, name, actor):
    query = load_queries()[name]
    arguments = {p.name: actor for p in query.parameters if p.required}
    local = cli("query", name, *arguments.values(), "--as-of", "2026-01-01", "--format", "json")
    remote = cli("query", name, *arguments.values(), "--as-of", "2026-01-01", "--format", "json",
                 "--endpoint", f"{pushed}/query")
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_adhoc_sparql_answers_the_same_through_the_server(pushed):
    text = "SELECT ?state ?label WHERE { ?state a ag:State ; rdfs:label ?label } ORDER BY ?state"
    local = cli("sparql", text, "--format", "csv")
    remote = cli("sparql", text, "--format", "csv", "--endpoint", f"{pushed}/query")
    assert remote.exit_code == 0, remote.output
    assert remote.output == local.output and "serbia" in remote.output


def test_remote_engine_binds_only_resolved_iris(pushed):
    local = LocalEngine(alliancegraph.load(REPO / "kg"))
    remote = RemoteEngine(f"{pushed}/query", lambda: local.entities)
    text = "SELECT ?label WHERE { ?_actor_iri rdfs:label ?label }"
    prefixes = {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    bindings = {"_actor_iri": entity_term(remote.resolve("serbia").id)}
    assert remote.select(text, bindings, prefixes) == local.select(text, bindings, prefixes) == [{"label": "Serbia"}]


def test_a_person_is_answered_for_their_state_on_a_server_too(pushed):
    local = cli("query", "who-aligns-with", "Gasic", "--as-of", "2025-06-01", "--format", "json")
    remote = cli("query", "who-aligns-with", "Gasic", "--as-of", "2025-06-01", "--format", "json",
                 "--endpoint", f"{pushed}/query")
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and json.loads(remote.stdout)
    assert remote.stderr == local.stderr and remote.stderr.startswith("Bratislav Gašić speaks for Serbia")


def test_a_python_query_says_it_needs_the_local_graph(pushed):
    result = cli("query", "path", "Serbia", "Hungary", "--endpoint", f"{pushed}/query")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: Python queries work on the local graph")


# -- pushing -------------------------------------------------------------------------------------


def test_push_replaces_a_named_graph_as_a_whole(oxigraph):
    store = f"{oxigraph}/store"
    request(f"{store}?graph={GRAPH}", "PUT", b"<http://example.org/old> <http://example.org/p> \"1\" .\n",
            {"Content-Type": "application/n-triples"})
    result = cli("push", "--endpoint", store, "--graph", GRAPH)
    assert result.exit_code == 0, result.output
    with alliancegraph.store.CompiledStore.open(REPO / "kg") as compiled:
        expected = len(compiled.store)
    assert count(oxigraph, GRAPH) == expected  # the old triple is gone, every new one is there
    answer = cli("query", "who-aligns-with", "Serbia", "--format", "json", "--endpoint", f"{oxigraph}/query",
                 "--graph", GRAPH)
    assert answer.exit_code == 0 and json.loads(answer.output) == json.loads(
        cli("query", "who-aligns-with", "Serbia", "--format", "json").output)


def test_push_streams_the_store_without_a_temporary_file(oxigraph, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # anything written to a temporary file lands here
    graph = "https://example.org/graphs/streamed"
    result = cli("push", "--endpoint", f"{oxigraph}/store", "--graph", graph)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []
    with alliancegraph.store.CompiledStore.open(REPO / "kg") as compiled:
        local = {str(quad.subject) + str(quad.predicate) + str(quad.object) for quad in compiled.store}
    rows = RemoteEngine(f"{oxigraph}/query", dict).select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert len(rows) == len(local)


def test_a_stream_that_fails_halfway_leaves_the_servers_graph_as_it_was(oxigraph):
    graph = "https://example.org/graphs/half"
    request(f"{oxigraph}/store?graph={graph}", "PUT", b"<http://example.org/a> <http://example.org/p> \"1\" .\n",
            {"Content-Type": "application/n-triples"})

    def chunks():
        yield b"<http://example.org/a> <http://example.org/p> \"2\" .\n"
        raise alliancegraph.store.StoreError("the store could not be read")

    with pytest.raises(alliancegraph.store.StoreError):
        push(chunks(), f"{oxigraph}/store", graph)
    assert count(oxigraph, graph) == 1
    kept = RemoteEngine(f"{oxigraph}/query", dict).select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert kept == [{"o": "1"}]


def test_bad_graph_iri_is_refused_before_sending(oxigraph):
    result = cli("push", "--endpoint", f"{oxigraph}/store", "--graph", "not an iri")
    assert result.exit_code == 1 and "not an absolute IRI" in result.output


# -- failures ------------------------------------------------------------------------------------


class Misbehaving(http.server.BaseHTTPRequestHandler):
    """Answers 500, or drops the connection, or stalls, depending on the path."""

    def handle_request(self):
        if self.path.startswith("/drop"):
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if self.path.startswith("/slow"):
            time.sleep(3)
        read_request_body(self)
        self.send_response(500, "Internal Server Error")
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"storage is full\nsecond line\n")

    do_POST = do_PUT = do_GET = handle_request

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def misbehaving():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


class _last_line:
    """A result seen as its exit code and its last line of output (push says what it replaces first)."""

    def __init__(self, result):
        self.exit_code, self.output = result.exit_code, result.output.strip().splitlines()[-1]


def test_unreachable_server(misbehaving):
    url = f"http://127.0.0.1:{free_port()}/query"
    message = one_line_error(cli("query", "who-aligns-with", "Serbia", "--endpoint", url))
    assert "cannot reach" in message and url in message


def test_server_error_is_one_line_with_the_servers_reason(misbehaving):
    pushed = cli("push", "--endpoint", f"{misbehaving}/store")
    assert pushed.exit_code == 1 and pushed.stderr.splitlines()[0].startswith("Replacing the default graph at ")
    message = one_line_error(_last_line(pushed))
    assert "answered 500 Internal Server Error: storage is full" in message
    message = one_line_error(cli("sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", f"{misbehaving}/query"))
    assert "answered 500" in message


def test_dropped_connection(misbehaving):
    message = one_line_error(cli("query", "who-aligns-with", "Serbia", "--endpoint", f"{misbehaving}/drop"))
    assert "dropped the connection" in message or "cannot reach" in message


def test_timeout(misbehaving):
    with pytest.raises(EndpointError, match="did not answer within 0.5 s|timed out"):
        RemoteEngine(f"{misbehaving}/slow", dict, timeout=0.5).select("SELECT * WHERE { ?s ?p ?o }")


def test_a_failed_push_leaves_the_servers_graph_as_it_was(oxigraph, misbehaving, tmp_path):
    graph = "https://example.org/graphs/kept"
    request(f"{oxigraph}/store?graph={graph}", "PUT", b"<http://example.org/a> <http://example.org/p> \"1\" .\n",
            {"Content-Type": "application/n-triples"})
    broken = tmp_path / "broken.nt"
    broken.write_bytes(b"<http://example.org/a> <http://example.org/p> \"2\" .\nthis is not n-triples\n")
    with pytest.raises(EndpointError, match="answered 400"), open(broken, "rb") as body:
        push(body, f"{oxigraph}/store", graph)
    assert count(oxigraph, graph) == 1


BAD_ENDPOINTS = {
    "http://": "names no host",
    "ftp://x": "is not an http(s) URL",
    "localhost:7878": "is not an http(s) URL",
    "http://[::1": "is not a valid URL",  # the reason after it is the URL parser's own
    "http://localhost:99999/store": "is not a valid URL",
    "http://a b/store": "contains spaces or control characters",
    "http://x/store\t": "contains spaces or control characters",
}


@pytest.mark.parametrize("url, reason", BAD_ENDPOINTS.items(), ids=BAD_ENDPOINTS.keys())
@pytest.mark.parametrize("command", [["push"], ["query", "who-aligns-with", "Serbia"], ["sparql", "SELECT * {?s ?p ?o}"]])
def test_a_bad_endpoint_is_named_as_given_before_anything_is_sent(command, url, reason):
    message = one_line_error(cli(*command, "--endpoint", url))
    assert message.startswith(f"Error: {url!r} {reason}")


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e300", "0"])
def test_a_timeout_that_is_not_a_usable_number_of_seconds_is_a_usage_error(seconds):
    result = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--timeout", seconds)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "--timeout" in result.output and "Traceback" not in result.output


def test_parameters_are_substituted_as_terms_not_text():
    text = 'SELECT ?x WHERE { ?x ?p ?_actor_iri FILTER (?x != ?_actor_iri) } GROUP BY ?x ?_actor_iri'
    bound = bind_parameters(text, {"_actor_iri": entity_term("serbia")})
    iri = "<https://w3id.org/alliancegraph/id/serbia>"
    assert bound == f"SELECT ?x WHERE {{ ?x ?p {iri} FILTER (?x != {iri}) }} GROUP BY ?x ({iri})"
    # strings and comments that look like variables are left alone
    assert bind_parameters('SELECT * { ?s ?p "?_a" } # ?_a', {"_a": entity_term("x")}) == 'SELECT * { ?s ?p "?_a" } # ?_a'


def test_the_workspace_pushes_then_answers_from_the_server(oxigraph):
    """alliancegraph.open(...).push and .engine(endpoint): what push and --endpoint do, from Python."""
    graph = "https://example.org/graphs/workspace"
    told = []
    with alliancegraph.open(REPO / "kg") as kg:
        pushed = kg.push(f"{oxigraph}/store", graph, timeout=60, before_sending=told.append)
        assert (pushed.target, pushed.before) == (f"graph {graph}", "which is empty")
        assert pushed.triples == len(kg.compiled().store) == count(oxigraph, graph)
        assert [(t.target, t.before, t.triples) for t in told] == [(pushed.target, pushed.before, pushed.triples)]
        assert kg.push(f"{oxigraph}/store", graph, timeout=60).before.startswith("which holds")  # a bounded look
        with pytest.raises(EndpointError, match="nothing was sent"):
            kg.push(f"{oxigraph}/store", graph, timeout=60, overwrite=False)
        remote = kg.query("who-aligns-with", "Serbia", engine=kg.engine(f"{oxigraph}/query", graph, timeout=60))
        local = kg.query("who-aligns-with", "Serbia")
    assert "hungary" in {row["actor"] for row in remote}
    assert (list(remote), remote.evidence) == (list(local), local.evidence)
