"""SHACL validation of a graph against ontology/shapes.ttl (https://www.w3.org/TR/shacl/).

The concept schemes and reference individuals are merged into the data graph first, so
shapes can check that a grade is a concept of the grade scheme; the ontology is given to
pySHACL as the ontology graph. No inference: the loaders state the classes they mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from .vocabulary import ONTOLOGY_DIR

SHAPES = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY = ONTOLOGY_DIR / "ontology.ttl"
CONCEPTS = ONTOLOGY_DIR / "concepts.ttl"
REFERENCE = ONTOLOGY_DIR / "reference.ttl"


@dataclass(frozen=True)
class Validation:
    conforms: bool
    report: str  # pySHACL's text report: each violation with its focus node and sh:message
    violations: int


def reference_graph() -> Graph:
    """The ontology, its concept schemes and the curated reference individuals: part of every published graph."""
    graph = Graph()
    for path in (ONTOLOGY, CONCEPTS, REFERENCE):
        graph.parse(path, format="turtle")
    return graph


def validate(data: Graph) -> Validation:
    import pyshacl
    from rdflib.namespace import SH

    combined = Graph()
    for triple in data:
        combined.add(triple)
    for path in (CONCEPTS, REFERENCE):
        combined.parse(path, format="turtle")
    shapes = Graph().parse(SHAPES, format="turtle")
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    conforms, results, text = pyshacl.validate(
        combined, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
    )
    violations = sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))
    return Validation(bool(conforms), text, violations)

