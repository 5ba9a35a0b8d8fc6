"""The SPARQL service description: what /sparql answers to GET with no query.

https://www.w3.org/TR/sparql11-service-description/: the endpoint, the language (SPARQL 1.1
Query only: no update, no federation), the result formats, and the dataset (the default
graph's size, the named graphs). A browser gets the query editor instead, linking this.
"""

from __future__ import annotations

from flask import Response, current_app, render_template
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..web import negotiation

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
]
DEFAULT_GRAPH_SIZE = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


def graph(endpoint: str) -> Graph:
    service = current_app.extensions["ofsted_kg"]
    sd = Graph()
    sd.bind("sd", SD)
    sd.bind("void", VOID)
    me, dataset, default = URIRef(endpoint), BNode("dataset"), BNode("default")
    sd.add((me, RDF.type, SD.Service))
    sd.add((me, SD.endpoint, me))
    sd.add((me, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        sd.add((me, SD.resultFormat, FORMATS[name]))
    sd.add((me, SD.defaultDataset, dataset))
    sd.add((dataset, RDF.type, SD.Dataset))
    sd.add((dataset, SD.defaultGraph, default))
    sd.add((default, RDF.type, SD.Graph))
    # A SPARQL count, so an external store (serve --store) answers it the same way.
    triples = int(next(iter(service.graph.query(DEFAULT_GRAPH_SIZE)))["n"].value)
    sd.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for name in service.named_graphs():
        named = BNode()
        sd.add((dataset, SD.namedGraph, named))
        sd.add((named, SD.name, URIRef(name)))
    return sd


def respond(request) -> Response:
    endpoint = request.base_url.rstrip("/")
    accept = request.accept_mimetypes if request.headers.get("Accept") else None
    fmt = negotiation.negotiate("DESCRIBE", accept, request.args.get("format"))
    if fmt.key == "html":
        from ..web.render import twin_link

        html = render_template("editor.html", endpoint=endpoint)
        return twin_link(Response(html, mimetype="text/html"), f"{endpoint}?format=ttl", "text/turtle")
    body = graph(endpoint).serialize(format=fmt.media_type)  # rdflib knows its serialisers by media type
    response = Response(body, mimetype=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
