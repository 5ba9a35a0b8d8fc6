"""Turn an answer into a response: its media type, truncation header, or an HTML table.

Every HTML page links its machine-readable twin (`Link: <...>; rel="alternate"`), as
Datasette's pages do: a results page the same request as JSON, the catalogue its .json.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Response, render_template, request

from . import formats
from .execution import Answer
from .formats import Format

TRUNCATED = "X-Results-Truncated"


def negotiate(form: str, requested: str | None = None) -> Format:
    return formats.negotiate(form, request.accept_mimetypes if request.headers.get("Accept") else None, requested)


def twin_link(response: Response, url: str, media_type: str = "application/json") -> Response:
    response.headers.add("Link", f'<{url}>; rel="alternate"; type="{media_type}"')
    return response


def answer(result: Answer, fmt: Format, *, title: str, query: str | None = None, twin: str | None = None,
           context: dict | None = None) -> Response:
    if fmt.key != "html":
        response = Response(result.body, mimetype=fmt.media_type)  # text/* types get "; charset=utf-8" from werkzeug
    else:
        data = json.loads(result.body)
        variables = data.get("head", {}).get("vars", [])
        rows = [[row.get(v) for v in variables] for row in data.get("results", {}).get("bindings", [])]
        if twin is None:
            args = request.args.to_dict(flat=False) | request.form.to_dict(flat=False)
            args["format"] = ["json"]
            twin = f"{request.base_url}?{urlencode(args, doseq=True)}"
        html = render_template("results.html", title=title, query=query, variables=variables, rows=rows,
                               boolean=data.get("boolean"), truncated=result.truncated, rows_count=result.rows,
                               twin=twin, **(context or {}))
        response = twin_link(Response(html, mimetype="text/html"), twin)
    response.headers["Vary"] = "Accept"
    if result.truncated:
        response.headers[TRUNCATED] = str(result.rows)
    return response
