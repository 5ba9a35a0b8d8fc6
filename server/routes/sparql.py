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

from ..query import guard
from ..query.execution import Job
from ..web import render, table_view
from ..web.errors import BadQuery, Refused, TooLarge, UnsupportedMediaType, echo
from . import service_description

blueprint = Blueprint("sparql", __name__)
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


# Decorators register bottom-up and url_for builds from the first rule: /sparql is the address.
# Only the methods it answers: Allow (on 405 and OPTIONS) must not offer what is refused.
@blueprint.route("/sparql/", methods=["GET", "POST", "HEAD"])
@blueprint.route("/sparql", methods=["GET", "POST", "HEAD"])
def endpoint():
    if request.method != "POST" and (moved := render.filter_redirect()) is not None:
        return moved
    params, query = _read()
    if query is None:
        return service_description.respond(request)
    service = current_app.extensions["ofsted_kg"]
    form = guard.inspect(query)
    fmt = render.negotiate(form, params.get("format"))
    # The JSON and CSV links of a filtered, sorted or paged table are that view: its rows come
    # from the JSON answer, reshaped (table_view), as a saved query's are.
    _, view = table_view.split(request.args.to_dict())
    reshaped = view.given and form in ("SELECT", "ASK") and fmt.key in ("json", "csv")
    job = Job(
        query,
        form,
        "json" if fmt.key == "html" or reshaped else fmt.key,
        base_iri=request.base_url,
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
        max_rows=service.max_rows,
        max_bytes=service.max_bytes,
    )
    if job.default_graphs is None and job.named_graphs is not None:
        job.default_graphs = []
    if job.named_graphs is None and job.default_graphs is not None:
        job.named_graphs = []
    answer = service.runner.run(job)
    response = render.answer(answer, fmt, title="SPARQL query results", query=query)
    if reshaped:
        response.set_data(table_view.reshape(answer.body, fmt.key, view))
    return response


def _read() -> tuple[MultiDict, str | None]:
    """The request's parameters (URL and form together) and its query text, or None for none."""
    params = MultiDict(request.args)
    media_type = request.mimetype
    if request.method == "POST":
        if media_type == UPDATE:
            raise Refused("this endpoint is read-only: SPARQL Update is not accepted")
        if media_type in (FORM, DIRECT):
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"a POST must be UTF-8, not {echo(charset)}")
        if media_type == FORM:
            params.update(request.form)
        elif media_type == DIRECT:
            body = request.get_data(cache=False)
            _check_size(len(body))
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as error:
                raise BadQuery(f"the query is not UTF-8 ({error.reason} at byte {error.start})") from None
            if "query" in params:
                raise BadQuery("give the query either in the body or as `query`, not both")
            _refuse_update(params)
            return params, text
        else:
            raise UnsupportedMediaType(
                f"POST a query as {FORM} (with query=...) or as {DIRECT}, "
                f"not {echo(media_type) if media_type else 'a body with no Content-Type'}"
            )
    _refuse_update(params)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadQuery(f"one query at a time: the request has {len(queries)} `query` parameters")
    if not queries:
        if request.method == "POST":
            raise BadQuery("no query: POST `query=...` form-encoded, or the query itself as application/sparql-query")
        return params, None
    _check_size(len(queries[0].encode()))
    return params, queries[0]


def _check_size(size: int) -> None:
    """MAX_REQUEST_BYTES is the most a query may hold, in bytes of UTF-8, however it is sent."""
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if size > limit:
        raise TooLarge(f"the query is {size:,} bytes; at most {limit:,} are accepted")


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
            raise BadQuery(f"{name}: {echo(value)} is not an absolute IRI", parameter=name) from None
    return values
