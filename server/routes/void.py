"""/.well-known/void: the dataset described in VoID and DCAT, for the running deployment.

VoID (https://www.w3.org/TR/void/, section 7.2 for the well-known path): the dataset, its
size, SPARQL endpoint, dumps, example resources, URI space, vocabularies, and one
void:Linkset per target dataset and link predicate with its size. DCAT 3
(https://www.w3.org/TR/vocab-dcat-3/): the same dataset with a dcat:Distribution per dump
(download URL, IANA media type, byte size of the prepared file) and a dcat:DataService for
the endpoint. Served here, not built into the graph, because URLs and byte sizes belong to
the deployment. Everything about the data comes from the graph through
`service.graph.query()` only (it may be a remote endpoint); the target datasets are those
ontology/reference.ttl describes with a void:uriSpace.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from ofsted_kg.graph.model.keys import slug
from ofsted_kg.graph.rdf.namespaces import BASE, ID, OGL, PREFIXES, bind_prefixes

from ..query.solutions import rows
from ..web import render
from . import dumps
from .landing import ATTRIBUTION, DESCRIPTION, TITLE

blueprint = Blueprint("void", __name__)
IANA = "https://www.iana.org/assignments/media-types/"
DATASET = ID["dataset/ofsted-kg"]
CREATOR = ID["agent/ofsted-kg-contributors"]
PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("okg", "rdf", "dcterms", "owl", "skos", "rdfs", "foaf", "void"))
# The predicates that link out (docs/data-model.md, "Links out"); counted per target dataset.
LINK_PREDICATES = "owl:sameAs skos:exactMatch skos:closeMatch rdfs:seeAlso dcterms:spatial foaf:homepage dcterms:references"

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LINKSETS = (
    PROLOGUE
    + f"""SELECT ?target ?title ?space ?predicate (COUNT(*) AS ?n) WHERE {{
  ?target void:uriSpace ?space ; dcterms:title ?title .
  VALUES ?predicate {{ {LINK_PREDICATES} }}
  ?s ?predicate ?o .
  FILTER(isIRI(?o) && STRSTARTS(STR(?o), ?space) && STRSTARTS(STR(?s), "{ID}"))
  FILTER NOT EXISTS {{ ?s a void:Dataset }}
}} GROUP BY ?target ?title ?space ?predicate ORDER BY ?target ?predicate"""
)
EXAMPLES = (
    PROLOGUE
    + """SELECT ?s WHERE {
  { SELECT (MIN(?c) AS ?s) WHERE { ?c a okg:LocalAuthority ; okg:gssCode "E06000021" } }
  UNION { SELECT (MIN(?i) AS ?s) WHERE { ?i a okg:ILACSInspection } }
  UNION { SELECT (MIN(?d) AS ?s) WHERE { ?d a okg:InspectionReport } }
}"""
)
PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
# When the data was last updated and from which catalogues (a fetch's catalogue.csv, ...): the
# build states it on the dataset's node from its inputs (graph/build.py, describe_dataset).
PROVENANCE = (
    PROLOGUE
    + f"""PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?p ?o ?title WHERE {{
  VALUES ?p {{ dcterms:modified prov:wasDerivedFrom }}
  <{DATASET}> ?p ?o .
  OPTIONAL {{ ?o dcterms:title ?title }}
}}"""
)
PUBLISHERS = (
    PROLOGUE
    + """SELECT DISTINCT ?publisher ?name WHERE {
  ?document a okg:SourceDocument ; dcterms:publisher ?publisher . ?publisher skos:prefLabel ?name
} ORDER BY ?name"""
)


def select(text: str) -> list[dict]:
    """Rows of a SELECT on the served graph, as {variable: pyoxigraph term or None}."""
    return rows(current_app.extensions["ofsted_kg"].graph, text)


def value(term) -> str:
    return term.value


def describe(base: str) -> Graph:
    """The description of the dataset served at `base` (the deployment's root URL, no slash)."""
    service = current_app.extensions["ofsted_kg"]
    g = bind_prefixes(Graph())
    add = g.add
    add((DATASET, RDF.type, VOID.Dataset))
    add((DATASET, RDF.type, DCAT.Dataset))
    add((DATASET, DCTERMS.title, Literal(TITLE, lang="en")))
    add((DATASET, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    add((DATASET, DCTERMS.license, URIRef(OGL)))
    add((DATASET, DCTERMS.creator, CREATOR))
    add((DATASET, DCTERMS.publisher, CREATOR))
    add((CREATOR, RDF.type, FOAF.Agent))
    add((CREATOR, FOAF.name, Literal("ofsted-kg contributors")))
    add((DATASET, DCTERMS.source, ID["org/ofsted"]))
    add((DATASET, DCAT.landingPage, URIRef(base + "/")))
    rights = ID["dataset/ofsted-kg/rights"]
    add((DATASET, DCTERMS.rights, rights))
    add((rights, RDF.type, DCTERMS.RightsStatement))
    publishers = select(PUBLISHERS)
    credited = ", ".join(value(p["name"]) for p in publishers)
    add(
        (
            rights,
            RDFS.label,
            Literal(
                f"{ATTRIBUTION} Quotations from news articles and press releases remain "
                f"their publishers' copyright. Publishers of the source documents: {credited}.",
                lang="en",
            ),
        )
    )
    for p in publishers:  # credited: each holds the rights in the words quoted from its documents
        add((rights, DCTERMS.rightsHolder, URIRef(value(p["publisher"]))))
        add((URIRef(value(p["publisher"])), FOAF.name, Literal(value(p["name"]))))
    add((DATASET, VOID.triples, Literal(int(value(select(COUNT)[0]["n"])), datatype=XSD.integer)))
    add((DATASET, VOID.uriSpace, Literal(str(ID))))
    endpoint = URIRef(base + url_for("sparql.endpoint"))
    add((DATASET, VOID.sparqlEndpoint, endpoint))
    for row in select(EXAMPLES):
        if row["s"] is not None:
            add((DATASET, VOID.exampleResource, URIRef(value(row["s"]))))
    for namespace in vocabularies():
        add((DATASET, VOID.vocabulary, URIRef(namespace)))
    for row in select(PROVENANCE):
        if isinstance(row["o"], ox.Literal):
            add((DATASET, URIRef(value(row["p"])), Literal(row["o"].value, datatype=URIRef(row["o"].datatype.value))))
        else:
            add((DATASET, URIRef(value(row["p"])), URIRef(value(row["o"]))))
            if row["title"] is not None:
                add((URIRef(value(row["o"])), DCTERMS.title, Literal(value(row["title"]))))
    _distributions(g, base, dumps.written(service.dumps, wait=0))  # never waits: see _distributions
    service_node = URIRef(endpoint + "#service")
    add((service_node, RDF.type, DCAT.DataService))
    add((service_node, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    add((service_node, DCAT.endpointURL, endpoint))
    add((service_node, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((service_node, DCAT.servesDataset, DATASET))
    _linksets(g)
    return g


def vocabularies() -> list[str]:
    """The namespaces of the predicates the graph uses, where the prefix table names them."""
    used = {value(r["p"]) for r in select(PREDICATES)}
    known = sorted({str(ns) for ns in PREFIXES.values() if not str(ns).startswith(BASE + "id/")}, key=len, reverse=True)
    return sorted({next(ns for ns in known if p.startswith(ns)) for p in used if any(p.startswith(ns) for ns in known)})


def _distributions(g: Graph, base: str, written: dict) -> None:
    """Every dump the server offers, written or not: while they are written in the background
    (minutes at 10x England) each URL answers 503 with Retry-After, and a description without
    its void:dataDump and dcat:distribution would not conform to description-shapes.ttl. Only
    the byte size waits for the file."""
    for kind, fmt in dumps.KINDS.items():
        url = URIRef(base + url_for("dumps.download", kind=kind))
        node = URIRef(f"{DATASET}/distribution/{kind}")
        g.add((DATASET, VOID.dataDump, url))
        g.add((DATASET, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f"The whole graph as {fmt.media_type}", lang="en")))
        g.add((node, DCAT.downloadURL, url))
        g.add((node, DCAT.accessURL, url))
        g.add((node, DCAT.mediaType, URIRef(IANA + fmt.media_type)))
        if (dump := written.get(kind)) is not None:
            g.add((node, DCAT.byteSize, Literal(dump.path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.license, URIRef(OGL)))


def _linksets(g: Graph) -> None:
    """One void:Linkset per target dataset and link predicate, sized by counting in the graph."""
    for row in select(LINKSETS):
        target, predicate = URIRef(value(row["target"])), URIRef(value(row["predicate"]))
        name = predicate.split("#")[-1].split("/")[-1]
        linkset = URIRef(f"{DATASET}/linkset/{value(row['target']).rsplit('/', 1)[-1]}/{slug(name)}")
        g.add((DATASET, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, DATASET))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(int(value(row["n"])), datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal(value(row["title"]), lang="en")))
        g.add((target, VOID.uriSpace, Literal(value(row["space"]))))


@blueprint.route("/.well-known/void")
def well_known():
    fmt = render.negotiate("DESCRIBE", request.args.get("format"))
    base = request.host_url.rstrip("/")  # BASE_URL's (public_url.py), never the client's Host
    # A version of the graph, its dumps and BASE_URL do not change while it is served: describe it
    # once, but not while the dumps are written in the background (they join the description then).
    service = current_app.extensions["ofsted_kg"]
    if service.dataset_description is None or service.dataset_description[0] != base:
        complete = not isinstance(service.dumps, dumps.Pending) or service.dumps.done.is_set()  # before, not after
        described = (base, describe(base))
        if complete:
            service.dataset_description = described
    else:
        described = service.dataset_description
    description = described[1]
    if fmt.key == "html":
        twin = url_for("void.well_known", format="ttl")
        html = render_template(
            "void.html", title="Dataset description (VoID and DCAT)", turtle=description.serialize(format="turtle"), twin=twin
        )
        response = render.twin_link(Response(html, mimetype="text/html"), twin, "text/turtle")
    else:
        response = Response(description.serialize(format=fmt.media_type), mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
