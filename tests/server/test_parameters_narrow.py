"""A saved query's parameter narrows the answer to what it names, whatever else the graph holds.

The seed graph describes one council, so a parameter that filtered nothing would pass every
other test: `people?la=...` once returned every council's people (its filter sat in a
subquery, where the parameter's variable is another, unbound one). Here each saved query
with a parameter naming data (a council, an inspection, a subject) is asked with its example
values of the seed graph alone and of the seed graph with a copy of every council, inspection,
person and document beside it (bench/synth.py's copy 1: fresh IRIs, its own literals): the
rows must be the same, in the same order.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bench.synth import ID, copies
from ofsted_kg.server.query import catalogue

QUERIES = catalogue.load()


def _store(triples) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


@pytest.fixture(scope="module")
def stores(built):
    path = built[1]
    return _store(copies(path, 1, 2026)), _store(copies(path, 2, 2026))


def _example_values(query: catalogue.SavedQuery, names: catalogue.Names) -> tuple[dict[str, str], bool]:
    """The query's parameters whose examples name data (an IRI under id/) or are required,
    bound to their examples; and whether any of them names data."""
    bound, names_data = {}, False
    for param in query.params:
        if param.example is None:
            continue
        value = names.resolve(param, param.example).value if param.within else param.example
        if value.startswith(ID) or param.required:
            bound[param.name] = param.example
            names_data = names_data or value.startswith(ID)
    return bound, names_data


def _rows(store: ox.Store, query: catalogue.SavedQuery, values: dict[str, str]) -> list[tuple]:
    text = catalogue.bind(query, values, catalogue.Names(store, QUERIES))
    return [tuple(None if v is None else str(v) for v in row) for row in store.query(text)]


NARROWING = sorted(name for name, q in QUERIES.items() if any(p.type == "iri" for p in q.params))


@pytest.mark.parametrize("name", NARROWING)
def test_a_data_parameter_keeps_out_the_rest_of_the_graph(stores, name):
    alone, doubled = stores
    query = QUERIES[name]
    values, names_data = _example_values(query, catalogue.Names(alone, QUERIES))
    if not names_data:
        pytest.skip(f"{name}: no parameter example names data")
    expected = _rows(alone, query, values)
    if not expected:  # inadequate_to_good: Stoke-on-Trent has not gone from inadequate to good
        pytest.skip(f"{name} with {values} finds nothing on the seed graph: nothing to compare")
    assert _rows(doubled, query, values) == expected


def test_the_copy_is_there_to_be_kept_out(stores):
    """The doubled graph does hold a second council's people: what people?la= must leave out."""
    alone, doubled = stores
    everyone = QUERIES["people"]
    assert len(_rows(doubled, everyone, {})) == 2 * len(_rows(alone, everyone, {}))
