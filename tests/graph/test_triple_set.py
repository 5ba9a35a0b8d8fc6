"""The build's triple set (rdf/triple_set.py) keys each triple as turtle.order does, so the
Turtle it writes from those keys is the Turtle of the same triples sorted by their terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from ofsted_kg.graph.rdf.triple_set import TripleSet
from ofsted_kg.graph.rdf.turtle import as_oxigraph, order, serialize, serialize_keyed


def test_the_seed_graph_through_the_set_is_written_as_sorted_by_its_terms(graph):
    held = TripleSet()
    for triple in graph:
        held.add(triple)
    converted = as_oxigraph(graph)
    assert len(held) == len(converted)
    assert held.keyed() == {order(t): t for t in converted}
    assert serialize_keyed(held.keyed()) == serialize(converted)


def test_a_triple_added_with_either_librarys_terms_is_one_triple():
    held = TripleSet()
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    held.add((s, p, Literal(7, datatype=XSD.nonNegativeInteger)))
    held.add((ox.NamedNode(str(s)), p, held.literal(7, XSD.nonNegativeInteger)))
    held.add((s, p, Literal("seven")))
    held.add((s, p, held.literal("seven")))
    assert len(held) == 2
    assert held.value(s, SKOS.prefLabel) is None
    assert {str(o) for o in held.objects(s, p)} == {"7", "seven"}


def test_a_blank_node_is_refused():
    with pytest.raises(AssertionError, match="blank nodes"):
        TripleSet().add((BNode(), URIRef("https://example.org/p"), Literal("x")))


def test_remove_drops_what_the_pattern_names_and_keeps_the_rest():
    held = TripleSet()
    s, t, p = URIRef("https://example.org/s"), URIRef("https://example.org/t"), URIRef("https://example.org/p")
    kind = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    held.add((s, kind, URIRef("https://example.org/C")))
    held.add((s, p, Literal("kept")))
    held.add((t, kind, URIRef("https://example.org/C")))
    held.remove((s, kind, None))
    assert len(held) == 2 and list(held.objects(s, kind)) == [] and [str(o) for o in held.objects(s, p)] == ["kept"]
    assert list(held.objects(t, kind)) == [URIRef("https://example.org/C")]
    assert {order(x) for x in held} == set(held.keyed())  # the keys and the triples stay one
