"""The first page of every saved query as the server asks it, timed on one persisted store (issue 15, at 10x).

    python bench/first_pages.py --store DIR [--repeat 3] [--check] [--rev REV] [--only NAME ...] [--limit ROWS]

DIR is a persisted store's folder (the `STORE_DIR/<key>` folder `serve` made), opened
read-only: at ten times England the query workers answer from it, their copies in memory
not fitting (`WORKER_STORE=auto`). Each saved query, its required parameters at their
examples, is asked through `Service.saved_entry` itself, as the endpoint asks it (no cache): its
first page (PAGE_SIZE rows, or --limit) from the cover's first units (`paging.guess`) when it
has a `# COVER` line and no parameter is given, kept when it reaches past the page, else again
from every unit (`paging.apply`); run and written as SPARQL JSON by the workers' own code
(`InProcess`, `execution.run`). The time is the median of --repeat runs in this one process, uncached (the
engine keeps no answers; the operating system's page cache stays warm, as on a running server).

--check also asks each whole answer and says whether the page is its first rows, row for row
(slow at 10x: `statements` whole is minutes). --rev REV also times REV's text of each query
that differs, asked the same way, so a table holds before and after from one sitting.
This is the engine in one process, not the HTTP server: `make bench-all`'s `ours-page` column
is the issue's own measure, over HTTP.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from rewrites import at_revision  # noqa: E402  (bench/ is scripts, not a package)

from ofsted_kg.server.query import catalogue, paging  # noqa: E402
from ofsted_kg.server.service import InProcess, Service  # noqa: E402

WHOLE = 10**9  # rows and bytes: no cap on a --check's whole answer


class Counting(InProcess):
    """The in-process runner the CLI uses (the workers' code), counting the queries a page took."""

    def __init__(self, graph):
        super().__init__(graph)
        self.runs = 0

    def run(self, job, timeout=None):
        self.runs += 1
        return super().run(job, timeout)


def first_page(service: Service, name: str, values: dict[str, str], limit: int) -> tuple[list, str]:
    """The page's rows as the endpoint answers them (uncached: the service has no cache), and how
    they were found: "cover" (the guess from the first units held), "all" (asked again from every
    unit) or "plain" (no cover, or a parameter given: one query either way)."""
    service.runner.runs = 0
    entry, _, _ = service.saved_entry(name, values, requested="json", paging={"limit": str(limit)})
    guessed = not values and paging.guess(service.queries[name].text, paging.Page(limit)) is not None
    how = "plain" if not guessed else ("cover" if service.runner.runs == 1 else "all")
    return rows_of(entry.answer.body), how


def rows_of(body: bytes) -> list:
    return json.loads(body)["results"]["bindings"]


def timed(service: Service, name: str, values: dict[str, str], repeat: int, limit: int) -> tuple[float, list, str]:
    times, rows, how = [], [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        rows, how = first_page(service, name, values, limit)
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows, how


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a persisted store's folder, opened read-only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="also compare each page with its whole answer's first rows")
    parser.add_argument("--rev", help="also time this git revision's text of each query that differs")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME", help="these saved queries only")
    parser.add_argument("--limit", type=int, default=paging.PAGE_SIZE, help="rows a page (default: the server's page size)")
    args = parser.parse_args(argv)
    store = ox.Store.read_only(str(args.store))
    service = Service._over([], store, Counting(store), {"max_rows": WHOLE, "max_bytes": WHOLE})
    service.names.build_now()
    queries = dict(service.queries)
    print(f"{args.store}: {len(store):,} triples; first page of {args.limit:,} rows, median of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    head = "| query | rows | how | " + (f"{args.rev}, s | " if args.rev else "") + "now, s |" + (" the whole answer's first rows |" if args.check else "")
    print(head)
    print("|---|---:|---|" + ("---:|" if args.rev else "") + "---:|" + ("---|" if args.check else ""))
    for name, query in queries.items():
        if args.only is not None and name not in args.only:
            continue
        values = {p.name: p.example for p in query.params if p.required}
        before = ""
        if args.rev:
            old = at_revision(args.rev, name)
            if old is None or old.text == query.text:
                before = " (same) |"
            else:
                service.queries[name] = old  # asked as the endpoint would ask REV's text
                seconds, _, _ = timed(service, name, values, args.repeat, args.limit)
                service.queries[name] = query
                before = f" {seconds:.2f} |"
        seconds, rows, how = timed(service, name, values, args.repeat, args.limit)
        check = ""
        if args.check:
            whole, _, _ = service.saved_entry(name, values, requested="json", paging=None)
            check = " yes |" if rows_of(whole.answer.body)[: args.limit] == rows else " NO |"
        print(f"| `{name}` | {len(rows):,} | {how} |{before} {seconds:.2f} |{check}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
