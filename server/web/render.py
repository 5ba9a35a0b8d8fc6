"""Turn an answer into a response: its media type, truncation header, or an HTML table.

Every HTML page links its machine-readable twin (`Link: <...>; rel="alternate"`), as
Datasette's pages do: a results page the same request as JSON, the catalogue its .json.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Response, redirect, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from ..query.execution import Answer
from . import negotiation, table_view
from .formats import Format

TRUNCATED = "X-Results-Truncated"


def negotiate(form: str, requested: str | None = None) -> Format:
    return negotiation.negotiate(form, request.accept_mimetypes if request.headers.get("Accept") else None, requested)


def twin_link(response: Response, url: str, media_type: str = "application/json") -> Response:
    response.headers.add("Link", f'<{url}>; rel="alternate"; type="{media_type}"')
    return response


def answer(
    result: Answer, fmt: Format, *, title: str, query: str | None = None, twin: str | None = None, context: dict | None = None
) -> Response:
    if fmt.key != "html":
        response = Response(result.body, mimetype=fmt.media_type)  # text/* types get "; charset=utf-8" from werkzeug
    else:
        data = json.loads(result.body)
        variables = data.get("head", {}).get("vars", [])
        # Filtered, sorted and paged as the request's view parameters say (table_view).
        _, view = table_view.split(request.args.to_dict())
        bindings, pages, matched = table_view.apply(variables, data.get("results", {}).get("bindings", []), view)
        rows = [[table_view.as_text(row.get(v)) for v in variables] for row in bindings]
        if twin is None:
            args = request.args.to_dict(flat=False) | request.form.to_dict(flat=False)
            args["format"] = ["json"]
            twin = f"{request.base_url}?{urlencode(args, doseq=True)}"
        html = render_template(
            "results.html",
            title=title,
            query=query,
            variables=variables,
            rows=rows,
            boolean=data.get("boolean"),
            truncated=result.truncated,
            rows_count=result.rows,
            matched=matched,
            operators=table_view.OPERATORS,
            kept=_kept_arguments,
            twin=twin,
            view=view,
            pages=pages,
            labels=table_view.labels(rows),
            linkable=request.method == "GET",
            view_link=_view_link,
            **(context or {}),
        )
        response = twin_link(Response(html, mimetype="text/html"), twin)
    response.headers["Vary"] = "Accept"
    if result.truncated:
        response.headers[TRUNCATED] = str(result.rows)
    return response


def _view_link(**changes) -> str:
    """This page's address with some arguments changed (None drops one): sort links, pages, CSV."""
    args = request.args.to_dict()
    for name, value in changes.items():
        args.pop(name, None)
        if value is not None:
            args[name] = str(value)
    return f"{request.base_url}?{urlencode(args)}"


def _kept_arguments(*dropped: str) -> list[tuple[str, str]]:
    """This page's arguments but `dropped` and its page: the hidden fields of the filter form, so
    a new filter keeps the query, its values, the sort and the other filters (and starts at page 1)."""
    return [(k, v) for k, v in request.args.items(multi=True) if k not in dropped and k != "_page"]


def filter_redirect() -> WerkzeugResponse | None:
    """The filter form's submission -> 303 to this page with the filter in its own parameter
    (`la__contains=stoke`), the address a reader can keep and share; None for any other request."""
    chosen = table_view.from_form(request.args.to_dict())
    if chosen is None:
        return None
    parameter, text = chosen
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in table_view.FORM_FIELDS and k != parameter]
    if text:
        args.append((parameter, text))
    return redirect(f"{request.base_url}?{urlencode(args)}", code=303)
