"""The instance tests asked as plain rdf:type patterns over the store's own class hierarchy
(shape_queries.Hierarchy) answer as the rdf:type/rdfs:subClassOf* path does: through chains,
cycles and classes no triple names, with blank-node classes left to the path, and each test
with a variable of its own (a test inside EXISTS sees the outer solution's bindings)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ofsted_kg.graph.rdf.shape_queries import INSTANCE, TYPE_IRI, Hierarchy

EX = "http://example.org/"
HIERARCHY = f"""
<{EX}B> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}A> .
<{EX}C> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}B> .
<{EX}D> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}E> .
<{EX}E> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}D> .
_:anon <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}F> .
<{EX}G> <http://www.w3.org/2000/01/rdf-schema#subClassOf> _:anon .
<{EX}a> <{TYPE_IRI}> <{EX}A> .
<{EX}b> <{TYPE_IRI}> <{EX}B> .
<{EX}c> <{TYPE_IRI}> <{EX}C> .
<{EX}d> <{TYPE_IRI}> <{EX}D> .
<{EX}g> <{TYPE_IRI}> <{EX}G> .
<{EX}x> <{TYPE_IRI}> <{EX}X> .
<{EX}c> <{EX}knows> <{EX}a> .
<{EX}c> <{EX}knows> <{EX}x> .
<{EX}c> <{EX}knows> <{EX}b> .
<{EX}d> <{EX}knows> <{EX}g> .
"""


def store() -> ox.Store:
    held = ox.Store()
    held.load(HIERARCHY.encode(), format=ox.RdfFormat.N_TRIPLES)
    return held


def answers(held: ox.Store, query: str) -> list[tuple]:
    return sorted(tuple(term.value for term in row) for row in held.query(query))


INSTANCES = [f"SELECT ?this WHERE {{ ?this {INSTANCE} <{EX}{cls}> }}" for cls in "ABCDEFGX"] + [
    f"SELECT ?this WHERE {{ ?this {INSTANCE} <{EX}Nothing> }}",
    # a test inside EXISTS under one outside: each gets its own class variable
    f"SELECT ?this ?other WHERE {{ {{ ?this {INSTANCE} <{EX}A> }} ?this <{EX}knows> ?other "
    f"FILTER(NOT EXISTS {{ ?other {INSTANCE} <{EX}B> }}) }}",
    f"SELECT ?this WHERE {{ {{ ?this {INSTANCE} <{EX}D> }} FILTER(EXISTS {{ ?this <{EX}knows> ?o . ?o {INSTANCE} <{EX}F> }}) }}",
    f"SELECT ?this WHERE {{ VALUES ?this {{ <{EX}a> <{EX}c> <{EX}x> }} {{ ?this {INSTANCE} <{EX}A> }} }}",
]


@pytest.mark.parametrize("query", INSTANCES)
def test_the_plain_tests_answer_as_the_path(query):
    held = store()
    plain = Hierarchy(held).plain(query)
    assert INSTANCE not in plain or "F>" in query or "G>" in query  # only a blank node's classes keep the path
    assert answers(held, plain) == answers(held, query)


def test_a_class_and_those_below_it_are_named_and_a_blank_node_leaves_the_path():
    hierarchy = Hierarchy(store())
    assert hierarchy.classes(f"{EX}A") == [f"{EX}A", f"{EX}B", f"{EX}C"]
    assert hierarchy.classes(f"{EX}D") == [f"{EX}D", f"{EX}E"]  # a cycle ends
    assert hierarchy.classes(f"{EX}Nothing") == [f"{EX}Nothing"]  # the path's zero steps
    assert hierarchy.classes(f"{EX}F") is None
    query = f"SELECT ?this WHERE {{ ?this {INSTANCE} <{EX}F> }}"
    assert hierarchy.plain(query) == query


def test_the_hierarchy_is_the_store_being_asked():
    """A subclass added to the store is named when the next queries are asked."""
    held = store()
    query = f"SELECT ?this WHERE {{ ?this {INSTANCE} <{EX}A> }}"
    before = answers(held, Hierarchy(held).plain(query))
    held.add(
        ox.Quad(ox.NamedNode(f"{EX}X"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"), ox.NamedNode(f"{EX}C"))
    )
    after = answers(held, Hierarchy(held).plain(query))
    assert (f"{EX}x",) not in before and (f"{EX}x",) in after
    assert after == answers(held, query)
