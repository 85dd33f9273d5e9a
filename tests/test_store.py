"""The compiled store: cached per knowledge base, refreshed file by file, safe to share."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import alliancegraph
from alliancegraph import compile_file, rowcodec, store_dump, workers
from alliancegraph import store as store_module
from alliancegraph.cache import CacheFolder, cache_dir_for, dump_marshal, read_marshal
from alliancegraph.cli import main
from alliancegraph.errors import KnowledgeBaseError
from alliancegraph.loading import check
from alliancegraph.network import to_networkx, to_tie_table
from alliancegraph.rdf import to_oxigraph
from alliancegraph.store import CompiledStore, build
from alliancegraph.store_engine import StoreEngine
from alliancegraph.tie_table import COLUMNS, TieTable

from conftest import REPO, cli_runner

SERBIA_HUNGARY = "Serbia signed a military cooperation agreement with Hungary on April 3."
DODIK = "Milorad Dodik signaled willingness to align with Serbia and Hungary."


def quads(store) -> set[str]:
    return {str(q) for q in store}


def compiled_quads(kb_root: Path) -> set[str]:
    with CompiledStore.open(kb_root) as compiled:
        return quads(compiled.store)


def fresh_quads(kb_root: Path) -> set[str]:
    """The graph as compiled from scratch, in memory, by the loader and rdf.py."""
    return quads(to_oxigraph(alliancegraph.load(kb_root)))


@pytest.fixture
def kb(tiny):
    """A knowledge base of three files: entities and sources, and two assertion files."""
    tiny.write()
    tiny.write_raw(
        "serbia.yaml",
        f"""
        assertions:
          - id: srb-signs
            subject: serbia
            relation: signs
            object: srb-hun
            date: 2025-04-03
            source: art
            quote: "{SERBIA_HUNGARY}"
          - id: srb-hun-coop
            subject: serbia
            relation: cooperates-with
            object: hungary
            date: 2025-04-03
            source: art
            quote: "{SERBIA_HUNGARY}"
        """,
    )
    tiny.write_raw(
        "dodik.yaml",
        f"""
        assertions:
          - id: dodik-aligns
            subject: milorad-dodik
            relation: aligns-with
            object: serbia
            modality: intention
            date: 2025-04
            source: art
            quote: "{DODIK}"
        """,
    )
    return tiny.root


def manifest(kb_root: Path) -> dict:
    return json.loads((cache_dir_for(kb_root) / "manifest.json").read_text())


def test_store_holds_exactly_the_compiled_graph(kb):
    assert compiled_quads(kb) == fresh_quads(kb)


def test_curated_knowledge_base_compiles_to_the_same_graph():
    assert compiled_quads(REPO / "kg") == fresh_quads(REPO / "kg")


def test_unchanged_files_reuse_the_cache_without_parsing(kb, monkeypatch):
    build(kb)
    monkeypatch.setattr(store_module.Builder, "refresh", lambda *a: pytest.fail("rebuilt an up-to-date cache"))
    with CompiledStore.open(kb) as compiled:
        assert "serbia" in compiled.entities


def test_a_build_pauses_the_cycle_collector_and_leaves_it_as_it_found_it(kb, monkeypatch):
    import gc

    states = []
    real_refresh = store_module.Builder.refresh
    monkeypatch.setattr(store_module.Builder, "refresh", lambda self, *a: states.append(gc.isenabled()) or real_refresh(self, *a))
    build(kb)
    assert states == [False] and gc.isenabled()
    gc.disable()
    try:
        (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("2025-04", "2025-05"))
        build(kb)
        assert states == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_opening_an_up_to_date_store_pauses_the_cycle_collector_and_leaves_it_on(kb, monkeypatch):
    import gc

    build(kb)
    states = []
    real_open = store_module.CompiledStore._open_fresh.__func__
    monkeypatch.setattr(store_module.CompiledStore, "_open_fresh",
                        classmethod(lambda cls, cache: states.append(gc.isenabled()) or real_open(cls, cache)))
    with CompiledStore.open(kb) as compiled:
        assert "serbia" in compiled.entities
    assert states == [False] and gc.isenabled()


def test_touching_a_file_without_changing_it_keeps_the_cache(kb):
    first = build(kb)
    os.utime(kb / "serbia.yaml", ns=(1, 1))
    second = build(kb)
    assert (second["store"], second["index"]) == (first["store"], first["index"])
    assert second["files"][str((kb / "serbia.yaml").resolve())][1] == 1  # the new time is remembered


def test_changing_one_assertion_file_updates_the_store_in_place(kb, monkeypatch):
    before = build(kb)
    compiled_files = []
    real_compile = compile_file.compile_records
    monkeypatch.setattr(compile_file, "compile_records", lambda path,
        *a: compiled_files.append(Path(path).name) or real_compile(path, *a))
    text = (kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact")
    (kb / "dodik.yaml").write_text(text)
    after = build(kb)
    assert after["store"] == before["store"]  # updated in place, not rebuilt
    assert set(compiled_files) == {"dodik.yaml"}  # old and new version of that file only
    assert compiled_quads(kb) == fresh_quads(kb)


def test_adding_and_removing_files_matches_a_fresh_build(kb):
    build(kb)
    copy = (kb / "serbia.yaml").read_text().replace("id: srb-", "id: copy-srb-")
    (kb / "copy.yaml").write_text(copy)  # says the same direct triples as serbia.yaml
    assert compiled_quads(kb) == fresh_quads(kb)
    (kb / "serbia.yaml").unlink()  # the copy still says them: they must stay
    assert compiled_quads(kb) == fresh_quads(kb)
    (kb / "copy.yaml").unlink()
    assert compiled_quads(kb) == fresh_quads(kb)


def test_editing_an_entity_recompiles_everything(kb):
    before = build(kb)
    text = (kb / "kb.yaml").read_text().replace("label: Hungary", "label: Magyarország")
    (kb / "kb.yaml").write_text(text)
    after = build(kb)
    assert after["index"] != before["index"] and after["store"] != before["store"]
    assert compiled_quads(kb) == fresh_quads(kb)
    with CompiledStore.open(kb) as compiled:
        assert compiled.entities["hungary"].label == "Magyarország"


def test_editing_a_source_text_recompiles_and_checks_quotes_again(kb):
    build(kb)
    article = kb / "article.txt"
    article.write_text(article.read_text().replace("on April 3", "on 3 April"))
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert any("does not occur in source 'art'" in p.message for p in error.value.problems)


def test_a_broken_file_reports_what_check_reports_and_keeps_the_cache(kb):
    good = build(kb)
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("object: serbia", "object: serbiaa"))
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert error.value.problems == check(kb)[1]
    assert "did you mean 'serbia'" in str(error.value.problems[0])
    assert manifest(kb)["store"] == good["store"]


def broken(kb: Path, syntax: bool = True) -> None:
    """Problems of every kind, in several files: a record whose entity is unknown, a duplicate id, a
    quote that does not occur in its source, all found when the files are compiled; and unless not
    ``syntax``, a syntax error, found when they are parsed."""
    text = (kb / "dodik.yaml").read_text()
    (kb / "dodik.yaml").write_text(text.replace("object: serbia", "object: serbiaa"))
    (kb / "again.yaml").write_text((kb / "serbia.yaml").read_text().replace("srb-signs", "srb-signs-again"))
    (kb / "misquoted.yaml").write_text(text.replace("dodik-aligns", "dodik-misquoted").replace("align with", "side with"))
    if syntax:
        (kb / "syntax.yaml").write_text("assertions:\n  - id: [unclosed\n", encoding="utf-8")


def count_reads(monkeypatch, tmp_path) -> Callable[[], dict[str, tuple[int, int]]]:
    """Count, per YAML file, how often it is parsed and how often its bytes are read to parse or to
    place a problem (written to a file: worker processes count too)."""
    from alliancegraph import parsing

    log = tmp_path / "reads.log"
    real_parse, real_read = parsing.parse_file, parsing.read_limited

    def note(what: str, path) -> None:
        if Path(path).suffix == ".yaml":
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{what} {Path(path).name}\n")

    monkeypatch.setattr(parsing, "parse_file", lambda path: note("parse", path) or real_parse(path))
    monkeypatch.setattr(parsing, "read_limited", lambda path, limit: note("read", path) or real_read(path, limit))

    def counts() -> dict[str, tuple[int, int]]:
        lines = log.read_text(encoding="utf-8").split() if log.exists() else []
        names = set(lines[1::2])
        pairs = list(zip(lines[::2], lines[1::2]))
        return {name: (pairs.count(("parse", name)), pairs.count(("read", name))) for name in names}

    return counts


@pytest.mark.parametrize("found_when", ["parsing", "compiling"])
@pytest.mark.parametrize("processes", ["in process", "in worker processes"])
def test_a_failing_build_reads_each_file_once_and_reports_what_check_reports(kb, monkeypatch, tmp_path, processes,
                                                                              found_when):
    if processes == "in worker processes":
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("the worker pool forks")
        monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    broken(kb, syntax=found_when == "parsing")
    expected = check(kb)[1]
    assert len({p.file.name for p in expected}) == (4 if found_when == "parsing" else 3)
    counts = count_reads(monkeypatch, tmp_path)
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert error.value.problems == expected
    files = {path.name for path in kb.glob("*.yaml")}
    assert counts() == {name: (1, 1) for name in files}, "each file parsed once, and read only to parse it"
    assert not cache_dir_for(kb).joinpath("manifest.json").exists()


def test_a_failing_update_reads_only_the_changed_file_and_the_one_with_a_problem(kb, monkeypatch, tmp_path):
    good = build(kb)
    counts = count_reads(monkeypatch, tmp_path)
    # dodik.yaml is left as it is, but loses the entity it names: its problem is placed without parsing it
    (kb / "kb.yaml").write_text((kb / "kb.yaml").read_text().replace("id: milorad-dodik", "id: milorad-dodik-2"))
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert {p.file.name for p in error.value.problems} == {"dodik.yaml"}
    assert counts() == {"kb.yaml": (1, 1), "dodik.yaml": (0, 1)}
    assert error.value.problems == check(kb)[1]
    assert manifest(kb)["store"] == good["store"]


def test_a_failing_build_names_a_linked_file_as_check_does(kb):
    (kb / "notes.txt").write_text("assertions:\n  - id: [unclosed\n", encoding="utf-8")
    (kb / "linked.yaml").symlink_to("notes.txt")  # the build reads it as notes.txt, check by its own name
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert error.value.problems == check(kb)[1]
    assert [p.file.name for p in error.value.problems] == ["linked.yaml"]


def test_duplicate_ids_across_files_are_reported(kb):
    build(kb)
    (kb / "again.yaml").write_text((kb / "dodik.yaml").read_text())
    with pytest.raises(KnowledgeBaseError, match="problem"):
        build(kb)


@pytest.mark.parametrize("damage", ["manifest", "store", "side-file", "half-written"])
def test_a_damaged_cache_is_detected_and_rebuilt(kb, damage):
    built = build(kb)
    folder = cache_dir_for(kb)
    if damage == "manifest":
        (folder / "manifest.json").write_text("{not json")
    elif damage == "store":
        shutil.rmtree(folder / built["store"])
        (folder / built["store"]).write_text("not a database")
    elif damage == "side-file":
        (folder / "entities.marshal").write_bytes(b"\x00garbage")
    else:  # a crash in the middle of an update leaves the manifest marked
        (folder / "manifest.json").write_text(json.dumps({**built, "state": "updating"}))
    assert compiled_quads(kb) == fresh_quads(kb)
    assert manifest(kb)["state"] == "ready"


def test_a_damaged_record_of_an_old_version_forces_a_full_build(kb):
    built = build(kb)
    records = cache_dir_for(kb) / "records"
    (records / built["files"][str((kb / "dodik.yaml").resolve())][2]).write_bytes(b"garbage")
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("2025-04", "2025-05"))
    assert compiled_quads(kb) == fresh_quads(kb)


def _build_in_process(kb_root: str, cache: str) -> int:
    os.environ["ALLIANCEGRAPH_CACHE"] = cache
    with CompiledStore.open(kb_root) as compiled:
        return len(compiled.store)


def test_concurrent_commands_share_one_consistent_cache(kb, private_cache):
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        sizes = pool.starmap(_build_in_process, [(str(kb), str(private_cache))] * 4)
    assert len(set(sizes)) == 1
    assert compiled_quads(kb) == fresh_quads(kb)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the worker pool forks")
def test_large_builds_use_worker_processes_and_give_the_same_graph(kb, monkeypatch, tmp_path):
    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    compiled_by = tmp_path / "compiled-by"
    real_compile = compile_file.compile_records

    def compile_and_say_where(path, *args):
        with open(compiled_by, "a", encoding="utf-8") as note:  # appended to from each process
            note.write(f"{os.getpid()}\n")
        return real_compile(path, *args)

    monkeypatch.setattr(compile_file, "compile_records", compile_and_say_where)
    assert compiled_quads(kb) == fresh_quads(kb)
    processes = set(compiled_by.read_text(encoding="utf-8").split())
    assert len(processes) >= 1 and str(os.getpid()) not in processes, "every file was compiled in a worker process"


class SlowLoads:
    """A compiled store whose bulk loads take a while and can fail (``failing``: the error a load after
    the first, the ontology's, raises), noting whether one is running."""

    real = None  # pyoxigraph.Store
    failing: BaseException | None = None
    fail_optimizing = False  # the loads succeed, and compacting the store fails instead
    pause = 0.05  # seconds each load takes
    running = 0
    most_running = 0  # the most loads seen running at once
    counting = threading.Lock()

    def __init__(self, path: str):
        self.store = type(self).real(path)
        self.loads = 0

    def bulk_load(self, *args, **kwargs):
        import time

        cls = type(self)
        with cls.counting:
            self.loads += 1
            loads = self.loads
            cls.running += 1
            cls.most_running = max(cls.most_running, cls.running)
        try:
            time.sleep(self.pause)
            if loads > 1 and self.failing is not None and not self.fail_optimizing:
                raise self.failing
            return self.store.bulk_load(*args, **kwargs)
        finally:
            with cls.counting:
                cls.running -= 1

    @classmethod
    def read_only(cls, path: str):
        return cls.real.read_only(path)

    def optimize(self):
        if self.failing is not None and self.fail_optimizing:
            raise self.failing
        return self.store.optimize()

    def __iter__(self):
        return iter(self.store)

    def __getattr__(self, name):
        return getattr(self.store, name)


@pytest.fixture
def slow_loads(monkeypatch):
    """Every file's triples loaded as a batch of their own, by slow loads; the store folder deleted
    only once no load runs."""
    import pyoxigraph

    class Engine:  # pyoxigraph as the compiled store sees it
        Store = SlowLoads

        def __getattr__(self, name):
            return getattr(pyoxigraph, name)

    monkeypatch.setattr(store_module._Batch, "SIZE", 1)
    monkeypatch.setattr(SlowLoads, "real", pyoxigraph.Store)
    monkeypatch.setattr(SlowLoads, "running", 0)
    monkeypatch.setattr(SlowLoads, "most_running", 0)
    monkeypatch.setattr(store_module, "pyoxigraph", Engine())
    real_rmtree = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        assert SlowLoads.running == 0, "the store folder was deleted while a load was writing into it"
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    return SlowLoads


def test_a_batch_that_cannot_even_be_joined_fails_the_load_instead_of_going_unloaded(tmp_path, monkeypatch):
    import pyoxigraph

    monkeypatch.setattr(store_module._Batch, "SIZE", 1)
    store = pyoxigraph.Store(str(tmp_path / "store"))
    batch = store_module._Batch(store)
    batch.add("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # text where bytes belong: the join in the loading thread fails
        batch.finish()
    assert not any(loader.is_alive() for loader in batch.loaders)


def in_worker_processes(monkeypatch, processes: str) -> None:
    if processes == "in worker processes":
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("the worker pool forks")
        monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)


def nothing_left_of_a_failed_build(kb: Path) -> bool:
    folder = cache_dir_for(kb)
    parts = folder / "assertions"
    return (not [*folder.glob("store-*"), *folder.glob("network-*"), *folder.glob("ties-*")]
            and not (parts.is_dir() and any(parts.iterdir())) and not (folder / "manifest.json").exists())


@pytest.mark.parametrize("processes", ["in process", "in worker processes"])
def test_a_store_loaded_in_many_batches_holds_the_compiled_graph(kb, slow_loads, monkeypatch, processes):
    in_worker_processes(monkeypatch, processes)
    seen = []
    build(kb, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert compiled_quads(kb) == fresh_quads(kb)
    assert slow_loads.most_running == store_module._Batch.LOADERS == 2, "batches were loaded two at a time"
    assert [step for step in seen if step[0] == "Compiling"] == [("Compiling", 1, 3), ("Compiling", 2, 3), ("Compiling", 3, 3)]


@pytest.mark.parametrize("processes", ["in process", "in worker processes"])
def test_a_load_that_fails_ends_the_build_with_a_store_error_and_leaves_nothing_behind(kb, slow_loads, monkeypatch,
                                                                                       processes):
    import errno

    in_worker_processes(monkeypatch, processes)
    monkeypatch.setattr(slow_loads, "failing", OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(store_module.StoreError) as error:
        build(kb)
    assert str(error.value).startswith(f"cannot write the compiled store in {cache_dir_for(kb)}: ")
    assert "No space left on device" in str(error.value)
    assert nothing_left_of_a_failed_build(kb)
    monkeypatch.setattr(slow_loads, "failing", None)
    assert compiled_quads(kb) == fresh_quads(kb)


@pytest.mark.parametrize("written", ["network-changes", "ties", "manifest.json"])
def test_an_update_that_cannot_write_ends_with_a_store_error_and_the_next_command_builds_again(kb, monkeypatch,
                                                                                              written):
    import errno

    monkeypatch.setattr("alliancegraph.sidefiles.CHANGES_SHARE", 1e9)  # the update writes a change, not the graph
    build(kb)
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact"))
    real_write = CacheFolder.write

    def write(self, name, content):
        if name.startswith(written):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, name, content)

    with monkeypatch.context() as full:
        full.setattr(CacheFolder, "write", write)
        result = cli_runner().invoke(main, ["--kg", str(kb), "query", "who-aligns-with", "Serbia"])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith(f"Error: cannot write the compiled store in {cache_dir_for(kb)}: ")
    assert compiled_quads(kb) == fresh_quads(kb)
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))


def test_a_store_that_fails_while_compacted_leaves_the_last_build_as_it_was(kb, slow_loads, monkeypatch):
    import errno

    build(kb)
    folder = cache_dir_for(kb)
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    (kb / "kb.yaml").write_text((kb / "kb.yaml").read_text().replace("A test article", "A retitled article"))
    assert "A retitled article" in (kb / "kb.yaml").read_text()  # a source changed: every file is compiled again
    monkeypatch.setattr(slow_loads, "failing", OSError(errno.ENOSPC, "No space left on device"))
    monkeypatch.setattr(slow_loads, "fail_optimizing", True)
    with pytest.raises(store_module.StoreError, match="No space left on device"):
        build(kb)
    after = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    assert after.keys() - {"index-parts.marshal"} == before.keys() - {"index-parts.marshal"}
    assert {name: content for name, content in after.items() if name != "index-parts.marshal"} == {
        name: content for name, content in before.items() if name != "index-parts.marshal"}
    assert len(list(folder.glob("store-*"))) == 1
    monkeypatch.setattr(slow_loads, "failing", None)
    assert compiled_quads(kb) == fresh_quads(kb)


@pytest.mark.parametrize("processes", ["in process", "in worker processes"])
def test_a_problem_found_while_loading_reports_what_check_reports_and_leaves_nothing_behind(kb, slow_loads,
                                                                                           monkeypatch, processes):
    in_worker_processes(monkeypatch, processes)
    broken(kb, syntax=False)
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert error.value.problems == check(kb)[1]
    assert nothing_left_of_a_failed_build(kb)


def test_an_interrupted_build_waits_for_the_load_under_way_and_leaves_nothing_behind(kb, slow_loads, monkeypatch):
    real_add_ids = store_module._add_ids
    added = []

    def interrupt_at_the_second_file(ids, compiled):
        added.append(compiled.path)
        if len(added) == 2:
            raise KeyboardInterrupt
        return real_add_ids(ids, compiled)

    monkeypatch.setattr(store_module, "_add_ids", interrupt_at_the_second_file)
    monkeypatch.setattr(slow_loads, "pause", 0.5)  # the first file's load is still under way
    with pytest.raises(KeyboardInterrupt):
        build(kb)
    assert nothing_left_of_a_failed_build(kb)


def test_progress_is_reported_per_stage(kb):
    seen = []
    build(kb, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert ("Parsing", 3, 3) in seen and ("Compiling", 3, 3) in seen


def test_store_engine_answers_like_the_local_engine(kb):
    from alliancegraph.engine import LocalEngine
    from alliancegraph.queries import get_query, load_queries

    queries = load_queries()
    local = LocalEngine(alliancegraph.load(kb))
    engine = StoreEngine(kb)
    try:
        for name in ("who-aligns-with", "who-opposes", "stance-of", "disputed", "blocs"):
            query = get_query(queries, name)
            arguments = {p.name: "Serbia" for p in query.parameters if p.required}
            assert query.run(engine, arguments, None) == query.run(local, arguments, None)
        path = get_query(queries, "path")
        ends = {"start": "Milorad Dodik", "end": "Hungary"}
        assert path.run(engine, ends, None) == path.run(local, ends, None) != []
    finally:
        engine.close()


def test_path_and_blocs_answer_from_the_cached_ties_as_from_a_fresh_compile():
    from alliancegraph.engine import LocalEngine, QueryError
    from alliancegraph.queries import get_query, load_queries

    def outcome(query, engine, arguments, as_of):
        try:
            return query.run(engine, arguments, as_of)
        except QueryError as error:  # no chain as of that day
            return str(error)

    queries = load_queries()
    local = LocalEngine(alliancegraph.load(REPO / "kg"))
    engine = StoreEngine(REPO / "kg")
    try:
        for name, arguments in [("blocs", {}), ("path", {"start": "Republika Srpska", "end": "Croatia"}),
                                ("path", {"start": "Bulgaria", "end": "Hungary"})]:
            query = get_query(queries, name)
            for as_of in (None, dt.date(2020, 1, 1)):
                cached = outcome(query, engine, arguments, as_of)
                assert cached == outcome(query, local, arguments, as_of), (name, as_of)
                assert as_of is not None or isinstance(cached, list)
        assert engine._network is None  # the graph was never built: the ties were enough
    finally:
        engine.close()


def test_cli_queries_come_from_the_cache(kb):
    runner = cli_runner()
    result = runner.invoke(main, ["--kg", str(kb), "query", "who-aligns-with", "Serbia", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {row["actor"] for row in json.loads(result.output)} == {"hungary", "milorad-dodik"}
    assert manifest(kb)["state"] == "ready"


@pytest.mark.parametrize(
    "command", [["entities", "--format", "json"], ["stats", "--format", "json"], ["export", "--format", "gexf"]]
)
def test_commands_take_the_knowledge_base_from_the_cache_as_the_files_give_it(kb, tmp_path, monkeypatch, command):
    runner = cli_runner()
    unusable = tmp_path / "a-file"
    unusable.write_text("", encoding="utf-8")
    with monkeypatch.context() as no_cache:
        no_cache.setenv("ALLIANCEGRAPH_CACHE", str(unusable))  # its folder cannot be made: the files are read
        from_files = runner.invoke(main, ["--kg", str(kb), *command])
    build(kb)
    monkeypatch.setattr("alliancegraph.parsing.parse_file", lambda path: pytest.fail(f"parsed {path}"))
    from_cache = runner.invoke(main, ["--kg", str(kb), *command])
    assert from_files.exit_code == from_cache.exit_code == 0, from_files.output + from_cache.output
    assert from_cache.output == from_files.output


def test_cache_info_and_clear(kb):
    runner = cli_runner()
    build(kb)
    info = runner.invoke(main, ["--kg", str(kb), "cache", "info", "--format", "json"])
    assert json.loads(info.output)["state"] == "up to date"
    cleared = runner.invoke(main, ["--kg", str(kb), "cache", "clear"])
    assert cleared.exit_code == 0 and "Removed" in cleared.output
    assert not cache_dir_for(kb).exists()
    info = runner.invoke(main, ["--kg", str(kb), "cache", "info", "--format", "json"])
    assert json.loads(info.output)["state"] == "empty"
    assert runner.invoke(main, ["--kg", str(kb), "cache", "clear"]).output == "Nothing to clear.\n"


def test_cache_folder_follows_the_environment(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(tmp_path / "elsewhere"))
    build(kb)
    assert cache_dir_for(kb).parent == tmp_path / "elsewhere"
    assert (cache_dir_for(kb) / "manifest.json").is_file()


@pytest.mark.parametrize("command", [["query", "who-aligns-with", "Serbia"], ["check"], ["cache", "info"]])
def test_check_and_query_do_not_import_rdflib_networkx_or_matplotlib(kb, command):
    import subprocess
    import sys

    build(kb)
    code = (
        "import sys; from alliancegraph.cli import main\n"
        f"main(['--kg', {str(kb)!r}, *{command!r}], standalone_mode=False)\n"
        "heavy = sorted(m for m in ('rdflib', 'networkx', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_the_knowledge_base_is_assembled_from_the_cache_as_the_loader_reads_it(kb, monkeypatch):
    from networkx.utils import graphs_equal

    # Folders whose names sort one way as text and another as paths ("a-b/" before "a/" as text).
    for folder in ("a", "a-b"):
        (kb / folder).mkdir()
        (kb / folder / "more.yaml").write_text((kb / "dodik.yaml").read_text().replace("dodik-aligns", f"{folder}-aligns"))
    expected = alliancegraph.load(kb)
    build(kb)
    monkeypatch.setattr("alliancegraph.parsing.parse_file", lambda path: pytest.fail(f"parsed {path}"))
    monkeypatch.setattr(store_module, "validate_records", lambda *a: pytest.fail("validated the records again"))
    with CompiledStore.open(kb) as compiled:
        cached = compiled.knowledge_base()
    assert cached.entities == expected.entities and cached.sources == expected.sources
    assert cached.assertions == expected.assertions and cached.files == expected.files
    assert [a.origin for a in cached.assertions] == [a.origin for a in expected.assertions]
    assert graphs_equal(to_networkx(cached), to_networkx(expected))


def test_the_knowledge_base_from_the_cache_follows_a_changed_file(kb):
    build(kb)
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact"))
    with CompiledStore.open(kb) as compiled:
        cached = compiled.knowledge_base()
    assert cached.assertions == alliancegraph.load(kb).assertions
    assert cached.assertions_by_id["dodik-aligns"].modality == "fact"


# -- the validated assertions, one part per file ----------------------------------------------------


def parts(built: dict) -> dict[str, str]:
    """The assertion part of each file a manifest names, by the file's name."""
    return {Path(path).name: name for path, name in built["assertions"]}


def part_file(kb_root: Path, name: str) -> Path:
    return cache_dir_for(kb_root) / "assertions" / name


def assert_cached_assertions_are_fresh(kb_root: Path) -> None:
    """The knowledge base assembled from the cache is the one the loader reads from the files."""
    expected = alliancegraph.load(kb_root)
    with CompiledStore.open(kb_root) as compiled:
        cached = compiled.knowledge_base()
    assert cached.assertions == expected.assertions and cached.files == expected.files
    assert [a.origin for a in cached.assertions] == [a.origin for a in expected.assertions]


def _edit(kb_root: Path, name: str, old: str, new: str) -> None:
    (kb_root / name).write_text((kb_root / name).read_text().replace(old, new))


def _add_assertion(kb_root: Path) -> None:
    with open(kb_root / "serbia.yaml", "a", encoding="utf-8") as handle:
        handle.write(textwrap.indent(textwrap.dedent(f"""\
            - id: hun-srb-coop
              subject: hungary
              relation: cooperates-with
              object: serbia
              date: 2025-04-03
              source: art
              quote: "{SERBIA_HUNGARY}"
            """), "  "))


def _add_file(kb_root: Path) -> None:
    (kb_root / "a").mkdir(exist_ok=True)  # a folder: "a/" sorts after "a-..." as text, before it as a path
    (kb_root / "a" / "copy.yaml").write_text((kb_root / "serbia.yaml").read_text().replace("id: srb-", "id: copy-srb-"))


#: Every kind of change a build follows, in an order that can be applied one after the other.
CHANGES: dict[str, Callable[[Path], None]] = {
    "only touched": lambda kb: os.utime(kb / "serbia.yaml", ns=(1, 1)),
    "an assertion edited": lambda kb: _edit(kb, "dodik.yaml", "modality: intention", "modality: fact"),
    "a file added": _add_file,
    "an assertion added": _add_assertion,
    "a file removed": lambda kb: (kb / "dodik.yaml").unlink(),
    "a file emptied of assertions": lambda kb: (kb / "serbia.yaml").write_text("assertions: []\n"),
    "an entity edited": lambda kb: _edit(kb, "kb.yaml", "label: Hungary", "label: Magyarország"),
    "a source text edited": lambda kb: _edit(kb, "article.txt", "Kosovo's minister", "Kosovo's defence minister"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_saved_assertions_equal_a_fresh_compile_after_every_kind_of_change(kb, change):
    build(kb)
    change(kb)
    assert_cached_assertions_are_fresh(kb)
    assert compiled_quads(kb) == fresh_quads(kb)


def test_the_saved_assertions_follow_one_change_after_another(kb):
    assert_cached_assertions_are_fresh(kb)
    for change in CHANGES.values():
        change(kb)
        assert_cached_assertions_are_fresh(kb)


def test_an_update_writes_the_changed_file_s_part_alone(kb):
    before = build(kb)
    CHANGES["an assertion edited"](kb)
    after = build(kb)
    assert after["store"] == before["store"]
    changed = {name for name in parts(after) if parts(after)[name] != parts(before)[name]}
    assert changed == {"dodik.yaml"}
    assert not part_file(kb, parts(before)["dodik.yaml"]).exists()  # the old part is gone
    assert sorted(p.name for p in (cache_dir_for(kb) / "assertions").iterdir()) == sorted(parts(after).values())
    CHANGES["a file removed"](kb)
    removed = build(kb)
    assert set(parts(removed)) == {"kb.yaml", "serbia.yaml"}
    assert not part_file(kb, parts(after)["dodik.yaml"]).exists()


def test_updates_leave_no_rotated_engine_logs_in_the_store(kb):
    # Opening the store for writing makes the engine set its information log aside as LOG.old.*:
    # without cleaning, every update would leave one more file in the cache.
    first = build(kb)
    for modality in ("fact", "intention", "fact"):
        _edit(kb, "dodik.yaml", "modality: intention" if modality == "fact" else "modality: fact",
              f"modality: {modality}")
        assert build(kb)["store"] == first["store"]  # updated in place
    folder = cache_dir_for(kb) / first["store"]
    assert not list(folder.glob("LOG.old.*"))
    assert compiled_quads(kb) == fresh_quads(kb)  # the store still opens, sealed, with the right triples


def _swap_in_another_file_s_part(kb_root: Path, name: str) -> None:
    other = next(n for f, n in parts(manifest(kb_root)).items() if f == "serbia.yaml")
    part_file(kb_root, name).write_bytes(part_file(kb_root, other).read_bytes())


PART_DAMAGE: dict[str, Callable[[Path, str], None]] = {
    "garbage": lambda kb, name: part_file(kb, name).write_bytes(b"\x00garbage"),
    "emptied": lambda kb, name: part_file(kb, name).write_bytes(b""),
    "another file's part": _swap_in_another_file_s_part,
    "the part of another version of the file": lambda kb, name: part_file(kb, name).write_bytes(
        dump_marshal(read_marshal(part_file(kb, name))[:1] + ("0" * 64, []))),
}


@pytest.mark.parametrize("damage", PART_DAMAGE.values(), ids=PART_DAMAGE.keys())
def test_a_damaged_part_is_replaced_by_that_file_validated_again(kb, monkeypatch, damage):
    built = build(kb)
    damage(kb, parts(built)["dodik.yaml"])
    validated = []
    real_validate = compile_file.validate_records
    monkeypatch.setattr("alliancegraph.sidefiles.validate_records",
                        lambda path, *a: validated.append(Path(path).name) or real_validate(path, *a))
    assert_cached_assertions_are_fresh(kb)
    assert validated == ["dodik.yaml"]  # the other files' parts were read as saved
    assert manifest(kb)["built_at"] == built["built_at"]  # reading built nothing again


def test_a_missing_part_is_written_again_without_rebuilding_the_store(kb, monkeypatch):
    built = build(kb)
    part_file(kb, parts(built)["dodik.yaml"]).unlink()
    compiled_files = []
    real_compile = compile_file.compile_records
    monkeypatch.setattr(compile_file, "compile_records", lambda path,
        *a: compiled_files.append(Path(path).name) or real_compile(path, *a))
    assert_cached_assertions_are_fresh(kb)
    after = manifest(kb)
    assert after["store"] == built["store"] and compiled_files == ["dodik.yaml"]
    assert part_file(kb, parts(after)["dodik.yaml"]).is_file()
    assert {f: n for f, n in parts(after).items() if f != "dodik.yaml"} == {
        f: n for f, n in parts(built).items() if f != "dodik.yaml"}


def test_a_manifest_naming_no_parts_rebuilds(kb):
    from alliancegraph.cache import CacheFolder

    built = build(kb)
    cache = CacheFolder(kb)
    for broken in ([["../outside", "x"]], [[path, "../../etc/passwd"] for path, _ in built["assertions"]],
                   built["assertions"][:1], "assertions-0123456789ab.marshal"):
        cache.write_manifest({**manifest(kb), "assertions": broken})
        assert_cached_assertions_are_fresh(kb)
        assert manifest(kb)["store"] != built["store"]  # built again from scratch
        built = manifest(kb)


def test_a_failed_build_leaves_no_parts_behind(kb):
    (kb / "zz-broken.yaml").write_text((kb / "dodik.yaml").read_text().replace("object: serbia", "object: nowhere"))
    with pytest.raises(KnowledgeBaseError):
        build(kb)
    assert not any((cache_dir_for(kb) / "assertions").glob("*"))


def test_the_saved_index_reads_back_equal_to_a_validated_one(kb):

    from alliancegraph.cache import CacheFolder

    build(kb)
    cache = CacheFolder(kb)
    builder = store_module.Builder(cache)
    parts = {path: part for path, (_, part) in cache.read_marshal("index-parts.marshal").items()}
    validated, saved = compile_file.build_index(cache.kb_root, parts), builder._cached_index()
    assert saved.cached and saved.index.entities == validated.index.entities
    assert saved.index.sources == validated.index.sources
    assert saved.offices.assertions == validated.offices.assertions and saved.offices.assertions
    assert [a.origin for a in saved.offices.assertions] == [a.origin for a in validated.offices.assertions]


def test_model_objects_survive_the_row_encoding(kb):
    kb_loaded = alliancegraph.load(kb)
    for cls, objects in [
        (type(kb_loaded.assertions[0]), kb_loaded.assertions),
        (type(next(iter(kb_loaded.sources.values()))), list(kb_loaded.sources.values())),
    ]:
        rows = rowcodec.objects_to_rows(objects)
        assert rowcodec.rows_to_objects(cls, rows) == objects


def test_a_removed_article_is_reported_not_a_crash(kb):
    build(kb)
    (kb / "article.txt").unlink()
    with pytest.raises(KnowledgeBaseError) as error:
        build(kb)
    assert any("article.txt" in p.message for p in error.value.problems)


# -- the network Python queries work on -----------------------------------------------------------


def graph_as_lists(graph) -> tuple:
    """Everything a networkx graph holds, in its iteration order (so order counts too)."""
    return (
        graph.graph,
        list(graph.nodes(data=True)),
        list(graph.edges(keys=True, data=True)),
        list(graph.in_edges(keys=True, data=True)),
    )


def cached_network(kb_root: Path):
    with CompiledStore.open(kb_root) as compiled:
        return compiled.network()


def fresh_network(kb_root: Path):
    return to_networkx(alliancegraph.load(kb_root))


def cached_ties(kb_root: Path) -> TieTable:
    with CompiledStore.open(kb_root) as compiled:
        return compiled.tie_table()


def fresh_ties(kb_root: Path) -> TieTable:
    """The ties of a fresh compile, taken from the knowledge base and from its networkx graph alike."""
    ties = to_tie_table(alliancegraph.load(kb_root))
    assert ties == TieTable.of_graph(fresh_network(kb_root))
    return ties


def test_the_cached_network_equals_a_fresh_compile(kb):
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    assert cached_ties(kb) == fresh_ties(kb)


def test_the_curated_network_from_the_cache_equals_a_fresh_compile():
    assert graph_as_lists(cached_network(REPO / "kg")) == graph_as_lists(fresh_network(REPO / "kg"))
    ties = cached_ties(REPO / "kg")
    assert ties == fresh_ties(REPO / "kg")
    # Every edge with a tie sign, and every office held, is there: no more, no fewer.
    edges = list(fresh_network(REPO / "kg").edges(keys=True, data=True))
    assert sorted(key for _, _, key, edge in edges if edge["tie"] or edge["relation"] == "holds-office") == list(
        ties.columns[2])
    assert {edge["relation"] for _, _, _, edge in edges if not edge["tie"]} > {"holds-office"}  # others are left out


def test_a_tie_table_keeps_the_attributes_path_and_blocs_read(kb):
    ties = cached_ties(kb)
    graph = fresh_network(kb)
    for position, (subject, target, key) in enumerate(ties.rows("subject", "object", "assertion")):
        edge = graph.edges[subject, target, key]
        assert ties.row(position, *COLUMNS[3:]) == tuple(edge.get(name) for name in COLUMNS[3:])
        assert position in ties.incident[subject] and position in ties.incident[target]
    assert ties.labels == dict(graph.nodes(data="label")) and ties.types == dict(graph.nodes(data="type"))


def test_a_changed_file_changes_the_cached_network(kb):
    before = build(kb)
    assert cached_network(kb).edges["milorad-dodik", "serbia", "dodik-aligns"]["modality"] == "intention"
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact"))
    after = build(kb)
    # The graph is kept as it was and the update's change written beside it.
    assert after["store"] == before["store"] and after["network"] == before["network"]
    assert before["network_changes"] == [] and len(after["network_changes"]) == 1
    assert (cache_dir_for(kb) / after["network_changes"][0]).is_file()
    network = cached_network(kb)
    assert network.edges["milorad-dodik", "serbia", "dodik-aligns"]["modality"] == "fact"
    assert graph_as_lists(network) == graph_as_lists(fresh_network(kb))
    ties = cached_ties(kb)
    assert after["ties"] != before["ties"] and not (cache_dir_for(kb) / before["ties"]).exists()
    assert ties.row(list(ties.columns[2]).index("dodik-aligns"), "modality") == ("fact",)
    assert ties == fresh_ties(kb)


@pytest.mark.parametrize("share", [0.0, 1e9], ids=["graph written whole", "changes kept beside it"])
def test_edges_added_and_removed_keep_the_order_of_a_fresh_compile(kb, monkeypatch, share):
    monkeypatch.setattr("alliancegraph.sidefiles.CHANGES_SHARE", share)
    before = build(kb)
    dodik = (kb / "dodik.yaml").read_text()
    # Ids that sort before those of serbia.yaml: a second edge Serbia -> Hungary, and one to a new neighbour.
    (kb / "dodik.yaml").write_text(dodik + textwrap.indent(textwrap.dedent(f"""\
        - id: aaa-coop
          subject: serbia
          relation: cooperates-with
          object: hungary
          date: 2025-04-03
          source: art
          quote: "{SERBIA_HUNGARY}"
        - id: aaa-criticizes
          subject: serbia
          relation: criticizes
          object: declaration
          speaker: bratislav-gasic
          date: 2025-04-03
          source: art
          quote: "Serbian Defence Minister Bratislav Gašić called the declaration “a provocative move”"
        """), "  "))
    assert build(kb)["store"] == before["store"]  # updated in place
    network = cached_network(kb)
    assert list(network["serbia"]["hungary"]) == ["aaa-coop", "srb-hun-coop"]
    assert list(network["serbia"]) == ["hungary", "declaration", "srb-hun"]
    assert graph_as_lists(network) == graph_as_lists(fresh_network(kb))
    assert {"aaa-coop", "aaa-criticizes"} <= set(cached_ties(kb).columns[2])
    assert cached_ties(kb) == fresh_ties(kb)
    (kb / "dodik.yaml").write_text(dodik)
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    assert cached_ties(kb) == fresh_ties(kb)
    (kb / "serbia.yaml").write_text("assertions: []\n")
    network = cached_network(kb)
    assert not network.has_edge("serbia", "hungary")
    assert graph_as_lists(network) == graph_as_lists(fresh_network(kb))
    assert cached_ties(kb) == fresh_ties(kb)
    assert manifest(kb)["store"] == before["store"]
    # Three changes applied in order to the same graph, or the graph written whole each time.
    assert len(manifest(kb)["network_changes"]) == (3 if share else 0)
    assert (manifest(kb)["network"] == before["network"]) == bool(share)


def test_changes_that_outweigh_the_graph_are_folded_into_it(kb, monkeypatch):
    before = build(kb)
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact"))
    changed = build(kb)
    monkeypatch.setattr("alliancegraph.sidefiles.CHANGES_SHARE", 0.0)  # any change outweighs the graph
    (kb / "serbia.yaml").write_text("assertions: []\n")
    folded = build(kb)
    assert folded["store"] == before["store"]
    assert folded["network"] != before["network"] and folded["network_changes"] == []
    folder = cache_dir_for(kb)
    assert not (folder / before["network"]).exists() and not (folder / changed["network_changes"][0]).exists()
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    assert cached_ties(kb) == fresh_ties(kb)


def changed_once(kb: Path) -> dict:
    """The manifest after one update that wrote a change to the network."""
    build(kb)
    (kb / "dodik.yaml").write_text((kb / "dodik.yaml").read_text().replace("modality: intention", "modality: fact"))
    updated = build(kb)
    assert len(updated["network_changes"]) == 1
    return updated


@pytest.mark.parametrize("damage", [
    lambda path: path.write_bytes(b"\x00garbage"),  # its checksum fails
    lambda path: path.write_bytes(dump_marshal(("removed", "added"))),  # sound, but not edges
    lambda path: path.write_bytes(dump_marshal(([], [("serbia", "atlantis", "x", {})]))),  # to a node not in the graph
], ids=["garbage", "not edges", "unknown node"])
def test_a_damaged_network_change_gives_the_network_of_the_files(kb, damage):
    updated = changed_once(kb)
    damage(cache_dir_for(kb) / updated["network_changes"][0])
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))


def test_a_missing_network_change_is_rebuilt(kb):
    updated = changed_once(kb)
    (cache_dir_for(kb) / updated["network_changes"][0]).unlink()
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    rebuilt = manifest(kb)
    assert rebuilt["store"] != updated["store"] and rebuilt["network_changes"] == []
    assert (cache_dir_for(kb) / rebuilt["network"]).is_file()


@pytest.mark.parametrize("entry", ["network-changes-0123456789ab.marshal", ["../outside.marshal"],
                                   ["network-changes-zz.marshal"], [7]])
def test_a_manifest_naming_changes_no_build_writes_is_built_again(kb, entry):
    built = changed_once(kb)
    folder = cache_dir_for(kb)
    (folder.parent / "outside.marshal").write_bytes(dump_marshal(([], [])))
    CacheFolder(kb).write_manifest({**built, "network_changes": entry})  # checksummed: as if a build wrote it
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    rebuilt = manifest(kb)
    assert rebuilt["store"] != built["store"] and rebuilt["network_changes"] == []
    assert (folder.parent / "outside.marshal").is_file()  # nothing outside the cache folder read or removed


def test_a_missing_network_file_is_rebuilt(kb):
    built = build(kb)
    (cache_dir_for(kb) / built["network"]).unlink()
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))
    assert (cache_dir_for(kb) / manifest(kb)["network"]).is_file()


def test_a_damaged_network_file_gives_the_network_of_the_files(kb):
    built = build(kb)
    (cache_dir_for(kb) / built["network"]).write_bytes(b"\x00garbage")
    assert graph_as_lists(cached_network(kb)) == graph_as_lists(fresh_network(kb))


def test_an_update_changes_the_ties_of_the_last_build_and_takes_them_from_the_network_when_damaged(kb, monkeypatch):
    built = build(kb)
    dodik = (kb / "dodik.yaml").read_text()
    with monkeypatch.context() as patched:  # the ties of the last build are changed, not taken from the whole network
        patched.setattr("alliancegraph.network.adjacency_ties", lambda network: pytest.fail("weighed every edge again"))
        (kb / "dodik.yaml").write_text(dodik.replace("modality: intention", "modality: fact"))
        assert build(kb)["store"] == built["store"]
    assert cached_ties(kb) == fresh_ties(kb)
    (cache_dir_for(kb) / manifest(kb)["ties"]).write_bytes(b"\x00garbage")
    (kb / "dodik.yaml").write_text(dodik)
    assert build(kb)["store"] == built["store"]
    assert cached_ties(kb) == fresh_ties(kb)


def test_a_missing_ties_file_is_rebuilt(kb):
    built = build(kb)
    (cache_dir_for(kb) / built["ties"]).unlink()
    assert cached_ties(kb) == fresh_ties(kb)
    assert (cache_dir_for(kb) / manifest(kb)["ties"]).is_file()


@pytest.mark.parametrize("damage", [
    lambda path: path.write_bytes(b"\x00garbage"),  # its checksum fails
    lambda path: path.write_bytes(dump_marshal(("labels", "types", "columns"))),  # sound, but not a table
    lambda path: path.write_bytes(dump_marshal(({}, {}, ((),) * 10))),  # a column short
    lambda path: path.write_bytes(dump_marshal(({}, {}, ((),) * 10 + (("one",),)))),  # columns of unequal length
], ids=["garbage", "not a table", "a column short", "ragged columns"])
def test_a_damaged_ties_file_gives_the_ties_of_the_network(kb, damage):
    built = build(kb)
    damage(cache_dir_for(kb) / built["ties"])
    assert cached_ties(kb) == fresh_ties(kb)
    runner = cli_runner()
    path = runner.invoke(main, ["--kg", str(kb), "query", "path", "Milorad Dodik", "Hungary", "--format", "json"])
    assert path.exit_code == 0, path.output
    assert [(row["from"], row["to"]) for row in json.loads(path.output)] == [("milorad-dodik", "serbia"), ("serbia", "hungary")]


def test_python_queries_read_neither_yaml_nor_records(kb, monkeypatch):
    build(kb)
    monkeypatch.setattr("alliancegraph.parsing.parse_file", lambda path: pytest.fail(f"parsed {path}"))
    monkeypatch.setattr(store_module, "validate_records", lambda *a: pytest.fail("validated the records again"))
    runner = cli_runner()
    path = runner.invoke(main, ["--kg", str(kb), "query", "path", "Milorad Dodik", "Hungary", "--format", "json"])
    assert path.exit_code == 0, path.output
    assert [(row["from"], row["to"]) for row in json.loads(path.output)] == [("milorad-dodik", "serbia"), ("serbia", "hungary")]
    blocs = runner.invoke(main, ["--kg", str(kb), "query", "blocs", "--format", "json"])
    assert blocs.exit_code == 0, blocs.output
    assert {row["actor"] for row in json.loads(blocs.output)} >= {"serbia", "hungary"}


def test_the_network_built_edge_by_edge_is_the_same_graph(kb):
    import networkx

    from alliancegraph.network import add_edge_by_edge, adjacency, edge_row

    loaded = alliancegraph.load(kb)
    graph = networkx.MultiDiGraph(name=str(loaded.root))
    add_edge_by_edge(graph, adjacency(loaded.entities.values(), [edge_row(loaded, a) for a in loaded.assertions]))
    assert graph_as_lists(graph) == graph_as_lists(to_networkx(loaded))


# -- the graph as a stream ---------------------------------------------------------------------


def test_the_streamed_ntriples_are_the_stores_triples(kb):
    import pyoxigraph

    with CompiledStore.open(kb) as compiled:
        with store_dump.streamed_ntriples(compiled, chunk_size=1000) as chunks:
            pieces = list(chunks)
        assert len(pieces) > 1  # read in chunks, not at once
        streamed = {str(t) for t in pyoxigraph.parse(b"".join(pieces), pyoxigraph.RdfFormat.N_TRIPLES)}
        assert streamed == {str(pyoxigraph.Triple(q.subject, q.predicate, q.object)) for q in compiled.store}


def test_a_store_that_fails_while_streaming_raises_before_the_last_chunk(kb):
    class Failing:
        def dump(self, output, *args, **kwargs):
            output.write(b"<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n")
            raise OSError("the disk went away")

    with CompiledStore.open(kb) as compiled:
        compiled.store = Failing()
        with store_dump.streamed_ntriples(compiled) as chunks:
            with pytest.raises(store_module.StoreError, match="disk went away"):
                list(chunks)


def test_a_reader_that_stops_early_stops_the_stream(kb):
    written = []

    class Endless:  # writes far more than a pipe holds, so it is still writing when the reader stops
        def dump(self, output, *args, **kwargs):
            for _ in range(10_000):
                output.write(b"<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n" * 1000)
                written.append(1)

    with CompiledStore.open(kb) as compiled:
        compiled.store = Endless()
        with store_dump.streamed_ntriples(compiled, chunk_size=100) as chunks:
            assert next(chunks)
    assert len(written) < 10_000  # the writer stopped on the broken pipe (leaving the block waited for it)
