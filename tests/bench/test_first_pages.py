"""bench/first_pages.py on the seed graph with two copies beside it (so the covers have units
to choose from), pages of 12 rows (so the first units reach past a page): every saved query
gets a row, and every page is its whole answer's first rows."""

from __future__ import annotations

import pyoxigraph as ox

from bench import first_pages
from bench.synth import copies
from ofsted_kg.server.query import catalogue


def test_every_saved_query_gets_its_first_page_and_it_is_the_whole_answers_slice(built, tmp_path, capsys):
    store = ox.Store(str(tmp_path / "store"))
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in copies(built[1], 3, 2026))
    store.flush()
    del store  # the bench opens it read-only, as a worker opens the persisted store
    assert first_pages.main(["--store", str(tmp_path / "store"), "--repeat", "1", "--check", "--limit", "12"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| `")]
    assert {line.split("`")[1] for line in rows} == set(catalogue.load())
    assert all(line.endswith("| yes |") for line in rows), rows
    covered = {line.split("`")[1] for line in rows if "| cover |" in line}  # the page from the first units held
    assert {"findings", "judgements", "links", "recommendations", "statements", "statistics"} <= covered
