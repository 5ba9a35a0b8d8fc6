"""/sparql: the SPARQL 1.1 Protocol's query operation, read-only.

https://www.w3.org/TR/sparql11-protocol/#query-operation: GET with `query`, POST form-encoded,
POST `application/sparql-query` (UTF-8); `default-graph-uri` / `named-graph-uri` replace the
dataset; the answer's format by Accept or a `format` parameter. GET with no query is the
service description (https://www.w3.org/TR/sparql11-service-description/), or, for a
browser, the query editor. Updates of any kind are refused (403): the endpoint is read-only.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from werkzeug.datastructures import MultiDict

from . import description, guard, render
from .errors import BadQuery, MethodNotAllowed, Refused, TooLarge, UnsupportedMediaType
from .execution import Job

blueprint = Blueprint("sparql", __name__)
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


# Decorators register bottom-up and url_for builds from the first rule: /sparql is the address.
@blueprint.route("/sparql/", methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH"])
@blueprint.route("/sparql", methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH"])
def endpoint():
    if request.method not in ("GET", "HEAD", "POST"):
        raise MethodNotAllowed(f"{request.method} is not a SPARQL query operation: use GET or POST")
    params, query = _read()
    if query is None:
        return description.respond(request)
    service = current_app.extensions["ofsted_kg"]
    form = guard.inspect(query)
    fmt = render.negotiate(form, params.get("format"))
    job = Job(query, form, "json" if fmt.key == "html" else fmt.key, base_iri=request.base_url,
              default_graphs=_graphs(params, "default-graph-uri"), named_graphs=_graphs(params, "named-graph-uri"),
              max_rows=service.max_rows, max_bytes=service.max_bytes)
    if job.default_graphs is None and job.named_graphs is not None:
        job.default_graphs = []
    if job.named_graphs is None and job.default_graphs is not None:
        job.named_graphs = []
    answer = service.runner.run(job)
    return render.answer(answer, fmt, title="SPARQL query results", query=query)


def _read() -> tuple[MultiDict, str | None]:
    """The request's parameters (URL and form together) and its query text, or None for none."""
    params = MultiDict(request.args)
    media_type = request.mimetype
    if request.method == "POST":
        if media_type == UPDATE:
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted")
        if media_type == FORM:
            params.update(request.form)
        elif media_type == DIRECT:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"a direct POST must be UTF-8, not {charset}")
            try:
                text = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as error:
                raise BadQuery(f"the query is not UTF-8 ({error.reason} at byte {error.start})") from None
            if "query" in params:
                raise BadQuery("give the query either in the body or as `query`, not both")
            _refuse_update(params)
            return params, text
        else:
            raise UnsupportedMediaType(f"POST a query as {FORM} (with query=...) or as {DIRECT}, "
                                       f"not {media_type or 'a body with no Content-Type'}")
    _refuse_update(params)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadQuery(f"one query at a time: the request has {len(queries)} `query` parameters")
    if not queries:
        if request.method == "POST":
            raise BadQuery("no query: POST `query=...` form-encoded, or the query itself as application/sparql-query")
        return params, None
    if len(queries[0].encode()) > current_app.config["MAX_REQUEST_BYTES"]:
        raise TooLarge(f"the query is over {current_app.config['MAX_REQUEST_BYTES']:,} bytes")
    return params, queries[0]


def _refuse_update(params: MultiDict) -> None:
    if "update" in params or any(k.startswith("using-") for k in params):
        raise Refused("this endpoint is read-only: SPARQL Update is not accepted")


def _graphs(params: MultiDict, name: str) -> list[str] | None:
    values = params.getlist(name)
    if not values:
        return None
    import pyoxigraph as ox

    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadQuery(f"{name}: {value!r} is not an absolute IRI", parameter=name) from None
    return values
