"""The SHACL shapes as SPARQL queries over pyoxigraph: a quick first check of a whole graph.

pySHACL takes minutes on the England graph (800,000 triples; Python all the way down), and a
build needs to know first of all whether the graph conforms. Each targeted shape of
ontology/shapes.ttl is translated here, constraint by constraint, into one SPARQL query that
selects the focus nodes violating it (the SHACL Core semantics of https://www.w3.org/TR/shacl/,
section 4, as SPARQL FILTER expressions with EXISTS), and pyoxigraph (Rust) runs them over the
graph in a few seconds.

The queries only decide whether pySHACL has to be asked: when they find nothing, the graph
conforms; when they find anything, validate.py runs pySHACL, whose report (each violation with
its focus node and sh:message) is the one the build prints. So they must never miss a
violation pySHACL finds, and may, harmlessly but slowly, flag what pySHACL accepts. Where the
two engines could differ, the translation is the stricter one:
- a value of a datatype must have the lexical form the loaders write (`LEXICAL`: digits for
  integers, `YYYY-MM-DD` dates that are real days), a subset of what rdflib reads as valid;
- Rust's `$` matches only at the end of the string where Python's also matches before a final
  newline, so a pattern accepts no more here than in pySHACL;
- targets and sh:class follow rdf:type/rdfs:subClassOf*, as SHACL says and pySHACL does (the
  ontology is in the graph, as pySHACL mixes it in). The query text says so (what `reach` and
  `reads` infer from); it is asked as plain rdf:type patterns over the classes the store
  holds below the named one, which pyoxigraph answers faster (`Hierarchy`).
A shape using anything else (a constraint this module does not translate, a severity other
than violation, a deactivated shape, a path other than a predicate or its inverse, a shape
that is also a class and so targets its instances implicitly, a shape reached again through
itself, whose validation SHACL leaves undefined) raises Untranslatable: the build then asks pySHACL every time, as before.

tests/graph/test_shape_queries.py checks, on every fixture of tests/fixtures/shapes/ and on the
seed graph with defects put in, that these queries flag a graph exactly when pySHACL does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

XSD_ = str(XSD)
# The lexical forms a value of each datatype must have to be passed here (anchored, whole
# string). Each is a subset of what rdflib reads as a valid value (so pySHACL's sh:datatype
# passes it); dates are also cast, which fails for a day that does not exist (2023-02-30).
YEAR = "[1-9][0-9]{3}"
LEXICAL = {
    XSD.string: None,  # any string (a plain literal is an xsd:string)
    XSD.date: f"^{YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
    XSD.gYearMonth: f"^{YEAR}-(0[1-9]|1[0-2])$",
    XSD.gYear: f"^{YEAR}$",
    XSD.integer: "^-?[0-9]+$",
    XSD.nonNegativeInteger: "^[0-9]+$",
    XSD.positiveInteger: "^0*[1-9][0-9]*$",
    XSD.decimal: r"^-?[0-9]+(\.[0-9]+)?$",
    XSD.boolean: "^(true|false)$",
    # Years, months and days only, at least one, up to four digits each (okg:refPeriod, P12M):
    # stricter than rdflib (which pySHACL asks, through isodate), never looser, so a literal
    # the query passes rdflib reads too; one it flags is judged by pySHACL.
    XSD.duration: "^P([0-9]{1,4}Y([0-9]{1,4}M)?([0-9]{1,4}D)?|[0-9]{1,4}M([0-9]{1,4}D)?|[0-9]{1,4}D)$",
}
CAST = {XSD.date}  # datatypes whose values must also survive a cast (a real calendar day)

# Said of a shape without constraining anything (SHACL's non-validating properties, and the
# targets: a named shape used by sh:node is applied to the value whatever it targets).
DESCRIPTIVE = {
    RDF.type,
    SH.message,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    RDFS.label,
    RDFS.comment,
    SH.targetClass,
    OWL.imports,
    OWL.versionInfo,
}
LISTS = {SH["or"], SH["and"], SH.xone}
VALUE_CONSTRAINTS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH.node,
    SH["not"],
    SH.hasValue,
    SH.property,
    *LISTS,
}
PROPERTY_CONSTRAINTS = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
}
KINDS = {
    SH.IRI: "isIRI({0})",
    SH.Literal: "isLiteral({0})",
    SH.BlankNode: "isBlank({0})",
    SH.BlankNodeOrIRI: "(isBlank({0}) || isIRI({0}))",
    SH.BlankNodeOrLiteral: "(isBlank({0}) || isLiteral({0}))",
    SH.IRIOrLiteral: "(isIRI({0}) || isLiteral({0}))",
}
INSTANCE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"


class Untranslatable(Exception):
    """A shape uses what this module does not translate: pySHACL must check every graph."""


# pyoxigraph's store keeps a value, not how it was written: "007"^^xsd:positiveInteger comes
# back as "7"^^xsd:integer, so neither the datatype nor the lexical form a shape checks would be
# there to check. Every literal of an XSD datatype but xsd:string is loaded under a datatype of
# its own, AS_WRITTEN + the datatype's IRI, which the store keeps as written.
AS_WRITTEN = "urn:x-ofsted-kg:as-written:"


def written_datatype(datatype) -> str:
    return AS_WRITTEN + str(datatype) if str(datatype).startswith(XSD_) and datatype != XSD.string else str(datatype)


def as_written(triples: Iterable) -> Iterator:
    """pyoxigraph quads for pyoxigraph triples, each literal as `checkable` keeps it."""
    import pyoxigraph as ox

    kept: dict = {}
    for triple in triples:
        value = triple.object
        if isinstance(value, ox.Literal) and value.language is None:
            datatype = value.datatype.value
            if datatype.startswith(XSD_) and datatype != str(XSD.string):
                value = kept.get(value)
                if value is None:
                    value = kept[triple.object] = ox.Literal(triple.object.value, datatype=ox.NamedNode(AS_WRITTEN + datatype))
        yield ox.Quad(triple.subject, triple.predicate, value)


def load(store, keyed: Iterable[tuple[tuple, object]]) -> bytes:
    """Triples given as (turtle.order key, pyoxigraph triple) into `store`, each literal as
    `as_written` keeps it, through N-Triples (`n_triples`). Returns the N-Triples, which
    load the same into another store."""
    import pyoxigraph as ox

    written = n_triples(keyed)
    store.bulk_load(written, format=ox.RdfFormat.N_TRIPLES)
    return written


def n_triples(keyed: Iterable[tuple[tuple, object]]) -> bytes:
    """N-Triples of triples given as (turtle.order key, pyoxigraph triple), each literal as
    `as_written` keeps it, for pyoxigraph (Rust) to parse: building a Quad of each in Python
    took longer than the store took to index them. pyoxigraph writes most; the literals whose
    datatype `as_written` changes (the keys tell which) are written here from their keys, as
    a Quad of each cost 2.5 microseconds (pyoxigraph's constructor tries each kind of term
    in turn): a fifth of the England shape stores' loading (sampled with py-spy)."""
    import pyoxigraph as ox

    plain: list = []
    typed: list[str] = []
    for key, triple in keyed:
        if key[3] == 1 and key[5].startswith("\0" + XSD_) and key[5] != STRING_PART:
            # the key holds the subject's and predicate's IRIs, the literal's text and "\0" + its datatype
            typed.append(f'<{key[0]}> <{key[2]}> "{escaped(key[4])}"^^<{AS_WRITTEN}{key[5][1:]}> .\n')
        else:
            plain.append(triple)
    written = ox.serialize(plain, format=ox.RdfFormat.N_TRIPLES)
    assert written is not None  # no output file given: the bytes are returned
    return written + "".join(typed).encode("utf-8")


def escaped(text: str) -> str:
    """`text` as an N-Triples string may hold it: the four characters it may not hold raw, escaped."""
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return text


STRING_PART = "\0" + str(XSD.string)  # a plain literal's language-and-datatype part of its key


def sparql_term(node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.language:
            return node.n3()
        return f"{string(str(node))}^^<{written_datatype(node.datatype or XSD.string)}>"
    raise Untranslatable(f"{node!r}: a blank node as a value to compare with")


def string(text: str) -> str:
    """A SPARQL string literal holding `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Step:
    """A triple pattern of a shape's query, read from the node nearer the focus node: `near`
    <predicate> `far`, or `far` <predicate> `near` when `inverse` (a variable or a term each)."""

    near: str
    predicate: str
    inverse: bool
    far: str


@dataclass(frozen=True)
class Reads:
    """Every triple a shape's query can read, as steps from ?this (the focus node): the
    patterns it matches, and the nodes whose rdf:type it reads through rdfs:subClassOf* with
    the class it looks for (sh:class's; the target's at ?this). What
    rebuild_validation.affected walks back along."""

    steps: frozenset[Step]
    typed: frozenset[tuple[str, str]]  # (node, class)
    targets: frozenset[str]  # the target classes: the focus nodes are their instances


class Translation:
    """The shapes graph and fresh variable names for one translation."""

    def __init__(self, shapes: Graph):
        self.shapes = shapes
        self.names = count()
        self.within: list = []  # the shapes being translated, outermost first
        self.steps: set[Step] = set()  # every triple pattern written, as a step from the node nearer ?this
        self.typed: set[tuple[str, str]] = set()  # (node, class): the node's rdf:type read for the class

    def step(self, near: str, predicate, far: str, inverse: bool = False) -> str:
        """The triple pattern from `near` (the node nearer the focus node) along `predicate`
        (backwards if `inverse`) to `far`, noted for `reads`."""
        self.steps.add(Step(near, str(predicate), inverse, far))
        return f"{far} <{predicate}> {near} ." if inverse else f"{near} <{predicate}> {far} ."

    def fresh(self) -> str:
        return f"?v{next(self.names)}"

    def one(self, shape, predicate):
        values = list(self.shapes.objects(shape, predicate))
        if len(values) > 1:
            raise Untranslatable(f"{shape}: {len(values)} values of {predicate}")
        return values[0] if values else None

    def members(self, head) -> list:
        return list(self.shapes.items(head))

    def check_known(self, shape) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if predicate in DESCRIPTIVE or predicate in VALUE_CONSTRAINTS or predicate in PROPERTY_CONSTRAINTS:
                continue
            if predicate == SH.severity and self.one(shape, SH.severity) == SH.Violation:
                continue
            raise Untranslatable(f"{shape}: {predicate} is not translated")

    # --- a shape applied to a node: a SPARQL expression true when the node violates it ---

    def violates(self, shape, node: str) -> str:
        """An expression, true when `node` (a variable or a term) violates `shape`."""
        if shape in self.within:  # sh:node (or sh:property...) leading back to itself
            raise Untranslatable(f"{shape}: a recursive shape")
        self.check_known(shape)
        self.within.append(shape)
        try:
            if (shape, SH.path, None) in self.shapes:
                return self.property_violated(shape, node)
            return self.value_violated(shape, node)
        finally:
            self.within.pop()

    def value_violated(self, shape, node: str) -> str:
        """The constraints on the node itself (a node shape, or each value of a property shape)."""
        shapes, parts = self.shapes, []
        if (cls := self.one(shape, SH["class"])) is not None:
            self.typed.add((node, str(cls)))
            parts.append(f"NOT EXISTS {{ {node} {INSTANCE} {sparql_term(cls)} }}")
        if (datatype := self.one(shape, SH.datatype)) is not None:
            parts.append(f"!({self.of_datatype(datatype, node)})")
        if (kind := self.one(shape, SH.nodeKind)) is not None:
            if kind not in KINDS:
                raise Untranslatable(f"{shape}: sh:nodeKind {kind}")
            parts.append(f"!{KINDS[kind].format(node)}")
        if (least := self.one(shape, SH.minLength)) is not None:
            parts.append(f"(isBlank({node}) || STRLEN(STR({node})) < {int(least)})")
        if (most := self.one(shape, SH.maxLength)) is not None:
            parts.append(f"(isBlank({node}) || STRLEN(STR({node})) > {int(most)})")
        if (pattern := self.one(shape, SH.pattern)) is not None:
            flags = self.one(shape, SH.flags)
            flags_part = f", {string(str(flags))}" if flags is not None else ""
            parts.append(f"(isBlank({node}) || !REGEX(STR({node}), {string(str(pattern))}{flags_part}))")
        if (allowed := self.one(shape, SH["in"])) is not None:
            listed = " || ".join(f"sameTerm({node}, {sparql_term(v)})" for v in self.members(allowed))
            parts.append(f"!({listed or 'false'})")
        if (shape, SH.path, None) not in shapes and (value := self.one(shape, SH.hasValue)) is not None:
            parts.append(f"!sameTerm({node}, {sparql_term(value)})")
        for nested in shapes.objects(shape, SH.node):
            parts.append(self.violates(nested, node))
        for nested in shapes.objects(shape, SH["not"]):
            parts.append(f"COALESCE(!({self.violates(nested, node)}), true)")
        for head in shapes.objects(shape, SH["and"]):
            parts.extend(self.violates(member, node) for member in self.members(head))
        for head in shapes.objects(shape, SH["or"]):
            parts.append("(" + " && ".join(self.violates(member, node) for member in self.members(head)) + ")")
        for head in shapes.objects(shape, SH.xone):
            conforming = " + ".join(f"IF(COALESCE({self.violates(member, node)}, true), 0, 1)" for member in self.members(head))
            parts.append(f"(({conforming}) != 1)")
        for nested in shapes.objects(shape, SH.property):
            parts.append(self.violates(nested, node))
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def of_datatype(self, datatype, node: str) -> str:
        test = f"isLiteral({node}) && sameTerm(DATATYPE({node}), <{written_datatype(datatype)}>)"
        if str(datatype).startswith(XSD_):
            if datatype not in LEXICAL:
                raise Untranslatable(f"sh:datatype {datatype}: its lexical forms are not known here")
            if (lexical := LEXICAL[datatype]) is not None:
                test += f" && REGEX(STR({node}), {string(lexical)})"
            if datatype in CAST:
                test += f" && COALESCE(isLiteral(<{datatype}>(STR({node}))), false)"
        # another datatype (okg:OfstedURN): rdflib knows no lexical rule for it, so neither
        # does pySHACL, which checks the datatype's IRI alone
        return test

    def path(self, shape, subject: str, value: str) -> str:
        step = self.one(shape, SH.path)
        if isinstance(step, URIRef):
            return self.step(subject, step, value)
        if isinstance(step, BNode):
            inverse = self.one(step, SH.inversePath)
            if isinstance(inverse, URIRef) and len(list(self.shapes.predicate_objects(step))) == 1:
                return self.step(subject, inverse, value, inverse=True)
        raise Untranslatable(f"{shape}: a path other than a predicate or its inverse")

    def distinct_values(self, shape, node: str, how_many: int, conforming_to=None) -> str:
        """A pattern matching `how_many` different values of the path at `node` (each
        conforming to the shape `conforming_to`, if given)."""
        names = [self.fresh() for _ in range(how_many)]
        pattern = " ".join(self.path(shape, node, name) for name in names)
        tests = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
        if conforming_to is not None:
            tests += [f"!COALESCE({self.violates(conforming_to, name)}, true)" for name in names]
        return pattern + (f" FILTER({' && '.join(tests)})" if tests else "")

    def property_violated(self, shape, node: str) -> str:
        shapes, parts = self.shapes, []
        if (least := self.one(shape, SH.minCount)) is not None and int(least) > 0:
            parts.append(f"NOT EXISTS {{ {self.distinct_values(shape, node, int(least))} }}")
        if (most := self.one(shape, SH.maxCount)) is not None:
            parts.append(f"EXISTS {{ {self.distinct_values(shape, node, int(most) + 1)} }}")
        if (value := self.one(shape, SH.hasValue)) is not None:
            parts.append(f"NOT EXISTS {{ {self.path(shape, node, sparql_term(value))} }}")
        if (qualified := self.one(shape, SH.qualifiedValueShape)) is not None:
            if self.one(shape, SH.qualifiedValueShapesDisjoint) not in (None, Literal(False)):
                raise Untranslatable(f"{shape}: sh:qualifiedValueShapesDisjoint")
            if (least := self.one(shape, SH.qualifiedMinCount)) is not None and int(least) > 0:
                parts.append(f"NOT EXISTS {{ {self.distinct_values(shape, node, int(least), qualified)} }}")
            if (most := self.one(shape, SH.qualifiedMaxCount)) is not None:
                parts.append(f"EXISTS {{ {self.distinct_values(shape, node, int(most) + 1, qualified)} }}")
        for other in shapes.objects(shape, SH.equals):
            value = self.fresh()
            parts.append(
                f"EXISTS {{ {self.path(shape, node, value)} FILTER NOT EXISTS {{ {self.step(node, other, value)[:-2]} }} }}"
            )
            parts.append(
                f"EXISTS {{ {self.step(node, other, value)[:-2]} FILTER NOT EXISTS {{ {self.path(shape, node, value)} }} }}"
            )
        for other in shapes.objects(shape, SH.disjoint):
            value = self.fresh()
            parts.append(f"EXISTS {{ {self.path(shape, node, value)} {self.step(node, other, value)} }}")
        for comparison, operator in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in shapes.objects(shape, comparison):
                value, bound = self.fresh(), self.fresh()
                # values of one datatype, compared as decimals (see AS_WRITTEN): others are
                # flagged, to be judged by pySHACL
                parts.append(
                    f"EXISTS {{ {self.path(shape, node, value)} {self.step(node, other, bound)} "
                    f"FILTER(!COALESCE(sameTerm(DATATYPE({value}), DATATYPE({bound})) && "
                    f"<{XSD.decimal}>(STR({value})) {operator} <{XSD.decimal}>(STR({bound})), false)) }}"
                )
        value = self.fresh()
        if (each := self.value_violated(shape, value)) != "false":
            parts.append(f"EXISTS {{ {self.path(shape, node, value)} FILTER(COALESCE({each}, true)) }}")
        return "(" + " || ".join(parts) + ")" if parts else "false"


def focus_nodes(shapes: Graph, shape) -> str:
    targets = sorted(shapes.objects(shape, SH.targetClass), key=str)  # IRIs (checked below): by their text
    if not targets or any(not isinstance(t, URIRef) for t in targets):
        raise Untranslatable(f"{shape}: a target other than sh:targetClass")
    return " UNION ".join(f"{{ ?this {INSTANCE} <{t}> }}" for t in targets)


def other_targets(shapes: Graph) -> None:
    for target in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        if (None, target, None) in shapes:
            raise Untranslatable(f"a shape targets by {target}")
    # A shape that is also a class targets that class's instances without saying so (SHACL
    # 2.1.3.3): pySHACL checks them, and only sh:targetClass is translated here.
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if any((shape, RDF.type, cls) in shapes for cls in (RDFS.Class, OWL.Class)):
                raise Untranslatable(f"{shape}: a shape that is also a class (an implicit class target)")


def reads(shapes: Graph, targeted: Iterable[URIRef]) -> dict[URIRef, Reads]:
    """What each shape's query (`queries`) reads, from the same translation. Raises Untranslatable."""
    found = {}
    for shape in targeted:
        translation = Translation(shapes)
        translation.violates(shape, "?this")
        focus_nodes(shapes, shape)  # the target: only sh:targetClass, whose rdf:type of ?this is read
        targets = frozenset(str(t) for t in shapes.objects(shape, SH.targetClass))
        typed = translation.typed | {("?this", target) for target in targets}
        found[shape] = Reads(frozenset(translation.steps), frozenset(typed), targets)
    return found


def bounded(query: str, focus: Iterable[str]) -> str:
    """`query` (of `queries`) asked of the focus nodes `focus` (IRIs) alone."""
    head = "SELECT DISTINCT ?this WHERE { "
    assert query.startswith(head), query
    return head + "VALUES ?this { " + " ".join(f"<{iri}>" for iri in focus) + " } " + query[len(head) :]


def queries(shapes: Graph, targeted: Iterable[URIRef]) -> dict[URIRef, str]:
    """One SELECT query per shape of `targeted`: the focus nodes that violate it (at most one
    of each: where pySHACL must be asked, it says how often). Raises Untranslatable."""
    other_targets(shapes)
    if (None, SH.deactivated, None) in shapes:
        raise Untranslatable("a shape is deactivated")
    found = {}
    for shape in targeted:
        violated = Translation(shapes).violates(shape, "?this")
        found[shape] = (
            f"SELECT DISTINCT ?this WHERE {{ {focus_nodes(shapes, shape)} FILTER(COALESCE({violated}, true)) }} LIMIT 1"
        )
    return found


@lru_cache(maxsize=1)
def graph_wide_queries() -> dict[URIRef, str] | None:
    """The graph-wide shapes' queries, or None when some shape cannot be translated."""
    from .validate import graph_wide_shapes, shapes_and_ontology

    try:
        return queries(shapes_and_ontology()[0], graph_wide_shapes())
    except Untranslatable:
        return None


def violated(store, shape_queries: dict[URIRef, str]) -> Iterator[tuple[URIRef, str]]:
    """(shape, focus node) for each shape some node of `store` (a pyoxigraph Store) violates.
    Each query is asked with its instance tests put as plain rdf:type patterns over the
    store's own class hierarchy (`Hierarchy.plain`)."""
    hierarchy = Hierarchy(store)
    for shape, query in shape_queries.items():
        for row in store.query(hierarchy.plain(query)):
            yield shape, row["this"].value


INSTANCE_TEST = re.compile(r"(\?\w+|<[^<>\s]*>) " + re.escape(INSTANCE) + r" <([^<>\s]*)>")


class Hierarchy:
    """The rdfs:subClassOf triples of a store's default graph (what its queries read), read
    just before they are asked."""

    def __init__(self, store) -> None:
        import pyoxigraph as ox

        self.below: dict[str, list] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS_IRI), None, ox.DefaultGraph()):
            self.below.setdefault(quad.object.value, []).append(quad.subject)
        self.closures: dict[str, list | None] = {}

    def classes(self, cls: str) -> list[str] | None:
        """`cls` and every class below it (rdfs:subClassOf*, cycles and all), sorted; None when
        one of them is a blank node, which a query's text cannot name."""
        if cls not in self.closures:
            import pyoxigraph as ox

            seen, waiting, named = {cls}, [cls], True
            while waiting:
                for child in self.below.get(waiting.pop(), ()):
                    named = named and isinstance(child, ox.NamedNode)
                    if child.value not in seen:
                        seen.add(child.value)
                        waiting.append(child.value)
            self.closures[cls] = sorted(seen) if named else None
        return self.closures[cls]

    def plain(self, query: str) -> str:
        """`query` (of `queries`) with each instance test, `node rdf:type/rdfs:subClassOf* C`,
        put as `node rdf:type ?c` with ?c one of C and the classes below it in this store:
        the same answers (SPARQL's path is exactly that), for a third to a half of the time
        on pyoxigraph, which otherwise walks the path from every type it finds."""
        names = count()

        def plain_test(test: re.Match) -> str:
            node, cls = test.groups()
            classes = self.classes(cls)
            if classes is None:
                return test.group(0)
            if len(classes) == 1:
                return f"{node} <{TYPE_IRI}> <{cls}>"
            variable = f"?instanceOf{next(names)}"  # one per test: a test inside EXISTS sees the outer bindings
            return f"{node} <{TYPE_IRI}> {variable} . VALUES {variable} {{ {' '.join(f'<{c}>' for c in classes)} }}"

        return INSTANCE_TEST.sub(plain_test, query)


IRI_IN_QUERY = re.compile(r"<([^<>\s]*)>")
TYPE_IRI = str(RDF.type)
SUBCLASS_IRI = str(RDFS.subClassOf)


@dataclass(frozen=True)
class Reach:
    """What some shapes' queries can read of a graph. Every triple pattern they hold names its
    predicate (a path step, or rdf:type/rdfs:subClassOf* towards a named class): so a triple
    whose predicate no query names, or an rdf:type whose class is no subclass of a class a
    query names, can change no answer, and the store the queries run on need not hold it. The
    statements' evidence (their quotes, offsets and sources: a third of the England graph)
    is such: the document-local shapes checked it when the document was read."""

    predicates: frozenset[str]  # every IRI the queries' text holds (a superset of their predicates)
    all_types: bool  # rdf:type is a path step itself: every rdf:type triple may count

    def classes(self, subclass_edges: Iterable[tuple[str, str]]) -> set[str]:
        """The classes whose instances the queries may see: the named ones and their subclasses
        (from the graph's own rdfs:subClassOf, the ontology's among them)."""
        below: dict[str, list[str]] = {}
        for child, parent in subclass_edges:
            below.setdefault(parent, []).append(child)
        seen, waiting = set(self.predicates), list(self.predicates)
        while waiting:
            for child in below.get(waiting.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    waiting.append(child)
        return seen

    def classes_in(self, keyed: dict) -> set[str]:
        """`classes` by the rdfs:subClassOf triples of `keyed` (triples under turtle.order keys)."""
        return self.classes(subclass_edges(keyed))

    def kept(self, keyed: dict, classes: set[str] | None = None) -> list[tuple[tuple, object]]:
        """(key, triple) of each triple of `keyed` (under its turtle.order key) the queries can
        read; `classes` as `classes_in(keyed)` gives them, if known."""
        predicates = self.predicates
        if self.all_types:
            return [item for item in keyed.items() if not item[0][1] or item[0][2] in predicates]
        classes = self.classes_in(keyed) if classes is None else classes
        return [item for item in keyed.items() if (item[0][4] in classes if not item[0][1] else item[0][2] in predicates)]

    def reads_key(self, key: tuple, classes: set[str]) -> bool:
        """Whether the queries can read the triple under `key` (turtle.order's), `classes` as for `kept`."""
        if key[1]:
            return key[2] in self.predicates
        return self.all_types or key[4] in classes

    def reads(self, triple, classes: set[str]) -> bool:
        """Whether the queries can read `triple` (pyoxigraph's), `classes` as for `kept`."""
        predicate = triple.predicate.value
        if predicate != TYPE_IRI:
            return predicate in self.predicates
        return self.all_types or triple.object.value in classes


def reach(shape_queries: Iterable[str]) -> Reach:
    mentioned: set[str] = set()
    all_types = False
    for query in shape_queries:
        mentioned.update(IRI_IN_QUERY.findall(query))
        all_types = all_types or TYPE_IRI in IRI_IN_QUERY.findall(query.replace(INSTANCE, ""))
    return Reach(frozenset(mentioned), all_types)


def subclass_edges(keyed: Iterable[tuple]) -> list[tuple[str, str]]:
    """(class, its superclass) of each rdfs:subClassOf triple among `keyed` (turtle.order keys)."""
    return [(key[0], key[4]) for key in keyed if key[2] == SUBCLASS_IRI and key[3] == 0]
