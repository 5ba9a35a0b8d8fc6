"""Saved queries before and after a rewrite: time on the store and the same rows, against a git revision.

    python bench/rewrites.py [REV] [--graph build/england/ofsted-kg.ttl | --store DIR] [-p query:key=value ...]

For every queries/*.rq that differs from its version at REV (default 8298d8e, before the
rewrites of issue 6), both texts are bound as the endpoint binds them (required parameters
to their example, plus any -p values) and run on one pyoxigraph store: the old once (some
took over a minute), the new `--repeat` times (best run). The answers must be the same rows
in the same order; a difference is printed, never hidden. `--store DIR` runs them on a
persisted store instead (opened read-only, e.g. the `STORE_DIR` `serve` made), as the workers
query it when their copies in memory do not fit (`WORKER_STORE`, at 10x).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.server.query import catalogue
from ofsted_kg.server.store import rdf_files

ROOT = Path(__file__).resolve().parents[1]


def at_revision(rev: str, name: str) -> catalogue.SavedQuery | None:
    """Saved query NAME as it was at git revision REV (None: it did not exist there)."""
    shown = subprocess.run(["git", "show", f"{rev}:queries/{name}.rq"], cwd=ROOT, capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.rq"
        path.write_text(shown.stdout, encoding="utf-8")
        return catalogue.parse(path)


def rows(graph, text: str) -> list[tuple]:
    return [tuple(None if t is None else str(t) for t in solution) for solution in graph.query(text)]


def timed(graph, text: str, repeat: int) -> tuple[float, list]:
    best, answer = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = rows(graph, text)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best * 1000, answer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", nargs="?", default="8298d8e")
    parser.add_argument("--graph", type=Path, default=ROOT / "build" / "england" / "ofsted-kg.ttl")
    parser.add_argument("--store", type=Path, help="a persisted store's folder, opened read-only, instead of --graph")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-p", "--param", action="append", default=[], metavar="QUERY:KEY=VALUE",
                        help="also run QUERY with this value (repeatable), e.g. -p statistics:la=Stoke-on-Trent")
    args = parser.parse_args(argv)
    graph = ox.Store.read_only(str(args.store)) if args.store else rdf_files.load([args.graph])
    queries = catalogue.load()
    names = catalogue.Names(graph, queries)
    runs = []
    for name, query in queries.items():
        old = at_revision(args.rev, name)
        if old is None or old.text == query.text:
            continue
        required = {p.name: p.example for p in query.params if p.required}
        runs.append((name, required, old))
        for extra in args.param:
            target, _, pair = extra.partition(":")
            if target == name:
                key, _, value = pair.partition("=")
                runs.append((name, required | {key: value}, old))
    print(f"{args.store or args.graph}: {len(graph):,} triples; old and new texts from {args.rev} and the working tree\n")
    print("| query | values | rows | before (ms) | after (ms) | faster | same rows, same order |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, values, before_query in runs:
        before_ms, before = timed(graph, catalogue.bind(before_query, values, names), 1)
        after_ms, after = timed(graph, catalogue.bind(queries[name], values, names), args.repeat)
        same = "yes" if before == after else ("same set, other order" if sorted(before) == sorted(after) else "NO")
        shown = ", ".join(f"{k}={v}" for k, v in values.items()) or "(none)"
        print(f"| `{name}` | {shown} | {len(after):,} | {before_ms:,.1f} | {after_ms:,.1f} | {before_ms / after_ms:,.0f}x | {same} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
