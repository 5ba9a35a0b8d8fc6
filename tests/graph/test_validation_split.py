"""The build's split of SHACL validation (validate.py): the document-local shapes checked on
each document's evidence when it is read, the graph-wide shapes on the merged graph. The two
halves together must find exactly what one run of every shape over the whole graph finds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from ofsted_kg.graph.input.sources import read_one
from ofsted_kg.graph.model.records import Span
from ofsted_kg.graph.rdf.namespaces import OKG
from ofsted_kg.graph.rdf.triples import to_graph
from ofsted_kg.graph.rdf.validate import (
    DOCUMENT_SHAPES,
    check_document_evidence,
    graph_wide_shapes,
    shape_groups,
    shapes_and_ontology,
    validate,
    validate_merged,
    with_building_blocks,
)
from ofsted_kg.graph.resolve.resolution import resolve
from tests.conftest import seed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"


def test_every_targeted_shape_is_in_exactly_one_half():
    shapes = shapes_and_ontology()[0]
    targeted = set(shapes.subjects(SH.targetClass, None))
    assert set(DOCUMENT_SHAPES) <= targeted
    assert set(graph_wide_shapes()) == targeted - set(DOCUMENT_SHAPES)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ttl")), ids=lambda p: p.stem)
def test_the_halves_find_what_the_whole_finds_on_every_shape_fixture(path):
    data = Graph().parse(path, format="turtle")
    whole = validate(data)
    split = validate(data, use_shapes=with_building_blocks(list(DOCUMENT_SHAPES))) + validate_merged(data)
    assert split.conforms == whole.conforms
    assert split.results == whole.results
    assert split.violations == whole.violations


def damaged(extraction):
    """The letter's extraction with one finding quoting an empty span (a document-local defect)."""
    finding = extraction.findings[0]
    span = finding.evidence[0]
    empty = Span(span.document, span.start, span.start, "")
    findings = (replace(finding, evidence=(empty,)),) + extraction.findings[1:]
    return replace(extraction, findings=findings)


def test_the_halves_find_what_the_whole_finds_on_a_document_with_defects(vocab, councils):
    extraction, _ = read_one((seed("003"), None, ()), vocab, councils)
    bad = damaged(extraction)
    account, errors = resolve([bad], councils)
    assert not errors
    merged = to_graph(account, vocab)
    finding = next(merged.subjects(OKG.text, None))  # a merged fact with an empty text: a graph-wide defect
    merged.set((finding, OKG.text, Literal("")))
    whole = validate(merged)
    evidence = check_document_evidence(bad, vocab)
    wide = validate_merged(merged)
    assert not evidence.conforms, "the empty span is found when the document is read"
    assert any("oa:start must be less than oa:end" in message for _, _, message in evidence.results)
    assert any("A finding needs exactly one okg:text" in message for _, _, message in wide.results)
    assert (wide + evidence).results == whole.results
    assert check_document_evidence(extraction, vocab).conforms, "the letter as read has no defect"


def test_the_graph_wide_half_in_two_processes_finds_what_one_finds(vocab, councils):
    extraction, _ = read_one((seed("003"), None, ()), vocab, councils)
    account, _ = resolve([extraction], councils)
    merged = to_graph(account, vocab)
    finding = next(merged.subjects(OKG.text, None))
    merged.set((finding, OKG.text, Literal("")))
    size = len(merged)
    assert len(shape_groups(merged, 2)) == 2
    one, two = validate_merged(merged, jobs=1), validate_merged(merged, jobs=2)
    assert not one.conforms and not two.conforms
    assert two.results == one.results and two.violations == one.violations
    assert len(merged) == size, "the workers check their own copies; the graph here is untouched"
