"""A synthetic graph N times the England one, made of the England graph's own shapes.

    python bench/synth.py build/england/ofsted-kg.ttl build/bench/x10.nt [--times 10] [--seed 2026]

Copy 0 is the graph as it is. Each further copy k repeats every triple that touches the
data (a subject or object under https://w3id.org/ofsted-kg/id/) with fresh IRIs
(`-x{k}` added: the last segment changes too, so a council's key stays unique), so councils, inspections, judgements, findings, evidence and documents
are all new and keep their real distribution; the ontology, concept schemes and other
vocabulary are shared, as they would be in a bigger graph. Literals are made distinct per
copy (an engine that stores a string once would otherwise see no more text than before):
strings get the copy's mark, and each copy's dates move by a whole number of years drawn
from a fixed-seed generator, the same shift for every date of a copy, so a council's
history keeps its order. The same input, times and seed give the same file.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import pyoxigraph as ox

ID = "https://w3id.org/ofsted-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}
STRING = XSD + "string"
_YEAR = re.compile(r"^(\d{4})")


def _iri(term, mark: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(ID):
        return ox.NamedNode(term.value + mark)
    return term


def _literal(term: ox.Literal, copy: int, years: int) -> ox.Literal:
    datatype = term.datatype.value
    if datatype in DATES:
        value = _YEAR.sub(lambda m: f"{int(m.group(1)) + years:04d}", term.value)
        value = value.replace("-02-29", "-02-28")  # a shifted leap day
        return ox.Literal(value, datatype=term.datatype)
    if term.language:
        return ox.Literal(f"{term.value} ({copy})", language=term.language)
    if datatype == STRING:
        return ox.Literal(f"{term.value} ({copy})")
    return term  # numbers, offsets: the same values, as in real data


def _touches_data(triple) -> bool:
    return any(isinstance(t, ox.NamedNode) and t.value.startswith(ID) for t in (triple.subject, triple.object))


def copies(source: Path, times: int, seed: int):
    """The triples of `times` copies of the graph in `source` (Turtle or N-Triples)."""
    fmt = ox.RdfFormat.N_TRIPLES if source.suffix == ".nt" else ox.RdfFormat.TURTLE
    triples = [t.triple if isinstance(t, ox.Quad) else t for t in ox.parse(path=str(source), format=fmt)]
    data = [t for t in triples if _touches_data(t)]
    yield from triples
    shifts = random.Random(seed)
    for copy in range(1, times):
        mark, years = f"-x{copy}", shifts.randint(-3, 3)
        for t in data:
            o = t.object
            o = _literal(o, copy, years) if isinstance(o, ox.Literal) else _iri(o, mark)
            yield ox.Triple(_iri(t.subject, mark), t.predicate, o)


def generate(source: Path, out: Path, times: int = 10, seed: int = 2026) -> int:
    """Write the synthetic graph as N-Triples (the fastest to read back); returns the triple count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0

    def counted():
        nonlocal count
        for triple in copies(source, times, seed):
            count += 1
            yield triple

    partial = out.with_suffix(".partial")
    ox.serialize(counted(), output=str(partial), format=ox.RdfFormat.N_TRIPLES)
    partial.replace(out)
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    print(f"{args.out}: {generate(args.source, args.out, args.times, args.seed):,} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
