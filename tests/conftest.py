"""Shared fixtures: the curated knowledge base, and small knowledge bases built inside tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx
import pytest
import yaml
from click.testing import CliRunner

import alliancegraph
from alliancegraph.paths import default_kg

REPO = Path(__file__).resolve().parent.parent


class _BothStreams:
    """A click 8.1 result seen as click 8.2 shows it: ``output`` holds stdout and stderr."""

    def __init__(self, result):
        self._result = result

    def __getattr__(self, name):
        return getattr(self._result, name)

    @property
    def output(self) -> str:
        return self._result.stdout + self._result.stderr


class _Click81Runner(CliRunner):
    def __init__(self) -> None:
        super().__init__(mix_stderr=False)  # type: ignore[call-arg]

    def invoke(self, *args, **kwargs):
        return _BothStreams(super().invoke(*args, **kwargs))


def cli_runner() -> CliRunner:
    """A runner with ``stdout``, ``stderr`` and both in ``output``, on every click version
    we support (click 8.2 always keeps them so; 8.1 keeps stderr apart only when asked,
    with an argument 8.2 removed)."""
    try:
        return _Click81Runner()
    except TypeError:
        return CliRunner()


def run_in_terminal(arguments: list[str], columns: int, cwd: Path | None = None) -> tuple[str, str, int]:
    """Run the CLI with standard output on a pseudo-terminal ``columns`` wide: (screen, stderr, exit status)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [sys.executable, "-m", "alliancegraph.cli", *arguments],
        stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=environment, cwd=cwd,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    stderr = process.communicate(timeout=120)[1]
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), stderr.decode("utf-8"), process.returncode


def networkx_read_gexf(source):
    """networkx's reading of a GEXF export: an independent parser, which reads GEXF 1.3 only
    from networkx 3.6 on; on older releases the test skips (the RelaxNG check still runs)."""
    if "1.3" not in networkx.readwrite.gexf.GEXF.versions:
        pytest.skip(f"networkx {networkx.__version__} cannot read GEXF 1.3 (3.6 can)")
    return networkx.read_gexf(source)


def read_request_body(handler) -> bytes:
    """The body of the request an ``http.server`` handler is answering, read to its end: sized by
    Content-Length, or sent in chunks (Transfer-Encoding: chunked, as push streams the graph)."""
    if handler.headers.get("Transfer-Encoding", "").lower() != "chunked":
        return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    body = b""
    while size := int(handler.rfile.readline().split(b";")[0], 16):
        body += handler.rfile.read(size)
        handler.rfile.readline()  # the line end after each chunk
    handler.rfile.readline()  # the line end after the last, empty chunk
    return body


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Compiled stores go to a folder of the test session, never to the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALLIANCEGRAPH_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def curated():
    """The curated knowledge base (kg/ at the top of the repository)."""
    return alliancegraph.load(REPO / "kg")


class TinyKB:
    """Writes a small knowledge base into a folder, from Python data or raw YAML.

    ``article`` is the text of the one news source (id ``art``) quotes must occur in.
    """

    ARTICLE = (
        "Croatia, Albania and Kosovo signed a defence declaration in March. "
        "Serbia signed a military cooperation agreement with Hungary on April 3. "
        "Serbian Defence Minister Bratislav Gašić called the declaration “a provocative move”. "
        "Kosovo's minister claimed that Bulgaria would join the declaration. "
        "Bulgaria's foreign minister said reports of Bulgaria's interest are inaccurate. "
        "Milorad Dodik signaled willingness to align with Serbia and Hungary."
    )

    def __init__(self, root: Path, article: str | None = None):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "article.txt").write_text(article or self.ARTICLE, encoding="utf-8")
        self.sources = [
            {"id": "art", "title": "A test article", "kind": "news", "published": "2025-04-16", "file": "article.txt"},
            {"id": "record", "title": "Public records", "kind": "reference", "url": "https://example.org/records"},
        ]
        self.entities = [
            {"id": "serbia", "label": "Serbia", "type": "state", "wikidata": "Q403", "aliases": ["Belgrade"]},
            {"id": "hungary", "label": "Hungary", "type": "state", "wikidata": "Q28"},
            {"id": "croatia", "label": "Croatia", "type": "state"},
            {"id": "albania", "label": "Albania", "type": "state"},
            {"id": "kosovo", "label": "Kosovo", "type": "partially-recognized-state"},
            {"id": "bulgaria", "label": "Bulgaria", "type": "state"},
            {"id": "republika-srpska", "label": "Republika Srpska", "type": "sub-national-entity",
                "aliases": ["Republic Srpska"]},
            {"id": "declaration", "label": "Croatia–Albania–Kosovo declaration", "type": "agreement"},
            {"id": "srb-hun", "label": "Serbia–Hungary agreement", "type": "agreement"},
            {
                "id": "bratislav-gasic",
                "label": "Bratislav Gašić",
                "type": "person",
                "offices": [{"role": "Minister of Defence", "of": "serbia", "start": "2024-05-02", "source": "record"}],
            },
            {"id": "milorad-dodik", "label": "Milorad Dodik", "type": "person"},
            {"id": "georg-georgiev", "label": "Georg Georgiev", "type": "person"},
            {"id": "ejup-maqedonci", "label": "Ejup Maqedonci", "type": "person"},
        ]
        self.assertions: list[dict] = []

    def add(self, **assertion) -> dict:
        assertion.setdefault("source", "art")
        self.assertions.append(assertion)
        return assertion

    def write(self) -> Path:
        data = {"sources": self.sources, "entities": self.entities, "assertions": self.assertions}
        (self.root / "kb.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return self.root

    def load(self):
        return alliancegraph.load(self.write())

    def write_raw(self, name: str, text: str) -> Path:
        """Write a YAML file exactly as given (for line/column tests)."""
        path = self.root / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path


@pytest.fixture
def tiny(tmp_path) -> TinyKB:
    return TinyKB(tmp_path / "kb")


__all__ = ["TinyKB", "default_kg", "REPO", "read_request_body", "run_in_terminal"]
