"""Lists by type, for browsing without a query: every inspection and visit, person, theme and
source document, a page at a time with the count (/inspections, /people, /themes, /documents;
each with a JSON twin, `.json`).

Each list is two of the server's own SPARQL queries: a COUNT for the total and the page's rows
(ORDER BY, LIMIT, OFFSET), so a page of the England graph reads 50 rows, not the whole list.
`?page=N` (from 1) pages; a page that is not a whole number, or past the last, is 400.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from ..linked_data import addresses, lookups
from ..web import render
from ..web.errors import BadParameter, echo

blueprint = Blueprint("lists", __name__)
PAGE_SIZE = 50
OVERALL_AREAS = "<https://w3id.org/ofsted-kg/def/sif-area/overall> <https://w3id.org/ofsted-kg/def/ilacs-area/overall>"


@dataclass(frozen=True)
class TypeList:
    title: str
    members: str  # the graph pattern binding ?item to each member
    rows: str  # SELECT ... WHERE { members and what the list shows } ORDER BY ...
    columns: tuple[tuple[str, str], ...]  # (variable, heading); the first links to ?item's page
    links: dict[str, str]  # variable -> the variable holding the IRI its cell links to
    about: str
    counts: tuple[str, ...] = ()  # variables that are counts: numbers in the JSON, right-aligned on the page


LISTS = {
    "inspections": TypeList(
        "Inspections and visits",
        "?item a okg:Inspection .",
        f"""SELECT ?item ?kind ?council ?councilLabel ?start ?overall WHERE {{
  ?item a okg:Inspection ; okg:localAuthority ?council ; okg:inspectionKind/skos:prefLabel ?kind .
  ?council skos:prefLabel ?councilLabel .
  OPTIONAL {{ ?item okg:startDate ?start }}
  OPTIONAL {{ ?judgement okg:inspection ?item ; okg:judgementArea ?area ; okg:grade/skos:prefLabel ?overall .
             VALUES ?area {{ {OVERALL_AREAS} }} }}
}} ORDER BY DESC(?start) ?councilLabel ?item""",
        (("kind", "inspection or visit"), ("councilLabel", "council"), ("start", "first day"), ("overall", "overall grade")),
        {"councilLabel": "council"},
        "Every inspection and visit in the graph, the latest first, with its council and, for a full inspection, "
        "its overall effectiveness grade.",
    ),
    "people": TypeList(
        "People",
        "?item a foaf:Person .",
        """SELECT ?item ?name (COUNT(DISTINCT ?membership) AS ?teams) (COUNT(DISTINCT ?tenure) AS ?posts) WHERE {
  ?item a foaf:Person ; foaf:name ?name .
  OPTIONAL { ?membership a okg:TeamMembership ; org:member ?item }
  OPTIONAL { ?tenure a okg:Tenure ; org:member ?item }
} GROUP BY ?item ?name ORDER BY ?name ?item""",
        (("name", "name"), ("teams", "inspection teams"), ("posts", "posts held")),
        {},
        "Everyone the reports name: inspectors on inspection teams, and the directors, lead members, chief "
        "executives and commissioners in post.",
        ("teams", "posts"),
    ),
    "themes": TypeList(
        "Themes",
        "?item skos:inScheme <https://w3id.org/ofsted-kg/def/theme> .",
        # Counted in subqueries: one OPTIONAL over both classes made pyoxigraph join every fact to every theme (20x slower).
        """SELECT ?item ?label (COALESCE(?f, 0) AS ?findings) (COALESCE(?r, 0) AS ?recommendations) WHERE {
  ?item skos:inScheme <https://w3id.org/ofsted-kg/def/theme> ; skos:prefLabel ?label .
  OPTIONAL { SELECT ?item (COUNT(?finding) AS ?f) WHERE { ?finding okg:theme ?item ; a okg:Finding } GROUP BY ?item }
  OPTIONAL { SELECT ?item (COUNT(?recommendation) AS ?r) WHERE { ?recommendation okg:theme ?item ; a okg:Recommendation } GROUP BY ?item }
} ORDER BY ?label""",
        (("label", "theme"), ("findings", "findings"), ("recommendations", "recommendations")),
        {},
        "The themes findings and recommendations are filed under, with how many of each the graph holds.",
        ("findings", "recommendations"),
    ),
    "documents": TypeList(
        "Documents",
        "?item a okg:SourceDocument .",
        """SELECT ?item ?title ?issued ?publisher WHERE {
  ?item a okg:SourceDocument ; dcterms:title ?title .
  OPTIONAL { ?item dcterms:issued ?issued }
  OPTIONAL { ?item dcterms:publisher/skos:prefLabel ?publisher }
} ORDER BY DESC(?issued) ?title ?item""",
        (("title", "title"), ("issued", "issued"), ("publisher", "publisher")),
        {},
        "The reports, letters and articles the graph was read from, the latest first; each page shows the "
        "extracted text with every quoted span marked.",
    ),
}


def count(name: str) -> int:
    rows = lookups.rows(f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {LISTS[name].members} }}")
    return int(rows[0]["n"]) if rows else 0


def page_of(name: str, page: int) -> dict:
    kind = LISTS[name]
    total = count(name)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        raise BadParameter(f"page: {page} is past the last page, {pages}", parameter="page")
    items = lookups.rows(f"{kind.rows} LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}")
    for item in items:
        item.update({c: int(item[c]) for c in kind.counts})
        item["page"] = addresses.local(item["item"])
        for column, iri in kind.links.items():
            item[f"{column}_page"] = addresses.local(item[iri]) if item.get(iri) else None
    return {"list": name, "title": kind.title, "total": total, "page": page, "pages": pages, "size": PAGE_SIZE, "items": items}


def _page_number() -> int:
    value = request.args.get("page", "1")
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 10**6:
        raise BadParameter(f"page: {echo(value)} is not a whole number from 1", parameter="page")
    return int(value)


@blueprint.route("/<any(inspections, people, themes, documents):name>.json")
def type_list_json(name: str):
    listed = page_of(name, _page_number())
    root = request.url_root.rstrip("/")
    for item in listed["items"]:
        for key in [k for k in item if k == "page" or k.endswith("_page")]:
            item[key] = root + item[key] if item[key] else None
    return jsonify(listed)


@blueprint.route("/<any(inspections, people, themes, documents):name>")
def type_list(name: str):
    listed = page_of(name, _page_number())
    html = render_template("type_list.html", listed=listed, kind=LISTS[name], lists=LISTS)
    twin = url_for("lists.type_list_json", name=name, page=listed["page"], _external=True)
    return render.twin_link(Response(html, mimetype="text/html"), twin)


def counts() -> dict[str, int]:
    """Each list's size, for the landing page's links."""
    return {name: count(name) for name in LISTS}
