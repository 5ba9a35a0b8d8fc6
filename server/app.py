"""The Flask application factory (flaskr's pattern): settings, the service, the routes, errors.

Nothing happens at import time, and nothing but reading settings in `create_app(config)`: it
reads them (defaults, then OFSTED_KG_* environment variables, then `config`), checks them and
registers the routes, so an app can be made and inspected with no process started, no file
written and no graph loaded. `start(app)` is the start-up work, called by `serve` and by tests:
it opens the graph (building the persisted store), starts the query workers, prepares the dumps
and warms the search index; `app.extensions["ofsted_kg"]` is then the running Service. Until
then every route answers 503.
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from flask import Flask, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from ofsted_kg.graph.model.user_errors import OfstedKGError

from .linked_data import dereference, ontology_pages, page_text, search_index
from .query import isolation, workers
from .query.cache import Cache
from .query.lanes import Lanes
from .routes import changes, dumps, landing, national_picture, saved, search_pages, sparql, type_lists, void, yasgui_editor
from .service import Service
from .settings import SETTINGS, absolute_paths, defaults
from .store import disk_store, memory_copy, reload
from .web import compression, error_pages, public_url
from .web.errors import HTTPError, TooLarge, Unavailable, echo
from .web.http_server import envelope

# What a page on another origin (YASGUI, Comunica, a notebook) may send and read: every route
# is read-only and public, so any origin may, without credentials (https://fetch.spec.whatwg.org/#http-cors-protocol).
CORS_METHODS = ["GET", "POST", "HEAD", "OPTIONS"]
CORS_REQUEST_HEADERS = ["Accept", "Content-Type", "If-None-Match", "If-Modified-Since", "Cache-Control"]
CORS_EXPOSED = [
    "ETag",
    "Link",
    "Last-Modified",
    "Content-Length",
    "Content-Encoding",
    "Retry-After",
    "X-Results-Truncated",
    "Vary",
    "Allow",
]
NUMBER = {int: re.compile(r"[0-9]+"), float: re.compile(r"[0-9]+(\.[0-9]+)?")}


class BadSetting(OfstedKGError):
    """A setting whose value is not of its kind: a configuration error (exit 2)."""


log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(defaults())
    app.config.from_prefixed_env("OFSTED_KG")
    app.config.update(config or {})
    if isinstance(app.config["DATA"], str):  # from the environment: a space-separated list
        app.config["DATA"] = app.config["DATA"].split()
    app.config.update(absolute_paths(app.config))
    _check_numbers(app.config)
    app.config["BASE_URL"] = app.config["BASE_URL"] or public_url.default(app.config["HOST"], app.config["PORT"])
    public_url.parts(app.config["BASE_URL"])  # a bad one stops the start here, in one line
    # A body may be percent-encoded; the query in it is held to MAX_REQUEST_BYTES by sparql.py.
    app.config["MAX_CONTENT_LENGTH"] = envelope(app.config["MAX_REQUEST_BYTES"])
    assert isinstance(app.json, DefaultJSONProvider)  # Flask's own, unless one were set above
    app.json.sort_keys = False
    app.wsgi_app = public_url.PublicURL(app.wsgi_app, app.config)  # type: ignore[method-assign]  # Flask's way to wrap it
    compression.install(app)  # before CORS: its after_request runs last, on the finished answer
    CORS(
        app,
        origins="*",
        send_wildcard=True,
        always_send=True,
        vary_header=False,
        methods=CORS_METHODS,
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_EXPOSED,
        max_age=86400,
    )

    app.before_request(_require_started)
    reload.install(app)

    for blueprint in (
        landing.blueprint,
        sparql.blueprint,
        saved.blueprint,
        dumps.blueprint,
        dereference.blueprint,
        void.blueprint,
        ontology_pages.blueprint,
        changes.blueprint,
        search_pages.blueprint,
        national_picture.blueprint,
        type_lists.blueprint,
        yasgui_editor.blueprint,
        error_pages.blueprint,
        page_text.blueprint,
    ):
        app.register_blueprint(blueprint)
    _errors(app)
    _retry_after(app)
    return app


def start(app: Flask) -> Flask:
    """The start-up work: open the service over the data the settings name (the persisted store,
    the dumps, the query workers) and begin building the search index in the background."""
    service = open_service(app.config)
    app.extensions["ofsted_kg"] = service
    search_index.warm(service)
    return app


def _require_started() -> None:
    if "ofsted_kg" not in current_app.extensions:
        raise Unavailable("the server is starting: it has not opened its data yet")


def open_service(config) -> Service:
    """The running service over the data `config` names: at start-up, and again for each
    new version of the data (reload.py)."""
    files = config["DATA"]
    limits = {"max_rows": config["MAX_ROWS"], "max_bytes": config["MAX_RESPONSE_BYTES"]}
    store_url = config["STORE"]
    if store_url:
        # An external engine holds the data and runs the queries; remote.py times its answers over HTTP.
        service = Service.connect(store_url, timeout=config["QUERY_TIMEOUT"], **limits)
        service.dumps = dumps.prepare_in_background(service, config["DUMP_DIR"])
        return service
    # The persisted store first (built from the files if it is missing, stale or damaged), then
    # open it in this process: a bad file or query header stops here with its own message.
    workers.prestart()  # meanwhile
    persisted = disk_store.ensure(files, config["STORE_DIR"])
    try:
        service = Service.open(files, store_path=persisted.path, **limits)
        service.persisted = persisted
        service.dumps = dumps.prepare_in_background(
            service, config["DUMP_DIR"] or disk_store.dump_dir(persisted), version=persisted.path.name
        )
        worker_count = config["SAVED_WORKERS"] + config["WORKERS"]
        in_memory = memory_copy.wanted(config["WORKER_STORE"], persisted.path, config["WORKER_MEMORY_MB"], worker_count)
        log.info(
            "query workers' copies in memory: %s (WORKER_STORE=%s; a copy about %d MB)",
            "yes" if in_memory else "no",
            config["WORKER_STORE"],
            memory_copy.estimate(persisted.path) // 2**20,
        )
        service.runner = Lanes(
            files,
            saved=config["SAVED_WORKERS"],
            raw=config["WORKERS"],
            timeout=config["QUERY_TIMEOUT"],
            memory_mb=config["WORKER_MEMORY_MB"],
            store_path=persisted.path,
            max_waiting=config["QUEUE_LIMIT"],
            isolate=isolation.required(config["QUERY_ISOLATION"]),
            in_memory=in_memory,
        )
    except BaseException:
        persisted.close()
        raise
    # A version of the files never changes under the service that serves it (a new version is
    # a new service, reload.py), so an answer holds for its data version: the store's key,
    # which disk_store.ensure has just hashed from the files' contents.
    # (An external store can change behind our back: its answers are never cached.)
    service.cache = Cache(persisted.path.name, int(config["CACHE_BYTES"]))
    return service


def _check_numbers(config) -> None:
    """Numeric settings from the environment arrive as text or JSON: each must be a plain
    (ASCII-digit) number of its setting's kind, else the start stops with one line."""
    for setting in SETTINGS:
        kind: Any = type(setting.default)  # int or float: called to convert
        value = config.get(setting.name)
        if kind not in NUMBER or value is None or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)) and not (kind is int and isinstance(value, float)):
            config[setting.name] = kind(value)
        elif isinstance(value, str) and NUMBER[kind].fullmatch(value.strip()):
            config[setting.name] = kind(value.strip())
        else:
            raise BadSetting(
                f"{setting.name}: {echo(value)} is not a whole number"
                if kind is int
                else f"{setting.name}: {echo(value)} is not a number of seconds"
            )


def _retry_after(app: Flask) -> None:
    @app.after_request
    def retry_after(response):
        # Every 503 (timeout, busy, worker lost) clears within about one time limit; but for
        # one that only the operator can clear (dumps that failed to write), which says so.
        if response.status_code == 503 and "Retry-After" not in response.headers and g.get("retry", True):
            response.headers["Retry-After"] = str(max(1, math.ceil(float(app.config["QUERY_TIMEOUT"]))))
        return response


def error_response(status: int, error: str, detail: str, **extra):
    response = jsonify({"status": status, "error": error, "detail": detail, **extra})
    response.status_code = status
    return response


def _errors(app: Flask) -> None:
    @app.errorhandler(HTTPError)
    def answered_error(error: HTTPError):
        response = jsonify(error.body())
        response.status_code = error.status
        g.retry = error.retry  # read by retry_after
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        slug = (error.name or "error").lower().replace(" ", "-")
        detail = error.description or ""
        if error.code == 413:
            slug = TooLarge.error
            detail = (
                f"the request body is over {app.config['MAX_CONTENT_LENGTH']:,} bytes; "
                f"a query may be at most {app.config['MAX_REQUEST_BYTES']:,} bytes"
            )
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            detail = f"{request.method[:20]} is not allowed on {echo(request.path)}: use {', '.join(allowed)}"
        response = error_response(error.code or 500, slug, detail)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def bug(error: Exception):
        # A bug, not the client's doing: the traceback goes to the log, never to the client.
        log.exception("unhandled error")
        return error_response(500, "internal-error", "the server failed; the error is in its log")
