"""Fixtures for the HTTP layer: the seed graph served by the real command, and an in-process app.

Servers run `ofsted-kg serve` in a child process bound to 127.0.0.1 on a free port (port 0,
the server prints the one it got), stop themselves if the test run dies (--parent-pid), and
are ended by their PID when the session ends.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ofsted_kg.server.app import create_app

HERE = Path(__file__).resolve().parent
W3C = HERE.parent / "fixtures" / "w3c" / "sparql11-protocol"  # vendored from the W3C rdf-tests (see its README)
ID = "https://w3id.org/ofsted-kg/id/"


@dataclass
class Server:
    process: subprocess.Popen
    url: str

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def start_server(*arguments: str) -> Server:
    command = [sys.executable, "-m", "ofsted_kg.graph.cli", "serve", "--host", "127.0.0.1", "--port", "0",
               "--parent-pid", str(os.getpid()), *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"the server did not start: {line!r}")
    return Server(process, match.group(1))


def stop_server(server: Server) -> None:
    os.kill(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()


@pytest.fixture(scope="session")
def seed_ttl(built) -> Path:
    return built[1]


@pytest.fixture(scope="session")
def server(seed_ttl):
    running = start_server("--graph", str(seed_ttl), "--timeout", "2", "--workers", "2")
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
def w3c_server(w3c_data):
    running = start_server("--data", str(w3c_data), "--timeout", "5", "--workers", "2")
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def app(seed_ttl, tmp_path_factory):
    application = create_app({"DATA": [str(seed_ttl)], "TESTING": True, "WORKERS": 1, "QUERY_TIMEOUT": 10,
                              "DUMP_DIR": str(tmp_path_factory.mktemp("dumps"))})
    yield application
    application.extensions["ofsted_kg"].close()


@pytest.fixture()
def client(app):
    return app.test_client()
