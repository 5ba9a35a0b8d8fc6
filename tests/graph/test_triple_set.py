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


def test_an_evidence_chain_written_by_the_set_is_the_mappers_chain():
    """TripleSet.evidence makes its terms from the IRIs' text: the same triples, keys and
    lookups as the chain mapper.Mapper.evidence adds one by one to an rdflib Graph."""
    from ofsted_kg.graph.model.records import Span
    from ofsted_kg.graph.rdf.mapper import Mapper
    from ofsted_kg.graph.reference.vocabulary import load_vocabulary

    fact = URIRef("https://w3id.org/ofsted-kg/id/inspection/x/ilacs/2022-10-03/statement/abc")
    spans = (Span("d7768b1803baa4f8", 10, 20, "a quote"), Span("d7768b1803baa4f8", 30, 44, 'said "so"\n', "before", "after"),
             Span("0123456789abcdef", 0, 5, "again"))
    vocab = load_vocabulary()
    by_rdflib = Mapper(vocab).graph
    Mapper(vocab, by_rdflib).evidence(fact, spans)
    held = TripleSet()
    Mapper(vocab, held).evidence(fact, spans)
    Mapper(vocab, held).evidence(fact, spans[:1])  # a span given twice is one chain
    converted = as_oxigraph(by_rdflib)
    assert len(held) == len(converted) == 3 * 14 + 2  # fourteen a span, and a prefix and a suffix on one
    assert held.keyed() == {order(t): t for t in converted}
    annotation = URIRef("https://w3id.org/ofsted-kg/id/evidence/d7768b1803baa4f8/10-20")
    assert held.value(annotation, URIRef("http://www.w3.org/ns/oa#hasBody")) == fact
