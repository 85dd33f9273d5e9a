"""Every file the tool writes goes through a temporary file and a rename: an interrupted command
leaves the previous good output as it was."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import alliancegraph.files
from alliancegraph.build import build
from alliancegraph.cli import main
from alliancegraph.errors import WriteError
from alliancegraph.files import all_or_nothing, atomic_writer, write_atomic

from conftest import REPO, TinyKB, cli_runner


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, hidden temporary files included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the writers ---------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = write_atomic(tmp_path / "out.txt", "old\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(target) as handle:
            handle.write("half a new fi")
            raise RuntimeError("interrupted")
    assert snapshot(tmp_path) == {"out.txt": b"old\n"}


def test_all_or_nothing_renames_only_when_every_write_succeeded(tmp_path):
    write_atomic(tmp_path / "a", "old a")
    write_atomic(tmp_path / "b", "old b")
    with pytest.raises(RuntimeError):
        with all_or_nothing():
            write_atomic(tmp_path / "a", "new a")
            assert (tmp_path / "a").read_text() == "old a"  # not yet renamed
            raise RuntimeError("interrupted before b")
    assert snapshot(tmp_path) == {"a": b"old a", "b": b"old b"}
    with all_or_nothing():
        write_atomic(tmp_path / "a", "new a")
        write_atomic(tmp_path / "b", "new b")
    assert snapshot(tmp_path) == {"a": b"new a", "b": b"new b"}


def test_outside_a_group_writes_are_renamed_at_once(tmp_path):
    with all_or_nothing():
        pass
    write_atomic(tmp_path / "a", "now")
    assert (tmp_path / "a").read_text() == "now"


# -- an interrupted build -------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path):
    """A knowledge base built once into out/, then changed so that a new build would differ."""
    kb = TinyKB(tmp_path / "kb")
    kb.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    out = tmp_path / "out"
    build(kb.load(), out)
    before = snapshot(out)
    kb.add(id="a2", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03", quote="with Hungary")
    kb.write()
    return kb, out, before


def test_a_build_that_fails_midway_leaves_every_previous_output(built, monkeypatch):
    kb, out, before = built
    from alliancegraph.export import gexf

    def failing(*args, **kwargs):
        yield "<?xml"
        raise RuntimeError("disk full")

    monkeypatch.setattr(gexf, "generate_gexf", failing)
    with pytest.raises(RuntimeError):
        build(kb.load(), out)
    assert snapshot(out) == before  # earlier formats were written, but not renamed into place


def test_a_build_killed_midway_leaves_every_previous_output(built):
    kb, out, before = built
    script = textwrap.dedent(f"""
        import os, signal, sys
        from alliancegraph.export import gexf
        from alliancegraph.cli import main

        original = gexf.generate_gexf

        def killed_midway(*args, **kwargs):
            for number, chunk in enumerate(original(*args, **kwargs)):
                yield chunk
                if number == 3:
                    os.kill(os.getpid(), signal.SIGKILL)

        gexf.generate_gexf = killed_midway
        sys.exit(main(["--kg", {str(kb.root)!r}, "build", "-o", {str(out)!r}]))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = snapshot(out)
    leftovers = [name for name in after if name not in before]
    assert {name: after[name] for name in before} == before
    assert all(Path(name).name.startswith(".") and name.endswith(".tmp") for name in leftovers)  # SIGKILL allows no cleanup

    finished = cli_runner().invoke(main, ["--kg", str(kb.root), "build", "-o", str(out)])
    assert finished.exit_code == 0, finished.output
    assert snapshot(out)["graph.ttl"] != before["graph.ttl"]  # the test would have seen an overwrite


# -- every command that writes --------------------------------------------------------------------


@pytest.fixture
def renames(monkeypatch) -> list[Path]:
    """Destinations of the renames that put files in place."""
    done: list[Path] = []
    real = os.replace

    def recording(source, destination):
        done.append(Path(destination).resolve())
        return real(source, destination)

    monkeypatch.setattr(alliancegraph.files.os, "replace", recording)
    return done


def written_in_place(folder: Path, renames: list[Path], ignored=lambda part: False) -> list[str]:
    """Files under ``folder`` that were not renamed into place."""
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.resolve() not in renames and not any(ignored(part) for part in p.relative_to(folder).parts)
    ]


COMMANDS = {
    "build": ["build", "-o", "{out}"],
    **{f"export {fmt}": ["export", "-f", fmt, "-o", "{out}/graph." + fmt] for fmt in ("turtle", "jsonld", "ntriples", "graphml",
        "gexf")},
    "export csv": ["export", "-f", "csv", "-o", "{out}/csv"],
    "draw": ["draw", "-o", "{out}/network.svg"],
    "schema --write": ["schema", "--write", "--out", "{out}"],
    "suggest --write": ["suggest", "{kb}/article.txt", "--write", "{out}/drafts.yaml"],
}


@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_writes_its_files_by_rename(tiny, tmp_path, renames, arguments):
    if arguments[0] == "draw":
        pytest.importorskip("matplotlib")
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    root, out = tiny.write(), tmp_path / "out"
    out.mkdir()
    filled = [a.format(out=out, kb=root) for a in arguments]
    result = cli_runner().invoke(main, ["--kg", str(root), *filled])
    assert result.exit_code == 0, result.output
    assert list(out.rglob("*")), "the command wrote nothing"
    assert written_in_place(out, renames) == []


def test_the_query_cache_is_written_by_rename(tiny, tmp_path, renames, monkeypatch):
    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(tmp_path / "cache"))
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    result = cli_runner().invoke(main, ["--kg", str(tiny.write()), "query", "who-aligns-with", "Serbia"])
    assert result.exit_code == 0, result.output
    # An Oxigraph store folder is a database of its own, made visible by the manifest's rename;
    # the lock file is only ever locked, never written.
    database_or_lock = lambda part: part == "lock" or part.startswith("store-")  # noqa: E731
    assert written_in_place(tmp_path / "cache", renames, database_or_lock) == []
    assert any(p.name == "manifest.json" for p in renames)


def test_annotate_rewrites_knowledge_base_files_by_rename(tiny, renames):
    root = tiny.write()
    cli_runner().invoke(main, ["--kg", str(root), "schema", "--annotate", "--out", str(REPO / "schemas")])
    assert (root / "kb.yaml").resolve() in renames


# -- paths that cannot be written -------------------------------------------------------------------


@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_every_command_names_a_path_it_cannot_write(tiny, tmp_path, arguments):
    if arguments[0] == "draw":
        pytest.importorskip("matplotlib")
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    root, blocker = tiny.write(), tmp_path / "out"
    blocker.write_text("a file where a folder should be\n")
    filled = [a.format(out=blocker / "inside", kb=root) for a in arguments]
    result = cli_runner().invoke(main, ["--kg", str(root), *filled])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.count("\n") == 1 and f"Error: cannot write {blocker}" in result.output
    assert result.output.rstrip().endswith(": not a directory")
    assert blocker.read_text() == "a file where a folder should be\n"


def test_a_link_stays_a_link_and_the_file_it_points_to_is_replaced(tmp_path):
    target = write_atomic(tmp_path / "real.ttl", "old\n")
    (tmp_path / "link.ttl").symlink_to(target)
    write_atomic(tmp_path / "link.ttl", "new\n")
    assert (tmp_path / "link.ttl").is_symlink()
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "real.ttl"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_is_written_into_and_stays_a_pipe(tmp_path):
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_atomic(pipe, "through the pipe\n")
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode), "a rename would have put a file in the pipe's place"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_export_to_a_link_to_standard_output_writes_there(tmp_path):
    # What `-o /dev/stdout` is on Linux, made in tmp_path so a regression cannot replace the system's own.
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd on this system")
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    kb = TinyKB(tmp_path / "kb")
    kb.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    root = kb.write()
    completed = subprocess.run(
        [sys.executable, "-m", "alliancegraph.cli", "--kg", str(root), "export", "-f", "ntriples", "-o", str(stdout)],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "<https://w3id.org/alliancegraph/assertion/a1>" in completed.stdout
    assert stdout.is_symlink()


def test_writing_over_a_folder_is_refused_and_leaves_it(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(WriteError, match=f"(?i)cannot write .*folder: {os.strerror(errno.EISDIR)}"):
        write_atomic(tmp_path / "folder", "text")
    assert snapshot(tmp_path) == {} and (tmp_path / "folder").is_dir()


def test_a_full_disk_is_a_write_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    target = write_atomic(tmp_path / "out.txt", "old\n")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(alliancegraph.files.os, "fsync", full)
    with pytest.raises(WriteError, match=f"(?i)out.txt: {os.strerror(errno.ENOSPC)}") as raised:
        write_atomic(target, "new\n")
    assert isinstance(raised.value, OSError)  # the cache, which handles OSErrors, still does
    assert snapshot(tmp_path) == {"out.txt": b"old\n"}
