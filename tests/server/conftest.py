"""Fixtures for the HTTP layer: the seed graph served by the real command, and an in-process app.

Servers run `ofsted-kg serve` in a child process bound to 127.0.0.1 on a free port (port 0,
the server prints the one it got), stop themselves if the test run dies (--parent-pid), and
are ended by their PID when the session ends.

`server` and `app` come in two backends, so every test that uses them runs on both: the
embedded store (the graph file loaded into pyoxigraph), and `serve --store` against an
`oxigraph serve` (PyPI's oxigraph) on loopback, loaded once per session by `ofsted-kg publish`.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from urllib.parse import quote
from dataclasses import dataclass
from pathlib import Path

import pytest

from ofsted_kg.server.app import create_app, start

HERE = Path(__file__).resolve().parent
W3C = HERE.parent / "fixtures" / "w3c" / "sparql11-protocol"  # vendored from the W3C rdf-tests (see its README)
ID = "https://w3id.org/ofsted-kg/id/"
W3C_GRAPH = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
BACKENDS = ["embedded", "remote"]
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    engine: str = "embedded"

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def start_server(*arguments: str) -> Server:
    command = [sys.executable, "-m", "ofsted_kg", "serve", "--host", "127.0.0.1", "--port", "0",
               "--parent-pid", str(os.getpid()), *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"the server did not start: {line!r}")
    return Server(process, match.group(1))


def stop_server(server) -> None:
    """End a server (ours or oxigraph) by its PID: SIGTERM, then SIGKILL after 10 s."""
    _end(server.process)


@dataclass
class Oxigraph:
    process: subprocess.Popen
    url: str

    @property
    def query(self) -> str:
        return self.url + "/query"

    @property
    def store(self) -> str:
        return self.url + "/store"


def start_oxigraph(folder: Path, *options: str) -> Oxigraph:
    """`oxigraph serve` on 127.0.0.1, its data in `folder`. It cannot say which port it got for
    port 0, so a free one is picked first (and another tried if it was taken meanwhile)."""
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", *options],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready, _, _ = select.select([process.stdout], [], [], 10)
        line = process.stdout.readline() if ready else ""
        if "Listening for requests" in line:
            return Oxigraph(process, f"http://127.0.0.1:{port}")
        _end(process)
    raise RuntimeError(f"oxigraph did not start: {line!r}")


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (its query workers), from /proc's children lists."""
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


def publish(*arguments: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ofsted_kg", "publish", *arguments],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def seed_ttl(built) -> Path:
    return built[1]


@pytest.fixture(scope="session")
def seed_store(seed_ttl, tmp_path_factory) -> Oxigraph:
    """An oxigraph server holding the seed graph, loaded by `ofsted-kg publish`. Its own time
    limit matches the app's, so a query past ours is also stopped there."""
    running = start_oxigraph(tmp_path_factory.mktemp("oxigraph"), "--timeout-s", "10")
    loaded = publish("--to", running.store, "--graph", str(seed_ttl))
    assert loaded.returncode == 0, loaded.stderr
    yield running
    stop_server(running)


def source(request, seed_ttl) -> list[str]:
    """serve's options for the backend a parametrized fixture is running with."""
    if request.param == "embedded":
        return ["--graph", str(seed_ttl)]
    return ["--store", request.getfixturevalue("seed_store").query, "--text-dir", str(seed_ttl.parent / "text")]


@pytest.fixture(scope="session", params=BACKENDS)
def server(request, seed_ttl):
    running = start_server(*source(request, seed_ttl), "--timeout", "2", "--workers", "2")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def w3c_data(tmp_path_factory) -> Path:
    """data1-3.nt from the W3C suite, each in the named graph its manifest gives it."""
    out = tmp_path_factory.mktemp("w3c") / "protocol.nq"
    lines = []
    for n in (1, 2, 3):
        graph = f"<http://kasei.us/2009/09/sparql/data/data{n}.rdf>"
        for line in (W3C / f"data{n}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" {graph} .")
    out.write_text("\n".join(lines) + "\n")
    return out


@pytest.fixture(scope="session")
def virtuoso_store(tmp_path_factory):
    """A real Virtuoso on loopback for the session (tests/server/virtuoso.py); skipped where
    it is not installed, unless OFSTED_KG_REQUIRE_VIRTUOSO=1."""
    from . import virtuoso

    running = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield running
    running.stop()


W3C_ENGINES = ["embedded", "virtuoso"]


@pytest.fixture(scope="session", params=W3C_ENGINES)
def w3c_server(request, w3c_data):
    """Our server over the W3C suite's data: from the files, and over Virtuoso, which holds
    data1-3 as named graphs (published by `ofsted-kg publish`) and serves them as the dataset
    the endpoint URL names."""
    if request.param == "embedded":
        running = start_server("--data", str(w3c_data), "--timeout", "5", "--workers", "2")
    else:
        from . import virtuoso

        store = request.getfixturevalue("virtuoso_store")
        folder = w3c_data.parent
        for n in (1, 2, 3):
            (folder / f"data{n}.nt").write_text((W3C / f"data{n}.nt").read_text())
            done = publish("--to", store.graph_store, "--named-graph", W3C_GRAPH.format(n), "--graph", str(folder / f"data{n}.nt"),
                           env={"OFSTED_KG_STORE_USER": virtuoso.USER, "OFSTED_KG_STORE_PASSWORD": virtuoso.PASSWORD})
            assert done.returncode == 0, done.stderr
        dataset = "&".join("named-graph-uri=" + quote(W3C_GRAPH.format(n), safe="") for n in (1, 2, 3))
        running = start_server("--store", f"{store.query}?{dataset}", "--timeout", "5")
    running.engine = request.param
    yield running
    stop_server(running)


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, seed_ttl, tmp_path_factory):
    backend = ({"DATA": [str(seed_ttl)]} if request.param == "embedded" else
               {"STORE": request.getfixturevalue("seed_store").query, "TEXT_DIR": str(seed_ttl.parent / "text")})
    application = start(create_app({**backend, "TESTING": True, "WORKERS": 1, "QUERY_TIMEOUT": 10,
                                    "DUMP_DIR": str(tmp_path_factory.mktemp("dumps"))}))
    yield application
    application.extensions["ofsted_kg"].close()


@pytest.fixture()
def client(app):
    return app.test_client()
