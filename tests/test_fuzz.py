"""A seeded, bounded fuzz run: knowledge bases someone else wrote, and caches damaged at random.

Every case is drawn from a seed named after its number (``kb-17``, ``cache-42``), so a failure
names the case that reproduces it. Over mutated knowledge bases, every command must end with
exit status 0, 1 or 2 (never 3, an internal error), print no traceback, read nothing outside the
knowledge base (a planted secret never shows), and a knowledge base that ``check`` accepts must
answer from its compiled store exactly as from a fresh compilation. Over damaged caches, a query
must give the right answer, or fail with a message naming ``alliancegraph cache clear``, and the
next one must give the right answer. ``ALLIANCEGRAPH_FUZZ_CASES`` sets how many knowledge bases
run, and half as many caches (a longer hunt: ``ALLIANCEGRAPH_FUZZ_CASES=2000``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

import pytest
import yaml

from alliancegraph.cache import cache_dir_for
from alliancegraph.cli import main
from alliancegraph.engine import LocalEngine
from alliancegraph.loading import check
from alliancegraph.queries import load_queries
from alliancegraph.store_engine import StoreEngine
from alliancegraph.yamlsafe import SafeLoader

from conftest import TinyKB, cli_runner

#: Knowledge bases fuzzed in the normal test run, and half as many damaged caches (docs/safety.md gives the totals).
CASES = int(os.environ.get("ALLIANCEGRAPH_FUZZ_CASES", "120"))
CACHE_CASES = CASES // 2
SECRET = "fuzz-secret-7f3a9c"
AS_OF = dt.date(2026, 1, 1)
COMMANDS = (["check"], ["query", "who-aligns-with", "Serbia"], ["stats", "--format", "json"],
            ["export", "-f", "ntriples"], ["entities", "--format", "csv"])

# -- knowledge bases -----------------------------------------------------------------------------------

HOSTILE_VALUES = [
    "!!timestamp 2025-01-01", "!!timestamp 2025-01-01T10:00:00Z", "!!float abc", "!!binary aGVsbG8=", "!!binary !!!",
    "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system x", "!!str", "&a [*a]", "*nowhere", "9" * 5000,
    "0x" + "f" * 5000, "1e999", ".nan", "-.inf", "~", "[]", "{}", '"\\u0000"', '"\\ud800"', '"\\x1b[31m"', "'‮evil'",
    "!!int 12", "!!bool yes", "2025-02-30", "0000-01-01", "-2025", "99999-01-01", "[[[[[[[[[[x]]]]]]]]]]",
    "{a: {b: {c: d}}}", "|\n  a block\n", "? [complex, key]\n  : value", '"' + "é" * 20_000 + '"', "'\\'",
]
HOSTILE_FILES = ["/etc/passwd", "/proc/self/environ", "/dev/zero", "../secret.txt", "../../secret.txt",
                 "linked-secret.txt", "fifo.txt", ".", "article.txt\x00", "", "missing.txt", "article.txt/.."]


def write_valid(root: Path) -> TinyKB:
    kb = TinyKB(root)
    kb.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    kb.add(id="a2", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03",
           quote="agreement with Hungary")
    kb.add(id="a3", subject="milorad-dodik", relation="aligns-with", object="serbia", date="2025-04",
           modality="intention", quote="Milorad Dodik signaled willingness to align with Serbia")
    kb.write()
    return kb


def mutate(rng: random.Random, root: Path) -> str:
    """Damage the knowledge base in ``root`` one way or a few; return what was done."""
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        done.append(rng.choice(MUTATIONS)(rng, root))
    return "; ".join(done)


def _text(root: Path) -> bytes:
    return (root / "kb.yaml").read_bytes()


def _write(root: Path, content: bytes) -> None:
    (root / "kb.yaml").write_bytes(content)


def flip_bytes(rng, root):
    data = bytearray(_text(root))
    for _ in range(rng.randint(1, 5)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    _write(root, bytes(data))
    return "flipped bytes"


def truncate(rng, root):
    data = _text(root)
    at = rng.randrange(len(data))
    _write(root, data[:at])
    return f"truncated at {at}"


def hostile_value(rng, root):
    lines = _text(root).decode("utf-8", "surrogateescape").split("\n")
    places = [i for i, line in enumerate(lines) if ": " in line]
    if not places:
        return "no value to replace (already broken)"
    i = rng.choice(places)
    key = lines[i].split(": ", 1)[0]
    value = rng.choice(HOSTILE_VALUES)
    lines[i] = f"{key}: {value}"
    _write(root, "\n".join(lines).encode("utf-8", "surrogateescape"))
    return f"line {i + 1}: {key.strip()} = {value[:40]!r}"


def hostile_file(rng, root):
    try:
        data = yaml.load(_text(root), Loader=SafeLoader)
        source = data["sources"][0]
    except (yaml.YAMLError, ValueError, TypeError, KeyError, IndexError):
        return "no source to give a file (already broken)"
    name = rng.choice(HOSTILE_FILES)
    source["file"] = name
    _write(root, yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8"))
    return f"source file {name!r}"


def duplicate_line(rng, root):
    lines = _text(root).split(b"\n")
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    _write(root, b"\n".join(lines))
    return f"line {i + 1} twice"


def delete_line(rng, root):
    lines = _text(root).split(b"\n")
    i = rng.randrange(len(lines))
    del lines[i]
    _write(root, b"\n".join(lines))
    return f"line {i + 1} deleted"


def reencode(rng, root):
    encoding = rng.choice(["utf-16", "latin-1", "utf-8-sig", "cp1252"])
    _write(root, _text(root).decode("utf-8", "replace").encode(encoding, "replace"))
    return f"encoded as {encoding}"


def another_file(rng, root):
    name = rng.choice(["more.yaml", "sub/deeper.yml", ".hidden.yaml", "links.yaml"])
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    kind = rng.choice(["hostile", "link to the secret", "link to a device", "fifo", "duplicate"])
    target = root / name
    if target.exists() or target.is_symlink():
        target.unlink()
    if kind == "link to the secret":
        target.symlink_to(root.parent / "secret.txt")
    elif kind == "link to a device":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "duplicate":
        shutil.copy(root / "kb.yaml", target)
    else:
        target.write_text(f"assertions:\n  - {{id: z1, note: {rng.choice(HOSTILE_VALUES)}}}\n", encoding="utf-8")
    return f"{name}: {kind}"


MUTATIONS = [flip_bytes, truncate, hostile_value, hostile_value, hostile_value, hostile_file, duplicate_line,
             delete_line, reencode, another_file]


def run_cli(arguments: list[str]):
    result = cli_runner().invoke(main, arguments)
    if result.exit_code not in (0, 1, 2):
        debugged = cli_runner().invoke(main, ["--debug", *arguments])
        import traceback

        details = "".join(traceback.format_exception(*debugged.exc_info)) if debugged.exc_info else debugged.output
        pytest.fail(f"exit status {result.exit_code} for {arguments}:\n{result.output}\n{details}")
    return result


@pytest.fixture
def planted(tmp_path) -> Path:
    """A folder for knowledge bases beside a file of secrets, and a link to it."""
    (tmp_path / "secret.txt").write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("block", range(5))
def test_fuzzed_knowledge_bases_end_in_a_documented_status(planted, block):
    for case in range(block, CASES, 5):
        rng = random.Random(f"kb-{case}")
        root = planted / f"kb-{case}"
        write_valid(root)
        (root / "linked-secret.txt").symlink_to(planted / "secret.txt")
        os.mkfifo(root / "fifo.txt")
        what = mutate(rng, root)
        outputs = []
        for command in COMMANDS:
            result = run_cli(["--kg", str(root), *command])
            assert "Traceback" not in result.output, f"case kb-{case} ({what}): {command}\n{result.output}"
            outputs.append(result.output)
        assert not any(SECRET in output for output in outputs), f"case kb-{case} ({what}) leaked the secret"
        if not check(root)[1]:
            assert_store_answers_as_a_fresh_compilation(root, f"kb-{case} ({what})")
        shutil.rmtree(cache_dir_for(root), ignore_errors=True)
        shutil.rmtree(root)


def assert_store_answers_as_a_fresh_compilation(root: Path, case: str) -> None:
    from alliancegraph.loading import load

    query = load_queries()["who-aligns-with"]
    local = LocalEngine(load(root))
    if "serbia" not in local.entities:
        return
    store = StoreEngine(root)
    try:
        assert list(query.run(store, {"actor": "serbia"}, AS_OF)) == list(query.run(local, {"actor": "serbia"}, AS_OF)), case
    finally:
        store.close()


# -- damaged caches --------------------------------------------------------------------------------------


def corrupt(rng: random.Random, folder: Path) -> str:
    """Damage one file of a cache folder (its lock and tag aside) one way; return what was done."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("lock", "CACHEDIR.TAG"))
    target = rng.choice(files)
    size = target.stat().st_size
    status = target.stat()
    how = rng.choice(["truncate", "flip", "flip keeping its time", "delete", "garbage", "append", "empty", "swap",
                      "extra file"])
    if how == "truncate":
        os.truncate(target, rng.randrange(size) if size else 0)
    elif how.startswith("flip") and size:
        data = bytearray(target.read_bytes())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(size)] ^= 1 << rng.randrange(8)
        target.write_bytes(bytes(data))
        if how.endswith("time"):
            os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))
    elif how == "delete":
        target.unlink()
    elif how == "garbage":
        target.write_bytes(rng.randbytes(max(size, 16)))
    elif how == "append":
        with open(target, "ab") as handle:
            handle.write(rng.randbytes(rng.randint(1, 64)))
    elif how == "empty":
        target.write_bytes(b"")
    elif how == "swap":
        other = rng.choice(files)
        content = other.read_bytes()
        other.write_bytes(target.read_bytes())
        target.write_bytes(content)
    else:
        (target.parent / f"{rng.randrange(10**6):06d}.sst").write_bytes(rng.randbytes(64))
    return f"{target.relative_to(folder)}: {how}"


CACHE_COMMANDS = (["query", "who-aligns-with", "Serbia", "--format", "csv"], ["entities", "--format", "csv"],
                  ["export", "-f", "ntriples"])


@pytest.mark.parametrize("block", range(3))
def test_a_damaged_cache_gives_the_right_answer_or_a_clear_failure(tmp_path, block):
    root = write_valid(tmp_path / "kb").root
    right = [run_cli(["--kg", str(root), *command]).stdout for command in CACHE_COMMANDS]
    folder = cache_dir_for(root)
    pristine = tmp_path / "pristine"
    shutil.copytree(folder, pristine, symlinks=True)
    for case in range(block, CACHE_CASES, 3):
        rng = random.Random(f"cache-{case}")
        shutil.rmtree(folder)
        shutil.copytree(pristine, folder, symlinks=True)
        what = corrupt(rng, folder)
        command = rng.randrange(len(CACHE_COMMANDS))
        first = run_cli(["--kg", str(root), *CACHE_COMMANDS[command]])
        assert (first.exit_code, first.stdout) == (0, right[command]) or (
            first.exit_code == 1 and "alliancegraph cache clear" in first.stderr), f"case cache-{case} ({what}):\n{first.output}"
        for again, expected in zip(CACHE_COMMANDS, right):
            result = run_cli(["--kg", str(root), *again])
            assert (result.exit_code, result.stdout) == (0, expected), f"case cache-{case} ({what}), then {again}"
