"""The landing page for people (/, with its JSON twin /index.json): what the dataset is, its
licence and sources, the dumps, the saved queries with a form each, and the SPARQL editor."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, send_from_directory, url_for

from ..linked_data import entity_pages
from ..query import solutions
from ..web import render
from . import dumps, type_lists

blueprint = Blueprint("pages", __name__)
LICENCE = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
TITLE = "Ofsted children's services knowledge graph"
DESCRIPTION = (
    "Ofsted's inspections of English councils' children's services as linked data: inspections, "
    "judgements, inspectors, directors, commissioners, findings, recommendations and statistics, "
    "every fact linked to the exact words it came from."
)
ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0 (Ofsted)."
SOURCES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX okg: <https://w3id.org/ofsted-kg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?document ?title ?issued ?publisher ?url ?licence ?rights {
  ?document a okg:SourceDocument ; dcterms:title ?title .
  OPTIONAL { ?document dcterms:issued ?issued } OPTIONAL { ?document dcterms:publisher/skos:prefLabel ?publisher }
  OPTIONAL { ?document dcterms:source ?url } OPTIONAL { ?document dcterms:license ?licence }
  OPTIONAL { ?document dcterms:rights ?rights }
} ORDER BY ?issued ?title"""


def summary() -> dict:
    service = current_app.extensions["ofsted_kg"]
    sources = solutions.values(service.graph, SOURCES)
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "licence": LICENCE,
        "attribution": ATTRIBUTION + " News articles and press releases are their publishers' copyright; "
        "the graph keeps short quotations from them as evidence.",
        "sparql": url_for("sparql.endpoint", _external=True),
        "queries": url_for("saved.catalogue_json", _external=True),
        "openapi": url_for("saved.openapi_json", _external=True),
        # every kind, written or not: while they are written in the background each answers 503
        # with Retry-After, and this page (cached or not) never waits for them
        "dumps": {k: url_for("dumps.download", kind=k, _external=True) for k in dumps.KINDS},
        "triples": len(service.graph),
        "sources": sources,
    }


@blueprint.route("/index.json")
def index_json():
    return jsonify(summary())


@blueprint.route("/")
def index():
    service = current_app.extensions["ofsted_kg"]
    html = render_template(
        "index.html",
        about=summary(),
        queries=service.queries.values(),
        names=service.names,
        councils=entity_pages.councils(),
        lists={name: (type_lists.LISTS[name].title, n) for name, n in type_lists.counts().items()},
    )
    return render.twin_link(Response(html, mimetype="text/html"), url_for("pages.index_json", _external=True))


@blueprint.route("/favicon.ico")
def favicon():
    """Every page links /static/favicon.svg; a browser showing an answer that is no page (JSON,
    Turtle) asks for /favicon.ico instead, and gets the same icon rather than a 404 in its console."""
    assert current_app.static_folder is not None  # Flask's default: server/static
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
