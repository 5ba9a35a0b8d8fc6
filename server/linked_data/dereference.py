"""Dereferenceable IRIs: /id/<path> -> 303 -> /doc/<path>, and /def/<scheme>/<key> concepts.

`/id/<path>` (the IRI BASE_IRI + "id/" + path) answers 303 See Other to its description:
`/doc/<path>` for a browser, `/doc/<path>.ttl` (`.nt`, `.jsonld`, `.rdf`) for a machine, by
Accept. `/doc/<path>[.suffix]` serves it: the suffix wins, else Accept (Vary: Accept).
Concepts (`/def/<scheme>/<key>`, a theme's page among them) are served at their own address
the same way. An IRI with no triple as subject is 404, a path no IRI has is 400, an Accept
that rules out every representation is 406; all in the server's one JSON error shape. The
IRI of a name variant merged into another person answers 301 to the kept IRI (merged_names.py).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from ofsted_kg.graph.rdf.namespaces import FOAF, OKG

from ..web import negotiation, render
from ..web.errors import NotFound, shorten
from ..web.formats import HTML, Format
from . import addresses, document_view, entity_description, entity_pages, lookups, merged_names, page_queries

blueprint = Blueprint("linked_data", __name__)
PAGES = {
    str(OKG.LocalAuthority): ("council.html", entity_pages.council),
    str(OKG.Inspection): ("inspection.html", entity_pages.inspection),
    str(FOAF.Person): ("person.html", entity_pages.person),
}
DOCUMENT = str(OKG.SourceDocument)
# Links in pages go to this server's page of an entity of the dataset, elsewhere unchanged.
blueprint.add_app_template_filter(addresses.local, "local")


@blueprint.route("/id/<path:path>")
def resolve(path: str):
    path, fmt = negotiation.split_suffix(path)
    if moved := _moved(path, "linked_data.resolve", fmt):
        return moved
    _require(addresses.entity_iri(path))
    fmt = fmt or negotiation.choose(request.accept_mimetypes)
    suffix = "" if fmt is HTML else "." + fmt.extension
    response = redirect(url_for("linked_data.doc", path=path + suffix), code=303)
    response.headers["Vary"] = "Accept"
    return response


@blueprint.route("/doc/<path:path>")
def doc(path: str):
    path, fmt = negotiation.split_suffix(path)
    entity = addresses.entity_iri(path)
    if moved := _moved(path, "linked_data.doc", fmt):
        return moved
    return _represent(entity, fmt, twin=lambda suffix: url_for("linked_data.doc", path=f"{path}.{suffix}"))


@blueprint.route("/def/<scheme>/<key>")
def concept(scheme: str, key: str):
    key, fmt = negotiation.split_suffix(key)
    entity = addresses.concept_iri(scheme, key)
    return _represent(entity, fmt, twin=lambda suffix: url_for("linked_data.concept", scheme=scheme, key=f"{key}.{suffix}"))


def _represent(entity: ox.NamedNode, fmt: Format | None, twin) -> Response:
    _require(entity)
    negotiated = fmt is None
    fmt = fmt or negotiation.choose(request.accept_mimetypes)
    if fmt is HTML:
        response = Response(_page(entity), mimetype="text/html")
        render.twin_link(response, twin("ttl"), "text/turtle")
    else:
        response = Response(entity_description.describe(entity, fmt), mimetype=fmt.media_type)
    if negotiated:
        response.headers["Vary"] = "Accept"
    return response


def _moved(path: str, endpoint: str, fmt: Format | None) -> WerkzeugResponse | None:
    """301 to the kept person's address when `path` is a merged name variant's and the graph has no
    entity of its own there."""
    entity = addresses.entity_iri(path)
    if not path.startswith(merged_names.PERSON) or lookups.ask(page_queries.EXISTS, entity=entity):
        return None
    kept = merged_names.kept_path(path)
    if kept is None:
        return None
    suffix = "." + fmt.extension if fmt is not None else ""
    return redirect(url_for(endpoint, path=kept + suffix), code=301)


def _require(entity: ox.NamedNode) -> None:
    if not lookups.ask(page_queries.EXISTS, entity=entity):
        raise NotFound(f"{shorten(entity.value)}: no such entity in this dataset")


def _page(entity: ox.NamedNode) -> str:
    types = {row["type"] for row in lookups.rows(page_queries.TYPES, entity=entity)}
    common = {"iri": entity.value, "twins": _twins(entity), "referenced_by": entity_pages.referenced_by(entity)}
    if DOCUMENT in types:
        context = document_view.context(entity, request.args.get("char"))
        return render_template("document.html", **context, **common)
    if entity.value.startswith(addresses.base() + "def/theme/"):
        return render_template("theme.html", **entity_pages.theme(entity), **common)
    for rdf_type, (template, gather) in PAGES.items():
        if rdf_type in types:
            return render_template(template, **gather(entity), **common)
    return render_template("entity.html", **entity_pages.generic(entity), **common)


def _twins(entity: ox.NamedNode) -> list[tuple[str, str]]:
    """The machine-readable descriptions of the page's entity: (name, link)."""
    page = addresses.local(entity.value)
    return [(fmt.media_type, f"{page}.{suffix}") for suffix, fmt in negotiation.SUFFIXES.items() if fmt is not HTML]
