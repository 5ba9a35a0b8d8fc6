"""Search on a built graph: how fast one-word queries answer, and whether every council is
found by its common name forms. `make bench-search` (the England graph by default).

    python bench/search.py [GRAPH] [--repeat N] [--json FILE]

Builds the search index (server/linked_data/search_index.py) from the graph as the server does, then:
- times one-word searches (the words below, each as a person would type it), each run N
  times after a warm-up; reports the median and the slowest in milliseconds, and the median
  of the alternative the index replaces: a SPARQL REGEX over every text literal (the ratio
  is the figure to read on a busy machine);
- searches each council of the graph by every name form la_lookup.csv gives it (ONS name,
  other names, Ofsted's listing name), and by its name dressed as reports print it
  ("<name> City Council", "London Borough of <name>", ...): the council must be the first hit.
Exit 1 if a council is missed or the slowest one-word search takes 100 ms or more.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.rdf.namespaces import sparql_prologue
from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.server.linked_data.search_index import SearchIndex

WORDS = ["stoke", "children", "early", "neglect", "exploitation", "inadequate", "leeds", "brazil", "supervision",
         "care", "hull", "adoption"]
LIMIT_MS = 100.0
# The alternative: a case-insensitive REGEX over every text literal per request, counting the
# matches as the index does (its page shows the total), so neither stops at the first 20.
REGEX = """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s okg:text|skos:prefLabel|foaf:name|oa:exact ?text
  FILTER(REGEX(STR(?text), "\\\\b%s", "i")) }"""
DRESSINGS = ["{name}", "{name} City Council", "{name} Council", "London Borough of {name}", "{name} local authority",
             "Inspection of {name} local authority children's services"]


def _time(call, repeat: int) -> list[float]:
    call()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path, default=Path("build/england/ofsted-kg.ttl"))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not args.graph.is_file():
        print(f"{args.graph}: no such graph (build it: make england)", file=sys.stderr)
        return 2
    store = ox.Store()
    started = time.perf_counter()
    store.bulk_load(path=str(args.graph), format=ox.RdfFormat.TURTLE)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    index = SearchIndex(store)
    built = time.perf_counter() - started
    print(f"{args.graph}: {len(store):,} triples loaded in {loaded:.1f} s; index of {index.size:,} entries built in {built:.2f} s")

    rows = []
    print(f"\n| word | hits | median (ms) | slowest (ms) | SPARQL REGEX median (ms) | REGEX / index |")
    print("|---|---|---|---|---|---|")
    for word in WORDS:
        times = _time(lambda: index.search(word), args.repeat)
        regex = _time(lambda: list(store.query(sparql_prologue() + REGEX % word)), 3)
        hits = index.search(word).total
        row = {"word": word, "hits": hits, "median_ms": statistics.median(times), "max_ms": max(times),
               "regex_median_ms": statistics.median(regex)}
        row["ratio"] = row["regex_median_ms"] / row["median_ms"]
        rows.append(row)
        print(f"| {word} | {hits:,} | {row['median_ms']:.2f} | {row['max_ms']:.2f} | {row['regex_median_ms']:.1f} | {row['ratio']:.0f}x |")

    councils = {r[0].value: r[1].value for r in store.query(
        sparql_prologue() + "SELECT ?c ?l { ?c a okg:LocalAuthority ; skos:prefLabel ?l }")}
    lookup = read_councils()
    forms_by_slug: dict[str, set[str]] = {}
    for council in lookup.by_slug.values():
        forms_by_slug.setdefault(council.slug, set()).add(council.name)
    tried, missed = 0, []
    for iri, label in sorted(councils.items(), key=lambda item: item[1]):
        slug = iri.rsplit("/", 1)[-1]
        names = {label} | {alias.replace("-", " ") for alias, s in lookup.aliases.items() if s == slug}
        for name in sorted(names):
            for dressing in DRESSINGS:
                query = dressing.format(name=name)
                tried += 1
                hits = index.search(query, limit=1).hits
                if not hits or hits[0].iri != iri:
                    missed.append((label, query, hits[0].iri if hits else None))
    print(f"\ncouncils: {len(councils)}; searches by name form: {tried:,}; first hit not the council: {len(missed)}")
    for label, query, got in missed[:20]:
        print(f"  {label}: {query!r} -> {got}")
    slowest = max(r["max_ms"] for r in rows)
    result = {"graph": str(args.graph), "triples": len(store), "index_entries": index.size, "index_build_s": built,
              "words": rows, "councils": len(councils), "name_form_searches": tried, "missed": missed,
              "slowest_ms": slowest, "limit_ms": LIMIT_MS}
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 1 if missed or slowest >= LIMIT_MS else 0


if __name__ == "__main__":
    sys.exit(main())
