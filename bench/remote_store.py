"""The external-engine path measured against the embedded store, on one graph.

    python bench/remote_store.py [GRAPH] [--repeat N] [--queries inspections,judgements] [--engine oxigraph|virtuoso]

Starts `oxigraph serve` (PyPI's oxigraph), or Virtuoso (Debian's virtuoso-opensource, started
as the tests start it: tests/server/virtuoso.py), on 127.0.0.1 with its data in a temporary
folder, loads GRAPH into it with `ofsted-kg publish` (Virtuoso: into a named graph, with its
Digest credentials from the environment, and served as the endpoint URL's dataset), then
times, median of N runs after a warm-up:

- a saved query run in process (Service.saved): the embedded store; the remote store with
  keep-alive connections (as served); the remote store opening a new connection per query;
- the same saved query over HTTP from `ofsted-kg serve --graph` and `ofsted-kg serve --store`
  (each on a free loopback port; the embedded one runs it in its worker pool);
- one run each: publish, opening the service (load or connect, and the parameter names),
  and preparing the four dumps.

Every process it starts is ended by its PID.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import urllib3
from processes import stop  # bench/ is scripts: its folder is on sys.path

from ofsted_kg.server.routes import dumps
from ofsted_kg.server.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: tests.server.virtuoso starts Virtuoso

VALUES = {"la": "Stoke-on-Trent"}  # each saved query timed takes this council


def median_ms(run, repeat: int) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def once(run) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


class NoKeepAlive:
    """A new connection pool, so a new TCP connection, for every query."""

    def request(self, method, url, **options):
        return urllib3.PoolManager(retries=False).request(method, url, **options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], ready: str, stderr=subprocess.DEVNULL) -> subprocess.Popen:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
    line = process.stdout.readline()
    if ready not in line:
        stop(process)
        raise SystemExit(f"did not start: {' '.join(command)}: {line!r}")
    process.first_line = line
    return process


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("graph", nargs="?", type=Path, default=Path("build/ofsted-kg.ttl"))
    options.add_argument("--repeat", type=int, default=20)
    options.add_argument("--queries", default="inspections,judgements", help="saved queries to time, comma-separated")
    options.add_argument("--engine", choices=["oxigraph", "virtuoso"], default="oxigraph")
    args = options.parse_args()
    queries = [(name, VALUES) for name in args.queries.split(",")]
    cli = [sys.executable, "-m", "ofsted_kg"]
    oxigraph = str(Path(sys.executable).with_name("oxigraph"))
    processes = []
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-bench-") as folder:
        try:
            if args.engine == "oxigraph":
                port = free_port()
                processes.append(start([oxigraph, "serve", "--location", f"{folder}/oxigraph", "--bind", f"127.0.0.1:{port}"],
                                       "Listening", stderr=subprocess.STDOUT))  # oxigraph says so on stderr
                base = f"http://127.0.0.1:{port}"
                gsp, query_url, target, env = base + "/store", base + "/query", [], os.environ
            else:
                from tests.server import virtuoso

                running = virtuoso.start(Path(folder) / "virtuoso")
                processes.append(running.process)
                graph = "urn:x-ofsted-kg:bench"
                gsp, query_url, target = running.graph_store, f"{running.query}?default-graph-uri={graph}", ["--named-graph", graph]
                env = {**os.environ, "OFSTED_KG_STORE_USER": virtuoso.USER, "OFSTED_KG_STORE_PASSWORD": virtuoso.PASSWORD}
            seconds, done = once(lambda: subprocess.run([*cli, "publish", "--to", gsp, *target, "--graph", str(args.graph)],
                                                        capture_output=True, text=True, env=env))
            assert done.returncode == 0, done.stderr
            print(f"{args.graph} ({args.engine}): {done.stdout.strip()}\npublish: {seconds:.2f} s")

            opened, embedded = once(lambda: Service.open([args.graph]))
            connected, remote = once(lambda: Service.connect(query_url, timeout=60))
            print(f"open the service: embedded (load the file) {opened:.2f} s, remote (connect) {connected:.2f} s")
            for name, service in (("embedded", embedded), ("remote", remote)):
                seconds, _ = once(lambda: dumps.prepare(service, f"{folder}/dumps-{name}"))
                print(f"prepare the dumps: {name} {seconds:.2f} s")

            fresh = Service.connect(query_url, timeout=60)
            fresh.graph._http = NoKeepAlive()
            print(f"\nin process, median of {args.repeat} (ms):")
            print("| query | embedded | remote, keep-alive | remote, new connection each |\n|---|---|---|---|")
            for name, values in queries:
                figures = [median_ms(lambda s=s: s.saved(name, values, requested="csv"), args.repeat)
                           for s in (embedded, remote, fresh)]
                # The same rows; rows tied in ORDER BY may come in another order from another engine.
                assert sorted(embedded.saved(name, values, requested="csv")[0].body.splitlines()) == sorted(
                    remote.saved(name, values, requested="csv")[0].body.splitlines()
                )
                print(f"| {name} | " + " | ".join(f"{f:.2f}" for f in figures) + " |")

            print(f"\nover HTTP (ofsted-kg serve), median of {args.repeat} (ms):")
            urls = {}
            for name, source in (("embedded", ["--graph", str(args.graph)]), ("remote", ["--store", query_url])):
                server = start([*cli, "serve", "--port", "0", "--parent-pid", str(os.getpid()), *source], "serving")
                processes.append(server)
                urls[name] = server.first_line.rsplit(" on ", 1)[1].strip()
            client = urllib3.PoolManager()
            print("| query | serve --graph | serve --store |\n|---|---|---|")
            for name, values in queries:
                figures = []
                for backend in ("embedded", "remote"):
                    def get(backend=backend):
                        response = client.request("GET", f"{urls[backend]}queries/{name}.csv", fields=values)
                        assert response.status == 200, response.data[:200]
                    figures.append(median_ms(get, args.repeat))
                print(f"| {name} | " + " | ".join(f"{f:.2f}" for f in figures) + " |")
        finally:
            for process in reversed(processes):
                stop(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
