"""The Flask application factory (flaskr's pattern): settings, the service, the routes, errors.

Nothing happens at import time. `create_app(config)` reads the settings (defaults, then
OFSTED_KG_* environment variables, then `config`), loads the graph, starts the query
workers and prepares the dumps; `app.extensions["ofsted_kg"]` is the running Service.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from . import changes, dumps, isolation, linked_data, ontology, pages, persist, saved, sparql, void
from .cache import Cache
from .errors import ClientError
from .lanes import Lanes
from .service import Service
from .settings import absolute_paths, defaults

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(defaults())
    app.config.from_prefixed_env("OFSTED_KG")
    app.config.update(config or {})
    if isinstance(app.config["DATA"], str):  # from the environment: a space-separated list
        app.config["DATA"] = app.config["DATA"].split()
    app.config.update(absolute_paths(app.config))
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]
    app.json.sort_keys = False

    files = app.config["DATA"]
    limits = {"max_rows": app.config["MAX_ROWS"], "max_bytes": app.config["MAX_RESPONSE_BYTES"]}
    store_url = app.config["STORE"]
    if store_url:
        # An external engine holds the data and runs the queries; remote.py times its answers over HTTP.
        service = Service.connect(store_url, timeout=app.config["QUERY_TIMEOUT"], **limits)
        service.dumps = dumps.prepare(service, app.config["DUMP_DIR"])
    else:
        # The persisted store first (built from the files if it is missing, stale or damaged), then
        # open it in this process: a bad file or query header stops here with its own message.
        persisted = persist.ensure(files, app.config["STORE_DIR"])
        service = Service.open(files, store_path=persisted.path, **limits)
        service.persisted = persisted
        service.dumps = dumps.prepare(service, app.config["DUMP_DIR"] or persist.dump_dir(persisted),
                                      version=persisted.path.name)
        service.runner = Lanes(files, saved=app.config["SAVED_WORKERS"], raw=app.config["WORKERS"],
                               timeout=app.config["QUERY_TIMEOUT"], memory_mb=app.config["WORKER_MEMORY_MB"],
                               store_path=persisted.path, max_waiting=app.config["QUEUE_LIMIT"],
                               isolate=isolation.required(app.config["QUERY_ISOLATION"]))
        # The files cannot change under a running server, so an answer holds for its data version:
        # the store's key, which persist.ensure has just hashed from the files' contents.
        # (An external store can change behind our back: its answers are never cached.)
        service.cache = Cache(persisted.path.name, int(app.config["CACHE_BYTES"]))
    app.extensions["ofsted_kg"] = service

    for blueprint in (pages.blueprint, sparql.blueprint, saved.blueprint, dumps.blueprint, linked_data.blueprint,
                      void.blueprint, ontology.blueprint, changes.blueprint):
        app.register_blueprint(blueprint)
    _errors(app)
    return app


def error_response(status: int, error: str, detail: str, **extra):
    response = jsonify({"status": status, "error": error, "detail": detail, **extra})
    response.status_code = status
    return response


def _errors(app: Flask) -> None:
    @app.errorhandler(ClientError)
    def client_error(error: ClientError):
        response = jsonify(error.body())
        response.status_code = error.status
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        slug = (error.name or "error").lower().replace(" ", "-")
        response = error_response(error.code or 500, slug, error.description or "")
        if getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def bug(error: Exception):
        # A bug, not the client's doing: the traceback goes to the log, never to the client.
        log.exception("unhandled error")
        return error_response(500, "internal-error", "the server failed; the error is in its log")
