"""The graph-wide shapes after a small change: checked only where the change can matter.

A rebuild after one report changed holds the same 770,000 triples but a few thousand, and the
last build's graph, still on disk as it wrote it, conformed to the same shapes (its loaders'
version, which covers shapes.ttl, is the cache's). Whether a node conforms to a shape depends
only on the triples the shape reads, along its paths, from that node: `reads` lists, for each
number of steps k from the node a shape is applied to, the (predicate, direction) pairs read
at nodes k steps away (`read[k]`: the paths of the property shapes at that level, rdf:type
for sh:class and targets, the predicates of sh:equals and sh:lessThan) and those stepped
along to reach the next level (`walk[k]`), for all shapes together. So:

1. each triple added or removed since the last graph changes what is read at its subject
   (its predicate, forwards) and at its object (backwards): the dirty (node, predicate,
   direction) triples;
2. a node's result can have changed only if a dirty pair is in `read[k]` at a node it reaches
   in k steps along `walk`: those nodes (`affected`) are found by walking back from the dirty
   nodes;
3. their surroundings (every triple of every node within the shapes' depth, and one step more)
   are copied into a small graph, the graph-wide shapes run on it, and only violations whose
   focus node is an affected node count (a node further out may lack, in the small graph,
   what it has in the whole one).
Every other node's result is what it was in the last build: it conformed. Where the change is
large (more than LIMIT affected nodes), or a shape uses a path this reading does not know
(only predicates and sh:inversePath are used today), the whole graph is checked instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

LIMIT = 50_000  # affected nodes past which checking the whole graph is as quick
OUT, IN = "out", "in"
ON_VALUES = (SH.node, SH["not"], SH.qualifiedValueShape)
LISTS = (SH["or"], SH["and"], SH.xone)
COMPARISONS = (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals)
MAX_DEPTH = 8


class Unknown(Exception):
    """A shape this reading cannot follow: check the whole graph."""


@lru_cache(maxsize=1)
def reads() -> tuple[tuple[frozenset, ...], tuple[frozenset, ...]] | None:
    """(read, walk), each a tuple indexed by steps from the focus node; None when a shape
    uses what `apply` does not know."""
    from .validate import shapes_and_ontology

    shapes = shapes_and_ontology()[0]
    read, walk = defaultdict(set), defaultdict(set)

    def path(shape) -> tuple:
        step = shapes.value(shape, SH.path)
        if isinstance(step, URIRef):
            return step, OUT
        inverse = shapes.value(step, SH.inversePath)
        if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(step))) == 1:
            return inverse, IN
        raise Unknown(f"{shape}: a path other than a predicate or its inverse")

    def inner(shape) -> Iterable:
        for predicate in LISTS:
            for head in shapes.objects(shape, predicate):
                yield from shapes.items(head)
        for predicate in ON_VALUES:
            yield from shapes.objects(shape, predicate)

    def apply(shape, k: int, seen: frozenset) -> None:
        """What `shape` reads when applied at nodes k steps from the focus node."""
        if (shape, k) in seen:
            return
        if k > MAX_DEPTH:
            raise Unknown(f"{shape}: nested deeper than {MAX_DEPTH} steps (recursive?)")
        seen = seen | {(shape, k)}
        if (shape, SH.path, None) in shapes:  # a property shape: its path here, its constraints on the values
            step = path(shape)
            read[k].add(step)
            walk[k].add(step)
            read[k].update((q, OUT) for c in COMPARISONS for q in shapes.objects(shape, c))
            if (shape, SH["class"], None) in shapes:
                read[k + 1].add((RDF.type, OUT))
            for nested in inner(shape):
                apply(nested, k + 1, seen)
            return
        if (shape, SH["class"], None) in shapes or (shape, SH.targetClass, None) in shapes:
            read[k].add((RDF.type, OUT))
        for nested in list(inner(shape)) + list(shapes.objects(shape, SH.property)):
            apply(nested, k, seen)

    try:
        for shape in set(shapes.subjects(SH.targetClass, None)):
            apply(shape, 0, frozenset())
    except Unknown:
        return None
    depth = max(read) + 1
    return tuple(frozenset(read[k]) for k in range(depth)), tuple(frozenset(walk[k]) for k in range(depth))


def shape_facts() -> tuple[int, frozenset]:
    """(depth, the predicates shapes follow backwards): the furthest step at which shapes read
    anything, and the sh:inversePath predicates."""
    facts = reads()
    assert facts is not None  # callers ask only after reads() said the shapes are understood
    read, walk = facts
    return len(read) - 1, frozenset(p for level in walk for p, direction in level if direction == IN)


def dirty_pairs(changed: Iterable) -> set[tuple]:
    """(node, predicate, direction) read differently now: each changed triple (pyoxigraph's)
    at its subject forwards and, where the object is an IRI, at its object backwards."""
    dirty = set()
    for triple in changed:
        predicate = URIRef(triple.predicate.value)
        dirty.add((URIRef(triple.subject.value), predicate, OUT))
        if isinstance(triple.object, type(triple.predicate)):  # a NamedNode, not a literal
            dirty.add((URIRef(triple.object.value), predicate, IN))
    return dirty


def back(graph, node, steps: frozenset) -> set:
    """The nodes that reach `node` in one of `steps`."""
    found = set()
    for predicate, direction in steps:
        if direction == OUT:
            found.update(graph.subjects(predicate, node))
        else:
            found.update(o for o in graph.objects(node, predicate) if not isinstance(o, Literal))
    return found


def affected(graph, dirty: set[tuple]) -> set | None:
    """The nodes whose shapes read a dirty pair; None past LIMIT."""
    facts = reads()
    assert facts is not None  # callers ask only after reads() said the shapes are understood
    read, walk = facts
    found: set = set()
    for node, predicate, direction in dirty:
        for k, level in enumerate(read):
            if (predicate, direction) not in level:
                continue
            frontier = {node}
            for j in range(k - 1, -1, -1):
                frontier = {y for x in frontier for y in back(graph, x, walk[j])}
            found |= frontier
        if len(found) > LIMIT:
            return None
    return found


def surroundings(graph, nodes: set, steps: int, inverse: frozenset) -> Graph:
    """The triples of every node within `steps` steps of `nodes` (forwards, and backwards
    along the inverse predicates), and those pointing at it by an inverse predicate."""
    small = Graph()
    seen, frontier = set(nodes), set(nodes)
    for _ in range(steps + 1):
        step = set()
        for node in frontier:
            for triple in graph.triples((node, None, None)):
                small.add(triple)
                if not isinstance(triple[2], Literal):
                    step.add(triple[2])
            for predicate in inverse:
                for subject in graph.subjects(predicate, node):
                    small.add((subject, predicate, node))
                    step.add(subject)
        frontier = step - seen
        seen |= frontier
    return small


def check_changed(graph, old: set, new: set):
    """The graph-wide shapes where `graph` differs from the last conforming graph: `old` and
    `new` are the two published graphs' triples (pyoxigraph's, as turtle.py reads and writes
    them). A Validation, or None when the whole graph must be checked."""
    from .validate import Validation, graph_wide_shapes, validate, with_building_blocks

    if reads() is None:
        return None
    depth, inverse = shape_facts()
    changed = new ^ old
    focus = affected(graph, dirty_pairs(changed)) if changed else set()
    if focus is None:
        return None
    if focus:
        small = surroundings(graph, focus, depth + 1, inverse)
        result = validate(small, use_shapes=with_building_blocks(graph_wide_shapes()), in_place=True)
        if any(URIRef(r[0]) in focus for r in result.results):
            return None  # a violation: the whole graph's check gives the report a clean build gives
    return Validation(True, "Validation Report\nConforms: True\n", 0)
