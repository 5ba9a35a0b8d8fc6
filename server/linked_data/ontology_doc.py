"""The ontology documented for people: every class, property and datatype of ontology/ontology.ttl
with its label, definition, place in the hierarchy and the SHACL constraints that apply
(shapes.ttl), with real examples from the served graph, and the SKOS schemes of concepts.ttl.

The files are read with rdflib; the examples come from the served graph through
`service.graph.query()` only, three queries in all whatever the number of terms (the England
graph has some 750,000 triples).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ofsted_kg.graph.rdf.namespaces import BASE, bind_prefixes
from ofsted_kg.graph.rdf.validate import CONCEPTS, ONTOLOGY, SHAPES

SCHEMA_DOMAIN = URIRef("https://schema.org/domainIncludes")
KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    RDFS.Datatype: "datatype",
}
CONSTRAINTS = [
    (SH.minCount, "at least"),
    (SH.maxCount, "at most"),
    (SH.datatype, "datatype"),
    (SH["class"], "class"),
    (SH.nodeKind, "node kind"),
    (SH.pattern, "pattern"),
    (SH.hasValue, "value"),
    (SH.node, "shape"),
    (SH.minLength, "min length"),
    (SH.lessThan, "less than"),
    (SH.equals, "equals"),
]


@dataclass
class Constraint:
    shape: str  # the node shape, prefixed: okgsh:JudgementShape
    target: str  # the class it targets
    path: str
    rules: list[str]
    message: str


@dataclass
class Term:
    iri: str
    name: str  # prefixed name, okg:Judgement
    anchor: str  # the local name, for #fragment links
    kind: str
    label: str
    definition: str
    parents: list[str] = field(default_factory=list)  # superclasses or superproperties
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    instances: int = 0
    examples: list[tuple] = field(default_factory=list)  # class: (IRI,), property: (subject, object)


@dataclass
class Scheme:
    iri: str
    label: str
    definition: str
    concepts: list[dict]


class Documentation:
    def __init__(self):
        self.ontology = bind_prefixes(Graph()).parse(ONTOLOGY)
        self.shapes = bind_prefixes(Graph()).parse(SHAPES)
        self.concepts = bind_prefixes(Graph()).parse(CONCEPTS)
        self.shapes.bind("okgsh", BASE + "def/shapes#")
        self.terms = self._terms()
        self.schemes = self._schemes()
        self.title = str(self.ontology.value(URIRef(BASE + "def"), URIRef("http://purl.org/dc/terms/title")))
        self.description = str(self.ontology.value(URIRef(BASE + "def"), URIRef("http://purl.org/dc/terms/description")))

    def name(self, term) -> str:
        if isinstance(term, Literal):
            return str(term)
        try:
            return self.shapes.namespace_manager.normalizeUri(term) if isinstance(term, URIRef) else str(term)
        except ValueError:
            return str(term)

    def _terms(self) -> list[Term]:
        g = self.ontology
        terms = []
        for kind, word in KINDS.items():
            for iri in sorted(set(g.subjects(RDF.type, kind))):
                if not isinstance(iri, URIRef) or not str(iri).startswith(BASE):
                    continue
                parents = list(g.objects(iri, RDFS.subClassOf)) + list(g.objects(iri, RDFS.subPropertyOf))
                domain = list(g.objects(iri, RDFS.domain)) + list(g.objects(iri, SCHEMA_DOMAIN))
                terms.append(
                    Term(
                        str(iri),
                        self.name(iri),
                        str(iri).split("#")[-1],
                        word,
                        str(g.value(iri, RDFS.label) or ""),
                        " ".join(str(g.value(iri, RDFS.comment) or "").split()),
                        sorted(self.name(p) for p in parents),
                        sorted(self.name(d) for d in domain),
                        sorted(self.name(r) for r in g.objects(iri, RDFS.range)),
                    )
                )
        constraints = self._constraints()
        for term in terms:
            term.constraints = [c for c in constraints if term.name in (c.target, c.path)]
        return sorted(terms, key=lambda t: (list(KINDS.values()).index(t.kind), t.name.lower()))

    def _constraints(self) -> list[Constraint]:
        s = self.shapes
        found = []
        for shape in sorted(set(s.subjects(SH.targetClass, None))):
            for target in sorted(s.objects(shape, SH.targetClass)):
                for prop in s.objects(shape, SH.property):
                    path = s.value(prop, SH.path)
                    inverse = s.value(path, SH.inversePath) if path is not None and not isinstance(path, URIRef) else None
                    rules = [f"{word} {self.name(v)}" for p, word in CONSTRAINTS for v in s.objects(prop, p)]
                    found.append(
                        Constraint(
                            self.name(shape),
                            self.name(target),
                            f"^{self.name(inverse)}" if inverse is not None else self.name(path),
                            rules,
                            str(s.value(prop, SH.message) or ""),
                        )
                    )
        return sorted(found, key=lambda c: (c.shape, c.target, c.path))

    def _schemes(self) -> list[Scheme]:
        c = self.concepts
        schemes = []
        for scheme in sorted(set(c.subjects(RDF.type, SKOS.ConceptScheme))):
            members = []
            for concept in sorted(set(c.subjects(SKOS.inScheme, scheme))):
                members.append(
                    {
                        "iri": str(concept),
                        "label": str(c.value(concept, SKOS.prefLabel) or ""),
                        "definition": str(c.value(concept, SKOS.definition) or ""),
                        "alt": sorted(str(a) for a in c.objects(concept, SKOS.altLabel)),
                        "notations": sorted(
                            f"{n} ({self.name(n.datatype) if n.datatype else 'rank'})" for n in c.objects(concept, SKOS.notation)
                        )
                        + sorted(
                            f"{n} ({self.name(n.datatype)})" for n in c.objects(concept, URIRef(BASE + "def#statisticsNotation"))
                        ),
                    }
                )
            schemes.append(
                Scheme(
                    str(scheme), str(c.value(scheme, SKOS.prefLabel) or ""), str(c.value(scheme, SKOS.definition) or ""), members
                )
            )
        return schemes

    def with_examples(self, query) -> list[Term]:
        """The terms with instances and example triples from the served graph. `query` runs a
        SPARQL SELECT and returns rows of {variable: term}."""
        classes = [t for t in self.terms if t.kind == "class"]
        properties = [t for t in self.terms if t.kind.endswith("property")]
        values = " ".join(f"<{t.iri}>" for t in classes)
        counted = {
            r["class"].value: r
            for r in query(
                f"SELECT ?class (COUNT(?s) AS ?n) (MIN(STR(?s)) AS ?a) (MAX(STR(?s)) AS ?b) "
                f"WHERE {{ VALUES ?class {{ {values} }} ?s a ?class }} GROUP BY ?class"
            )
        }
        for t in classes:
            if row := counted.get(t.iri):
                t.instances = int(row["n"].value)
                t.examples = [(v,) for v in dict.fromkeys((row["a"].value, row["b"].value))]
        values = " ".join(f"<{t.iri}>" for t in properties)
        subjects = {
            r["p"].value: r["s"]
            for r in query(f"SELECT ?p (SAMPLE(?s) AS ?s) WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }} GROUP BY ?p")
            if isinstance(r["s"], ox.NamedNode)
        }
        if subjects:
            pairs = " ".join(f"(<{p}> <{s.value}>)" for p, s in subjects.items())
            objects = {
                r["p"].value: r
                for r in query(
                    f"SELECT ?p ?s (SAMPLE(?o) AS ?o) WHERE {{ VALUES (?p ?s) {{ {pairs} }} ?s ?p ?o }} GROUP BY ?p ?s"
                )
            }
            for t in properties:
                if row := objects.get(t.iri):
                    t.examples = [(row["s"].value, _shown(row["o"]))]
        return self.terms


def _shown(term) -> tuple[str, bool]:
    """An example's object: (text, is it an IRI)."""
    is_iri = isinstance(term, ox.NamedNode)
    text = term.value
    return (text if is_iri or len(text) <= 200 else text[:200] + "...", is_iri)
