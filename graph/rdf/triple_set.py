"""The merged graph while the build holds it: a set of rdflib triples with the two indexes
the build's lookups need (each subject's triples, and the triples pointing at each node).

rdflib's in-memory Graph spent two thirds of the mapping's time in its store (three indexes,
contexts, events: 11 microseconds a triple, 9 s for the England graph's 770,000). The build
only adds triples, looks a few up, compares them with the last graph's and writes them; an
rdflib Graph is made from them (`as_rdflib`) only where a library needs one: pySHACL, when
the whole graph is checked. The methods are rdflib's, for the patterns used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib import Graph, Literal

from .namespaces import bind_prefixes


class TripleSet:
    def __init__(self):
        self._all: set[tuple] = set()
        self._out: dict = defaultdict(list)  # subject -> [(predicate, object)]
        self._in: dict = defaultdict(list)  # object (not a literal) -> [(predicate, subject)]

    def add(self, triple: tuple) -> None:
        if triple in self._all:
            return
        self._all.add(triple)
        s, p, o = triple
        self._out[s].append((p, o))
        if not isinstance(o, Literal):
            self._in[o].append((p, s))

    def remove(self, pattern: tuple) -> None:
        for triple in list(self.triples(pattern)):
            self._all.discard(triple)
            s, p, o = triple
            self._out[s].remove((p, o))
            if not isinstance(o, Literal):
                self._in[o].remove((p, s))

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, pattern: tuple) -> bool:
        if None not in pattern:
            return pattern in self._all
        return next(self.triples(pattern), None) is not None

    def triples(self, pattern: tuple) -> Iterator[tuple]:
        s, p, o = pattern
        if s is not None:
            yield from ((s, p2, o2) for p2, o2 in list(self._out.get(s, ())) if p in (None, p2) and o in (None, o2))
        elif o is not None and not isinstance(o, Literal):
            yield from ((s2, p2, o) for p2, s2 in list(self._in.get(o, ())) if p in (None, p2))
        else:
            yield from (t for t in list(self._all) if p in (None, t[1]) and o in (None, t[2]))

    def subjects(self, predicate=None, obj=None) -> Iterator:
        return (t[0] for t in self.triples((None, predicate, obj)))

    def objects(self, subject=None, predicate=None) -> Iterator:
        return (t[2] for t in self.triples((subject, predicate, None)))

    def subject_objects(self, predicate=None) -> Iterator[tuple]:
        return ((t[0], t[2]) for t in self.triples((None, predicate, None)))

    def value(self, subject=None, predicate=None, object=None, default=None):
        """The first node that fills the one unbound position, as rdflib's Graph.value."""
        if object is None:
            return next(self.objects(subject, predicate), default)
        return next(self.subjects(predicate, object), default)

    def as_rdflib(self) -> Graph:
        graph = bind_prefixes(Graph())
        for triple in self._all:
            graph.add(triple)
        return graph
