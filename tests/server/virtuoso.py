"""A real Virtuoso (Debian's virtuoso-opensource, `virtuoso-t`) started for the tests on loopback.

Its database lives in a temporary folder; both its ports (SQL and HTTP) bind to 127.0.0.1 on
free ports picked first. It runs in the foreground (`-f`) as our child, so it is ended by its
PID. Its Graph Store endpoint `/sparql-graph-crud-auth` wants HTTP Digest as user `dba`
(password `dba` on a new database): `publish` gets them from the environment, as a user would.

Where `virtuoso-t` is missing the tests that need it are skipped with the reason, unless
OFSTED_KG_REQUIRE_VIRTUOSO=1 (as CI sets, after installing the package): then they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO = shutil.which("virtuoso-t")
USER, PASSWORD = "dba", "dba"  # a new Virtuoso database's administrator
VSP = Path("/var/lib/virtuoso-opensource-7/vsp")
INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = {folder}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 8
MaxClientConnections = 8
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    process: subprocess.Popen
    url: str
    folder: Path

    @property
    def query(self) -> str:
        return self.url + "/sparql"

    @property
    def graph_store(self) -> str:
        return self.url + "/sparql-graph-crud-auth"

    def stop(self) -> None:
        """End it by its PID: SIGTERM (it checkpoints and exits), SIGKILL after 30 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def available() -> None:
    """Skip (or, where CI requires it, fail) when Virtuoso is not installed."""
    if VIRTUOSO is None:
        if os.environ.get("OFSTED_KG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("virtuoso-t is not installed (apt-get install virtuoso-opensource), and OFSTED_KG_REQUIRE_VIRTUOSO=1")
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(folder: Path, wait: float = 120.0) -> Virtuoso:
    available()
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(3):  # a port taken between the probe and Virtuoso's bind: try others
        sql_port, http_port = _free_port(), _free_port()
        (folder / "virtuoso.ini").write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port, vsp=VSP))
        log = (folder / "stdout.log").open("w")
        process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
        running = Virtuoso(process, f"http://127.0.0.1:{http_port}", folder)
        deadline = time.monotonic() + wait  # a first start creates the database: seconds on a busy machine
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(running.query + "?query=ASK%7B%7D", timeout=5) as answer:
                    if answer.status == 200:
                        return running
            except OSError:
                time.sleep(0.5)
        running.stop()
    tail = (folder / "stdout.log").read_text()[-2000:]
    raise RuntimeError(f"Virtuoso did not start:\n{tail}")
