"""The build's shape queries run on a store of only the triples they can read
(shape_queries.Reach), shared between two forked processes (validate.querying): each shape
finds in that store exactly what it finds in the whole graph, defects included, and the
build's answer is the same with one process or two."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ofsted_kg.graph.rdf.namespaces import OA, OKG
from ofsted_kg.graph.rdf.shape_queries import as_written, load, reach, violated
from ofsted_kg.graph.rdf.turtle import as_oxigraph, order
from ofsted_kg.graph.rdf.validate import graph_wide_shapes, query_groups, querying, reference_triples, shape_queries_for

GRAPH_WIDE = tuple(graph_wide_shapes())
EXAMPLE = "https://w3id.org/ofsted-kg/id/test/"


def keyed(graph) -> dict:
    return {order(t): t for t in as_oxigraph(graph) | reference_triples()}


def flagged(triples, shapes=GRAPH_WIDE) -> set:
    """The shapes some node of `triples` violates, by the queries on a store of all of them,
    each put in one by one (as_written), or ((key, triple) pairs) as the build loads them."""
    store = ox.Store()
    if isinstance(triples, list):
        load(store, triples)
    else:
        store.bulk_extend(as_written(triples))
    return {shape for shape, _ in violated(store, shape_queries_for(shapes))}


def defects(graph):
    """The seed graph as built, and with defects a graph-wide shape must catch, some through a
    subclass (a statement typed only by a subclass of okg:Statement still needs its text)."""
    statement = next(graph.subjects(RDF.type, OKG.Statement))
    judgement = next(graph.subjects(RDF.type, OKG.Judgement))
    annotation = next(graph.subjects(RDF.type, OA.Annotation))
    subclass = URIRef(EXAMPLE + "Sentence")
    yield "as built", lambda g: None
    yield "a judgement with no grade", lambda g: g.remove((judgement, OKG.grade, None))
    yield "an annotation with no body", lambda g: g.remove((annotation, OA.hasBody, None))
    yield "a statement of a subclass with no text", lambda g: (
        g.add((subclass, RDFS.subClassOf, OKG.Statement)), g.add((URIRef(EXAMPLE + "s"), RDF.type, subclass)))
    yield "a judgement's grade a literal", lambda g: g.set((judgement, OKG.grade, Literal("good")))
    yield "a statement's text doubled", lambda g: g.add((statement, OKG.text, Literal("another text")))


@pytest.mark.parametrize("defect", [
    "as built", "a judgement with no grade", "an annotation with no body", "a statement of a subclass with no text",
    "a judgement's grade a literal", "a statement's text doubled"])
def test_each_shape_finds_in_what_it_can_read_what_it_finds_in_the_whole_graph(graph, defect):
    changed = graph.__class__()
    for triple in graph:
        changed.add(triple)
    dict(defects(graph))[defect](changed)
    whole = keyed(changed)
    for shape in GRAPH_WIDE:
        kept = reach(shape_queries_for((shape,)).values()).kept(whole)
        assert len(kept) < len(whole), "the store holds less than the graph"
        assert flagged(kept, (shape,)) == flagged(whole.values(), (shape,)), shape
    assert bool(flagged(whole.values())) == (defect != "as built")


def test_two_processes_answer_as_one(graph):
    whole = keyed(graph)
    groups = query_groups(whole, GRAPH_WIDE, 2)
    assert len(groups) == 2 and sorted(s for g in groups for s in g) == sorted(GRAPH_WIDE)
    with querying(whole, GRAPH_WIDE, jobs=2) as answer:
        assert answer() is True
    judgement = next(k for k in whole if k[2] == str(OKG.grade))
    del whole[judgement]  # a judgement with no grade
    with querying(whole, GRAPH_WIDE, jobs=2) as answer:
        assert answer() is False
    with querying(whole, GRAPH_WIDE, jobs=1) as answer:
        assert answer() is False


def test_the_store_loaded_through_n_triples_holds_what_as_written_gives(graph):
    """shape_queries.load: the same quads as putting each triple in through as_written."""
    whole = keyed(graph)
    by_load, one_by_one = ox.Store(), ox.Store()
    load(by_load, list(whole.items()))
    one_by_one.bulk_extend(as_written(whole.values()))
    assert len(by_load) == len(whole) and set(by_load) == set(one_by_one)


def test_typed_literals_written_as_n_triples_keep_every_character():
    """shape_queries.load writes the literals it keeps as written itself: quotes, backslashes,
    line breaks, control and non-BMP characters, long texts must reach the store as they are,
    as as_written puts them (and the plain and language-tagged ones pyoxigraph writes)."""
    node, predicate = ox.NamedNode(EXAMPLE + "odd"), ox.NamedNode(EXAMPLE + "value")
    texts = ['say "no"', "back\\slash", "two\nlines\r\n", "plain", "tab\there", "\x00\x01\x1b[0m\x7f\x85",
             "\u2028\u2029", "non-BMP \U0001f600", "\\u0041 \\n", "", "long " * 20_000]
    datatypes = ["http://www.w3.org/2001/XMLSchema#token", "http://www.w3.org/2001/XMLSchema#integer",
                 "http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#string"]
    triples = [ox.Triple(node, predicate, ox.Literal(text, datatype=ox.NamedNode(d))) for text in texts for d in datatypes]
    triples += [ox.Triple(node, predicate, ox.Literal(text, language="en-GB")) for text in texts]
    by_load, one_by_one = ox.Store(), ox.Store()
    load(by_load, [(order(t), t) for t in triples])
    one_by_one.bulk_extend(as_written(triples))
    assert len(by_load) == len(triples) and set(by_load) == set(one_by_one)
