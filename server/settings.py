"""The server's settings, each listed once with its default and the help text the docs show.

Order of precedence (flaskr's): these defaults, then `OFSTED_KG_*` environment variables,
then the mapping `create_app(config)` is given (the CLI's options, a test's overrides).
The README's "Settings" table lists them; a test checks that its rows are exactly these.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_GRAPH = Path("build/ofsted-kg.ttl")


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = [
    Setting("DATA", [str(DEFAULT_GRAPH)], "RDF files served (Turtle, N-Triples, N-Quads, TriG); named graphs kept"),
    Setting("STORE", None, "query URL of an external SPARQL 1.1 endpoint to serve from instead of DATA"),
    Setting("QUERY_TIMEOUT", 5.0, "seconds a query may run before its worker is killed and the answer is 503"),
    Setting("WORKERS", 2, "worker processes that run raw /sparql queries in parallel (at a lower CPU priority)"),
    Setting("SAVED_WORKERS", 2, "worker processes of their own for the saved queries, so runaway raw SPARQL cannot starve them"),
    Setting("QUEUE_LIMIT", 16, "most requests one lane (saved, raw) lets wait for a worker; past it 503 busy at once"),
    Setting("THREADS", 24, "waitress request threads: at least the number of clients served at once"),
    Setting("HOST", "127.0.0.1", "the address `serve` listens on (--host)"),
    Setting("PORT", 8000, "the port `serve` listens on (--port; 0 picks a free one)"),
    Setting(
        "BASE_URL",
        None,
        "the public URL the server is reached at, behind any proxy: the base of every link, "
        "VoID/DCAT IRI and relative IRI it answers with; never taken from a client's Host "
        "(default: http://HOST:PORT/, the address `serve` listens on)",
    ),
    Setting(
        "CONNECTION_LIMIT",
        1000,
        "most open client connections; idle and slow ones hold a socket, not a thread; past it new ones wait in the listen queue",
    ),
    Setting(
        "CHANNEL_TIMEOUT",
        60,
        "seconds a connection may stay quiet (no byte sent or received) before it is "
        "closed, and the longest one request may take to arrive whole",
    ),
    Setting(
        "RELOAD_POLL",
        2.0,
        "seconds between looks at DATA: a new version (a new build) is served without dropping "
        "a request (SIGHUP looks at once; 0 looks only on SIGHUP)",
    ),
    Setting("STORE_DIR", None, "folder of the persisted query store (default: <first data file>.store beside it)"),
    Setting(
        "WORKER_STORE",
        "auto",
        "what query workers query: `memory` (each its own copy of the graph in memory, loaded in the background "
        "after start-up; 3-7x faster), `disk` (the persisted store) or `auto` (memory while a copy fits in half of "
        "WORKER_MEMORY_MB, else disk)",
    ),
    Setting("WORKER_MEMORY_MB", 2048, "address-space cap of one worker; a query past it ends that worker (503)"),
    Setting("MAX_ROWS", 10_000, "most rows (or triples) one /sparql or saved-query answer holds; more are cut, and say so"),
    Setting("MAX_RESPONSE_BYTES", 20_000_000, "largest /sparql or saved-query answer, in bytes (413 past it; use the dumps)"),
    Setting(
        "MAX_REQUEST_BYTES",
        100_000,
        "largest query in bytes of UTF-8, sent by GET, form POST or direct POST alike "
        "(413 past it); the URL or body may be up to 3x that + 16 KiB, for percent-encoding",
    ),
    Setting(
        "CACHE_BYTES",
        64_000_000,
        "bytes of saved-query answers kept per graph version (least recently used dropped first; 0 keeps none)",
    ),
    Setting(
        "DUMP_DIR",
        None,
        "folder for the prepared dumps (default: `<key>.dumps` beside the persisted store, reused by a restart on the same data; with --store, a fresh temporary folder)",
    ),
    Setting(
        "BASE_IRI",
        "https://w3id.org/ofsted-kg/",
        "the base of the dataset's IRIs this server answers for: /id/<path> is the IRI BASE_IRI + id/<path>",
    ),
    Setting(
        "TEXT_DIR",
        None,
        "folder of the documents' extracted texts, <key>.txt, that evidence offsets index "
        "(default: text/ beside the first DATA file)",
    ),
    Setting(
        "QUERY_ISOLATION",
        "namespace",
        "how query workers are kept off the network: `namespace` (each in an empty "
        "network namespace; `serve` exits 5 where that is impossible) or `off` (only the early SERVICE refusal)",
    ),
]


def defaults() -> dict:
    return {s.name: s.default for s in SETTINGS}


# The settings that name files or folders. Each is made absolute once, at start-up, against the
# working directory the server was started from: a relative path kept as it is would later be
# resolved against somewhere else (Flask's send_file resolves one against the app's package
# folder, server/, which made every dump a 500 under `make run`).
PATHS = ("DATA", "STORE_DIR", "DUMP_DIR", "TEXT_DIR")


def absolute_paths(config: Mapping, cwd: str | Path | None = None) -> dict:
    """The path settings of `config` made absolute against `cwd` (default: the working directory);
    DATA is a list of files, the others one folder or None (their default, derived later)."""
    base = Path(cwd) if cwd is not None else Path.cwd()

    def absolute(path) -> str:
        return os.path.normpath(base / os.fspath(path))

    resolved = {}
    for name in PATHS:
        value = config.get(name)
        if value is None or value == "":
            continue
        resolved[name] = [absolute(f) for f in value] if name == "DATA" else absolute(value)
    return resolved
