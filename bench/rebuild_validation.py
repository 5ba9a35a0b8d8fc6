"""The graph-wide shapes' check of a rebuild (graph/rdf/rebuild_validation.py) against today's
check of the whole graph (validate.querying), on a built graph and one report's triples.

    python bench/rebuild_validation.py GRAPH.ttl --document KEY [--jobs 2] [--out results.json]

One report's triples: those of its evidence chains and its document node (IRIs holding its
key), the facts all of whose evidence is in it, and the links to these from elsewhere
(another report's evidence of a fact kept, a reference to a fact gone). Four checks, each
timed (wall, this process's CPU, its workers' CPU), each answer compared with the whole
graph's:
1. today's check of the whole graph (querying, `--jobs` processes);
2. the stores made afresh of the graph without the report (validate_rebuild, no change);
3. the report added back (validate_rebuild with the change);
4. the report taken out again (the change reversed, from the stores of 3).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.build.extraction_cache import ExtractionCache
from ofsted_kg.graph.rdf.rebuild_validation import Change, validate_rebuild
from ofsted_kg.graph.rdf.turtle import order
from ofsted_kg.graph.rdf.validate import graph_wide_shapes, querying

EVIDENCE = "https://w3id.org/ofsted-kg/def#evidence"
BODY = "http://www.w3.org/ns/oa#hasBody"


def timed(what, run) -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, cpu = time.perf_counter(), time.process_time()
    answer = run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {"answer": answer, "wall": round(time.perf_counter() - wall, 3), "cpu": round(time.process_time() - cpu, 3),
               "workers_cpu": round(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime, 3),
               "load_average": os.getloadavg()[0]}
    print(what, figures, file=sys.stderr, flush=True)
    return figures


def one_report(published: dict, key: str) -> list:
    """The keys of the triples the report gives (see the module's note)."""
    own = {k[0] for k in published if f"/evidence/{key}" in k[0] or f"/document/{key}" in k[0]}
    evidence: dict[str, list] = {}
    for k in published:
        if k[2] == EVIDENCE:
            evidence.setdefault(k[0], []).append(k[4])
    facts = {fact for fact, annotations in evidence.items() if all(a in own for a in annotations)}
    gone = own | facts
    bodies: dict[str, list] = {}
    for k in published:
        if k[2] == BODY:
            bodies.setdefault(k[0], []).append(k[4])
    gone |= {annotation for annotation, facts in bodies.items() if all(f in gone for f in facts)}
    return [k for k in published if k[0] in gone or (k[3] == 0 and k[4] in gone)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("graph", type=Path)
    parser.add_argument("--document", required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    shapes = tuple(graph_wide_shapes())
    started = time.perf_counter()
    published = {order(q.triple): q.triple for q in ox.parse(path=str(args.graph), format=ox.RdfFormat.TURTLE)}
    parsed = round(time.perf_counter() - started, 1)
    report = one_report(published, args.document)
    without = dict(published)
    for k in report:
        del without[k]
    triples = [published[k] for k in report]
    print(f"{len(published)} triples, the report's {len(triples)}", file=sys.stderr)
    cache = Path(tempfile.mkdtemp(prefix="rebuild-validation-"))
    record = ExtractionCache(cache)
    results: dict = {"graph": str(args.graph), "triples": len(published), "document": args.document,
                     "report_triples": len(triples), "parse_seconds": parsed, "jobs": args.jobs}

    def whole(graph):
        with querying(graph, shapes, args.jobs) as answer:
            return answer()

    def rebuild(graph, delta):
        with validate_rebuild(graph, delta, cache, args.jobs) as answer:
            return answer()

    try:
        results["whole graph, today (querying)"] = timed("whole", lambda: whole(published))
        results["whole graph without the report, today (querying)"] = timed("whole without", lambda: whole(without))
        results["stores made afresh, without the report"] = timed("made", lambda: rebuild(without, None))
        record.record({"build": 1})  # as a successful build does: the stores' graph is the last build's
        results["the report added back"] = timed("added", lambda: rebuild(published, Change(added=triples)))
        record.record({"build": 2})
        results["the report taken out again"] = timed("removed", lambda: rebuild(without, Change(removed=triples)))
        sizes = {p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
                 for p in (cache / record.folder.name / "shape-stores").iterdir() if p.is_dir()}
        results["store_bytes"] = sizes
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    text = json.dumps(results, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
