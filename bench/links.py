"""Links and legislation citations in a built graph: counts by target, the VoID linksets, and a
random sample of citations to check by hand (docs/links.md, "Measured on the England graph").

    python bench/links.py build/england/ofsted-kg.ttl [--sample 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import random

import pyoxigraph as ox

from ofsted_kg.server.query.solutions import rows
from ofsted_kg.server.routes import void

PROLOGUE = "PREFIX okg: <https://w3id.org/ofsted-kg/def#> PREFIX oa: <http://www.w3.org/ns/oa#> "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph")
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    store = ox.Store()
    store.load(path=args.graph, format=ox.RdfFormat.TURTLE)

    def q(text: str) -> list[dict]:
        return rows(store, PROLOGUE + text)

    print("citations", q("SELECT (COUNT(*) AS ?n) { ?c a okg:LegislationCitation }")[0]["n"].value,
          "in", q("SELECT (COUNT(DISTINCT ?d) AS ?n) { ?c okg:citedIn ?d }")[0]["n"].value,
          "of", q("SELECT (COUNT(*) AS ?n) { ?d a okg:SourceDocument }")[0]["n"].value, "documents")
    for r in q("SELECT ?t (COUNT(*) AS ?n) { ?c okg:cites ?t } GROUP BY ?t ORDER BY DESC(?n) ?t"):
        print(f"  {r['n'].value:>5} {r['t'].value}")
    print("linksets")
    for r in rows(store, void.LINKSETS):
        print(f"  {r['n'].value:>5} {r['title'].value} ({r['predicate'].value})")
    sample = q("SELECT ?c ?exact ?prefix ?suffix { ?c a okg:LegislationCitation ; okg:evidence/oa:hasTarget/oa:hasSelector ?s . "
               "?s oa:exact ?exact OPTIONAL { ?s oa:prefix ?prefix } OPTIONAL { ?s oa:suffix ?suffix } } ORDER BY ?c")
    random.seed(args.seed)
    for r in random.sample(sample, min(args.sample, len(sample))):
        cited = [t["t"].value.rsplit("/id/", 1)[1] for t in q(f"SELECT ?t {{ <{r['c'].value}> okg:cites ?t }}")]
        context = (r["prefix"].value if r["prefix"] else "")[-30:], (r["suffix"].value if r["suffix"] else "")[:20]
        print(f"  ...{context[0]!r} [[{' '.join(r['exact'].value.split())}]] {context[1]!r} -> {cited}")


if __name__ == "__main__":
    main()
