"""The commands as the README writes them, started as a user would, and every dump they list.

`launch` starts a command (`ofsted-kg serve`, `make run`, ...) in a working directory of
its own, in a new process group, and reads its output until the server says where it
listens; `end` stops that group by its id. `check_dumps` downloads every /dump.* URL the
landing page and /.well-known/void list, and checks each holds the served graph.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from .conftest import Server

LISTENING = re.compile(r"on (http://127\.0\.0\.1:\d+)/")
VOID = "http://rdfs.org/ns/void#dataDump"
DCAT = "http://www.w3.org/ns/dcat#downloadURL"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".jsonld": ox.RdfFormat.JSON_LD}
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def launch(command: list[str], cwd: Path, wait: float = 600, env: dict | None = None) -> tuple[Server, list[str]]:
    """Start `command` in `cwd`; the server it ends up running, and the lines it printed first.
    The wait is generous: `make run` may install .venv and build the graph before serving."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, env=env)
    printed, deadline = [], time.monotonic() + wait
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 5)
        line = process.stdout.readline() if ready else ""
        if ready and not line:
            break  # the command ended without serving
        printed.append(line.rstrip("\n"))
        match = LISTENING.search(line)
        if match:
            return Server(process, match.group(1)), printed
    end(process)
    raise AssertionError(f"{' '.join(command)} did not start a server:\n" + "\n".join(printed))


def end(process: subprocess.Popen) -> None:
    """Stop the process group `launch` made (make, and the server it started): SIGTERM, then SIGKILL."""
    if process.poll() is None or _group_alive(process.pid):
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass
    process.stdout.close()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def listed_dumps(server: Server) -> set[str]:
    """The paths of the dumps the landing page links and the dataset description distributes."""
    status, _, page = server.get("/", {"Accept": "text/html"})
    assert status == 200, page[:300]
    links = set(re.findall(r'href="([^"]*/dump\.[a-z]+)"', page.decode()))
    status, _, void = server.get("/.well-known/void", {"Accept": "text/turtle"})
    assert status == 200, void[:300]
    described = {q.object.value for q in ox.parse(void, format=ox.RdfFormat.TURTLE)
                 if q.predicate.value in (VOID, DCAT)}
    paths = {urllib.parse.urlsplit(url).path for url in links | described}
    assert paths, "neither the landing page nor the dataset description lists a dump"
    return paths


def count(server: Server, query: str) -> int:
    status, _, body = server.get("/sparql?" + urllib.parse.urlencode({"query": query}),
                                 {"Accept": "text/csv"})
    assert status == 200, body[:300]
    return int(body.decode().split()[1])


def dumps_ready(app, patience: float = 300.0) -> None:
    """Wait for the dumps an in-process app writes in the background after its start (at the
    lowest CPU priority: on a busy machine that outlasts a download's own 10 s wait)."""
    dumps = app.extensions["ofsted_kg"].dumps
    if hasattr(dumps, "done"):  # a Pending: still being written, or written since
        assert dumps.done.wait(patience), f"the dumps were not written in {patience:g} s"


def written(server: Server, path: str, patience: float = 300.0):
    """GET a dump as a client that honours 503 Retry-After would: the dumps are written in the
    background after a start, and on a busy machine that outlasts the server's own 10 s wait."""
    deadline = time.monotonic() + patience
    while True:
        status, headers, body = server.get(path)
        if status != 503 or time.monotonic() > deadline:
            return status, headers, body
        time.sleep(min(float(headers.get("Retry-After", 1)), 2.0))


def check_dumps(server: Server, built: Path) -> dict[str, int]:
    """Every listed dump answers 200; /dump.ttl is the built file byte for byte; N-Triples holds
    the default graph's triples, N-Quads and JSON-LD every quad of the store. Sizes by path."""
    triples, quads = count(server, TRIPLES), count(server, QUADS)
    sizes = {}
    for path in sorted(listed_dumps(server)):
        status, headers, body = written(server, path)
        assert status == 200, f"{path}: {status} {body[:300]!r}"
        suffix = Path(path).suffix
        if suffix == ".ttl":
            assert body == built.read_bytes(), f"{path} is not the built file {built}"
        parsed = sum(1 for _ in ox.parse(body, format=FORMATS[suffix]))
        assert parsed == (triples if suffix in (".ttl", ".nt") else quads), f"{path}: {parsed} statements"
        sizes[path] = len(body)
    assert set(sizes) == {"/dump.ttl", "/dump.nt", "/dump.nq", "/dump.jsonld"}, sizes
    return sizes
