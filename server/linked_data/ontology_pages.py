"""The ontology published: /ontology (HTML documentation), the Turtle files beside it, and /def.

/ontology.ttl, /concepts.ttl, /shapes.ttl and /description-shapes.ttl are the files of
ontology/ as they are. /def, the ontology's own IRI (its namespace is .../def#), answers by
Accept (https://www.w3.org/TR/swbp-vocab-pub/, recipe 3): 303 to /ontology for a browser, to
/ontology.ttl for an RDF client. The HTML page is generated once per process, on first request.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_file, url_for

from ofsted_kg.graph.rdf.namespaces import BASE
from ofsted_kg.graph.reference.vocabulary import ONTOLOGY_DIR

from ..query.solutions import rows
from ..web import negotiation, render
from ..web.formats import HTML
from .ontology_doc import Documentation

blueprint = Blueprint("ontology", __name__)
# Each file at its own route, under the endpoint name templates build its link from.
FILES = {
    "ontology_ttl": "ontology.ttl",
    "concepts_ttl": "concepts.ttl",
    "shapes_ttl": "shapes.ttl",
    "description_shapes": "description-shapes.ttl",
}


def _published(file: str):
    def send() -> Response:
        return send_file(ONTOLOGY_DIR / file, mimetype="text/turtle", conditional=True, max_age=3600)

    return send


for _endpoint, _file in FILES.items():
    blueprint.add_url_rule(f"/{_file}", _endpoint, _published(_file))


@blueprint.route("/def")
def namespace():
    # As /id/PATH chooses (the page on a tie), except that an Accept ruling out both still gets the page.
    wants_rdf = negotiation.choose(request.accept_mimetypes, default=HTML) is not HTML
    response = redirect(url_for("ontology.ontology_ttl" if wants_rdf else "ontology.page"), code=303)
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/ontology")
def page():
    service = current_app.extensions["ofsted_kg"]
    html = service.ontology_html
    if html is None:
        docs = Documentation()
        terms = docs.with_examples(lambda text: rows(service.graph, text))
        html = render_template(
            "ontology.html",
            title=docs.title,
            docs=docs,
            terms=terms,
            base=BASE,
            kinds=["class", "object property", "datatype property", "datatype"],
        )
        service.ontology_html = html
    return render.twin_link(Response(html, mimetype="text/html"), url_for("ontology.ontology_ttl"), "text/turtle")
