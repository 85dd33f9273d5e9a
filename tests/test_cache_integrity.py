"""A damaged or foreign cache: detected, rebuilt or refused with a message naming `cache clear`, never a
silently wrong answer; and the cache deletes only what it made."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from alliancegraph import cache as cache_module
from alliancegraph import store as store_module
from alliancegraph.cache import CacheFolder, cache_dir_for, dump_marshal, read_marshal
from alliancegraph.cli import main
from alliancegraph.store import CompiledStore, StoreError, build
from alliancegraph.store_engine import StoreEngine

from conftest import TinyKB, cli_runner


def test_parse_results_of_another_version_of_the_parser_are_not_reused(tiny: TinyKB, monkeypatch):
    root = tiny.write()
    build(root)
    folder = cache_dir_for(root)
    # What an older parser might have made of the same bytes: records and index parts keyed by content alone.
    for name in [*(p.relative_to(folder) for p in (folder / "records").iterdir()), "index-parts.marshal"]:
        (folder / name).write_bytes(dump_marshal(_relabel(read_marshal(folder / name))))
    monkeypatch.setattr(store_module, "code_digest", lambda: "the digest of a newer version")
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"


def _relabel(value):
    """``value`` with every label 'Serbia' changed, as a parser that read labels differently would have left it."""
    if isinstance(value, dict):
        return {key: ("Old Serbia" if key == "label" and item == "Serbia" else _relabel(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_relabel(item) for item in value]
    return value


# -- the cache deletes only what it made ------------------------------------------------------------


def test_clear_all_removes_only_the_folders_the_tool_made(tiny: TinyKB, tmp_path, monkeypatch):
    home = tmp_path / "home"
    for name in ("Documents/thesis.txt", "projects/kg/sources.yaml", "CACHEDIR.TAG-less/manifest.json"):
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text("mine\n", encoding="utf-8")
    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(home))
    root = tiny.write()
    build(root)
    assert cache_dir_for(root).is_dir()
    result = cli_runner().invoke(main, ["--kg", str(root), "cache", "clear", "--all"])
    assert result.exit_code == 0
    assert not cache_dir_for(root).exists()
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()) == [
        "CACHEDIR.TAG-less/manifest.json", "Documents/thesis.txt", "projects/kg/sources.yaml"]
    assert result.stderr.splitlines() == [f"Removed {cache_dir_for(root)}"] + [
        f"Left {home / name}: not a cache folder alliancegraph made" for name in ("CACHEDIR.TAG-less", "Documents", "projects")]


def test_a_folder_of_the_cache_s_name_that_the_tool_did_not_make_is_never_written_into(tiny: TinyKB):
    root = tiny.write()
    folder = cache_dir_for(root)
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    query = cli_runner().invoke(main, ["--kg", str(root), "query", "who-aligns-with", "Serbia"])
    assert query.exit_code == 1
    assert query.stderr.splitlines()[-1] == (
        f"Error: {folder} exists and is not a cache folder alliancegraph made (it has no CACHEDIR.TAG); it is left as "
        "it is: remove it, or set $ALLIANCEGRAPH_CACHE to another folder")
    cleared = cli_runner().invoke(main, ["--kg", str(root), "cache", "clear"])
    assert cleared.stderr.splitlines() == [f"Left {folder}: not a cache folder alliancegraph made", "Nothing to clear."]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert cli_runner().invoke(main, ["--kg", str(root), "stats"]).exit_code == 0  # it reads the files instead


def test_a_cache_another_command_tagged_while_this_one_looked_is_used(tiny: TinyKB, monkeypatch):
    import alliancegraph.cache as cache_module

    root = tiny.write()
    build(root)  # another command made the folder, tagged it and is filling it (no manifest yet)...
    (cache_dir_for(root) / cache_module.MANIFEST).unlink()
    real_is_ours, looks = cache_module.is_ours, []

    def first_look_before_the_tag(folder):  # ...after this command's first look found no tag
        looks.append(folder)
        return len(looks) > 1 and real_is_ours(folder)

    monkeypatch.setattr(cache_module, "is_ours", first_look_before_the_tag)
    cache_module.CacheFolder(root).claim()
    assert len(looks) >= 2 and (cache_dir_for(root) / "CACHEDIR.TAG").exists()


def test_a_cache_an_earlier_version_made_is_taken_over(tiny: TinyKB):
    root = tiny.write()
    build(root)
    folder = cache_dir_for(root)
    (folder / "CACHEDIR.TAG").unlink()
    assert CompiledStore.open(root).entities["serbia"].label == "Serbia"
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")


# -- a damaged cache: the right answer, or a clear failure ----------------------------------------------


def store_folder(root) -> Path:
    [folder] = cache_dir_for(root).glob("store-*")
    return folder


def flip(path: Path, at: int, keep_time: bool = False) -> None:
    status = path.stat()
    data = bytearray(path.read_bytes())
    data[at % len(data)] ^= 0xFF
    path.write_bytes(bytes(data))
    if keep_time:
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_store_files_with_new_times_but_the_same_bytes_are_hashed_once(tiny: TinyKB, monkeypatch):
    root = tiny.write()
    build(root)
    kept = store_folder(root)
    for path in kept.iterdir():  # new times, as a copy or a restore from a backup leaves them
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    hashed: list[Path] = []
    real_digest = cache_module.file_digest
    monkeypatch.setattr(cache_module, "file_digest", lambda path: hashed.append(path) or real_digest(path))
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"
    sealed = json.loads((cache_dir_for(root) / "seal.json").read_text(encoding="utf-8"))["files"]
    assert sorted(path.name for path in hashed) == sorted(sealed)  # each sealed file hashed once, found the same
    assert store_folder(root) == kept
    hashed.clear()
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"
    assert hashed == []  # the seal holds the new times
    flip(largest_table(root), 5000, keep_time=True)  # a file changed since is still found
    with CompiledStore.open(root) as compiled:
        assert compiled.entities["serbia"].label == "Serbia"
    assert store_folder(root) != kept  # built again


def largest_table(root) -> Path:
    return max(store_folder(root).glob("*.sst"), key=lambda p: p.stat().st_size)


DAMAGE = {
    "store manifest truncated": lambda root: os.truncate(next(store_folder(root).glob("MANIFEST-*")), 1000),
    "store manifest emptied": lambda root: os.truncate(next(store_folder(root).glob("MANIFEST-*")), 0),
    "garbage in CURRENT": lambda root: (store_folder(root) / "CURRENT").write_text("garbage\n"),
    "table truncated": lambda root: os.truncate(largest_table(root), 1000),
    "table deleted": lambda root: largest_table(root).unlink(),
    "table bit-flipped": lambda root: flip(largest_table(root), 5000),
    "label changed in the entity table": lambda root: _replace_bytes(cache_dir_for(root) / "entities.marshal"),
    "label changed in a record": lambda root: [_replace_bytes(p) for p in (cache_dir_for(root) / "records").iterdir()],
    "label changed in the index parts": lambda root: _replace_bytes(cache_dir_for(root) / "index-parts.marshal"),
    "seal deleted": lambda root: (cache_dir_for(root) / "seal.json").unlink(),
    "manifest edited": lambda root: _replace_bytes(cache_dir_for(root) / "manifest.json", b'"ready"', b'"rEady"'),
    "manifest's checksum edited": lambda root: _edit_checksum(cache_dir_for(root) / "manifest.json"),
    "manifest without its checksum": lambda root: _replace_bytes(cache_dir_for(root) / "manifest.json", b'"checksum"',
                                                                b'"checksun"'),
}


def test_a_manifest_with_any_byte_changed_reads_as_damaged(tmp_path):
    cache = CacheFolder(tmp_path / "kg", tmp_path / "cache")
    cache.folder.mkdir()
    written = {"state": "ready", "files": {'/kg/a "checksum": "x.yaml': [1, 2, "ab"]}, "built_at": 1.5, "kb": "/kg"}
    cache.write_manifest({**written, "checksum": "a stale one, replaced"})
    assert cache.read_manifest() == written
    path = cache.folder / "manifest.json"
    good = path.read_bytes()
    assert json.loads(good) == {**written, "checksum": json.loads(good)["checksum"]}  # still one JSON object
    for at in range(len(good)):
        path.write_bytes(good[:at] + bytes([good[at] ^ 0x01]) + good[at + 1:])
        assert cache.read_manifest() is None, at
    path.write_bytes(good.replace(b'"ready"', b'"rEady"'))
    assert cache.read_manifest(verify=False) == {**written, "state": "rEady"}  # what an older version wrote is read
    cache.write_manifest({})
    assert cache.read_manifest() == {}


def _edit_checksum(path: Path) -> None:
    """The manifest with one digit of its checksum (its first member) changed, the rest as written."""
    data = path.read_bytes()
    at = data.index(b'"checksum": "') + len(b'"checksum": "')
    path.write_bytes(data[:at] + (b"1" if data[at:at + 1] == b"0" else b"0") + data[at + 1:])


def _replace_bytes(path: Path, old: bytes = b"Serbia", new: bytes = b"Serbib") -> None:
    """An edit that keeps the file readable (marshal and JSON still load) but changes what it says."""
    path.write_bytes(path.read_bytes().replace(old, new))


def answer(root) -> tuple[int, str, str]:
    result = cli_runner().invoke(main, ["--kg", str(root), "query", "who-aligns-with", "Serbia", "--format", "csv"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def aligned(tiny: TinyKB) -> tuple[Path, str]:
    """A knowledge base whose compiled store is built, and its right answer."""
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote="Serbia signed")
    tiny.add(id="a2", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03", quote="with Hungary")
    root = tiny.write()
    code, right, _ = answer(root)
    assert code == 0 and "hungary" in right
    return root, right


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_cache_gives_the_right_answer(aligned, damage):
    root, right = aligned
    damage(root)
    assert answer(root) == (0, right, "")
    for command in (["entities", "--format", "csv"], ["export", "-f", "ntriples"]):
        result = cli_runner().invoke(main, ["--kg", str(root), *command])
        assert result.exit_code == 0 and "Serbia" in result.stdout and "Serbib" not in result.stdout


@pytest.mark.parametrize("damage", ["store manifest truncated", "garbage in CURRENT", "table deleted"])
def test_cache_info_says_a_damaged_store_is_damaged(aligned, damage):
    root, _ = aligned
    DAMAGE[damage](root)
    info = cli_runner().invoke(main, ["--kg", str(root), "cache", "info", "--format", "json"])
    assert json.loads(info.stdout)["state"].startswith("damaged: ")


def test_damage_found_while_reading_fails_clearly_and_the_next_command_rebuilds(aligned):
    root, right = aligned
    engine = StoreEngine(root)
    damaged = store_folder(root)
    error = engine.evaluation_failed(OSError("Corruption: block checksum mismatch"))
    engine.close()
    assert isinstance(error, StoreError)
    assert str(error) == (f"the compiled store in {cache_dir_for(root)} is damaged (Corruption: block checksum mismatch); "
                          "it is built again the next time a command needs it, or run `alliancegraph cache clear` "
                          "and try again")
    assert answer(root) == (0, right, "")
    assert store_folder(root) != damaged


def test_a_table_damaged_with_its_time_set_back_gives_the_right_answer(aligned):
    root, right = aligned
    for table in store_folder(root).glob("*.sst"):  # the same size and modification time: its change time tells
        for at in range(0, table.stat().st_size, 512):
            flip(table, at, keep_time=True)
    assert answer(root) == (0, right, "")
