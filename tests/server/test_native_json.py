"""pyoxigraph's own JSON writer, cut to a page (native_json.py), gives what our writer gives."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from ofsted_kg.server.query import catalogue, execution, native_json, paging
from ofsted_kg.server.store import rdf_files

EX = "http://example.org/"


def _both(store, text: str, limit: int) -> tuple[execution.Answer, execution.Answer]:
    """The page's answer from our writer (row by row) and from pyoxigraph's (native_json)."""
    paged = paging.apply(text, paging.Page(limit))
    ours = execution.run(store, execution.Job(paged, "SELECT", "json", max_rows=limit))
    native = execution.run(store, execution.Job(paged, "SELECT", "json", max_rows=limit, limited=True))
    return ours, native


@pytest.fixture(scope="module")
def seed_store(built):
    return rdf_files.load([built[1]])


def test_every_saved_query_gives_the_same_page_rows_and_truncation(seed_store):
    queries = catalogue.load()
    names = catalogue.Names(seed_store, queries)
    compared = 0
    for name, query in queries.items():
        values = {p.name: p.example or p.default for p in query.params if p.required}
        if not all(values.values()):
            continue
        text = catalogue.bind(query, values, names)
        for limit in (1, 2, 7, 1000):
            ours, native = _both(seed_store, text, limit)
            assert json.loads(native.body) == json.loads(ours.body), (name, limit)
            assert (native.rows, native.truncated) == (ours.rows, ours.truncated), (name, limit)
            compared += ours.truncated
    assert compared > 10  # pages cut short were compared, not only whole answers


@pytest.fixture(scope="module")
def awkward():
    """Literals that hold the marks the cut looks for, and rows with nothing bound."""
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    texts = ['a,{"b', "{}", "},{", 'quote " and \\', "é 😀 \u2028", "plain"]
    for i, text in enumerate(texts):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(text)))
    return store


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 6, 10])
@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s",
        "SELECT ?s ?o WHERE { ?s ?p ?o FILTER(?o != '{}') } ORDER BY ?s",  # `,{"` in a literal, no `{}`
        "SELECT ?x ?o WHERE { ?s ?p ?o OPTIONAL { ?s ?nothing ?x FILTER(false) } } ORDER BY ?o",  # ?x unbound
        "SELECT ?x WHERE { ?s ?p ?o OPTIONAL { ?s ?nothing ?x FILTER(false) } }",  # every row empty
        "SELECT ?s WHERE { ?s ?p 'absent' }",  # no rows
    ],
)
def test_awkward_literals_empty_rows_and_no_rows(awkward, query, limit):
    ours, native = _both(awkward, query, limit)
    assert json.loads(native.body) == json.loads(ours.body)
    assert (native.rows, native.truncated) == (ours.rows, ours.truncated)


def test_the_cut_keeps_pyoxigraphs_bytes_up_to_the_page():
    store = ox.Store()
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(EX + "p"), ox.Literal(f"v{i}")))
    whole = store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s").serialize(format=ox.QueryResultsFormat.JSON)
    body, rows, more = native_json.write(store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"), 3)
    assert (rows, more) == (3, True)
    assert body == whole[: whole.index(b',{"s":{"type":"uri","value":"http://example.org/s3"}')] + b"]}}"
    assert [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]] == [f"{EX}s{i}" for i in range(3)]
