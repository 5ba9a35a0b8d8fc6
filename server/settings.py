"""The server's settings, each listed once with its default and the help text the docs show.

Order of precedence (flaskr's): these defaults, then `OFSTED_KG_*` environment variables,
then the mapping `create_app(config)` is given (the CLI's options, a test's overrides).
docs/endpoint.md has a table of them; a test checks that it names every one.
"""

from __future__ import annotations

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
    Setting("QUERY_TIMEOUT", 5.0, "seconds a query may run before its worker is killed and the answer is 503"),
    Setting("WORKERS", 2, "worker processes, each holding the whole graph, that run queries in parallel"),
    Setting("WORKER_MEMORY_MB", 2048, "address-space cap of one worker; a query past it ends that worker (503)"),
    Setting("MAX_ROWS", 10_000, "most rows (or triples) one /sparql or saved-query answer holds; more are cut, and say so"),
    Setting("MAX_RESPONSE_BYTES", 20_000_000, "largest /sparql or saved-query answer, in bytes (413 past it; use the dumps)"),
    Setting("MAX_REQUEST_BYTES", 100_000, "largest request body in bytes (413 past it)"),
    Setting("CACHE_BYTES", 64_000_000, "bytes of saved-query answers kept per graph version (least recently used dropped first; 0 keeps none)"),
    Setting("DUMP_DIR", None, "folder for the prepared dumps (default: a fresh temporary folder)"),
]


def defaults() -> dict:
    return {s.name: s.default for s in SETTINGS}
