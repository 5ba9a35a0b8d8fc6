"""The first page of every saved query as the server asks it, timed on one persisted store (issue 15, at 10x).

    python bench/first_pages.py --store DIR [--repeat 3] [--check] [--rev REV] [--only NAME ...] [--limit ROWS]

DIR is a persisted store's folder (the `STORE_DIR/<key>` folder `serve` made), opened
read-only: at ten times England the query workers answer from it, their copies in memory
not fitting (`WORKER_STORE=auto`). Each saved query, its required parameters at their
examples, is bound as the endpoint binds it, and its first page (PAGE_SIZE rows, or --limit) is asked as
`service.saved_entry` asks it: from the cover's first units (`paging.guess`) when it has a
`# COVER` line and no parameter is given, kept when it reaches past the page, else again from
every unit (`paging.apply`); and written as SPARQL JSON by the workers' own code
(`execution.run`). The time is the median of --repeat runs in this one process, uncached (the
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.server.query import catalogue, execution, guard, paging

ROOT = Path(__file__).resolve().parents[1]


def ask(store, text: str, form: str, rows: int) -> execution.Answer:
    return execution.run(store, execution.Job(text, form, "json", max_rows=rows, max_bytes=1 << 40, lane="saved", limited=True))


def first_page(store, text: str, guessed: bool, page: paging.Page) -> tuple[execution.Answer, str]:
    """The page and how it was found: "cover" (the guess held), "all" (every unit, after a short
    guess) or "plain" (no cover, or a parameter given)."""
    form = guard.inspect(text)
    guess = paging.guess(text, page) if guessed else None
    if guess is not None:
        answer = ask(store, guess, form, page.limit)
        if answer.truncated:
            return answer, "cover"
    return ask(store, paging.apply(text, page), form, page.limit), "plain" if guess is None else "all"


def rows_of(answer: execution.Answer) -> list:
    return json.loads(answer.body)["results"]["bindings"]


def timed(store, text: str, guessed: bool, repeat: int, page: paging.Page) -> tuple[float, execution.Answer, str]:
    times, answer, how = [], None, ""
    for _ in range(repeat):
        started = time.perf_counter()
        answer, how = first_page(store, text, guessed, page)
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer, how


def old_query(rev: str, name: str) -> catalogue.SavedQuery | None:
    shown = subprocess.run(["git", "show", f"{rev}:queries/{name}.rq"], cwd=ROOT, capture_output=True, text=True)
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.rq"
        path.write_text(shown.stdout, encoding="utf-8")
        return catalogue.parse(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a persisted store's folder, opened read-only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="also compare each page with its whole answer's first rows")
    parser.add_argument("--rev", help="also time this git revision's text of each query that differs")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME", help="these saved queries only")
    parser.add_argument("--limit", type=int, default=paging.PAGE_SIZE, help="rows a page (default: the server's page size)")
    args = parser.parse_args(argv)
    page = paging.Page(args.limit)
    store = ox.Store.read_only(str(args.store))
    queries = catalogue.load()
    names = catalogue.Names(store, queries)
    print(f"{args.store}: {len(store):,} triples; first page of {page.limit:,} rows, median of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    head = "| query | rows | how | " + (f"{args.rev}, s | " if args.rev else "") + "now, s |" + (" the whole answer's first rows |" if args.check else "")
    print(head)
    print("|---|---:|---|" + ("---:|" if args.rev else "") + "---:|" + ("---|" if args.check else ""))
    for name, query in queries.items():
        if args.only is not None and name not in args.only:
            continue
        values = {p.name: p.example for p in query.params if p.required}
        text = catalogue.bind(query, values, names)
        before = ""
        if args.rev:
            old = old_query(args.rev, name)
            if old is None or old.text == query.text:
                before = " (same) |"
            else:
                seconds, _, _ = timed(store, catalogue.bind(old, values, names), not values, args.repeat, page)
                before = f" {seconds:.2f} |"
        seconds, answer, how = timed(store, text, not values, args.repeat, page)
        check = ""
        if args.check:
            form = guard.inspect(text)
            whole = ask(store, paging.apply(text, paging.Page(10**9)), form, 10**9)
            check = " yes |" if rows_of(whole)[: page.limit] == rows_of(answer) else " NO |"
        print(f"| `{name}` | {answer.rows:,} | {how} |{before} {seconds:.2f} |{check}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
