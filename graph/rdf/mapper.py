"""The graph writer every mapping shares: typed nodes, organisations, numbered texts, and the
evidence of a fact (a W3C Web Annotation per span it was read from).

Every fact node gets okg:evidence links to annotations whose target is a span of a source
document: a TextQuoteSelector (the exact words) and a TextPositionSelector (their offsets in
the extracted text).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS, XSD

from ..model.records import InspectionRef, OrgRef, Span
from ..parsers.dates import precision
from ..reference.vocabulary import Vocabulary
from . import iris
from .namespaces import OA, OKG, bind_prefixes

DATE_TYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=DATE_TYPES[precision(value)])


class Mapper:
    def __init__(self, vocab: Vocabulary, graph=None):
        # `graph`: where the triples go, an rdflib Graph unless given (the build gives a
        # triple_set.TripleSet, four times quicker to fill)
        self.graph = bind_prefixes(Graph()) if graph is None else graph
        self.vocab = vocab

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def types(self, node: URIRef, *classes: URIRef) -> None:
        for cls in classes:
            self.add(node, RDF.type, cls)

    def evidence(self, fact: URIRef, spans: tuple[Span, ...]) -> None:
        for span in spans:
            annotation = iris.evidence(span)
            target, quote, position = iris.evidence_parts(annotation)
            self.add(fact, OKG.evidence, annotation)
            self.types(annotation, OA.Annotation)
            self.add(annotation, OA.hasBody, fact)
            self.add(annotation, OA.motivatedBy, OA.describing)
            self.add(annotation, OA.hasTarget, target)
            self.types(target, OA.SpecificResource)
            self.add(target, OA.hasSource, iris.document(span.document))
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, position)
            self.types(quote, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.exact))
            if span.prefix:
                self.add(quote, OA.prefix, Literal(span.prefix))
            if span.suffix:
                self.add(quote, OA.suffix, Literal(span.suffix))
            self.types(position, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))

    def organisation(self, org: OrgRef) -> URIRef:
        node = iris.organisation(org)
        if org.kind == "lscb":
            board_of = iris.council(org.name)
            self.types(node, OKG.SafeguardingBoard, ORG.Organization)
            self.add(node, OKG.boardOf, board_of)
            label = self.graph.value(board_of, SKOS.prefLabel)
            self.add(node, SKOS.prefLabel, Literal(f"{label} Local Safeguarding Children Board"))
        return node

    def numbered_text(
        self, node: URIRef, cls: URIRef, ref: InspectionRef, number: int, text: str, themes: tuple[str, ...]
    ) -> URIRef:
        """What findings and recommendations share: a numbered text of an inspection, with themes."""
        self.types(node, cls)
        self.add(node, OKG.inspection, iris.inspection(ref))
        self.add(node, OKG.number, Literal(number, datatype=XSD.positiveInteger))
        self.add(node, OKG.text, Literal(text))
        for theme in themes:
            self.add(node, OKG.theme, iris.concept(theme))
        return node
