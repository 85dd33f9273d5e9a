"""Measure alliancegraph at growing sizes and print one table (also written as JSON).

    python bench/run.py [--sizes 1000 10000 100000] [--out bench/results.json]

For each size N, a synthetic knowledge base of N assertions (bench/make_kb.py)
is measured, every figure in fresh processes so that nothing is warm that a
user's command would not have warm:

* full build: compiling the knowledge base into an empty cache, next to the
  floor — parsing the same YAML files with PyYAML's CSafeLoader and nothing
  else — and their ratio;
* one-file rebuild: the same after one assertion file out of ~100 changed;
* warm query: ``alliancegraph query who-aligns-with Serbia`` with the store
  built (median of several runs), next to ``python -c "import click, yaml"``;
* saved SPARQL: who-aligns-with.rq through a plain in-memory rdflib Graph and
  through the project's engine, and their ratio;
* every saved SPARQL query through the project's engine (median of several
  runs), with Serbia, NATO or the first issue as its argument;
* peak memory: the largest resident set of any process of a full build.

A second table gives the saved queries' times, one column per size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERY = REPO / "queries" / "who-aligns-with.rq"

FLOOR = """
import sys, time, yaml
from pathlib import Path
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.suffix in (".yaml", ".yml"))
start = time.perf_counter()
for path in files:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
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

ENGINE_QUERY = """
import datetime as dt, json, sys, time
from alliancegraph.engine import date_term, entity_term
from alliancegraph.store import StoreEngine
engine = StoreEngine(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
bindings = {"_actor_iri": entity_term("serbia"), "_asof_xsd_date": date_term(dt.date(2026, 1, 1))}
engine.select(text, bindings)  # opens the store
times = []
for _ in range(5):
    start = time.perf_counter()
    rows = engine.select(text, bindings)
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"seconds": times[len(times) // 2], "rows": len(rows)}))
"""

SAVED_QUERIES = """
import datetime as dt, json, sys, time
from alliancegraph.queries import SparqlQuery, load_queries
from alliancegraph.store import StoreEngine
engine = StoreEngine(sys.argv[1])
issue = min(e.id for e in engine.entities.values() if e.type == "issue")
arguments = {"actor": "serbia", "group": "nato", "issue": issue}
results = {}
for name, query in sorted(load_queries().items()):
    if not isinstance(query, SparqlQuery):
        continue
    given = {p.name: arguments[p.name] for p in query.parameters}
    rows = query.run(engine, given, dt.date(2026, 1, 1))  # opens the store
    times = []
    for _ in range(5):
        start = time.perf_counter()
        query.run(engine, given, dt.date(2026, 1, 1))
        times.append(time.perf_counter() - start)
    results[name] = {"seconds": sorted(times)[len(times) // 2], "rows": len(rows)}
print(json.dumps(results))
"""

RDFLIB_QUERY = """
import datetime as dt, json, signal, sys, time
import rdflib
from alliancegraph.store import CompiledStore, dump_ntriples
with CompiledStore.open(sys.argv[1]) as compiled, dump_ntriples(compiled) as ntriples:
    start = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(source=ntriples, format="nt")
    loaded = time.perf_counter() - start
text = open(sys.argv[2], encoding="utf-8").read()
bindings = {
    "_actor_iri": rdflib.URIRef("https://w3id.org/alliancegraph/id/serbia"),
    "_asof_xsd_date": rdflib.Literal("2026-01-01", datatype=rdflib.XSD.date),
}
limit = int(sys.argv[3])
def give_up(signum, frame):
    print(json.dumps({"seconds": None, "at_least": limit, "load_seconds": loaded}))
    sys.exit(0)
signal.signal(signal.SIGALRM, give_up)
signal.alarm(limit)
start = time.perf_counter()
rows = list(graph.query(text, initBindings=bindings))
print(json.dumps({"seconds": time.perf_counter() - start, "load_seconds": loaded, "rows": len(rows)}))
"""


def python(*args: str, env: dict | None = None, timeout: float | None = None) -> str:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{args[:2]} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def timed(command: list[str], env: dict, runs: int) -> float:
    """Median wall time of a command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def measure(n: int, workdir: Path, rdflib_timeout: float, runs: int) -> dict:
    kb_dir = workdir / f"kb-{n}"
    python(str(HERE / "make_kb.py"), str(n), str(kb_dir))
    kg = kb_dir / "kg"
    cache = workdir / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "ALLIANCEGRAPH_CACHE": str(cache)}
    assertions = sum(p.read_text(encoding="utf-8").count("\n  - id: ") for p in (kg / "assertions").glob("*.yaml"))
    floor = float(python("-c", FLOOR, str(kg)))
    build = json.loads(python("-c", BUILD, str(kg), env=env))
    rebuilds = []
    for round_ in range(3):
        edit_one_file(kg, round_)
        rebuilds.append(json.loads(python("-c", BUILD, str(kg), env=env))["seconds"])
    query = timed([*cli(), "--kg", str(kg), "query", "who-aligns-with", "Serbia"], env, runs)
    imports = timed([sys.executable, "-c", "import click, yaml"], env, runs)
    engine = json.loads(python("-c", ENGINE_QUERY, str(kg), str(QUERY), env=env))
    saved = json.loads(python("-c", SAVED_QUERIES, str(kg), env=env))
    rdflib = json.loads(python("-c", RDFLIB_QUERY, str(kg), str(QUERY), str(int(rdflib_timeout)), env=env))
    return {
        "assertions": assertions,
        "yaml_files": len(list(kg.rglob("*.yaml"))),
        "yaml_mb": round(sum(p.stat().st_size for p in kg.rglob("*.yaml")) / 2**20, 1),
        "floor_s": floor,
        "build_s": build["seconds"],
        "build_ratio": build["seconds"] / floor,
        "rebuild_s": statistics.median(rebuilds),
        "rebuild_share": statistics.median(rebuilds) / build["seconds"],
        "query_s": query,
        "import_floor_s": imports,
        "query_over_floor_s": query - imports,
        "engine_sparql_s": engine["seconds"],
        "rdflib_sparql_s": rdflib["seconds"],
        "rdflib_gave_up_after_s": rdflib.get("at_least"),
        "rdflib_load_s": rdflib["load_seconds"],
        "sparql_speedup": (rdflib["seconds"] or rdflib["at_least"]) / engine["seconds"],
        "rows": engine["rows"],
        "saved_queries": saved,
        "peak_rss_mb": round(build["max_rss_kb"] / 1024),
    }


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
    import pyoxigraph
    import rdflib
    import yaml

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1) if memory else None,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "pyyaml": f"{yaml.__version__} (libyaml: {yaml.__with_libyaml__})",
    }


def fmt(value, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def table(results: list[dict]) -> str:
    header = ["assertions", "floor", "full build", "ratio", "1-file rebuild", "share", "query (CLI)",
              "import floor", "over floor", "rdflib SPARQL", "engine SPARQL", "speed-up", "peak RSS"]
    rows = [[
        f"{r['assertions']:,}", fmt(r["floor_s"], ".2f", " s"), fmt(r["build_s"], ".2f", " s"),
        fmt(r["build_ratio"], ".1f", "×"), fmt(r["rebuild_s"], ".2f", " s"), fmt(100 * r["rebuild_share"], ".1f", "%"),
        fmt(r["query_s"], ".3f", " s"), fmt(r["import_floor_s"], ".3f", " s"), fmt(r["query_over_floor_s"], "+.3f", " s"),
        fmt(r["rdflib_sparql_s"], ".3f", " s") if r["rdflib_sparql_s"] is not None else f"> {r['rdflib_gave_up_after_s']:.0f} s",
        fmt(r["engine_sparql_s"], ".4f", " s"),
        ("" if r["rdflib_sparql_s"] is not None else "> ") + fmt(r["sparql_speedup"], ",.0f", "×"),
        f"{r['peak_rss_mb']:,} MB",
    ] for r in results]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/alliancegraph-bench"))
    parser.add_argument("--runs", type=int, default=7, help="runs of each CLI command (the median is kept)")
    parser.add_argument("--rdflib-timeout", type=float, default=300,
                        help="seconds rdflib may take over the query (beyond them the speed-up is a lower bound)")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        print(f"measuring {n:,} assertions ...", file=sys.stderr, flush=True)
        results.append(measure(n, args.workdir, args.rdflib_timeout, args.runs))
    report = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "results": results,
        "table": table(results),
        "queries_table": queries_table(results),
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print()
    print(queries_table(results))


if __name__ == "__main__":
    main()
