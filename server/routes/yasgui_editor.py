"""What the SPARQL page gives YASGUI (vendored in static/, see static/yasgui.LICENSE.txt): the
endpoint, the project's prefixes, and each saved query as an example tab.

A template global, so the page that draws the editor (templates/editor.html) needs no more
from the route that renders it. The saved queries go in as they are on disk: their `#+`
header is SPARQL comments, and their VALUES row is UNDEF, so each runs as it stands.
"""

from __future__ import annotations

from flask import Blueprint, current_app, url_for

from ofsted_kg.graph.rdf.namespaces import PREFIXES

blueprint = Blueprint("yasgui_editor", __name__)
FIRST_QUERY = """SELECT ?council ?name ?start ?grade WHERE {
  ?judgement okg:inspection ?inspection ; okg:judgementArea ?area ; okg:grade/skos:prefLabel ?grade .
  VALUES ?area { sifarea:overall ilacsarea:overall }
  ?inspection okg:localAuthority ?council ; okg:startDate ?start .
  ?council skos:prefLabel ?name .
} ORDER BY DESC(?start) ?name"""


@blueprint.app_template_global()
def yasgui_config() -> dict:
    service = current_app.extensions["ofsted_kg"]
    prologue = "".join(
        f"PREFIX {p}: <{ns}>\n"
        for p, ns in PREFIXES.items()
        if p in ("okg", "skos", "sifarea", "ilacsarea", "dcterms", "foaf", "oa", "org", "xsd")
    )
    return {
        "endpoint": url_for("sparql.endpoint", _external=True),
        "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
        "first": prologue + FIRST_QUERY,
        "examples": [{"name": q.name, "title": q.title, "query": q.text} for q in service.queries.values()],
    }
