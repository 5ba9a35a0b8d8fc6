"""The whole benchmark in one run: builds, every saved query on every engine at each scale, load, start-up.

    python bench/run.py                                   # everything (about 25 minutes here)
    python bench/run.py --scales seed --repeats 3         # a smoke run, about a minute

Writes bench/results/<date-time>.json and rewrites the tables of bench/README.md (between
its `<!-- results -->` markers). Machines are noisy: every figure is compared with the
floor (pyoxigraph's store, in process) measured in the same run. The saved queries come
from the catalogue (queries/*.rq), each bound as the endpoint binds it: required
parameters to their example, optional ones left unbound (the query's whole answer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_build  # noqa: E402  (bench/ is scripts, not a package)
import load  # noqa: E402
import report  # noqa: E402
import synth  # noqa: E402
from peers import CHILD_ENGINES, HTTP_ENGINES, Bound, ChildEngine, Measure, TimedOut  # noqa: E402

from ofsted_kg.server.query import catalogue  # noqa: E402

ENGINES = ["store", "json", "ours", "ours-uncached", "ours-page", "oxigraph", "rdflib", "rdflib-endpoint"]
LOAD_TARGETS = ["ours", "ours-uncached", "oxigraph"]
SCALES = ["seed", "england", "x10"]
VERSIONS = ["pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "flask", "waitress", "uvicorn", "fastapi"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    ram = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")))
    versions = {}
    for name in VERSIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram / 1024 / 1024, 1), "os": platform.platform(),
            "python": platform.python_version(), "versions": versions, "load_average": os.getloadavg()}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=",".join(SCALES), help=f"comma-separated, of {SCALES}")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated, of {ENGINES}")
    parser.add_argument("--phases", default="build,queries,load", help="comma-separated, of build, queries, load")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query after a warm-up; the median is reported")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of timed runs per query and engine (fewer runs of slow ones)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one query may take on an engine")
    parser.add_argument("--load-timeout", type=float, default=600.0, help="seconds an engine may take to load a graph")
    parser.add_argument("--dumps-wait", type=float, default=600.0,
                        help="seconds to wait, before timing our server, for the dumps a first start writes in the background")
    parser.add_argument("--rdflib-scales", default="seed,england",
                        help="scales rdflib and rdflib-endpoint run at (at 10x rdflib needs over 10 GB, twice that while a query runs)")
    parser.add_argument("--seed-graph", type=Path, default=ROOT / "build" / "ofsted-kg.ttl")
    parser.add_argument("--england", type=Path, default=ROOT / "build" / "england" / "ofsted-kg.ttl")
    parser.add_argument("--corpus", type=Path, default=corpus_build.CORPUS)
    parser.add_argument("--x10", type=Path, default=ROOT / "build" / "bench" / "x10.nt")
    parser.add_argument("--synth-seed", type=int, default=2026)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--load-requests", type=int, default=300, help="requests per client in one load run")
    parser.add_argument("--load-seconds", type=float, default=10.0, help="time cap of one load run")
    parser.add_argument("--load-scale", default=None, help="scale of the load runs (default: england if measured, else the largest)")
    parser.add_argument("--cheap", default="inspection_team", help="the saved query with a small answer for the load runs")
    parser.add_argument("--aggregate", default="inspectors_leading", help="the saved query that scans a lot, for the load runs")
    parser.add_argument("--resume", type=Path, default=None,
                        help="a results JSON to complete: engines it already has at a scale are not run again")
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default bench/results/<date-time>.json)")
    parser.add_argument("--readme", type=Path, default=HERE / "README.md", help="README whose tables to rewrite ('-' for none)")
    args = parser.parse_args(argv)
    args.scales = [s for s in args.scales.split(",") if s]
    args.engines = [e for e in args.engines.split(",") if e]
    args.phases = set(args.phases.split(","))
    args.clients = [int(c) for c in args.clients.split(",")]
    args.rdflib_scales = set(args.rdflib_scales.split(","))
    for s in args.scales:
        if s not in SCALES:
            parser.error(f"unknown scale {s!r}; one of {SCALES}")
    for e in args.engines:
        if e not in ENGINES:
            parser.error(f"unknown engine {e!r}; one of {ENGINES}")
    return args


def ensure_seed_graph(path: Path) -> None:
    if not path.is_file():
        log(f"building the seed graph into {path}")
        subprocess.run([str(Path(sys.executable).parent / "ofsted-kg"), "build", "--out", str(path)], check=True)


def ensure_england(args, results) -> None:
    if args.england.is_file():
        return
    log(f"building the England graph into {args.england} (about 6 minutes)")
    subprocess.run([str(Path(sys.executable).parent / "ofsted-kg"), "build", "--input", str(args.corpus),
                    "--out", str(args.england), "--keep-going"], check=False)
    if not args.england.is_file():
        raise SystemExit(f"bench: error: the England graph could not be built from {args.corpus}")


def ensure_x10(args, results) -> None:
    """The synthetic graph, made again only when its source or seed changed."""
    stamp = args.x10.with_suffix(".json")
    source_hash = hashlib.sha256(args.england.read_bytes()).hexdigest()
    wanted = {"source": source_hash, "seed": args.synth_seed, "times": 10}
    if args.x10.is_file() and stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return
    log(f"generating the 10x graph into {args.x10}")
    started = time.perf_counter()
    triples = synth.generate(args.england, args.x10, 10, args.synth_seed)
    results["synth"] = {"triples": triples, "seconds": time.perf_counter() - started}
    stamp.write_text(json.dumps(wanted))


def build_phase(args, results) -> None:
    log("build: the seed graph, 3 builds")
    from ofsted_kg.graph.build.pipeline import build  # noqa: F401  (fail early if the package is missing)

    seeds = ROOT / "seeds"
    runs = [corpus_build.run(seeds, 1) for _ in range(3)]
    runs.sort(key=lambda r: r["seconds"])
    results["build"]["seed"] = runs[1] | {"runs": 3}
    if {"england", "x10"} & set(args.scales):
        log(f"build: the whole corpus, {os.cpu_count()} workers, into {args.england} (about 6 minutes)")
        args.england.parent.mkdir(parents=True, exist_ok=True)
        results["build"]["corpus"] = corpus_build.run(args.corpus, os.cpu_count() or 1, out=args.england) | {"runs": 1}


def workload(graph: Path, load_timeout: float) -> tuple[list[Bound], int]:
    """Every saved query with the endpoint's binding: required parameters to their example."""
    queries = catalogue.load()
    values = {}
    for name, query in queries.items():
        chosen = {p.name: p.example or p.default for p in query.params if p.required}
        if all(chosen.values()):
            values[name] = chosen
    engine = ChildEngine("store", graph, load_timeout)
    triples = engine.start()["triples"]
    try:
        texts = engine.request({"op": "bind", "values": values}, load_timeout)["queries"]
    finally:
        engine.stop()
    return [Bound(name, values[name], texts[name]) for name in values], triples


def make_engine(key: str, graph: Path, args, first: Bound):
    if key in CHILD_ENGINES:
        return ChildEngine(key, graph, args.load_timeout)
    engine = HTTP_ENGINES[key](graph, args.timeout, args.load_timeout, first)
    if hasattr(engine, "dumps_wait"):
        engine.dumps_wait = args.dumps_wait
    return engine


def scale_phase(scale: str, graph: Path, args, results, save) -> None:
    log(f"{scale}: {graph}")
    bound, triples = workload(graph, args.load_timeout)
    by_name = {b.name: b for b in bound}
    first = by_name.get(args.cheap, bound[0])
    entry = results["scales"].setdefault(scale, {"graph": str(graph), "bytes": graph.stat().st_size,
                                                 "queries": {b.name: {"values": b.values} for b in bound},
                                                 "engines": {}})
    entry["triples"] = triples
    load_scale = args.load_scale or ("england" if "england" in args.scales else args.scales[-1])
    for key in args.engines:
        if key in entry["engines"]:
            continue  # measured by the run being resumed
        earlier = [results["scales"][s]["engines"].get(key, {}) for s in results["scales"] if s != scale]
        if key.startswith("rdflib") and scale not in args.rdflib_scales:
            entry["engines"][key] = {"load_error": "not run at this scale (--rdflib-scales)", "queries": {}}
            continue
        if key == "rdflib-endpoint":  # it runs rdflib's engine: past rdflib's limit it is past its own
            earlier.append(entry["engines"].get("rdflib", {}))
        if any(e.get("load_error") for e in earlier):
            entry["engines"][key] = {"load_error": "skipped: rdflib could not load this graph, or this engine a smaller one", "queries": {}}
            continue
        engine = make_engine(key, graph, args, first)
        log(f"{scale}: {key} starting")
        try:
            started = engine.start()
        except (TimedOut, RuntimeError, subprocess.SubprocessError) as error:
            engine.stop()
            entry["engines"][key] = {"load_error": f"{type(error).__name__}: {error}", "queries": {}}
            log(f"{scale}: {key} did not start: {error}")
            save()
            continue
        record = entry["engines"][key] = {"startup": started, "queries": {}}
        try:
            for query in bound:
                timed_out_before = any(e.get("queries", {}).get(query.name, {}).get("error") == "timeout" for e in earlier)
                if timed_out_before:
                    measure = Measure(error="timeout")
                    measure.skipped = True
                else:
                    measure = engine.measure(query, args.repeats, args.timeout, args.budget)
                record["queries"][query.name] = asdict(measure) | {"median_ms": measure.median_ms,
                                                                   "skipped": getattr(measure, "skipped", False)}
                log(f"{scale}: {key} {query.name}: " + (f"{measure.median_ms:.2f} ms, {measure.rows} rows"
                                                         if measure.median_ms is not None else measure.error))
            record["rss_mb"] = engine.rss_mb()
            if "load" in args.phases and scale == load_scale and key in LOAD_TARGETS:
                load_phase(engine, by_name, args, results, key)
        finally:
            engine.stop()
        save()


def load_phase(engine, by_name: dict, args, results, key: str) -> None:
    runs = results["load"].setdefault("runs", {})
    for kind, name in (("cheap", args.cheap), ("aggregate", args.aggregate)):
        if name not in by_name:
            continue
        request = engine.request(by_name[name])
        for clients in args.clients:
            outcome = load.run(engine.port, request, clients, args.load_requests * clients, args.load_seconds)
            runs.setdefault(key, {}).setdefault(kind, {})[str(clients)] = asdict(outcome)
            log(f"load: {key} {kind} ({name}) x{clients}: {outcome.per_second:.0f}/s, "
                f"p50 {outcome.p50_ms or 0:.1f} ms, p99 {outcome.p99_ms or 0:.1f} ms, {outcome.errors} errors")
    results["load"]["queries"] = {"cheap": args.cheap, "aggregate": args.aggregate}


def main(argv=None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    out = args.out or HERE / "results" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = {"date": stamp, "machine": machine(), "options": {k: str(v) for k, v in vars(args).items()},
               "build": {}, "scales": {}, "load": {}}
    if args.resume:  # a run cut short: keep what it measured, and say that it was resumed
        out = args.out or args.resume
        results = json.loads(args.resume.read_text()) | {"resumed": stamp}
        began -= results.get("seconds", 0)

    def save():
        results["seconds"] = time.perf_counter() - began
        out.write_text(json.dumps(results, indent=1))

    ensure_seed_graph(args.seed_graph)
    if "build" in args.phases:
        build_phase(args, results)
        save()
    if {"england", "x10"} & set(args.scales):
        ensure_england(args, results)
    if "x10" in args.scales:
        ensure_x10(args, results)
    graphs = {"seed": args.seed_graph, "england": args.england, "x10": args.x10}
    if {"queries", "load"} & args.phases:
        for scale in args.scales:
            scale_phase(scale, graphs[scale], args, results, save)
    results["machine"]["load_average_end"] = os.getloadavg()
    save()
    log(f"results: {out} ({results['seconds']:.0f} s)")
    if str(args.readme) != "-":
        report.update_readme(args.readme, report.render(results))
        log(f"tables rewritten in {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
