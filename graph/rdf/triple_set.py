"""The merged graph while the build holds it: pyoxigraph triples, each made once as it is
added, under the key that orders the Turtle (turtle.order), with the subject index the
mapping's lookups need.

Why not rdflib's Graph: its in-memory store spent two thirds of the mapping's time in its
indexes (11 microseconds a triple). Why pyoxigraph's terms at once: the build's queries and
its Turtle writer take them, and converting 770,000 rdflib triples afterwards cost 8 CPU
seconds, sorting them by their terms' text 7 more. Here a node is converted once, the first
time it is added (an rdflib term, or a pyoxigraph one as the mapper may give), and each
triple is stored under its sort key of plain strings, which also tells two triples apart:
writing the graph sorts those keys, whose strings are shared and compare quickly. The methods
the mapping uses (add, value, triples) take and give rdflib terms, as rdflib's Graph does; an
rdflib Graph is made (`as_rdflib`) only where a library needs one: pySHACL, when the whole
graph is checked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from .namespaces import ID, OA, OKG, bind_prefixes
from .turtle import TYPE

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_COUNT = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
EVIDENCE_BASE, DOCUMENT_BASE = f"{ID}evidence/", f"{ID}document/"  # iris.evidence, iris.document
# The predicates and classes of an evidence chain (mapper.Mapper.evidence), as their IRIs' text
EVIDENCE, HAS_BODY, MOTIVATED_BY, DESCRIBING, HAS_TARGET, HAS_SOURCE, HAS_SELECTOR = (
    str(OKG.evidence),
    str(OA.hasBody),
    str(OA.motivatedBy),
    str(OA.describing),
    str(OA.hasTarget),
    str(OA.hasSource),
    str(OA.hasSelector),
)
EXACT, PREFIX, SUFFIX, START, END = str(OA.exact), str(OA.prefix), str(OA.suffix), str(OA.start), str(OA.end)
ANNOTATION, SPECIFIC_RESOURCE, QUOTE_SELECTOR, POSITION_SELECTOR = (
    str(OA.Annotation),
    str(OA.SpecificResource),
    str(OA.TextQuoteSelector),
    str(OA.TextPositionSelector),
)


class TripleSet:
    def __init__(self, terms: TripleSet | None = None):
        """`terms`: a set whose made terms this one shares (the build maps its account in
        units, each into a set of its own: an IRI is still made once)."""
        self._triples: dict[tuple, ox.Triple] = {}  # turtle.order's key -> the triple
        self._by_subject: dict[str, list[tuple]] = defaultdict(list)  # subject IRI -> its triples' keys
        self._iris: dict[str, ox.NamedNode] = {} if terms is None else terms._iris
        # (text, language, datatype) -> (key part, term)
        self._literals: dict[tuple, tuple[tuple, ox.Literal]] = {} if terms is None else terms._literals

    # --- terms, each made once ---

    def iri(self, node) -> tuple[str, ox.NamedNode]:
        text = str.__str__(node) if isinstance(node, str) else node.value  # a plain str hashes and compares in C
        made = self._iris.get(text)
        if made is None:
            if not isinstance(node, URIRef | ox.NamedNode):
                raise AssertionError(
                    f"{node!r} in the published graph: every node needs an IRI from a stable key (no blank nodes)"
                )
            made = self._iris[text] = ox.NamedNode(text)
        return text, made

    def object(self, node) -> tuple[tuple, ox.NamedNode | ox.Literal]:
        """(the object's part of the sort key, the object as pyoxigraph's)"""
        if isinstance(node, ox.Literal):  # made by literal(), most of them quoted text seen once: not kept
            return (1, node.value, (node.language or "") + "\0" + node.datatype.value), node
        if type(node) is not Literal:
            text, iri = self.iri(node)
            return (0, text, ""), iri
        typed = node.datatype
        seen = (str.__str__(node), node.language, None if typed is None else str.__str__(typed))
        made = self._literals.get(seen)
        if made is None:
            text, language, datatype = seen
            if language:
                term = ox.Literal(text, language=language)
            elif datatype and datatype != XSD_STRING:
                term = ox.Literal(text, datatype=ox.NamedNode(datatype))
            else:
                term = ox.Literal(text)
            # the key part as turtle.order reads it, from the term as pyoxigraph made it
            made = self._literals[seen] = ((1, term.value, (term.language or "") + "\0" + term.datatype.value), term)
        return made

    def literal(self, value, datatype: str | None = None) -> ox.Literal:
        """A literal made as pyoxigraph's at once (mapper.Mapper.evidence): `value`'s text, as
        rdflib's Literal writes an int or a str, of `datatype` (an IRI) or a plain string."""
        if datatype is None:
            return ox.Literal(str(value))
        return ox.Literal(str(value), datatype=self.iri(datatype)[1])

    # --- the graph ---

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        # each IRI looked up here, made by iri() the first time (some 5 million lookups for England)
        iris = self._iris
        subject = str.__str__(s) if isinstance(s, str) else s.value
        s_node = iris.get(subject) or self.iri(s)[1]
        predicate = str.__str__(p) if isinstance(p, str) else p.value
        p_node = iris.get(predicate) or self.iri(p)[1]
        o_node: ox.NamedNode | ox.Literal
        if type(o) is URIRef:  # the commonest object
            text = str.__str__(o)
            o_node = iris.get(text) or self.iri(o)[1]
            last: tuple = (0, text, "")
        else:
            last, o_node = self.object(o)
        self._put(subject, s_node, predicate, p_node, last, o_node)

    def evidence(self, fact, spans) -> None:
        """The evidence chain of each span of `fact`: the triples mapper.Mapper.evidence adds,
        in its order, with their terms made here from the IRIs' text. Most of the England
        graph's triples are these (fourteen a statement), and making each IRI as rdflib's first
        (its checks of every IRI's characters) was a third of the mapping's time."""
        fact_text, fact_node = self.iri(fact)
        node, put = self._node, self._put
        evidence, has_body, motivated_by, has_target = node(EVIDENCE), node(HAS_BODY), node(MOTIVATED_BY), node(HAS_TARGET)
        has_source, has_selector, exact, start, end = node(HAS_SOURCE), node(HAS_SELECTOR), node(EXACT), node(START), node(END)
        a_type = node(TYPE)
        annotation_class, describing, resource_class = node(ANNOTATION), node(DESCRIBING), node(SPECIFIC_RESOURCE)
        quote_class, position_class, count = node(QUOTE_SELECTOR), node(POSITION_SELECTOR), node(XSD_COUNT)
        for span in spans:
            annotation = f"{EVIDENCE_BASE}{span.document}/{span.start}-{span.end}"
            target, quote, position = f"{annotation}/target", f"{annotation}/quote", f"{annotation}/position"
            source = f"{DOCUMENT_BASE}{span.document}"
            annotation_node, target_node, quote_node, position_node, source_node = (
                node(annotation),
                node(target),
                node(quote),
                node(position),
                node(source),
            )
            put(fact_text, fact_node, EVIDENCE, evidence, (0, annotation, ""), annotation_node)
            put(annotation, annotation_node, TYPE, a_type, (0, ANNOTATION, ""), annotation_class)
            put(annotation, annotation_node, HAS_BODY, has_body, (0, fact_text, ""), fact_node)
            put(annotation, annotation_node, MOTIVATED_BY, motivated_by, (0, DESCRIBING, ""), describing)
            put(annotation, annotation_node, HAS_TARGET, has_target, (0, target, ""), target_node)
            put(target, target_node, TYPE, a_type, (0, SPECIFIC_RESOURCE, ""), resource_class)
            put(target, target_node, HAS_SOURCE, has_source, (0, source, ""), source_node)
            put(target, target_node, HAS_SELECTOR, has_selector, (0, quote, ""), quote_node)
            put(target, target_node, HAS_SELECTOR, has_selector, (0, position, ""), position_node)
            put(quote, quote_node, TYPE, a_type, (0, QUOTE_SELECTOR, ""), quote_class)
            put(quote, quote_node, EXACT, exact, *self._text(span.exact))
            if span.prefix:
                put(quote, quote_node, PREFIX, node(PREFIX), *self._text(span.prefix))
            if span.suffix:
                put(quote, quote_node, SUFFIX, node(SUFFIX), *self._text(span.suffix))
            put(position, position_node, TYPE, a_type, (0, POSITION_SELECTOR, ""), position_class)
            put(position, position_node, START, start, *self._count(span.start, count))
            put(position, position_node, END, end, *self._count(span.end, count))

    def _node(self, text: str) -> ox.NamedNode:
        made = self._iris.get(text)
        if made is None:
            made = self._iris[text] = ox.NamedNode(text)
        return made

    @staticmethod
    def _text(value) -> tuple[tuple, ox.Literal]:
        """A plain string literal and its key part, as literal() and object() make them."""
        term = ox.Literal(str(value))
        return (1, term.value, "\0" + XSD_STRING), term

    @staticmethod
    def _count(value: int, datatype: ox.NamedNode) -> tuple[tuple, ox.Literal]:
        term = ox.Literal(str(value), datatype=datatype)
        return (1, term.value, "\0" + XSD_COUNT), term

    def _put(self, subject: str, s_node, predicate: str, p_node, last: tuple, o_node) -> None:
        key = (subject, predicate != TYPE, predicate, *last)
        if key not in self._triples:
            self._triples[key] = ox.Triple(s_node, p_node, o_node)
            self._by_subject[subject].append(key)

    def __len__(self) -> int:
        return len(self._triples)

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples.values())

    def keyed(self) -> dict[tuple, ox.Triple]:
        """Each triple under its sort key (turtle.order): what turtle.serialize_keyed writes."""
        return self._triples

    def _matching(self, pattern: tuple) -> Iterator[tuple[tuple, URIRef | Literal]]:
        """(key, the object as rdflib's) of each triple matching a pattern whose subject is given."""
        s, p, o = pattern
        if s is None:
            raise NotImplementedError("a pattern without a subject: this set indexes subjects only")
        subject, predicate = str.__str__(s), None if p is None else str.__str__(p)  # rdflib's == is False for a str
        for key in list(self._by_subject.get(subject, ())):
            if predicate is not None and key[2] != predicate:
                continue
            value = as_rdflib(self._triples[key].object)
            if o is None or o == value:
                yield key, value

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        """rdflib triples matching a pattern whose subject is given (the lookups the mapping makes)."""
        for key, value in self._matching(pattern):
            yield pattern[0], URIRef(key[2]), value

    def remove(self, pattern: tuple) -> None:
        """Drop the triples matching a pattern whose subject is given, as rdflib's Graph.remove
        (validate.document_evidence drops the type of the node standing for a document's facts)."""
        dropped = {key for key, _ in self._matching(pattern)}
        subject = str.__str__(pattern[0])
        for key in dropped:
            del self._triples[key]
        self._by_subject[subject] = [key for key in self._by_subject.get(subject, ()) if key not in dropped]

    def objects(self, subject=None, predicate=None) -> Iterator:
        return (t[2] for t in self.triples((subject, predicate, None)))

    def value(self, subject=None, predicate=None, object=None, default=None):
        """The first object of a subject's predicate, as rdflib's Graph.value."""
        if object is not None:
            raise NotImplementedError("value() of an unbound subject: this set indexes subjects only")
        return next(self.objects(subject, predicate), default)

    def __contains__(self, pattern: tuple) -> bool:
        return next(self.triples(pattern), None) is not None

    def as_rdflib(self) -> Graph:
        graph = bind_prefixes(Graph())
        for triple in self._triples.values():
            graph.add((as_rdflib(triple.subject), URIRef(triple.predicate.value), as_rdflib(triple.object)))
        return graph


def as_rdflib(node) -> URIRef | Literal:
    """An IRI or a literal of the set (it holds nothing else) as rdflib's."""
    if isinstance(node, ox.NamedNode):
        return URIRef(node.value)
    assert isinstance(node, ox.Literal), node
    if node.language:
        return Literal(node.value, lang=node.language)
    if node.datatype.value == XSD_STRING:
        return Literal(node.value)
    return Literal(node.value, datatype=URIRef(node.datatype.value))
