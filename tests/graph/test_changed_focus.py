"""The graph-wide shapes checked only where a graph changed (changed_focus.py) find what the
whole graph's check finds: a change that breaks a shape, at the changed node or at a
neighbour whose result depends on it, sends the build to the whole check; a harmless change
passes; no change is no work."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from ofsted_kg.graph.changed_focus import check_changed, shape_facts
from ofsted_kg.graph.namespaces import OA, OKG
from ofsted_kg.graph.turtle import as_oxigraph, read
from ofsted_kg.graph.validate import graph_wide_shapes, reference_graph, validate, with_building_blocks


@pytest.fixture(scope="module")
def last(built):
    """The seed graph as the last build wrote it: its triples, and the merged graph without
    the ontology and reference overlay (as the build holds it)."""
    _, out = built
    merged = Graph().parse(out, format="turtle")
    for triple in reference_graph():
        merged.remove(triple)
    return read(out.read_bytes()), merged


def changed(merged: Graph, remove=(), add=()) -> Graph:
    graph = Graph()
    for triple in merged:
        graph.add(triple)
    for triple in remove:
        graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


def check(graph: Graph, old: set):
    return check_changed(graph, old, as_oxigraph(graph) | as_oxigraph(reference_graph()))


def whole(graph: Graph) -> bool:
    return validate(graph, use_shapes=with_building_blocks(graph_wide_shapes())).conforms


def test_the_shapes_read_two_steps_and_follow_two_predicates_backwards():
    depth, inverse = shape_facts()
    assert depth >= 2, "a judgement's grade is checked against its concept's scheme: two steps"
    assert {OKG.evidence, URIRef("http://xmlns.com/foaf/0.1/primaryTopic")} <= inverse


def test_no_change_is_no_work(last):
    old, merged = last
    assert check(merged, old).conforms


def test_a_harmless_change_conforms_without_the_whole_check(last):
    old, merged = last
    document = next(merged.subjects(RDF.type, OKG.InspectionReport))
    graph = changed(merged, remove=list(merged.triples((document, DCTERMS.title, None))),
                    add=[(document, DCTERMS.title, Literal("A retitled report"))])
    result = check(graph, old)
    assert result is not None and result.conforms and whole(graph)


def test_a_broken_fact_is_caught(last):
    old, merged = last
    judgement = next(merged.subjects(RDF.type, OKG.Judgement))
    graph = changed(merged, remove=list(merged.triples((judgement, OKG.grade, None))),
                    add=[(judgement, OKG.grade, Literal("good"))])
    assert check(graph, old) is None, "a violation: the build checks the whole graph, which reports it"
    assert not whole(graph)


def test_a_neighbour_broken_by_the_change_is_caught(last):
    """The fact loses its okg:evidence link; the annotation, unchanged, still names it as its
    body: the annotation's inverse check (sh:equals) now fails, one step from the change."""
    old, merged = last
    fact, annotation = next(iter(merged.subject_objects(OKG.evidence)))
    assert (annotation, OA.hasBody, fact) in merged
    graph = changed(merged, remove=[(fact, OKG.evidence, annotation)])
    assert check(graph, old) is None
    assert not whole(graph)
