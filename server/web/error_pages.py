"""Errors as pages for people: a browser (which prefers HTML to JSON) gets the error as a page
with the site's header and search box, and "did you mean" where a name was not found; every
other client keeps the one JSON error shape (errors.py), with the same status.

The JSON answer is made first, by the app's handlers, and turned into a page after: the
status, error word and detail are the ones a program would have read.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request

from ..linked_data import search_index
from . import negotiation
from .formats import HTML, JSON_DOCUMENT

blueprint = Blueprint("error_pages", __name__)


def wants_page() -> bool:
    return (
        request.method == "GET"
        and "Accept" in request.headers
        and negotiation.prefers(request.accept_mimetypes, HTML, over=JSON_DOCUMENT)
    )


def _suggestions(body: dict) -> list[dict]:
    """Names near what was asked for: the path's last segment of a missing page, or the value of
    a saved query's parameter that names nothing."""
    service = current_app.extensions.get("ofsted_kg")
    index = service and service.search_index  # only once built: an error page never waits for it
    if index is None:
        return []
    if body.get("status") == 404 and request.path.startswith(("/doc/", "/id/", "/def/")):
        asked = request.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ")
    elif body.get("error") == "bad-parameter" and body.get("parameter") in request.args:
        asked = request.args[body["parameter"]]
    else:
        return []
    found = list(index.suggest(asked))
    named = index.named(asked)
    if named and named[:2] not in found:
        found.insert(0, named[:2])
    try:
        for hit in index.search(asked, limit=5).hits:
            if hit.kind in ("council", "person", "theme") and hit.iri not in {iri for _, iri in found}:
                found.append((hit.title.replace(search_index.OPEN, "").replace(search_index.CLOSE, ""), hit.iri))
    except search_index.BadSearch:
        pass
    parameter = body.get("parameter")
    return [{"label": label, "iri": iri, "parameter": parameter} for label, iri in found[:5]]


@blueprint.app_template_filter("urlencode_override")
def urlencode_override(args: dict, name: str, value: str) -> str:
    """A request's arguments with one replaced, as a query string (the "run with" link)."""
    return urlencode({**args, name: value})


@blueprint.after_app_request
def as_page(response: Response) -> Response:
    if response.status_code < 400 or response.mimetype != "application/json" or not wants_page():
        return response
    try:
        body = json.loads(response.get_data())
    except ValueError:
        return response
    if not isinstance(body, dict) or "detail" not in body:
        return response
    html = render_template(
        "error.html",
        title=f"{body.get('status', response.status_code)}: {body.get('error', 'error')}",
        error=body,
        suggestions=_suggestions(body),
    )
    page = Response(html, status=response.status_code, mimetype="text/html")
    for name in ("Allow", "Retry-After", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Vary"):
        if name in response.headers:
            page.headers[name] = response.headers[name]
    page.headers.add("Vary", "Accept")
    return page
