"""The graph-wide shapes after a small change: checked only where the change can matter.

A rebuild after one report changed holds the same 770,000 triples but a few thousand, and the
last build's graph, still on disk as it wrote it, conformed to the same shapes (its loaders'
version, which covers shapes.ttl, is the cache's). Whether a node conforms to a shape depends
only on triples within a few steps of it: its own (its types and values), those of the values
it points to, and so on down the shapes' nesting (`depth`), and, through a shape's
sh:inversePath, the triples pointing at it by that predicate. So:

1. the triples added and removed since the last graph (`difference`) make their subjects
   dirty, and their objects too where the predicate is one a shape follows backwards;
2. the nodes whose result can have changed are those that reach a dirty node within `depth`
   steps (`affected`: a walk backwards from the dirty nodes);
3. those nodes' surroundings, twice as deep, are copied into a small graph (`surroundings`)
   and the graph-wide shapes run on it; only violations whose focus node is an affected node
   count (a node further out may lack, in the small graph, what it has in the whole one).
Every other node's result is what it was in the last build: it conformed. Where the change is
large (more than LIMIT affected nodes) the whole graph is checked instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

LIMIT = 50_000  # affected nodes past which checking the whole graph is as quick
NESTING = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
LISTS = (SH["or"], SH["and"], SH.xone)


@lru_cache(maxsize=1)
def shape_facts() -> tuple[int, frozenset]:
    """(depth, the predicates shapes follow backwards): how many steps from a focus node the
    shapes read, and along which sh:inversePath predicates."""
    from .validate import shapes_and_ontology

    shapes = shapes_and_ontology()[0]
    inverse = frozenset(o for o in shapes.objects(None, SH.inversePath) if isinstance(o, URIRef))

    def members(node) -> Iterable:
        for predicate in LISTS:
            for head in shapes.objects(node, predicate):
                yield from shapes.items(head)
        for predicate in NESTING:
            yield from shapes.objects(node, predicate)

    def steps(node, seen: frozenset) -> int:
        """Steps from the node a shape is applied to, to the furthest node whose triples it reads."""
        if node in seen:  # a recursive shape: shapes.ttl has none, and pySHACL refuses them anyway
            raise ValueError(f"{node}: recursive shapes cannot be checked incrementally")
        seen = seen | {node}
        deepest = 0
        here = 1 if (node, SH.path, None) in shapes else 0  # a property shape moves one step along its path
        if here and (node, SH["class"], None) in shapes:
            deepest = 1  # the value's rdf:type
        for inner in members(node):
            deepest = max(deepest, here + steps(inner, seen))
        return max(deepest, here)

    targeted = set(shapes.subjects(SH.targetClass, None))
    return max(steps(shape, frozenset()) for shape in targeted), inverse


def dirty_nodes(changed: Iterable, inverse: frozenset) -> set:
    """Subjects of changed triples (pyoxigraph's), as rdflib IRIs; their objects where the
    predicate is followed backwards."""
    dirty = set()
    for triple in changed:
        dirty.add(URIRef(triple.subject.value))
        if URIRef(triple.predicate.value) in inverse and not hasattr(triple.object, "datatype"):
            dirty.add(URIRef(triple.object.value))
    return dirty


def affected(graph: Graph, dirty: set, depth: int, inverse: frozenset) -> set | None:
    """The nodes within `depth` steps of a dirty node, walking backwards; None past LIMIT."""
    found, frontier = set(dirty), set(dirty)
    for _ in range(depth):
        step = set()
        for node in frontier:
            if isinstance(node, Literal):
                continue
            step.update(graph.subjects(None, node))
            for predicate in inverse:
                step.update(o for o in graph.objects(node, predicate) if not isinstance(o, Literal))
        frontier = step - found
        found |= frontier
        if len(found) > LIMIT:
            return None
    return found


def surroundings(graph: Graph, nodes: set, steps: int, inverse: frozenset) -> Graph:
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


def check_changed(graph: Graph, old: set, new: set):
    """The graph-wide shapes where `graph` differs from the last conforming graph: `old` and
    `new` are the two published graphs' triples (pyoxigraph's, as turtle.py reads and writes
    them). A Validation, or None when the whole graph must be checked."""
    from .validate import Validation, graph_wide_shapes, validate, with_building_blocks

    depth, inverse = shape_facts()
    changed = new ^ old
    if not changed:
        return Validation(True, "Validation Report\nConforms: True\n", 0)
    focus = affected(graph, dirty_nodes(changed, inverse), depth, inverse)
    if focus is None:
        return None
    small = surroundings(graph, focus, 2 * depth + 1, inverse)
    result = validate(small, use_shapes=with_building_blocks(graph_wide_shapes()), in_place=True)
    kept = frozenset(r for r in result.results if URIRef(r[0]) in focus)
    if kept:
        return None  # a violation: the whole graph's check gives the report a clean build gives
    return Validation(True, "Validation Report\nConforms: True\n", 0)
