"""Measure alliancegraph at growing sizes, each figure next to an anchor measured in the same run.

    python bench/run.py [--sizes 10000 100000] [--draw-assertions 38000] [--out bench/results.json]

The machine may be shared, so absolute times move with its load; every figure
is therefore given next to an anchor measured in the same run, on the same
data, and as their ratio. For each size N, a synthetic knowledge base of N
assertions (bench/make_kb.py) is measured, every figure in fresh processes:

* full build, into an empty cache, against the engine's own limit: parsing
  the YAML files with PyYAML's CSafeLoader (the parse floor) in one process
  while another bulk-loads the same triples, as N-Triples, into a fresh
  Oxigraph store and optimizes it; the anchor is the time until both are done.
  Three builds, each followed by its anchor: the pair of median ratio is
  kept (one build varies by a few per cent from run to run). Peak memory is
  the largest resident set of any process of the build;
* one-file rebuild: the same after one assertion file out of ~100 changed,
  as a share of the full build;
* warm SPARQL: ``alliancegraph query who-aligns-with Serbia`` with the store
  built, against ``oxigraph query`` on the same store and the same query (its
  parameters bound) plus Python's start-up floor (``python -c "import click,
  yaml"``): the target is at most 0.1 s over their sum. The three commands
  run in turn, round after round, and the median of each is kept;
* warm Python queries: ``query path Serbia Hungary`` and ``query blocs``,
  against the target of 1 s, next to the warm SPARQL query;
* draw: ``alliancegraph draw`` of the network (CPU time beside wall time);
* push: ``alliancegraph push`` to an Oxigraph server, against ``curl -T`` of
  the store's N-Triples to the same server (both replacing the whole graph),
  three uploads of each in turn, the median of each kept;
* every saved SPARQL query through the project's engine (median of several
  runs), with Serbia, NATO or the first issue as its argument.

The package's modules are compiled to bytecode first, as installing it does
(a checkout run with ``PYTHONDONTWRITEBYTECODE`` set would compile them in
every command measured).

``--draw-assertions`` adds a knowledge base of about 2,000 entities, where the
target for ``draw`` is 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Full builds, each followed by its anchor, at each size: the pair of median ratio is kept.
BUILD_PAIRS = 3
#: Uploads of push and of curl, in turn: the median of each is kept.
PUSH_RUNS = 3

FLOOR = """
import sys, time, yaml
from pathlib import Path
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.suffix in (".yaml", ".yml"))
start = time.perf_counter()
for path in files:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

RAW_LOAD = """
import json, sys, time, pyoxigraph
start = time.perf_counter()
store = pyoxigraph.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
store.flush()
loaded = time.perf_counter() - start
store.optimize()
print(json.dumps({"load_s": loaded, "optimized_s": time.perf_counter() - start}))
"""

BUILD = """
import json, resource, sys, time
start = time.perf_counter()
from alliancegraph.store import build
build(sys.argv[1])
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "max_rss_kb": max(own, workers)}))
"""

# The store's N-Triples for the anchors, and the saved query with its parameters bound, as the CLI sends it.
PREPARE = """
import datetime as dt, json, sys, pyoxigraph
from alliancegraph.engine import bind_parameters, date_term, entity_term
from alliancegraph.store import CompiledStore
with CompiledStore.open(sys.argv[1]) as compiled, open(sys.argv[2], "wb") as out:
    compiled.store.dump(out, pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    entities = len(compiled.entities)
text = open(sys.argv[3], encoding="utf-8").read()
bound = bind_parameters(text, {"_actor_iri": entity_term("serbia"), "_asof_xsd_date": date_term(dt.date.today())})
open(sys.argv[4], "w", encoding="utf-8").write(bound)
print(json.dumps({"entities": entities}))
"""

# Where the store the warm queries read is (the last build's, updated by the rebuilds).
STORE = """
import sys
from alliancegraph.store import CompiledStore
with CompiledStore.open(sys.argv[1]) as compiled:
    print(compiled.cache.folder / compiled.manifest["store"])
"""

SAVED_QUERIES = """
import datetime as dt, json, sys, time
from alliancegraph.queries import SparqlQuery, load_queries
from alliancegraph.store_engine import StoreEngine
engine = StoreEngine(sys.argv[1])
issue = min(e.id for e in engine.entities.values() if e.type == "issue")
arguments = {"actor": "serbia", "group": "nato", "issue": issue}
results = {}
for name, query in sorted(load_queries().items()):
    if not isinstance(query, SparqlQuery) or any(p.name not in arguments for p in query.parameters if p.required):
        continue
    given = {p.name: arguments[p.name] for p in query.parameters if p.required}
    rows = query.run(engine, given, dt.date(2026, 1, 1))  # opens the store
    times = []
    for _ in range(5):
        start = time.perf_counter()
        query.run(engine, given, dt.date(2026, 1, 1))
        times.append(time.perf_counter() - start)
    results[name] = {"seconds": sorted(times)[len(times) // 2], "rows": len(rows)}
print(json.dumps(results))
"""


def python(*args: str, env: dict | None = None) -> str:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{args[:2]} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def timed(command: list[str], env: dict, runs: int) -> dict:
    """Median wall time of a command, and the median CPU time of its process."""
    return timed_in_turn({"command": command}, env, runs)["command"]


def timed_in_turn(commands: dict[str, list[str]], env: dict, runs: int) -> dict[str, dict]:
    """Median wall and CPU time of each command, the commands run one after the other in each round:
    a figure and its anchor then meet the machine in the same state, however its load moves."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            before = os.times()
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            walls[name].append(time.perf_counter() - start)
            after = os.times()
            cpus[name].append(after.children_user - before.children_user + after.children_system - before.children_system)
    return {name: {"wall_s": statistics.median(walls[name]), "cpu_s": statistics.median(cpus[name])} for name in commands}


def tool(name: str) -> list[str]:
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.exists() else [name]


def compile_bytecode() -> None:
    """Compile the package's modules once, as installing it does: a source checkout run with
    PYTHONDONTWRITEBYTECODE would otherwise compile them in every measured command."""
    package = Path(python("-c", "import alliancegraph; print(alliancegraph.__file__)").strip()).parent
    python("-m", "compileall", "-q", str(package))


def cli() -> list[str]:
    script = Path(sys.executable).with_name("alliancegraph")
    return [str(script)] if script.exists() else [sys.executable, "-m", "alliancegraph.cli"]


def edit_one_file(kg: Path, round_: int) -> Path:
    """Append one assertion (a copy of the file's first, under a new id) to one of ~100 assertion files."""
    path = sorted((kg / "assertions").glob("*.yaml"))[len(list((kg / "assertions").glob("*.yaml"))) // 2]
    text = path.read_text(encoding="utf-8")
    first = text.split("\n  - id: ")[1]
    record = "  - id: " + first.split("\n", 1)[0] + f"-edited-{round_}\n" + first.split("\n", 1)[1]
    path.write_text(text.rstrip("\n") + "\n" + record.rstrip("\n") + "\n", encoding="utf-8")
    return path


def anchor_build(kg: Path, ntriples: Path, scratch: Path) -> dict:
    """The parse floor in one process while another bulk-loads and optimizes the same triples."""
    shutil.rmtree(scratch, ignore_errors=True)
    start = time.perf_counter()
    parse = subprocess.Popen([sys.executable, "-c", FLOOR, str(kg)], stdout=subprocess.PIPE, text=True)
    load = subprocess.Popen([sys.executable, "-c", RAW_LOAD, str(ntriples), str(scratch)], stdout=subprocess.PIPE, text=True)
    parsed, loaded = parse.communicate()[0], load.communicate()[0]
    seconds = time.perf_counter() - start
    shutil.rmtree(scratch, ignore_errors=True)
    return {"seconds": seconds, "parse_s": float(parsed), **json.loads(loaded)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_push(kg: Path, ntriples: Path, workdir: Path, env: dict) -> dict:
    """push against curl -T of the same N-Triples to the same Oxigraph server, each replacing the whole graph."""
    location = workdir / "server"
    shutil.rmtree(location, ignore_errors=True)
    port = free_port()
    server = subprocess.Popen([*tool("oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/store"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        curl = ["curl", "--silent", "--fail", "-T", str(ntriples), "-H", "Content-Type: application/n-triples",
                f"{url}?default"]
        subprocess.run(curl, check=True)  # the graph the timed uploads replace
        push = [*cli(), "--kg", str(kg), "push", "--endpoint", url, "--timeout", "3600"]
        # The server's own time to replace a graph varies more than one upload takes: the median of three each.
        timings = timed_in_turn({"curl_s": curl, "push_s": push}, env, PUSH_RUNS)
        times = {name: timing["wall_s"] for name, timing in timings.items()}
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait()
        shutil.rmtree(location, ignore_errors=True)
    return {**times, "ratio": times["push_s"] / times["curl_s"]}


def measure(n: int, workdir: Path, runs: int, push: bool) -> dict:
    kb_dir = workdir / f"kb-{n}"
    python(str(HERE / "make_kb.py"), str(n), str(kb_dir))
    kg = kb_dir / "kg"
    cache = workdir / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "ALLIANCEGRAPH_CACHE": str(cache)}
    assertions = sum(p.read_text(encoding="utf-8").count("\n  - id: ") for p in (kg / "assertions").glob("*.yaml"))
    ntriples, query_text = workdir / f"graph-{n}.nt", workdir / f"query-{n}.rq"
    pairs = []
    for pair in range(BUILD_PAIRS):
        print(f"  building {n:,} and its anchor ({pair + 1} of {BUILD_PAIRS})", file=sys.stderr, flush=True)
        shutil.rmtree(cache, ignore_errors=True)
        build = json.loads(python("-c", BUILD, str(kg), env=env))
        if not pair:
            prepared = json.loads(python("-c", PREPARE, str(kg), str(ntriples),
                                         str(REPO / "queries" / "who-aligns-with.rq"), str(query_text), env=env))
        pairs.append((build, anchor_build(kg, ntriples, workdir / "anchor-store")))
    # The pair of median ratio: one build next to the anchor measured right after it.
    build, anchor = sorted(pairs, key=lambda p: p[0]["seconds"] / p[1]["seconds"])[len(pairs) // 2]
    rebuilds = []
    for round_ in range(3):
        edit_one_file(kg, round_)
        rebuilds.append(json.loads(python("-c", BUILD, str(kg), env=env))["seconds"])
    print("  warm queries", file=sys.stderr, flush=True)
    base = [*cli(), "--kg", str(kg), "query"]
    store = python("-c", STORE, str(kg), env=env).strip()
    warm = timed_in_turn({
        "sparql": [*base, "who-aligns-with", "Serbia"],
        "engine": [*tool("oxigraph"), "query", "--location", store, "--query-file", str(query_text),
                   "--results-format", "csv"],
        "floor": [sys.executable, "-c", "import click, yaml"],
    }, env, runs)
    sparql, engine, floor = warm["sparql"], warm["engine"], warm["floor"]
    path = timed([*base, "path", "Serbia", "Hungary"], env, runs)
    blocs = timed([*base, "blocs"], env, runs)
    print("  draw", file=sys.stderr, flush=True)
    draw = timed([*cli(), "--kg", str(kg), "draw", "-o", str(workdir / f"network-{n}.png")], env, 1)
    saved = json.loads(python("-c", SAVED_QUERIES, str(kg), env=env))
    print("  push", file=sys.stderr, flush=True)
    pushed = measure_push(kg, ntriples, workdir, env) if push else None
    ntriples.unlink()
    limit = engine["wall_s"] + floor["wall_s"] + 0.1
    return {
        "assertions": assertions,
        "entities": prepared["entities"],
        "yaml_files": len(list(kg.rglob("*.yaml"))),
        "yaml_mb": round(sum(p.stat().st_size for p in kg.rglob("*.yaml")) / 2**20, 1),
        "build_s": build["seconds"],
        "anchor": anchor,
        "build_ratio": build["seconds"] / anchor["seconds"],
        "build_ratios": sorted(b["seconds"] / a["seconds"] for b, a in pairs),
        "build_us_per_assertion": 1e6 * build["seconds"] / assertions,
        "peak_rss_mb": round(build["max_rss_kb"] / 1024),
        "rebuild_s": statistics.median(rebuilds),
        "rebuild_share": statistics.median(rebuilds) / build["seconds"],
        "sparql": sparql,
        "oxigraph_cli": engine,
        "python_floor": floor,
        "sparql_limit_s": limit,
        "sparql_over_limit_s": sparql["wall_s"] - limit,
        "path": path,
        "blocs": blocs,
        "draw": draw,
        "push": pushed,
        "saved_queries": saved,
    }


def measure_draw(n: int, workdir: Path) -> dict:
    """draw of a knowledge base of n assertions (the build is not timed)."""
    kb_dir = workdir / f"kb-{n}"
    python(str(HERE / "make_kb.py"), str(n), str(kb_dir))
    cache = workdir / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "ALLIANCEGRAPH_CACHE": str(cache)}
    kg = kb_dir / "kg"
    python("-c", BUILD, str(kg), env=env)
    entities = json.loads(python("-c", "import json, sys\nfrom alliancegraph.store import CompiledStore\n"
                                 "with CompiledStore.open(sys.argv[1]) as c: print(len(c.entities))", str(kg), env=env))
    draw = timed([*cli(), "--kg", str(kg), "draw", "-o", str(workdir / f"network-{n}.png")], env, 1)
    return {"assertions": n, "entities": entities, **draw}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else None
    import networkx
    import pyoxigraph
    import yaml

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1) if memory else None,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "networkx": networkx.__version__,
        "pyyaml": f"{yaml.__version__} (libyaml: {yaml.__with_libyaml__})",
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def table(results: list[dict]) -> str:
    """Every figure next to its anchor, as a ratio, one column per size."""
    rows = [("what", "anchor (same run)", "target")]
    rows.append(("", "", ""))
    cells: list[list[str]] = [[] for _ in range(8)]
    for r in results:
        a = r["anchor"]
        cells[0].append(f"{r['build_s']:.1f} s / {a['seconds']:.1f} s = **{r['build_ratio']:.2f}×**")
        cells[1].append(f"{r['rebuild_s']:.2f} s = {100 * r['rebuild_share']:.1f}%")
        cells[2].append(f"{r['sparql']['wall_s']:.3f} s / {r['sparql_limit_s']:.3f} s ({r['sparql_over_limit_s']:+.3f} s)")
        cells[3].append(f"{r['path']['wall_s']:.2f} s ({r['path']['wall_s'] / r['sparql']['wall_s']:.1f}× SPARQL)")
        cells[4].append(f"{r['blocs']['wall_s']:.2f} s ({r['blocs']['wall_s'] / r['sparql']['wall_s']:.1f}× SPARQL)")
        cells[5].append(f"{r['draw']['wall_s']:.1f} s (CPU {r['draw']['cpu_s']:.1f} s), {r['entities']:,} entities")
        p = r["push"]
        cells[6].append(f"{p['push_s']:.1f} s / {p['curl_s']:.1f} s = **{p['ratio']:.2f}×**" if p else "—")
        cells[7].append(f"{r['build_us_per_assertion']:.0f} µs, {r['peak_rss_mb']:,} MB")
    labels = [
        ("full build", "parse floor ∥ raw bulk load + optimize", "≤ 1.5×"),
        ("one-file rebuild", "share of the full build", "≤ 5%"),
        ("warm `query who-aligns-with Serbia`", "`oxigraph query` + `import click, yaml` + 0.1 s", "≤ the sum"),
        ("warm `query path Serbia Hungary`", "1 s", "≤ 1 s"),
        ("warm `query blocs`", "1 s", "≤ 1 s"),
        ("`draw` (network)", "—", "≤ 15 s at 2,000 entities"),
        ("`push`", "`curl -T` of the same N-Triples, same server", "≤ 1.5×"),
        ("build time per assertion, peak RSS", "the smaller size", "linear or better"),
    ]
    header = ["what", *(f"{r['assertions']:,} assertions" for r in results), "anchor (same run)", "target"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * len(results) + "---|---|"]
    for (what, anchor, target), row in zip(labels, cells):
        lines.append("| " + " | ".join([what, *row, anchor, target]) + " |")
    return "\n".join(lines)


def queries_table(results: list[dict]) -> str:
    """Each saved SPARQL query's time (and rows) at each size."""
    header = ["query", *(f"{r['assertions']:,}" for r in results)]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "|".join("---:" for _ in results) + "|"]
    for name in results[0]["saved_queries"]:
        cells = [f"{r['saved_queries'][name]['seconds']:.3f} s ({r['saved_queries'][name]['rows']:,})" for r in results]
        lines.append("| " + " | ".join([f"`{name}`", *cells]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--draw-assertions", type=int, default=38_000,
                        help="also draw a knowledge base of this many assertions (38,000: about 2,000 entities); 0: no")
    parser.add_argument("--no-push", action="store_true", help="leave push out (it needs curl and the oxigraph server)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/alliancegraph-bench"))
    parser.add_argument("--runs", type=int, default=9, help="runs of each warm command (the median is kept)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    started = machine()
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} assertions ...", file=sys.stderr, flush=True)
        results.append(measure(n, args.workdir, args.runs, not args.no_push))
    drawn = measure_draw(args.draw_assertions, args.workdir) if args.draw_assertions else None
    report = {
        "machine": started,
        "date": time.strftime("%Y-%m-%d"),
        "results": results,
        "draw_2000": drawn,
        "table": table(results),
        "queries_table": queries_table(results),
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    if drawn:
        print(f"\ndraw of {drawn['entities']:,} entities ({drawn['assertions']:,} assertions): "
              f"{drawn['wall_s']:.1f} s (CPU {drawn['cpu_s']:.1f} s)")
    print()
    print(queries_table(results))


if __name__ == "__main__":
    main()
