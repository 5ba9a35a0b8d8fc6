"""The shapes as SPARQL queries (shape_queries.py) flag a graph exactly when pySHACL finds a
violation in it: on every shape fixture, on the seed graph whole and with defects put in, and
(slow) on every valid fixture with each of its triples dropped, retyped or doubled. The build
trusts the queries only when they find nothing; then pySHACL would have found nothing too."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from ofsted_kg.graph.rdf.namespaces import OA, OKG
from ofsted_kg.graph.rdf.shape_queries import Untranslatable, queries
from ofsted_kg.graph.rdf.turtle import as_oxigraph
from ofsted_kg.graph.rdf.validate import (
    CONFORMS,
    DOCUMENT_SHAPES,
    graph_wide_shapes,
    queried,
    reference_graph,
    reference_triples,
    shapes_and_ontology,
    validate,
    with_building_blocks,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"
EVERY_SHAPE = tuple(sorted(set(shapes_and_ontology()[0].subjects(SH.targetClass, None))))
GRAPH_WIDE = tuple(graph_wide_shapes())


def found_by_queries(graph: Graph, shapes=EVERY_SHAPE) -> bool:
    """True when the queries find a violation."""
    return not queried(as_oxigraph(graph) | reference_triples(), shapes)


def test_every_shape_is_put_as_a_query():
    """Else the build would ask pySHACL every time, which this module exists to avoid."""
    assert set(queries(shapes_and_ontology()[0], EVERY_SHAPE)) == set(EVERY_SHAPE)


def test_the_text_of_conforms_is_pyshacls():
    valid = Graph().parse(FIXTURES / "judgement-valid.ttl", format="turtle")
    assert validate(valid).report == CONFORMS.report


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.stem)
def test_the_queries_flag_what_pyshacl_flags_on_every_shape_fixture(path):
    data = Graph().parse(path, format="turtle")
    assert found_by_queries(data) == (not validate(data).conforms)
    assert path.stem.endswith("-valid") or found_by_queries(data), "an invalid fixture is flagged"
    # and each half as the build runs it
    wide = validate(data, use_shapes=with_building_blocks(list(GRAPH_WIDE))).conforms
    local = validate(data, use_shapes=with_building_blocks(list(DOCUMENT_SHAPES))).conforms
    assert found_by_queries(data, GRAPH_WIDE) == (not wide)
    assert found_by_queries(data, DOCUMENT_SHAPES) == (not local)


@pytest.fixture(scope="module")
def merged(built):
    """The seed graph as the build holds it before validation: without the ontology and overlay."""
    _, out = built
    graph = Graph().parse(out, format="turtle")
    for triple in reference_graph():
        graph.remove(triple)
    return graph


def changed(graph: Graph, remove=(), add=()) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for triple in remove:
        copy.remove(triple)
    for triple in add:
        copy.add(triple)
    return copy


def agree(graph: Graph) -> bool:
    """The queries' verdict on the graph-wide shapes, asserted equal to pySHACL's; True if it conforms."""
    slow = validate(graph, use_shapes=with_building_blocks(list(GRAPH_WIDE))).conforms
    assert found_by_queries(graph, GRAPH_WIDE) == (not slow)
    return slow


def test_the_seed_graph_conforms_by_both(merged):
    assert agree(merged)


def test_a_harmless_change_conforms_by_both(merged):
    document = next(merged.subjects(RDF.type, OKG.InspectionReport))
    title = URIRef("http://purl.org/dc/terms/title")
    assert agree(changed(merged, remove=list(merged.triples((document, title, None))),
                         add=[(document, title, Literal("A retitled report"))]))


def test_a_grade_that_is_a_string_is_caught_by_both(merged):
    judgement = next(merged.subjects(RDF.type, OKG.Judgement))
    assert not agree(changed(merged, remove=list(merged.triples((judgement, OKG.grade, None))),
                             add=[(judgement, OKG.grade, Literal("good"))]))


@pytest.mark.parametrize("period, well_formed", [("P12M", True), ("P3Y", True), ("P1Y6M", False), ("P", False), ("12 months", False)])
def test_a_reference_period_is_judged_alike_by_both(merged, period, well_formed):
    """xsd:duration's lexical forms (okg:refPeriod): a query for them, so a graph with
    statistics over a period is not sent to pySHACL whole."""
    XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
    statistic = next(merged.subjects(OKG.refPeriod, None))
    assert agree(changed(merged, remove=list(merged.triples((statistic, OKG.refPeriod, None))),
                         add=[(statistic, OKG.refPeriod, Literal(period, datatype=XSD_DURATION))])) == well_formed


def test_an_annotation_its_fact_no_longer_names_is_caught_by_both(merged):
    """sh:equals along an inverse path: the annotation still names the fact as its body."""
    fact, annotation = next(iter(merged.subject_objects(OKG.evidence)))
    assert (annotation, OA.hasBody, fact) in merged
    assert not agree(changed(merged, remove=[(fact, OKG.evidence, annotation)]))


def test_a_finding_numbered_zero_is_caught_by_both(merged):
    finding = next(merged.subjects(RDF.type, OKG.Finding))
    number = merged.value(finding, OKG.number)
    assert not agree(changed(merged, remove=[(finding, OKG.number, number)],
                             add=[(finding, OKG.number, Literal("0", datatype=number.datatype))]))


def mutants(graph: Graph):
    """Each triple dropped, its object replaced by a plain string or a stray IRI, and a
    second value given to its predicate: the defects a loader could make."""
    stray = URIRef("https://example.org/stray")
    for triple in sorted(graph):
        s, p, o = triple
        yield "dropped", [triple], []
        replacement = Literal(str(o)) if isinstance(o, Literal) else stray
        if replacement != o:
            yield "replaced", [triple], [(s, p, replacement)]
        yield "doubled", [], [(s, p, Literal("x") if isinstance(o, Literal) else stray)]


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*-valid.ttl")), ids=lambda p: p.stem)
def test_the_queries_flag_what_pyshacl_flags_on_every_mutant_of_a_valid_fixture(path):
    data = Graph().parse(path, format="turtle")
    for how, remove, add in mutants(data):
        mutant = changed(data, remove, add)
        assert found_by_queries(mutant) == (not validate(mutant).conforms), (how, remove, add)


EX = "http://example.org/"


def test_a_shape_that_is_also_a_class_is_left_to_pyshacl():
    # It targets its own instances without sh:targetClass (SHACL 2.1.3.3); the queries
    # would check none of them, so the whole shapes graph is untranslatable.
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <{EX}Person> a sh:NodeShape, rdfs:Class ; sh:property [ sh:path <{EX}name> ; sh:minCount 1 ] .
        <{EX}Other> a sh:NodeShape ; sh:targetClass <{EX}Thing> ; sh:nodeKind sh:IRI .""", format="turtle")
    with pytest.raises(Untranslatable, match="implicit class target"):
        queries(shapes, [URIRef(EX + "Other")])


def test_a_shape_reached_through_itself_is_left_to_pyshacl():
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <{EX}Chain> a sh:NodeShape ; sh:targetClass <{EX}Link> ;
            sh:property [ sh:path <{EX}next> ; sh:node <{EX}Chain> ] .""", format="turtle")
    with pytest.raises(Untranslatable, match="recursive shape"):
        queries(shapes, [URIRef(EX + "Chain")])
