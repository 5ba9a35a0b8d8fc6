"""Pages chosen first: a saved query with a `# COVER N` line (paging.py) answers a page from its
first units, and that page is the whole answer's slice, row for row.

The seed graph has one council, so it is asked here with two more copies of it beside it
(bench/synth.py: fresh IRIs, its own literals, dates moved by whole years), which gives the
covers several councils' inspections to choose from and puts some of them between the seed's.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from bench.first_pages import Counting
from bench.synth import copies
from ofsted_kg.server.query import catalogue, paging
from ofsted_kg.server.service import Service

QUERIES = catalogue.load()
COVERED = sorted(name for name, query in QUERIES.items() if "# COVER " in query.text)
PAGES = [(5, 0), (60, 0), (60, 7), (100, 250), (1000, 0)]


@pytest.fixture(scope="module")
def service(built) -> Service:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in copies(built[1], 3, 2026))
    service = Service._over([], store, Counting(store), {"max_rows": 100_000})
    service.names.build_now()
    return service


def _rows(service: Service, name: str, values: dict[str, str], page: dict[str, str] | None) -> list:
    entry, _, _ = service.saved_entry(name, values, requested="json", paging=page)
    return json.loads(entry.answer.body)["results"]["bindings"]


def _values(name: str) -> list[dict[str, str]]:
    """No parameter, then each parameter alone at its example."""
    query = QUERIES[name]
    return [{}] + [{p.name: p.example} for p in query.params if p.example is not None]


def test_the_covered_queries_are_the_long_lists():
    assert {"findings", "judgements", "links", "recommendations", "statements", "statistics"} <= set(COVERED)


@pytest.mark.parametrize("name", COVERED)
def test_a_page_is_the_slice_of_the_whole_answer(service, name):
    for values in _values(name):
        whole = _rows(service, name, values, None)
        pages = PAGES + [(50, max(0, len(whole) - 20))]  # the last page: short, so asked twice
        for limit, offset in pages:
            page = _rows(service, name, values, {"limit": str(limit), "offset": str(offset)})
            assert page == whole[offset : offset + limit], (values, limit, offset)


@pytest.mark.parametrize("name", COVERED)
def test_a_first_page_is_asked_once_and_the_last_twice(service, name):
    whole = _rows(service, name, {}, None)
    limit = min(60, len(whole) // 4)
    assert limit > paging.MIN_UNITS  # enough rows that the first page comes from some units, not all
    service.runner.runs = 0
    _rows(service, name, {}, {"limit": str(limit)})
    assert service.runner.runs == 1  # the first units' rows reached past the page: kept
    service.runner.runs = 0
    _rows(service, name, {}, {"limit": str(limit), "offset": str(len(whole) - 10)})
    assert service.runner.runs == 2  # short: asked again from every unit


def test_the_cover_takes_the_units_a_page_needs():
    text = "SELECT * WHERE {\n  { SELECT ?i WHERE { ?i ?p ?o } ORDER BY ?i\n  # COVER 8\n  }\n  ?x ?q ?i\n} ORDER BY ?i"
    first = paging.guess(text, paging.Page(1000))
    assert "LIMIT 126\n" in first and first.endswith("ORDER BY ?i\nLIMIT 1001\n")  # ceil(1001 / 8)
    assert "LIMIT 8\n" in paging.guess(text, paging.Page(5))  # never fewer than MIN_UNITS
    deep = paging.guess(text, paging.Page(100, 10_000))
    assert "LIMIT 1263\n" in deep and deep.endswith("LIMIT 101 OFFSET 10000\n")
    every = paging.apply(text, paging.Page(1000))
    assert "# COVER 8" in every and every.count("LIMIT") == 1  # every unit: the line stays a comment
    assert paging.guess("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", paging.Page(10)) is None


def test_binding_keeps_the_cover_line(service):
    text = catalogue.bind(QUERIES["findings"], {}, service.names)
    assert any(paging.is_mark(line) for line in text.splitlines())
