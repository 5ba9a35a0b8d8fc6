"""Every saved query gives the same rows in the same order from the in-memory store and the
persisted (on-disk) one. The server answers from both (each worker's in-memory copy, and the
persisted store while that copy loads, or always with WORKER_STORE=disk), and its ETags are
hashes of the bytes: a cell written differently by the two, or rows that tie under ORDER BY,
would give one request two answers and two ETags. Both stores are real pyoxigraph stores
loaded from the seed graph; each query runs as written (nothing bound) and with every
parameter's documented example."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ofsted_kg.server.query import catalogue

QUERIES = catalogue.load()
# Stoke-on-Trent, the seed council, has never gone from inadequate to good: the query answers
# at England scale only (asserted empty here, so a seed that changes it puts it back in the test)
EMPTY_ON_THE_SEEDS = {"inadequate_to_good"}


@pytest.fixture(scope="module")
def stores(built, tmp_path_factory):
    turtle = str(built[1])
    memory = ox.Store()
    memory.bulk_load(path=turtle, format=ox.RdfFormat.TURTLE)
    disk = ox.Store(str(tmp_path_factory.mktemp("store")))
    disk.bulk_load(path=turtle, format=ox.RdfFormat.TURTLE)
    disk.flush()
    return memory, disk


def rows(store: ox.Store, query: str) -> list:
    answer = store.query(query)
    if isinstance(answer, ox.QuerySolutions):
        names = answer.variables
        return [tuple(None if row[v] is None else str(row[v]) for v in names) for row in answer]
    if isinstance(answer, bool):
        return [answer]
    return sorted(str(t) for t in answer)  # a graph is a set: its order is nobody's promise


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_same_rows_in_the_same_order_from_memory_and_disk(name: str, stores):
    memory, disk = stores
    query = QUERIES[name]
    names = catalogue.Names(memory, QUERIES)
    forms = {"with its examples": {p.name: p.example for p in query.params if p.example},
             "with its required examples": {p.name: p.example for p in query.params if p.required}}
    if not any(p.required for p in query.params):
        forms["as written"] = {}
    answered = 0
    for form, values in forms.items():
        sparql = catalogue.bind(query, values, names)
        from_memory, from_disk = rows(memory, sparql), rows(disk, sparql)
        answered += len(from_memory)
        differing = [(a, b) for a, b in zip(from_memory, from_disk) if a != b]
        assert len(from_memory) == len(from_disk) and not differing, \
            f"{name} {form}: {len(differing)} of {len(from_memory)} rows differ, e.g. {differing[:1]}"
    if name in EMPTY_ON_THE_SEEDS:
        assert not answered, f"{name} answers on the seed graph now: take it out of EMPTY_ON_THE_SEEDS"
        return
    assert answered, f"{name} answers nothing on the seed graph: the comparison would prove nothing"
