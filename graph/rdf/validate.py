"""SHACL validation of a graph against ontology/shapes.ttl (https://www.w3.org/TR/shacl/).

The concept schemes and reference individuals are merged into the data graph first, so
shapes can check that a grade is a concept of the grade scheme; the ontology is given to
pySHACL as the ontology graph. No inference: the loaders state the classes they mean.

The build splits the work in two (`validate` checks a whole file at once, as before):
- document-local shapes (DOCUMENT_SHAPES) target nodes that belong to one document: the
  target, quote and position of each span of its text quoted as evidence, and each citation
  of legislation in it. Their IRIs hold the document's key, and their triples come from that
  span or citation alone, whatever any other document says, so they are checked on that
  document's evidence alone (`check_document_evidence`), once it is read (build/evidence_checks.py:
  in a forked process while the build maps), and the result is cached beside its extraction;
- every other shape is graph-wide: facts merged from several documents (counts change when
  records merge), references to nodes another document may give (an inspection, a council,
  a post), and the annotations whose bodies are those merged facts. They run on the merged
  graph (`validate_merged`).
tests/graph/test_validation_split.py shows the two halves find what one whole-graph run finds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, cast

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..reference.vocabulary import ONTOLOGY_DIR
from . import forked
from .namespaces import SH_OKG
from .triple_set import TripleSet

if TYPE_CHECKING:
    from ..model.records import CatalogueEntry

SHAPES = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY = ONTOLOGY_DIR / "ontology.ttl"
CONCEPTS = ONTOLOGY_DIR / "concepts.ttl"
REFERENCE = ONTOLOGY_DIR / "reference.ttl"

DOCUMENT_SHAPES = (
    SH_OKG.SpecificResourceShape,
    SH_OKG.TextQuoteSelectorShape,
    SH_OKG.TextPositionSelectorShape,
    SH_OKG.LegislationCitationShape,
)


@dataclass(frozen=True)
class Validation:
    conforms: bool
    report: str  # pySHACL's text report: each violation with its focus node and sh:message
    violations: int
    results: frozenset = frozenset()  # (focus node, path, message) of each violation, to compare runs by

    def __add__(self, other: Validation) -> Validation:
        reports = [v.report for v in (self, other) if not v.conforms]
        return Validation(
            self.conforms and other.conforms,
            "\n".join(reports) or self.report,
            self.violations + other.violations,
            self.results | other.results,
        )


def reference_graph() -> Graph:
    """The ontology, its concept schemes and the curated reference individuals: part of every published graph."""
    graph = Graph()
    for path in (ONTOLOGY, CONCEPTS, REFERENCE):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def shapes_and_ontology() -> tuple[Graph, Graph, tuple]:
    """The shapes, the ontology and the triples of concepts.ttl and reference.ttl, parsed once per process."""
    shapes = Graph().parse(SHAPES, format="turtle")
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    static = Graph()
    for path in (CONCEPTS, REFERENCE):
        static.parse(path, format="turtle")
    return shapes, ontology, tuple(static)


def graph_wide_shapes() -> list[URIRef]:
    shapes = shapes_and_ontology()[0]
    targeted = {s for s in shapes.subjects(SH.targetClass, None) if isinstance(s, URIRef)}
    return sorted(targeted - set(DOCUMENT_SHAPES))


def with_building_blocks(targeted: list[URIRef]) -> list[URIRef]:
    """`targeted` and the named shapes they use (okgsh:evidence-present, okgsh:AnyInspection, ...):
    given `use_shapes`, pySHACL skips a named shape it is not given, even one a given shape uses.
    They have no targets of their own, so listing them adds no focus nodes."""
    shapes = shapes_and_ontology()[0]
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    untargeted = {s for s in named if (s, SH.targetClass, None) not in shapes}
    return list(targeted) + sorted(untargeted)


def validate(data: Graph, use_shapes: list[URIRef] | None = None, in_place: bool = False) -> Validation:
    """`data` against the shapes (all of them, or `use_shapes`). `in_place` adds the concepts
    and the ontology to `data` itself instead of a copy: for a process's own copy of a graph."""
    import pyshacl

    shapes, ontology, static = shapes_and_ontology()
    combined = data if in_place else Graph()
    if not in_place:
        for triple in data:
            combined.add(triple)
    for triple in static:
        combined.add(triple)
    conforms, results, text = pyshacl.validate(
        combined,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
        use_shapes=list[str | URIRef](use_shapes) if use_shapes is not None else None,
    )
    found = list(results.subjects(SH.resultSeverity, SH.Violation))
    described = frozenset(
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultPath)), str(results.value(r, SH.resultMessage)))
        for r in found
    )
    return Validation(bool(conforms), text, len(found), described)


@contextmanager
def validating_merged(data: Graph, jobs: int = 1) -> Iterator[Callable[[], Validation]]:
    """The graph-wide shapes on the graph merged from every document, started in `jobs` forked
    processes that share `data` with this one (copy on write: nothing is serialised), each
    checking a share of the shapes; meanwhile this process may go on with `data`, even add to it
    (the build adds the ontology and writes the Turtle it will keep only if the graph conforms). Yields a function that waits
    for the Validation. One process, or no fork (not on every system): checked when asked."""
    groups = shape_groups(data, jobs)
    if len(groups) < 2 or not forked.available():
        # checked now, before the caller goes on (and may add to `data`, as the build does)
        done = validate(data, use_shapes=with_building_blocks(graph_wide_shapes()))
        yield lambda: done
        return
    shapes_and_ontology()  # parsed once, before the fork, for every worker
    calls = [partial(validate, data, use_shapes=with_building_blocks(group), in_place=True) for group in groups]
    with forked.forked(calls, "the graph-wide shapes' check (pySHACL)") as answers:
        yield lambda: sum(answers()[1:], answers()[0])


def validate_merged(data: Graph, jobs: int = 1) -> Validation:
    with validating_merged(data, jobs) as result:
        return result()


def shape_groups(data: Graph, jobs: int) -> list[list[URIRef]]:
    """The graph-wide shapes in `jobs` groups of about equal work: each shape weighed by its
    focus nodes in `data` times its property shapes, the heaviest given to the lightest group."""
    shapes = shapes_and_ontology()[0]
    weights = {}
    for shape in graph_wide_shapes():
        focus = sum(1 for cls in shapes.objects(shape, SH.targetClass) for _ in data.subjects(RDF.type, cls))
        weights[shape] = focus * (1 + len(list(shapes.objects(shape, SH.property))))
    groups: list[list[URIRef]] = [[] for _ in range(max(1, min(jobs, len(weights))))]
    loads = [0] * len(groups)
    for shape in sorted(weights, key=lambda s: (-weights[s], s)):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape)
        loads[lightest] += weights[shape]
    return [group for group in groups if group]


CONFORMS = Validation(True, "Validation Report\nConforms: True\n", 0)  # pySHACL's words for a graph that conforms


def queried(triples, shapes: tuple[URIRef, ...]) -> bool:
    """True when the shapes' SPARQL queries (shape_queries.py) find no violation in `triples`
    (pyoxigraph's, with the ontology, concepts and reference individuals among them; or a dict
    of them under their turtle.order keys, as the build holds them); False when they find one,
    or the shapes cannot be put as queries: then pySHACL must judge. The store they run on
    holds only the triples the queries can read (shape_queries.Reach)."""
    import pyoxigraph as ox

    from .shape_queries import load, reach, violated
    from .turtle import order

    compiled = shape_queries_for(shapes)
    if compiled is None:
        return False
    keyed = triples if isinstance(triples, dict) else {order(t): t for t in triples}
    store = ox.Store()
    load(store, reach(compiled.values()).kept(keyed))
    return next(violated(store, compiled), None) is None


@contextmanager
def querying(keyed: dict, shapes: tuple[URIRef, ...], jobs: int = 1) -> Iterator[Callable[[], bool]]:
    """queried() started in forked processes that share `keyed` (triples under their
    turtle.order keys) with this one (copy on write), so the caller can go on meanwhile (the
    build writes the Turtle); yields a function that waits for the answer. With `jobs` of two
    or more, the shapes are shared between two processes, each loading only what its shapes'
    queries read (query_groups). One job, or no fork: answered when asked."""
    if jobs < 2 or not forked.available():
        yield lambda: queried(keyed, shapes)
        return
    groups = query_groups(keyed, shapes, min(jobs, 2))
    for group in groups:
        shape_queries_for(group)  # translated once, before the fork
    with forked.forked([partial(queried, keyed, group) for group in groups], "the graph-wide shapes' queries") as answers:
        yield lambda: all(answers())


def query_groups(keyed: dict, shapes: tuple[URIRef, ...], groups: int) -> list[tuple[URIRef, ...]]:
    """`shapes` in at most `groups` groups whose stores are about the same size: each shape,
    the one reading most triples first, joins the group whose store it grows least (the
    shapes of a group share what they read: most of them read the evidence links). Sizes
    are counted per predicate, and per class for rdf:type (subclasses aside: a close guess
    is enough to share the work)."""
    from .shape_queries import TYPE_IRI, reach

    compiled = shape_queries_for(shapes)
    if compiled is None or groups < 2 or len(shapes) < 2:
        return [shapes]
    counts = Counter(key[2] if key[1] else key[4] for key in keyed)  # predicate, or the class of an rdf:type
    counts.pop(TYPE_IRI, None)
    reads = {shape: reach([compiled[shape]]).predicates & counts.keys() for shape in shapes}
    size = {shape: sum(counts[iri] for iri in reads[shape]) for shape in shapes}
    chosen: list[list[URIRef]] = [[] for _ in range(groups)]
    union: list[set[str]] = [set() for _ in range(groups)]
    for shape in sorted(shapes, key=lambda s: (-size[s], str(s))):
        grown = [sum(counts[iri] for iri in union[i] | reads[shape]) for i in range(groups)]
        best = grown.index(min(grown))
        chosen[best].append(shape)
        union[best] |= reads[shape]
    return [tuple(group) for group in chosen if group]


@lru_cache(maxsize=8)
def shape_queries_for(shapes: tuple[URIRef, ...]) -> dict | None:
    from .shape_queries import Untranslatable, queries

    try:
        return queries(shapes_and_ontology()[0], shapes)
    except Untranslatable:
        return None


@lru_cache(maxsize=1)
def reference_triples() -> frozenset:
    """The ontology, concepts and reference individuals as pyoxigraph triples: what pySHACL
    mixes into every data graph, for the queries to see too."""
    from .turtle import as_oxigraph

    return frozenset(as_oxigraph(reference_graph()))


@lru_cache(maxsize=1)
def reference_keyed() -> dict:
    """reference_triples() under their turtle.order keys."""
    from .turtle import order

    return {order(t): t for t in reference_triples()}


def checked(data, shapes: tuple[URIRef, ...]) -> Validation:
    """`data` (an rdflib Graph or a TripleSet) against `shapes`: by the queries when they find
    nothing, else by pySHACL, whose report is the one to show."""
    from .turtle import as_oxigraph, order

    # A TripleSet holds pyoxigraph's triples under their turtle.order keys already, which is
    # what the queries' store is loaded from: keying each triple again cost a document's check
    # a fifth of its time. An rdflib Graph's triples are converted and keyed.
    if isinstance(data, TripleSet):
        keyed = reference_keyed() | data.keyed()
    else:
        keyed = reference_keyed() | {order(t): t for t in as_oxigraph(data)}
    if queried(keyed, shapes):
        return CONFORMS
    graph = data.as_rdflib() if isinstance(data, TripleSet) else data
    return validate(graph, use_shapes=with_building_blocks(list(shapes)))


def check_document_evidence(extraction, vocab) -> Validation:
    """The document-local shapes, on one document's evidence: every span any of its records
    quotes (whether or not the merge keeps the record) and every citation in it."""
    return checked(document_evidence(extraction, vocab), DOCUMENT_SHAPES)


def document_evidence(extraction, vocab) -> TripleSet:
    """The triples the build gives one document's node, its spans' evidence chains and its
    citations (triples.AccountMapper, as for the merged graph). A TripleSet, not an rdflib
    Graph: a report's few thousand statements make it 50,000 triples, which rdflib's store
    took a second to index, and the queries that check them need no index."""
    from ..kinds import citation
    from .iris import document as document_iri
    from .iris import evidence_check
    from .triples import AccountMapper

    mapper = AccountMapper(vocab, TripleSet())
    # the node spans point to; its publisher is the merge's to name (a council as printed here)
    mapper.document(replace(extraction.document, publisher=None))
    holder = evidence_check(extraction.document.key)  # stands for the facts, which the merge decides
    for records in vars(extraction).values():
        for record in records if isinstance(records, tuple) else ():
            spans = getattr(record, "evidence", ())
            if spans:
                mapper.evidence(holder, spans)
    for cited in extraction.citations:
        citation.triples(mapper, None, cited, None)
    mapper.graph.remove((holder, RDF.type, None))
    # Its catalogue entries quote the catalogues (publication.py), which are documents of their
    # own that no worker reads: stand in their type, as the merged graph gives it.
    from .namespaces import OKG

    for entry in getattr(extraction.document, "entries", ()):
        mapper.graph.add((document_iri(entry.catalogue), RDF.type, OKG.Catalogue))
    return cast(TripleSet, mapper.graph)


def check_catalogue_evidence(catalogue_key: str, cited: Sequence[tuple[str, CatalogueEntry]], vocab) -> Validation:
    """The document-local shapes, on the evidence of what one catalogue says of documents:
    `cited` is each (document key, its CatalogueEntry from this catalogue). These spans are the
    catalogue's text, so they are checked with the catalogue, not with the documents they date:
    a document's own check (and its cache entry) then does not depend on where its line sits."""
    from .iris import document as document_iri
    from .namespaces import OKG
    from .triples import AccountMapper

    mapper = AccountMapper(vocab, TripleSet())
    for document_key, entry in cited:
        mapper.catalogue_entry(document_key, entry)
    mapper.graph.add((document_iri(catalogue_key), RDF.type, OKG.Catalogue))
    return checked(mapper.graph, DOCUMENT_SHAPES)
