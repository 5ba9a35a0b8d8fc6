"""The HTTP layer's commands, added to `ofsted-kg` by ofsted_kg/console.py: serve, query and publish.

`serve` runs the endpoint under waitress; `query` runs one saved query without a server,
through the same binding and execution code (service.Service.saved) as /queries/<name>.
Both read files, or with `--store URL` an external SPARQL endpoint. `publish` loads the
built graph into an external store (publish.py).
Exit codes as the rest of the command: 0 done, 2 bad input (a missing data file, an unknown
query, a bad parameter, a store that cannot be reached or refuses), each as one line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from .settings import DEFAULT_GRAPH

QUERY_FORMATS = {"csv": "csv", "tsv": "tsv", "json": "json", "ttl": "ttl", "xml": "xml"}


def configure(commands) -> None:
    """Add this layer's subcommands to the `ofsted-kg` argument parser."""
    serve = commands.add_parser("serve", help="serve the graph: SPARQL endpoint, saved queries, dumps")
    _data_options(serve)
    # No option has a default of its own: one given overrides the OFSTED_KG_* environment, one
    # left out leaves the environment's value, else the setting's default (settings.py).
    serve.add_argument("--host", help="address to listen on (default: the HOST setting, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on; 0 picks a free one (default: the PORT setting, 8000)")
    serve.add_argument(
        "--base-url",
        metavar="URL",
        help="the public URL the server is reached at, e.g. behind a proxy (default: the BASE_URL "
        "setting, else http://HOST:PORT/)",
    )
    serve.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="time limit of one query; past it the query is stopped and answered 503 (default: the QUERY_TIMEOUT setting, 5)",
    )
    serve.add_argument("--workers", type=int, help="query worker processes (default: the WORKERS setting, 2)")
    serve.add_argument("--threads", type=int, help="waitress request threads (default: the THREADS setting, 24)")
    serve.add_argument(
        "--text-dir",
        type=Path,
        metavar="DIR",
        help="folder of the documents' extracted texts for the document view (default: text/ beside "
        "the first data file; give it with --store)",
    )
    serve.add_argument(
        "--store-dir",
        type=Path,
        metavar="DIR",
        help="folder of the persisted query store (default: beside the data, <file>.store)",
    )
    # For tests and supervisors: stop when this process is gone, so no server outlives its starter.
    serve.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)
    serve.set_defaults(func=run_serve)

    query = commands.add_parser("query", help="run a saved query (queries/*.rq) and print the answer")
    query.add_argument("name", metavar="NAME", help="the saved query's name, e.g. inspections")
    query.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter value; repeatable, e.g. -p la=Stoke-on-Trent",
    )
    _data_options(query)
    query.add_argument("--format", choices=sorted(QUERY_FORMATS), default="csv", help="output format (default: csv)")
    query.set_defaults(func=run_query)

    from .store.publish import configure as publish

    publish(commands)


def _data_options(command) -> None:
    source = command.add_mutually_exclusive_group()
    source.add_argument("--graph", type=Path, metavar="FILE", help=f"the built Turtle graph to serve (default: {DEFAULT_GRAPH})")
    source.add_argument(
        "--data",
        type=Path,
        nargs="+",
        action="extend",
        metavar="FILE",
        help="RDF files to serve instead (Turtle, N-Triples, N-Quads, TriG; named graphs kept)",
    )
    source.add_argument(
        "--store",
        metavar="URL",
        help="query URL of an external SPARQL 1.1 endpoint to serve from instead of files "
        "(e.g. http://127.0.0.1:7878/query; load it with `ofsted-kg publish`)",
    )


def _files(args) -> list[Path]:
    return args.data or [args.graph or DEFAULT_GRAPH]


def _environment():
    """The settings as the environment leaves them (defaults, then OFSTED_KG_*), as `serve` reads them."""
    from flask import Config

    from .settings import defaults

    config = Config(".", defaults())
    config.from_prefixed_env("OFSTED_KG")
    return config


def _given_data(args) -> bool:
    """Whether the command line names the data (else `serve` reads the DATA setting)."""
    return bool(args.data or args.graph)


def run_query(args) -> int:
    from .service import Service
    from .web.errors import HTTPError

    values = {}
    for pair in args.param:
        key, sep, value = pair.partition("=")
        if not sep:
            print(f"ofsted-kg: error: -p {pair!r}: write parameters as key=value", file=sys.stderr)
            return 2
        values[key.strip()] = value
    settings = _environment()
    limits = {"max_rows": int(settings["MAX_ROWS"]), "max_bytes": int(settings["MAX_RESPONSE_BYTES"])}
    store = args.store or (None if _given_data(args) else settings["STORE"])
    data = _files(args) if _given_data(args) else settings["DATA"]
    data = data.split() if isinstance(data, str) else data
    timeout = float(settings["QUERY_TIMEOUT"])  # an external store's HTTP time limit, as `serve` gives it
    service = Service.connect(store, timeout=timeout, **limits) if store else Service.open(data, **limits)
    try:
        answer, _ = service.saved(args.name, values, requested=QUERY_FORMATS[args.format])
    except HTTPError as error:
        print(f"ofsted-kg: error: {error.detail}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        print(f"ofsted-kg: note: only the first {answer.rows} rows", file=sys.stderr)
    return 0


def run_serve(args) -> int:
    from .app import create_app, start
    from .web import http_server, public_url

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    source = (
        {"STORE": args.store}
        if args.store
        else {"DATA": [str(f) for f in _files(args)], "STORE": None}
        if _given_data(args)
        else {}
    )
    given = {
        "HOST": args.host,
        "PORT": args.port,
        "BASE_URL": args.base_url,
        "QUERY_TIMEOUT": args.timeout,
        "WORKERS": args.workers,
        "THREADS": args.threads,
        "STORE_DIR": args.store_dir,
        "TEXT_DIR": args.text_dir and str(args.text_dir),
    }
    app = start(create_app({**source, **{k: v for k, v in given.items() if v is not None}}))
    host = app.config["HOST"]
    server, port = http_server.create(app, host, int(app.config["PORT"]))
    if not (args.base_url or os.environ.get("OFSTED_KG_BASE_URL")):
        app.config["BASE_URL"] = public_url.default(host, port)  # port 0: the one bound
    # Tests and scripts read this line to learn the port when they asked for port 0.
    served = app.config["STORE"] or ", ".join(app.config["DATA"])
    print(f"ofsted-kg: serving {served} on {public_url.default(host, port)}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so `finally` ends the workers too
    reloader = app.extensions["ofsted_kg_reloader"]
    signal.signal(signal.SIGHUP, lambda *_: reloader.request())  # serve the data files as they are now (reload.py)
    reloader.start()
    if args.parent_pid:
        threading.Thread(target=_exit_with, args=(args.parent_pid, app), daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        reloader.stop()
        app.extensions["ofsted_kg"].close()
    return 0


def _exit_with(pid: int, app) -> None:
    while True:
        time.sleep(1)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            app.extensions["ofsted_kg"].close()
            os._exit(0)
