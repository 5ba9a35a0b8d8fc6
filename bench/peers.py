"""The engines measured, each started on one graph file and stopped before the next starts.

In process (timed inside bench/child.py): `store` (pyoxigraph, the floor), `json` (the store
plus our result writer), `rdflib` (rdflib's in-memory engine). Over HTTP on 127.0.0.1 (timed
by the client, a keep-alive connection): `ours` (`ofsted-kg serve`, its saved-query routes,
cache on; the whole answer, `limit` = MAX_ROWS; timed once every worker has its copy in memory
and the dumps a first start writes are written, up to run.py's --dumps-wait; whether they were is recorded), `ours-uncached` (the same with CACHE_BYTES=0), `ours-page` (uncached, the
first page a client gets by default), `rdflib-endpoint` (its CLI, on
rdflib's in-memory store), `oxigraph` (the `oxigraph` server from PyPI, read-only on a store
`oxigraph load` prepared). Every server is a child process ended by its PID.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

WORKERS = 4  # serve's default SAVED_WORKERS + WORKERS: each loads its copy in memory (WORKER_STORE=auto)

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


class TimedOut(Exception):
    pass


@dataclass
class Bound:
    """A saved query as the endpoint runs it: its name, the values sent, the text they bind to."""

    name: str
    values: dict
    text: str


@dataclass
class Measure:
    rows: int | None = None
    times: list = field(default_factory=list)
    error: str | None = None  # "timeout" or the engine's message

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times) * 1000 if self.times else None


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the server and its workers)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _end(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


class ChildEngine:
    """bench/child.py: load, then time queries inside the child; ended and restarted past a limit."""

    def __init__(self, kind: str, graph: Path, load_timeout: float):
        self.key, self.graph, self.load_timeout = kind, graph, load_timeout
        self.process = None

    def start(self) -> dict:
        started = time.perf_counter()
        self._buffer = b""
        self.process = subprocess.Popen([sys.executable, str(HERE / "child.py"), self.key, str(self.graph)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        reply = self._read(self.load_timeout)
        return {"load_s": reply["load_s"], "triples": reply["triples"], "first_answer_s": time.perf_counter() - started,
                "rss_mb": tree_rss_mb(self.process.pid)}

    def _read(self, timeout: float) -> dict:
        # Read the pipe's bytes ourselves: a buffered readline could hold the next line where
        # select() no longer sees it.
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimedOut(f"no answer in {timeout:g} s")
            chunk = os.read(self.process.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError(f"{self.key} ended (exit code {self.process.wait()})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def request(self, obj: dict, timeout: float) -> dict:
        self.process.stdin.write(json.dumps(obj) + "\n")
        self.process.stdin.flush()
        return self._read(timeout)

    def measure(self, query: Bound, repeats: int, timeout: float, budget: float) -> Measure:
        slack = 30 if self.key == "rdflib" else 0  # the child stops rdflib's queries itself, at `timeout`
        try:
            warm = self.request({"op": "time", "query": query.text, "repeats": repeats, "budget": budget,
                                 "timeout": timeout}, timeout + slack)
            if "error" in warm:
                return Measure(error=warm["error"])
            done = self._read(timeout * repeats + budget + slack)
        except TimedOut:
            # The engine cannot be interrupted: end it and load the graph again for the next query.
            self.stop()
            self.start()
            return Measure(error="timeout")
        if "error" in done:
            return Measure(error=done["error"])
        return Measure(done["rows"], done["times"])

    def rss_mb(self) -> float:
        return tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        if self.process:
            self.process.stdin.close()
            _end(self.process)
            self.process = None


class HttpEngine:
    """A server child process asked over one keep-alive HTTP connection on 127.0.0.1."""

    key = "http"
    own_limit = False  # True: the server stops a query at `timeout` itself

    def __init__(self, graph: Path, timeout: float, load_timeout: float, first: Bound):
        self.graph, self.timeout, self.load_timeout, self.first = graph, timeout, load_timeout, first
        self.process, self.port, self.conn, self.prepare_s = None, None, None, 0.0

    # Subclasses: command(), env(), and request(bound) -> (method, path, body, headers).
    def env(self) -> dict:
        return dict(os.environ)

    def stderr(self):
        return open(os.devnull, "w")

    def request(self, query: Bound):
        body = urlencode({"query": query.text})
        return "POST", self.sparql_path, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT}

    def start(self) -> dict:
        self.port = free_port()
        started = time.perf_counter()
        self.launched = started
        with self.stderr() as err:
            self.process = subprocess.Popen(self.command(), env=self.env(), stdout=subprocess.DEVNULL, stderr=err)
        # Time to first answer: poll the first query until it answers 200 (the server loads first).
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.key} exited with {self.process.returncode} while starting")
            if time.perf_counter() - started > self.load_timeout:
                self.stop()
                raise TimedOut(f"not answering after {self.load_timeout:g} s")
            try:
                status, _ = self.fetch(self.first, timeout=self.load_timeout)
                if status == 200:
                    break
            except OSError:
                self.conn = None
                time.sleep(0.05)
        return {"prepare_s": self.prepare_s, "first_answer_s": time.perf_counter() - started,
                "rss_mb": tree_rss_mb(self.process.pid)}

    def fetch(self, query: Bound, timeout: float | None = None) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.timeout)
        method, path, body, headers = self.request(query)
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise

    def measure(self, query: Bound, repeats: int, timeout: float, budget: float) -> Measure:
        times, rows = [], None
        try:
            for attempt in range(repeats + 1):  # the first is the warm-up (and, for ours, fills the cache)
                started = time.perf_counter()
                # A server with its own limit answers at the limit; the client waits a little longer.
                status, body = self.fetch(query, timeout + (10 if self.own_limit else 0))
                elapsed = time.perf_counter() - started
                if status != 200 and elapsed >= timeout * 0.9:
                    return Measure(error="timeout")
                if status != 200:
                    return Measure(error=f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}")
                try:
                    rows = count_rows(body)
                except ValueError:  # a server that streams may cut its answer at its own time limit
                    return Measure(error="timeout" if elapsed >= timeout * 0.9 else
                                   f"a malformed answer ({len(body):,} bytes) after {elapsed:.1f} s")
                if attempt:
                    times.append(elapsed)
                if sum(times) + (elapsed if not attempt else 0) > budget and times:
                    break
                if not attempt and elapsed > budget:  # one run is all a slow query gets
                    repeats = 1
        except (socket.timeout, TimeoutError):
            self.restart_after_timeout()
            return Measure(error="timeout")
        return Measure(rows, times)

    def restart_after_timeout(self) -> None:
        """A server that keeps working on an abandoned query would slow the next: start it afresh."""
        self.stop()
        self.start()

    def rss_mb(self) -> float:
        return tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        if self.conn:
            self.conn.close()
            self.conn = None
        if self.process:
            _end(self.process)
            self.process = None


def count_rows(body: bytes) -> int:
    if body.lstrip().startswith(b"{"):
        data = json.loads(body)
        return 1 if "boolean" in data else len(data["results"]["bindings"])
    return sum(1 for line in body.splitlines() if line.strip())  # N-Triples


class Ours(HttpEngine):
    key = "ours"
    own_limit = True
    cache_bytes = 64_000_000

    def command(self) -> list[str]:
        return [str(BIN / "ofsted-kg"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                "--data", str(self.graph), "--timeout", str(self.timeout), "--parent-pid", str(os.getpid())]

    def env(self) -> dict:
        # Same work as the peers: no row or byte cap, no address-space cap on workers of a big graph.
        return dict(os.environ, OFSTED_KG_CACHE_BYTES=str(self.cache_bytes), OFSTED_KG_MAX_ROWS=str(10**9),
                    OFSTED_KG_MAX_RESPONSE_BYTES=str(10**12), OFSTED_KG_WORKER_MEMORY_MB="0")

    whole = True  # the whole answer (limit = MAX_ROWS), as every other engine gives it
    dumps_wait = 600.0  # seconds to wait for the dumps a first start writes (run.py --dumps-wait)

    def request(self, query: Bound):
        values = {**query.values, "limit": str(10**9)} if self.whole else query.values
        path = f"/queries/{query.name}" + (f"?{urlencode(values)}" if values else "")
        return "GET", path, None, {"Accept": ACCEPT}

    def start(self) -> dict:
        self.log = Path(tempfile.mkstemp(prefix="ofsted-kg-bench-serve-", suffix=".log")[1])
        started = super().start()
        # Workers answer from the persisted store until their copies in memory are loaded
        # (WORKER_STORE): the queries are timed once every worker says it has its copy.
        deadline = time.perf_counter() + self.load_timeout
        while time.perf_counter() < deadline:
            text = self.log.read_text(errors="replace")
            if "copies in memory: no" in text or text.count("answers from its copy in memory") >= WORKERS:
                break
            time.sleep(0.2)
        started["copies_s"] = time.perf_counter() - self.launched
        # Dumps a first start writes in the background share the two cores with the timed
        # queries (at England, with statements, a core for minutes): the queries are timed once
        # they are written, up to `dumps_wait` seconds (at 10x they take longer); the results
        # say whether they were.
        deadline = time.perf_counter() + self.dumps_wait
        while not (written := self._dumps_written()) and time.perf_counter() < deadline:
            time.sleep(1.0)
        started["dumps_written"] = written
        started["dumps_s"] = time.perf_counter() - self.launched
        if self.conn:  # idle while the copies loaded: the server may have closed it (CHANNEL_TIMEOUT)
            self.conn.close()
            self.conn = None
        return started

    def stderr(self):
        return self.log.open("w")

    def _dumps_written(self) -> bool:
        """The dumps are written in the background after a first start: not while queries are timed."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("HEAD", "/dump.nq")
            return connection.getresponse().status != 503
        except OSError:
            return False
        finally:
            connection.close()

    def restart_after_timeout(self) -> None:
        pass  # its time limit ends the query's worker and answers 503 (counted as a timeout)


class OursUncached(Ours):
    key = "ours-uncached"
    cache_bytes = 0


class OursPage(OursUncached):
    """The first page a client gets by default (paging.PAGE_SIZE rows), uncached."""

    key = "ours-page"
    whole = False


class RdflibEndpoint(HttpEngine):
    key = "rdflib-endpoint"
    sparql_path = "/"

    def command(self) -> list[str]:
        return [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(self.port), str(self.graph)]


class Oxigraph(HttpEngine):
    key = "oxigraph"
    own_limit = True
    sparql_path = "/query"

    def start(self) -> dict:
        self.folder = Path(tempfile.mkdtemp(prefix="ofsted-kg-bench-oxigraph-"))
        started = time.perf_counter()
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(self.folder), "--file", str(self.graph)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=self.load_timeout)
        self.prepare_s = time.perf_counter() - started
        return super().start()

    def command(self) -> list[str]:
        return [str(BIN / "oxigraph"), "serve-read-only", "--location", str(self.folder),
                "--bind", f"127.0.0.1:{self.port}", "--timeout-s", str(int(self.timeout))]

    def restart_after_timeout(self) -> None:
        pass  # its --timeout-s ends the query

    def stop(self) -> None:
        super().stop()
        if getattr(self, "folder", None) and self.process is None:
            shutil.rmtree(self.folder, ignore_errors=True)


HTTP_ENGINES = {e.key: e for e in (Ours, OursUncached, OursPage, RdflibEndpoint, Oxigraph)}
CHILD_ENGINES = ("store", "json", "rdflib")
