"""A misbehaving or hostile SPARQL server, and queries that would call one: total deadlines, a size
cap, strict SPARQL JSON, safe redirects, credentials never shown, push that says what it replaces,
and SERVICE off unless allowed. The servers are small http.server ones started by the tests."""

from __future__ import annotations

import base64
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from alliancegraph import endpoint as endpoint_module
from alliancegraph.cli import main
from alliancegraph.endpoint import EndpointError, RemoteEngine, request

from conftest import REPO, TinyKB, cli_runner, read_request_body

ANSWER = {"head": {"vars": ["actor"]}, "results": {"bindings": [{"actor": {"type": "literal", "value": "from the server"}}]}}
QUERY = "SELECT ?actor WHERE { ?actor ?p ?o }"


class Server:
    """A server whose answer to each path is a function of the request: routes[path](handler)."""

    def __init__(self):
        self.routes: dict = {}
        self.seen: list[tuple[str, str, dict, bytes]] = []  # method, path, headers, body
        self.events: dict[str, threading.Event] = {}
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                path = self.path.split("?")[0]
                if path in outer.events:
                    outer.events[path].set()
                route = outer.routes.get(path, answer_json(ANSWER))
                body = b"" if getattr(route, "unread", False) else read_request_body(self)
                outer.seen.append((self.command, self.path, dict(self.headers), body))
                try:
                    route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = handle_any

            def log_message(self, *args):
                pass

        class Quiet(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hangs up on a misbehaving answer is what these tests want

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    started = Server()
    yield started
    started.stop()


def answer_json(document, status: int = 200):
    body = json.dumps(document).encode("utf-8")

    def route(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return route


def redirect(status: int, location: str):
    def route(handler):
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


def trickle(handler):
    """Headers at once, then one byte at a time, for ever (until the client hangs up)."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    for _ in range(10_000):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


trickle.unread = True  # it answers while the upload is still coming


def endless(handler):
    """An answer of no stated length that goes on well past the size limit."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    handler.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * (4 * 2**20))


def cli(*arguments: str, kg: Path = REPO / "kg"):
    return cli_runner().invoke(main, ["--kg", str(kg), *arguments])


def run(*arguments: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliancegraph.cli", "--kg", str(REPO / "kg"), *arguments],
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


# -- redirects ---------------------------------------------------------------------------------------


def test_a_redirect_that_would_turn_the_query_post_into_a_get_is_not_followed(server):
    server.routes["/query"] = redirect(302, "/elsewhere")
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/query")
    assert result.exit_code == 1 and "from the server" not in result.stdout
    assert result.stderr.splitlines() == [
        f"Error: {server.url}/query redirected the POST to {server.url}/elsewhere with 302, which would turn it into a "
        "GET without its body; not followed: give that address instead"]
    assert [(method, path) for method, path, _, _ in server.seen] == [("POST", "/query")]


def test_a_redirect_that_keeps_the_post_is_followed_with_the_query(server):
    server.routes["/query"] = redirect(307, "/real")
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/query", "--format", "csv")
    assert result.exit_code == 0 and result.stdout == "actor\nfrom the server\n"
    [_, (method, path, _, body)] = server.seen
    assert (method, path) == ("POST", "/real") and QUERY.encode() in body


def test_a_redirect_to_anything_but_http_is_not_followed(server):
    server.routes["/query"] = redirect(307, "ftp://127.0.0.1/answers")
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/query")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {server.url}/query redirected to 'ftp://127.0.0.1/answers', which is not an http(s) URL; not followed"]


# -- credentials ---------------------------------------------------------------------------------------


def test_credentials_in_the_url_are_sent_but_never_shown(server):
    server.routes["/query"] = answer_json({"error": "no"}, status=500)
    url = server.url.replace("http://", "http://ana:s3cret%21@") + "/query"
    result = cli("sparql", QUERY, "--endpoint", url)
    assert result.exit_code == 1 and "s3cret" not in result.output and "ana" not in result.output
    assert result.stderr.startswith(f"Error: {server.url}/query answered 500")
    sent = server.seen[0][2]["Authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == b"ana:s3cret!"


def test_credentials_do_not_follow_a_redirect_to_another_host(server):
    other = Server()
    try:
        server.routes["/query"] = redirect(307, other.url.replace("127.0.0.1", "localhost") + "/query")
        url = server.url.replace("http://", "http://ana:s3cret@") + "/query"
        assert cli("sparql", QUERY, "--endpoint", url).exit_code == 0
        assert "Authorization" in server.seen[0][2] and "Authorization" not in other.seen[0][2]
    finally:
        other.stop()


def test_a_malformed_url_is_named_without_its_password():
    result = cli("sparql", QUERY, "--endpoint", "http://ana:s3cret@[::1/query")
    assert result.exit_code == 1 and "s3cret" not in result.output and "http://[::1/query" in result.output


def test_an_endpoint_url_with_letters_beyond_ascii_is_encoded_as_a_browser_would(server):
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/sparql/café?name=Vučić", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert server.seen[0][1] == "/sparql/caf%C3%A9?name=Vu%C4%8Di%C4%87"


# -- deadlines and sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["push", "--endpoint", "{url}/store"],
                                     ["query", "who-aligns-with", "Serbia", "--endpoint", "{url}/query"],
                                     ["sparql", QUERY, "--endpoint", "{url}/query"]], ids=["push", "query", "sparql"])
def test_a_server_that_trickles_its_answer_is_given_up_on_at_the_deadline(server, command):
    server.routes["/store"] = server.routes["/query"] = trickle
    result = run(*[part.replace("{url}", server.url) for part in command], "--timeout", "2")
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines()[-1].endswith("did not answer within 2 s")


def test_an_answer_over_the_size_limit_is_refused_without_reading_it_all(server, monkeypatch):
    monkeypatch.setattr(endpoint_module, "MAX_ANSWER_BYTES", 2**20)
    server.routes["/query"] = endless
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/query")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {server.url}/query answered with more than 1 MiB; refused (a SPARQL answer this large is a runaway "
        "query or a wrong address)"]


def test_an_answer_that_says_it_is_over_the_limit_is_refused_at_once(server, monkeypatch):
    monkeypatch.setattr(endpoint_module, "MAX_ANSWER_BYTES", 2**20)

    def announced(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", str(2**40))
        handler.end_headers()
        handler.wfile.write(b"{")
    server.routes["/query"] = announced
    with pytest.raises(EndpointError, match="answered with more than 1 MiB; refused"):
        request(f"{server.url}/query")


# -- strict SPARQL JSON ------------------------------------------------------------------------------------

TERM = {"type": "literal", "value": "x"}
MALFORMED = {
    "a number as a value": ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": 42}}]}},
                            "row 1, 'x': the value is int, not text"),
    "an integer that is not one": (
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {
            "type": "literal", "value": "\u0000evil", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}},
        "row 1, 'x': '\\x00evil' is not an integer, as its datatype says"),
    "an unknown term type": ({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "file", "value": "/"}}]}},
                             "row 1, 'x': unknown term type 'file'"),
    "an undeclared variable": ({"head": {"vars": ["x"]}, "results": {"bindings": [{"y": TERM}]}},
                               "row 1 binds 'y', which 'head.vars' does not declare"),
    "no bindings": ({"head": {"vars": ["x"]}, "results": {}}, "no 'results.bindings' list"),
    "not an object": ([1, 2, 3], "no 'head' object"),
    "a language that is not text": (
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {**TERM, "xml:lang": ["en"]}}]}},
        "row 1, 'x': 'xml:lang' is not text"),
}


@pytest.mark.parametrize("document, why", MALFORMED.values(), ids=MALFORMED.keys())
def test_an_answer_that_is_not_sparql_json_is_refused_with_what_is_wrong(server, document, why):
    server.routes["/query"] = answer_json(document)
    with pytest.raises(EndpointError) as raised:
        RemoteEngine(f"{server.url}/query", dict).select("SELECT ?x WHERE { ?x ?p ?o }")
    assert str(raised.value) == f"{server.url}/query did not answer with SPARQL JSON results: {why}"


def test_html_is_not_an_answer(server):
    def page(handler):
        body = b"<html><body>Sign in</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    server.routes["/query"] = page
    result = cli("sparql", QUERY, "--endpoint", f"{server.url}/query")
    assert result.exit_code == 1 and "did not answer with SPARQL JSON results: not JSON" in result.stderr


# -- push: what it replaces, a named graph, refusing to overwrite, nothing left behind ------------------------


def test_push_says_what_it_replaces_and_can_refuse_to(server):
    held = b"<http://example.org/a> <http://example.org/p> \"1\" .\n<http://example.org/b> <http://example.org/p> \"2\" .\n"

    def graph(handler):
        if handler.command == "GET":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/n-triples")
            handler.send_header("Content-Length", str(len(held)))
            handler.end_headers()
            handler.wfile.write(held)
        else:
            handler.send_response(204)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
    server.routes["/store"] = graph
    refused = cli("push", "--endpoint", f"{server.url}/store", "--no-overwrite")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"Error: --no-overwrite: the default graph at {server.url}/store?default which holds 2 triples; nothing was sent"]
    assert [method for method, _, _, _ in server.seen] == ["GET"]
    pushed = cli("push", "--endpoint", f"{server.url}/store")
    assert pushed.exit_code == 0
    first, last = pushed.stderr.splitlines()
    assert first.startswith(f"Replacing the default graph at {server.url}/store?default, which holds 2 triples, with ")
    assert last == f"Replaced the default graph at {server.url}/store?default"
    assert [method for method, _, _, _ in server.seen] == ["GET", "GET", "PUT"]


def test_push_into_a_new_named_graph_with_no_overwrite(server):
    def graph(handler):
        handler.send_response(404 if handler.command == "GET" else 201)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    server.routes["/store"] = graph
    pushed = cli("push", "--endpoint", f"{server.url}/store", "--graph", "https://example.org/g", "--no-overwrite")
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stderr.splitlines()[0].startswith(
        f"Replacing graph https://example.org/g at {server.url}/store?graph=https%3A%2F%2Fexample.org%2Fg, which is empty")
    assert server.seen[-1][0] == "PUT" and server.seen[-1][1] == "/store?graph=https%3A%2F%2Fexample.org%2Fg"


def test_a_killed_push_leaves_no_copy_of_the_graph_behind(server, tmp_path):
    uploading = server.events["/store-put"] = threading.Event()

    def stall(handler):
        if handler.command == "GET":
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        uploading.set()
        time.sleep(30)
    stall.unread = True
    server.routes["/store"] = stall
    server.events.pop("/store-put")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "alliancegraph.cli", "--kg", str(REPO / "kg"), "push",
                                "--endpoint", f"{server.url}/store"], env={**os.environ, "TMPDIR": str(temporary)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert uploading.wait(120), "the upload never started"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(30)
    assert list(temporary.iterdir()) == []


# -- SERVICE -------------------------------------------------------------------------------------------------


def federated(url: str) -> str:
    return f"SELECT ?s WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("spelling", ["SERVICE", "service silent", "\\u0053ERVICE"])
def test_a_local_query_calling_another_server_is_refused(server, spelling):
    result = cli("sparql", federated(server.url).replace("SERVICE", spelling))
    assert result.exit_code == 1
    assert "calls another SPARQL service (SERVICE), which is off" in result.stderr and "--allow-service" in result.stderr
    assert server.seen == []


def test_a_saved_query_calling_another_server_is_refused_unless_allowed(server, tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "phone-home.rq").write_text(f"#+ summary: Calls out.\n{federated(server.url)}\n", encoding="utf-8")
    refused = cli("query", "--queries", str(folder), "phone-home")
    assert refused.exit_code == 1 and "--allow-service" in refused.stderr and server.seen == []
    allowed = cli("query", "--queries", str(folder), "phone-home", "--allow-service")
    assert [method for method, _, _, _ in server.seen] != []
    assert "calls another SPARQL service" not in allowed.output


def test_a_query_sent_to_a_server_with_service_is_refused_too(server):
    result = cli("sparql", federated("http://127.0.0.1:9"), "--endpoint", f"{server.url}/query")
    assert result.exit_code == 1 and "--allow-service" in result.stderr and server.seen == []


def test_words_that_only_look_like_service_are_not_refused(tiny: TinyKB):
    root = tiny.write()
    text = 'SELECT ?service WHERE { ?service ?p "SERVICE" } # SERVICE <http://x> {}'
    assert cli("sparql", text, kg=root).exit_code == 0
