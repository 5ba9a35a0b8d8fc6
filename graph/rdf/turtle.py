"""The published graph as Turtle, written by pyoxigraph's serialiser.

rdflib's Turtle serialiser took about a minute of CPU for the England graph's 770,000
triples; pyoxigraph's (Rust) writes them in a few seconds, most of it turning rdflib terms
into pyoxigraph's (`as_oxigraph`, done once: the build's shape queries read the same
triples, shape_queries.py). The triples are sorted first, by the text of subject,
predicate (rdf:type first, written `a`) and object, and the @prefix lines too, so the same
triples always give the same bytes whatever order a set hands them over in: a build from the
cache writes what a clean build writes. Prefixed names use the project's prefixes
(namespaces.PREFIXES) but `id:`, whose local names hold slashes: those IRIs are written whole.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Literal, URIRef

from .namespaces import PREFIXES

TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TYPE_NODE = ox.NamedNode(TYPE)
# Written as whole IRIs: their local names hold "/" (id:inspection/stoke-on-trent/...), which
# a prefixed name would have to escape (id:inspection\/stoke-on-trent\/...), unreadable and
# unsearchable.
WHOLE = {"id"}


def term(node) -> ox.NamedNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(node)
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(node, language=node.language)
        if node.datatype:
            return ox.Literal(node, datatype=ox.NamedNode(node.datatype))
        return ox.Literal(node)
    raise AssertionError(f"{node!r} in the published graph: every node needs an IRI from a stable key (no blank nodes)")


def as_oxigraph(triples: Iterable) -> set[ox.Triple]:
    # An IRI recurs in many triples (a node's own, those pointing at it, every predicate):
    # each is made once (a literal is made each time: rdflib's Literal hashes slowly).
    made: dict = {}

    def convert(node):
        found = made.get(node)
        if found is None:
            found = made[node] = term(node)
        return found

    return {ox.Triple(convert(s), convert(p), convert(o) if isinstance(o, URIRef) else term(o)) for s, p, o in triples}


def order(triple: ox.Triple) -> tuple:
    # The published graph has no blank nodes and no quoted triples: subjects are IRIs, objects
    # IRIs or literals. IRIs before literals; literals by value, then language and datatype.
    s, o = triple.subject, triple.object
    assert isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode | ox.Literal), triple
    last = (0, o.value, "") if isinstance(o, ox.NamedNode) else (1, o.value, (o.language or "") + "\0" + o.datatype.value)
    return (s.value, triple.predicate.value != TYPE, triple.predicate.value, *last)


def serialize(triples: set[ox.Triple]) -> bytes:
    """Turtle for `triples`, the same bytes for the same set."""
    return serialize_keyed({order(triple): triple for triple in triples})


def serialize_keyed(keyed: dict[tuple, ox.Triple]) -> bytes:
    """Turtle for triples given under their keys (`order`), as triple_set.TripleSet holds them:
    sorting the keys is sorting the triples, without reading each term's text again."""
    prefixes = {name: str(namespace) for name, namespace in sorted(PREFIXES.items()) if name not in WHOLE}
    written = ox.serialize([keyed[key] for key in sorted(keyed)], format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert written is not None  # no output file given: the bytes are returned
    # The @prefix lines come first, in an order the serialiser does not promise: sorted here.
    lines = written.split(b"\n", len(prefixes))
    head, body = lines[: len(prefixes)], lines[len(prefixes) :]
    assert all(line.startswith(b"@prefix ") for line in head), "the serialiser wrote fewer @prefix lines than given"
    return b"\n".join(sorted(head) + body)


def read(data: bytes) -> set[ox.Triple] | None:
    """The triples of Turtle this module wrote, or None if they cannot be read."""
    try:
        return {quad.triple for quad in ox.parse(data, format=ox.RdfFormat.TURTLE)}
    except (SyntaxError, ValueError):
        return None
