"""Measure pyoxigraph against rdflib's own SPARQL engine on the built graph, for a few aggregates.

    python bench/engines.py [GRAPH] [--repeat N]

Each query runs N times on each engine after one warm-up run (parsing, rdflib's plan cache);
the figures are medians in milliseconds and the ratio rdflib / pyoxigraph. Both engines answer
the same rows (checked). The results in the README ("Why pyoxigraph: measured") were measured with this script.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ofsted_kg.graph.rdf.namespaces import sparql_prologue

QUERIES = {
    "count by class": "SELECT ?class (COUNT(?s) AS ?n) { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class",
    "findings per inspection and polarity": """SELECT ?inspection ?polarity (COUNT(?f) AS ?n) {
        ?f a okg:Finding ; okg:inspection ?inspection OPTIONAL { ?f okg:polarity ?polarity } }
        GROUP BY ?inspection ?polarity ORDER BY ?inspection ?polarity""",
    "themes across inspections": """SELECT ?theme (COUNT(DISTINCT ?i) AS ?n) (MIN(STR(?d)) AS ?first) {
        ?f okg:theme ?theme ; okg:inspection ?i . ?i okg:startDate ?d } GROUP BY ?theme ORDER BY DESC(?n) ?theme""",
    "evidence per document": """SELECT ?doc (COUNT(?e) AS ?n) (AVG(?end - ?start) AS ?length) {
        ?e oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }
        GROUP BY ?doc ORDER BY ?doc""",
}


def timed(run, repeat: int) -> tuple[float, object]:
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, default=Path("build/ofsted-kg.ttl"))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    rdflib_graph = Graph().parse(args.graph, format="turtle")
    store = ox.Store()
    store.load(path=str(args.graph), format=ox.RdfFormat.TURTLE)
    print(f"{args.graph}: {len(store)} triples; medians of {args.repeat} runs")
    print(f"{'query':40} {'rdflib ms':>10} {'pyoxigraph ms':>14} {'ratio':>7}")
    for name, body in QUERIES.items():
        query = sparql_prologue() + body
        slow, expected = timed(lambda: [tuple(map(str, r)) for r in rdflib_graph.query(query)], args.repeat)
        fast, got = timed(lambda: [tuple("None" if t is None else t.value for t in s) for s in store.query(query)], args.repeat)
        assert len(got) == len(expected), (name, len(got), len(expected))
        print(f"{name:40} {slow:10.1f} {fast:14.2f} {slow / fast:6.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
