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

# The evidence chain's terms, made once: rdflib makes a new URIRef at every OA.x (a third of
# the time of mapping a build's evidence, most of which is statements')
EVIDENCE = OKG.evidence
OA_ANNOTATION, OA_HAS_BODY, OA_MOTIVATED_BY, OA_DESCRIBING = OA.Annotation, OA.hasBody, OA.motivatedBy, OA.describing
OA_HAS_TARGET, OA_SPECIFIC_RESOURCE, OA_HAS_SOURCE, OA_HAS_SELECTOR = (
    OA.hasTarget,
    OA.SpecificResource,
    OA.hasSource,
    OA.hasSelector,
)
OA_QUOTE_SELECTOR, OA_EXACT, OA_PREFIX, OA_SUFFIX = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix
OA_POSITION_SELECTOR, OA_START, OA_END = OA.TextPositionSelector, OA.start, OA.end

DATE_TYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=DATE_TYPES[precision(value)])


class E:
    """The terms every evidence chain uses, made once (rdflib makes a new URIRef at each OA.x)."""

    evidence = OKG.evidence
    Annotation, hasBody, motivatedBy, describing, hasTarget = (
        OA.Annotation,
        OA.hasBody,
        OA.motivatedBy,
        OA.describing,
        OA.hasTarget,
    )
    SpecificResource, hasSource, hasSelector = OA.SpecificResource, OA.hasSource, OA.hasSelector
    TextQuoteSelector, exact, prefix, suffix = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix
    TextPositionSelector, start, end = OA.TextPositionSelector, OA.start, OA.end


def rdflib_literal(value, datatype: URIRef | None = None) -> Literal:
    return Literal(value, datatype=datatype)


class Mapper:
    def __init__(self, vocab: Vocabulary, graph=None):
        # `graph`: where the triples go, an rdflib Graph unless given (the build gives a
        # triple_set.TripleSet, four times quicker to fill)
        self.graph = bind_prefixes(Graph()) if graph is None else graph
        self.vocab = vocab

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def text(self, value: str):
        """A plain string literal, made by the graph's own library where it has one (the
        build's TripleSet makes pyoxigraph's at once: rdflib's Literal is slow to make)."""
        made = getattr(self.graph, "literal", None)
        return Literal(value) if made is None else made(value)

    def types(self, node: URIRef, *classes: URIRef) -> None:
        for cls in classes:
            self.add(node, RDF.type, cls)

    def evidence(self, fact: URIRef, spans: tuple[Span, ...]) -> None:
        # Most of the graph's triples are these (sixteen a span): the build's TripleSet writes
        # them itself, from the IRIs' text (triple_set.TripleSet.evidence, the same triples);
        # for an rdflib Graph the terms they share are made once (E).
        if (chain := getattr(self.graph, "evidence", None)) is not None:
            chain(fact, spans)
            return
        add, literal = self.graph.add, getattr(self.graph, "literal", rdflib_literal)
        for span in spans:
            annotation = iris.evidence(span)
            target, quote, position = iris.evidence_parts(annotation)
            add((fact, E.evidence, annotation))
            add((annotation, RDF.type, E.Annotation))
            add((annotation, E.hasBody, fact))
            add((annotation, E.motivatedBy, E.describing))
            add((annotation, E.hasTarget, target))
            add((target, RDF.type, E.SpecificResource))
            add((target, E.hasSource, iris.document(span.document)))
            add((target, E.hasSelector, quote))
            add((target, E.hasSelector, position))
            add((quote, RDF.type, E.TextQuoteSelector))
            add((quote, E.exact, literal(span.exact)))
            if span.prefix:
                add((quote, E.prefix, literal(span.prefix)))
            if span.suffix:
                add((quote, E.suffix, literal(span.suffix)))
            add((position, RDF.type, E.TextPositionSelector))
            add((position, E.start, literal(span.start, XSD.nonNegativeInteger)))
            add((position, E.end, literal(span.end, XSD.nonNegativeInteger)))

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
        self.add(node, OKG.text, self.text(text))
        for theme in themes:
            self.add(node, OKG.theme, iris.concept(theme))
        return node
