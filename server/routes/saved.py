"""/queries: the saved-query catalogue (HTML and JSON), each query run by name, and /openapi.json.

/queries/<name>?param=value answers by Accept, or by suffix (.json, .csv, .tsv, .xml,
.html; .ttl, .nt, .jsonld for CONSTRUCT queries). Parameters are checked and bound by
catalogue.bind (400 naming the parameter); an unknown name is 404.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..query import guard, paging
from ..query.catalogue import SavedQuery
from ..web import negotiation, render, table_view
from ..web.errors import BadParameter
from ..web.formats import HTML, JSON_DOCUMENT
from . import openapi

blueprint = Blueprint("saved", __name__)
MAX_AGE = 300  # seconds a client may reuse a saved-query answer before revalidating


def describe(query: SavedQuery) -> dict:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": url_for("saved.run", name=query.name, _external=True),
        "params": {
            p.name: {
                "type": p.type,
                "required": p.required,
                "default": p.default,
                "example": p.example,
                "description": p.description,
            }
            for p in query.params
        },
        "tags": list(query.tags),
    }


@blueprint.route("/queries.json")
def catalogue_json():
    queries = current_app.extensions["ofsted_kg"].queries.values()
    return jsonify({"queries": [describe(q) for q in queries]})


@blueprint.route("/queries")
@blueprint.route("/queries.html")
def catalogue_html():
    if request.path == "/queries" and negotiation.prefers(request.accept_mimetypes, JSON_DOCUMENT, over=HTML):
        return catalogue_json()
    service = current_app.extensions["ofsted_kg"]
    html = render_template("queries.html", queries=service.queries.values(), names=service.names)
    return render.twin_link(Response(html, mimetype="text/html"), url_for("saved.catalogue_json", _external=True))


@blueprint.route("/queries/<name>")
@blueprint.route("/queries/<name>.<suffix>")
def run(name: str, suffix: str | None = None):
    if (moved := render.filter_redirect()) is not None:
        return moved
    service = current_app.extensions["ofsted_kg"]
    values, view = table_view.split({k: v for k, v in request.args.items() if k != "format"})
    paging_args = {k: values.pop(k) for k in paging.PARAMS if k in values}
    if view.given and paging_args:
        name_given = next(iter(paging_args))
        raise BadParameter(f"{name_given}: give limit and offset, or the table's _page and _size, not both", parameter=name_given)
    requested = suffix or request.args.get("format")
    accept = request.accept_mimetypes if request.headers.get("Accept") else None
    # A view (_page, _sort) is cut from the whole answer; otherwise the page is the query's own.
    entry, fmt, page = service.saved_entry(name, values, accept, requested, None if view.given else paging_args)
    query = service.queries[name]
    if view.given:  # else nothing to check (the query's form is looked at only then)
        table_view.check_applies(view, guard.inspect(query.text), fmt.key, request.args.to_dict())
    shown = {k: v for k, v in request.args.items() if table_view.is_view_parameter(k)}
    link_values: dict[str, Any] = {**values, **shown}  # url_for's own keywords are typed: these are query values
    # Only the HTML page shows its twin and links (url_for is a fair part of a cheap answer's time).
    page_only = fmt.key == "html"
    # A page with a next one is not cut short: its `truncated` means "more", said by rel="next".
    response = render.answer(
        replace(entry.answer, truncated=False) if page else entry.answer,
        fmt,
        title=query.title,
        twin=url_for("saved.run", name=name, suffix="json", _external=True, **link_values) if page_only else None,
        context={
            "saved": query,
            "values": values,
            "names": service.names,
            "shown": shown,
            "csv_link": url_for("saved.run", name=name, suffix="csv", **link_values),
        }
        if page_only
        else None,
    )
    reshaped = view.given and fmt.key in ("json", "csv")
    if reshaped:  # the CSV and JSON of a sorted, paged view: that view's rows, from the JSON answer
        as_json = entry if fmt.key == "json" else service.saved_entry(name, values, None, "json", None)[0]
        response.set_data(table_view.reshape(as_json.answer.body, fmt.key, view))
    if page is not None:
        shown_args = {k: v for k, v in request.args.items() if k not in paging.PARAMS}
        for link in paging.links(request.base_url, shown_args, page, entry.answer.truncated):
            response.headers.add("Link", link)
    elif fmt.key == "html" and not view.sort and not view.filters:
        # The table's page (unsorted, unfiltered) is this page of the API: link it (paging.py's module note).
        response.headers.add(
            "Link",
            f'<{url_for("saved.run", name=name, suffix="json", _external=True, **values, limit=view.size, offset=(view.page - 1) * view.size)}>; rel="alternate"; type="application/sparql-results+json"; title="this page"',
        )
    # The data cannot change under a running server, so an answer is fresh for a while and
    # then cheap to revalidate: If-None-Match with this ETag is 304 with no body.
    if fmt.key == "html" or reshaped:
        response.add_etag()  # the page also shows the values as typed: hash what is sent
    else:
        response.set_etag(entry.etag)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


@blueprint.route("/openapi.json")
def openapi_json():
    service = current_app.extensions["ofsted_kg"]
    return jsonify(openapi.document(service.queries.values(), request.host_url.rstrip("/"), current_app.config["MAX_ROWS"]))
