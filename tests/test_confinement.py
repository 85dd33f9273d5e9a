"""A knowledge base someone else wrote reads nothing outside its own tree, and what the tool writes
respects what it replaces: permissions, owner, hard links, line endings, links leading elsewhere."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import alliancegraph
from alliancegraph.cli import main
from alliancegraph.errors import WriteError
from alliancegraph.files import sole_writer, write_atomic
from alliancegraph.loading import check
from alliancegraph.schema import annotate

from conftest import TinyKB, cli_runner

SECRET = "hunter2-not-for-the-graph"
OUTSIDE = "is outside the knowledge base: every file it names must be, links followed, in its folder or in the seeds/ folder"


def cli(*arguments: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliancegraph.cli", *arguments], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def planted(tmp_path: Path) -> tuple[TinyKB, Path]:
    """A knowledge base in project/kg, and a file of secrets in other-project/ beside it."""
    kb = TinyKB(tmp_path / "project" / "kg")
    secrets = tmp_path / "other-project" / "credentials"
    secrets.parent.mkdir()
    secrets.write_text(f"API_TOKEN={SECRET}\n", encoding="utf-8")
    return kb, secrets


def leaking_source(kb: TinyKB, file: str, quote: str) -> None:
    kb.sources.append({"id": "leak", "title": "A leak", "kind": "news", "published": "2025", "file": file})
    kb.add(id="a1", subject="serbia", relation="aligns-with", object="hungary", date=2025, source="leak", quote=quote)


# -- paths a knowledge base names -----------------------------------------------------------------


@pytest.mark.parametrize("how", ["climbing", "absolute", "link", "proc"])
def test_a_source_file_outside_the_knowledge_base_is_a_located_problem_and_nothing_leaks(tmp_path, how):
    kb, secrets = planted(tmp_path)
    if how == "link":
        (kb.root / "notes.txt").symlink_to(secrets)
    file = {"climbing": "../../other-project/credentials", "absolute": str(secrets), "link": "notes.txt",
            "proc": "/proc/self/environ"}[how]
    if how == "proc" and not Path(file).exists():
        pytest.skip("no /proc on this system")
    leaking_source(kb, file, "API_TOKEN=")
    root = kb.write()
    [problem] = [str(p) for p in check(root)[1]]
    assert problem.startswith(f"{root / 'kb.yaml'}:15:9: source leak: source file ")
    assert problem.endswith(f"{OUTSIDE} beside it")
    exported = cli("--kg", str(root), "export", "-f", "ntriples", env={"API_TOKEN": SECRET})
    assert exported.returncode == 1
    assert SECRET not in exported.stdout + exported.stderr
    pushed = cli("--kg", str(root), "push", "--endpoint", "http://127.0.0.1:9/store", "--timeout", "5")
    assert pushed.returncode == 1 and OUTSIDE in pushed.stderr  # refused before any request


def test_files_in_the_folder_and_in_the_seeds_beside_it_are_read(tmp_path):
    kb = TinyKB(tmp_path / "project" / "kg")
    seeds = tmp_path / "project" / "seeds"
    seeds.mkdir()
    (seeds / "2025-04-article.txt").write_text(TinyKB.ARTICLE, encoding="utf-8")
    (kb.root / "texts").mkdir()
    (kb.root / "texts" / "linked.txt").symlink_to(seeds / "2025-04-article.txt")
    kb.sources += [
        {"id": "seed", "title": "Seed", "kind": "news", "published": "2025", "file": "../seeds/2025-04-article.txt"},
        {"id": "linked", "title": "Linked", "kind": "news", "published": "2025", "file": "texts/linked.txt"},
    ]
    kb.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, source="seed", quote="Serbia signed")
    kb.add(id="a2", subject="serbia", relation="signs", object="srb-hun", date=2025, source="linked", quote="Serbia signed")
    assert check(kb.write())[1] == []


def test_a_yaml_file_linked_from_outside_is_not_read(tmp_path):
    kb, secrets = planted(tmp_path)
    (kb.root / "keys.yaml").symlink_to(secrets)
    root = kb.write()
    problems = [str(p) for p in check(root)[1]]
    assert len(problems) == 1 and "keys.yaml:1:1: not read: this file is a link leading out of the knowledge base" in problems[0]
    result = cli("--kg", str(root), "query", "who-aligns-with", "Serbia")
    assert result.returncode == 1 and "keys.yaml:1:1: not read" in result.stderr and SECRET not in result.stderr


def test_a_yaml_file_linked_beside_itself_is_read_once_by_check_and_by_the_store(tmp_path):
    kb = TinyKB(tmp_path / "kg")
    kb.add(id="a1", subject="serbia", relation="aligns-with", object="hungary", date=2025, source="art",
           quote="Serbia signed")
    root = kb.write()
    (root / "also.yaml").symlink_to(root / "kb.yaml")
    assert check(root)[1] == []
    result = cli("--kg", str(root), "query", "who-aligns-with", "Serbia", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "a1" in result.stdout


# -- schema --annotate --------------------------------------------------------------------------


@pytest.fixture
def annotated(tmp_path) -> TinyKB:
    kb = TinyKB(tmp_path / "project" / "kg")
    kb.write()
    return kb


def test_annotate_never_writes_through_a_link_leading_out(annotated, tmp_path):
    key = tmp_path / "private-key"
    key.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    key.chmod(0o600)
    (annotated.root / "keys.yaml").symlink_to(key)
    result = cli_runner().invoke(main, ["--kg", str(annotated.root), "schema", "--annotate"])
    assert result.exit_code == 1
    assert "keys.yaml:1:1: not annotated: it is a link leading out of the knowledge base" in result.stderr
    assert key.read_text(encoding="utf-8") == "-----BEGIN PRIVATE KEY-----\n"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (annotated.root / "kb.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")


def test_annotate_keeps_permissions_and_line_endings(annotated):
    crlf = annotated.root / "people.yaml"
    crlf.write_bytes(b"entities:\r\n  - {id: ana-brnabic, label: Ana Brnabic, type: person}\r\n")
    crlf.chmod(0o640)
    annotate(annotated.root)
    text = crlf.read_bytes()
    assert text.startswith(b"# yaml-language-server: $schema=../schemas/entities.schema.json\r\nentities:\r\n")
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert stat.S_IMODE(crlf.stat().st_mode) == 0o640
    assert annotate(annotated.root).changed == []  # and it reads its own line back


def test_annotate_leaves_files_it_cannot_read_and_reports_them(annotated):
    (annotated.root / "latin1.yaml").write_bytes(b"entities:\n  - {id: x, label: Caf\xe9, type: state}\n")
    (annotated.root / "float.yaml").write_text("entities:\n  - {id: y, label: !!float abc, type: state}\n")
    result = cli_runner().invoke(main, ["--kg", str(annotated.root), "schema", "--annotate"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "latin1.yaml:2:23: not annotated: file is not valid UTF-8 text" in result.stderr
    assert (annotated.root / "latin1.yaml").read_bytes().startswith(b"entities:")
    assert (annotated.root / "float.yaml").read_text().startswith("# yaml-language-server: $schema=")


def test_annotate_points_at_the_schemas_beside_the_knowledge_base_not_into_the_installed_package(annotated):
    annotate(annotated.root)
    line = (annotated.root / "kb.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert line == "# yaml-language-server: $schema=../schemas/knowledge-base.schema.json"
    target = (annotated.root / "../schemas/knowledge-base.schema.json").resolve()
    assert target.is_file()
    assert Path(alliancegraph.__file__).resolve().parent not in target.parents


def test_annotate_refuses_the_knowledge_base_shipped_with_the_tool(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    result = cli_runner().invoke(main, ["schema", "--annotate"])
    assert result.exit_code == 2 and "writes into the knowledge base you curate" in result.stderr


# -- suggest --write and the atomic writer ---------------------------------------------------------


def suggest_into(kb: TinyKB, target: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return cli("--kg", str(kb.write()), "suggest", str(kb.root / "article.txt"), "--write", str(target), timeout=timeout)


def test_suggest_write_keeps_permissions_hard_links_and_line_endings(tiny, tmp_path):
    target = tmp_path / "drafts.yaml"
    target.write_bytes(b"# my drafts\r\nassertions:\r\n")
    target.chmod(0o600)
    other_name = tmp_path / "same-drafts.yaml"
    os.link(target, other_name)
    result = suggest_into(tiny, target)
    assert result.returncode == 0, result.stderr
    text = target.read_bytes()
    assert text.startswith(b"# my drafts\r\nassertions:\r\n") and b"#   - id: " in text
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_nlink == 2 and other_name.read_bytes() == text


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only an administrator can give files away")
def test_suggest_write_keeps_the_owner_of_the_file(tiny, tmp_path):
    target = tmp_path / "drafts.yaml"
    target.write_text("assertions:\n", encoding="utf-8")
    os.chown(target, 4321, 4321)
    assert suggest_into(tiny, target).returncode == 0
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 4321)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_suggest_write_refuses_a_pipe_or_a_device_at_once(tiny, tmp_path, kind):
    if kind == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
    else:
        target = Path("/dev/full")
        if not target.exists():
            pytest.skip("no /dev/full on this system")
    result = suggest_into(tiny, target, timeout=60)  # it used to block for ever, or read the device without end
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {target} is not a regular file: drafts are appended to a YAML file, never to a pipe, a device or a socket"]


def test_the_atomic_writer_refuses_a_link_leading_out_of_the_folder_it_is_given(tmp_path):
    inside, outside = tmp_path / "kb", tmp_path / "elsewhere.txt"
    inside.mkdir()
    outside.write_text("kept", encoding="utf-8")
    (inside / "link.yaml").symlink_to(outside)
    with pytest.raises(WriteError, match="link leading out of the folder being written"):
        write_atomic(inside / "link.yaml", "new", within=inside)
    assert outside.read_text(encoding="utf-8") == "kept"
    (inside / "real.yaml").write_text("old", encoding="utf-8")
    (inside / "inner-link.yaml").symlink_to(inside / "real.yaml")
    write_atomic(inside / "inner-link.yaml", "new", within=inside)
    assert (inside / "real.yaml").read_text(encoding="utf-8") == "new" and (inside / "inner-link.yaml").is_symlink()


# -- two builds into one folder -----------------------------------------------------------------------


def test_a_build_into_a_folder_another_build_is_writing_is_refused(tiny, tmp_path):
    root, out = tiny.write(), tmp_path / "out"
    with sole_writer(out):  # another build, halfway
        (out / "graph.ttl").write_text("the other build's graph\n", encoding="utf-8")
        result = cli("--kg", str(root), "build", "-o", str(out))
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"Error: cannot write {out}: another command is writing into this folder now; nothing was written, run again "
            "when it has finished"]
        assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]
    assert cli("--kg", str(root), "build", "-o", str(out)).returncode == 0


def test_review_never_edits_a_file_linked_from_outside(tiny, tmp_path):
    outside = tmp_path / "someone-elses.yaml"
    text = ("assertions:\n  - id: serbia-signs\n    subject: serbia\n    relation: signs\n    object: srb-hun\n"
            "    date: 2025-04-03\n    source: art\n    quote: Serbia signed\n    review: needed\n")
    outside.write_text(text, encoding="utf-8")
    (tiny.write() / "drafts.yaml").symlink_to(outside)
    result = cli_runner().invoke(main, ["--kg", str(tiny.root), "review", "accept", "--all"])
    assert result.exit_code == 1 and "is a link leading out of the knowledge base" in result.stderr
    assert outside.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("command", ["suggest", "add", "saved query"])
def test_a_pipe_is_refused_wherever_a_file_is_read(tiny, tmp_path, command):
    root = tiny.write()
    pipe = tmp_path / ("queries/q.rq" if command == "saved query" else "article.txt")
    pipe.parent.mkdir(exist_ok=True)
    os.mkfifo(pipe)
    arguments = {"suggest": ["suggest", str(pipe), "--source", "art"], "add": ["add", str(pipe), "--no-ask"],
                 "saved query": ["query", "--queries", str(pipe.parent), "--list"]}[command]
    result = cli("--kg", str(root), *arguments, timeout=60)  # a read would block for ever
    assert result.returncode == 1, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_query_on_standard_input_is_read_within_bounds(tiny):
    result = subprocess.run([sys.executable, "-m", "alliancegraph.cli", "--kg", str(tiny.write()), "sparql", "-"],
                            input="#" * (2 * 2**20), capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "longer than 1 MiB" in result.stderr
