"""The graph-wide shapes checked only where a graph changed (changed_focus.py) find what the
whole graph's check finds: a change that breaks a shape, at the changed node or at a
neighbour whose result depends on it, sends the build to the whole check; a harmless change
passes; no change is no work."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from ofsted_kg.graph.rdf.changed_focus import affected, check_changed, dirty_pairs, reads, shape_facts
from ofsted_kg.graph.rdf.namespaces import OA, OKG
from ofsted_kg.graph.rdf.turtle import as_oxigraph, read
from ofsted_kg.graph.rdf.validate import graph_wide_shapes, reference_graph, validate, with_building_blocks


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


def test_what_the_shapes_read_is_known_step_by_step():
    depth, inverse = shape_facts()
    assert depth >= 1, "a judgement's grade is checked against its concept's scheme, one step away"
    assert {OKG.evidence, URIRef("http://xmlns.com/foaf/0.1/primaryTopic")} <= inverse
    read, walk = reads()
    assert (URIRef("http://www.w3.org/2004/02/skos/core#inScheme"), "out") in read[1]
    assert (OKG.grade, "out") in walk[0] and (RDF.type, "out") in read[0]


def test_a_catalogue_that_moved_its_lines_reaches_only_the_documents_it_dates(last):
    """A file added to a folder moves its listing's lines: every catalogue entry changes, and
    the documents they date are read differently (their inverse foaf:primaryTopic), but nothing
    pointing at a document reads that: the check stays small."""
    old, merged = last
    entry = next(merged.subjects(RDF.type, OKG.CatalogueEntry))
    document = merged.value(entry, URIRef("http://xmlns.com/foaf/0.1/primaryTopic"))
    moved = URIRef(str(entry) + "-moved")
    pointing = list(merged.triples((None, None, entry)))  # its evidence's oa:hasBody
    graph = changed(merged, remove=list(merged.triples((entry, None, None))) + pointing,
                    add=[(moved, p, o) for _, p, o in merged.triples((entry, None, None))]
                    + [(s, p, moved) for s, p, _ in pointing])
    found = affected(graph, dirty_pairs(as_oxigraph(graph) ^ old - as_oxigraph(reference_graph())))
    assert document in found and moved in found
    assert not any((n, RDF.type, OKG.Finding) in graph for n in found), "no finding reads a document's entries"
    assert check(graph, old).conforms


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
