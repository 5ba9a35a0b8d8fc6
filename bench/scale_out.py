"""Throughput with one and with two `serve` processes behind nginx, over one persisted store.

    python bench/scale_out.py [GRAPH] [--clients 8] [--seconds 20] [--processes 1,2]

For each number of processes: starts that many `ofsted-kg serve --graph GRAPH --store-dir DIR`
(the first builds the on-disk store, the others reuse it; CACHE_BYTES=0, so every request runs
its query), nginx on loopback with docs/deployment.md's configuration and its scale-out
upstream (as tests/server/test_deployment.py runs it), then C client threads ask saved queries
in turn for S seconds. Prints requests a second, p50 and p95 latency and any non-200 answer, and
writes bench/results/scale-out-<time>.json. Every process is ended by its PID.

On one machine the processes share its cores: the figure says what a second process adds on
this machine, not what a second machine would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout: the tests' nginx and server starters

from tests.server.conftest import start_server, stop_server  # noqa: E402
from tests.server.test_deployment import nginx_in_front  # noqa: E402

REQUESTS = [
    "queries/judgements.csv?la=Stoke-on-Trent",
    "queries/inspections.csv?la=Stoke-on-Trent",
    "queries/current_grades.csv",
    "queries/inspection_team.csv?inspection=stoke-on-trent/sif/2015-06-01",
]


def load(public: str, clients: int, seconds: float) -> dict:
    pool = urllib3.PoolManager(maxsize=clients, retries=False, timeout=urllib3.Timeout(connect=5, read=60))
    times: list[float] = []
    failures: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            response = pool.request("GET", public + REQUESTS[i % len(REQUESTS)])
            took = time.perf_counter() - started
            with lock:
                if response.status == 200:  # any other answer is counted apart, not timed
                    times.append(took)
                else:
                    failures[response.status] = failures.get(response.status, 0) + 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {
        "requests_per_second": round(len(times) / seconds, 1),
        "p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "p95_ms": round(times[int(len(times) * 0.95)] * 1000, 1) if times else None,
        "answered": len(times),
        "failures": failures,
    }


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("graph", nargs="?", type=Path, default=Path("build/ofsted-kg.ttl"))
    options.add_argument("--clients", type=int, default=8)
    options.add_argument("--seconds", type=float, default=20)
    options.add_argument("--processes", default="1,2")
    args = options.parse_args()
    os.environ["OFSTED_KG_CACHE_BYTES"] = "0"  # every request runs its query: the servers' own work
    results = []
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-scale-") as folder:
        for count in [int(n) for n in args.processes.split(",")]:
            servers = []
            try:
                for _ in range(count):  # one after another: the first builds the store, the rest reuse it
                    servers.append(start_server("--graph", str(args.graph), "--store-dir", f"{folder}/store"))
                upstreams = [s.url.removeprefix("http://") for s in servers]
                if count == 1:
                    proxy = nginx_in_front(Path(folder) / f"nginx-{count}", upstreams)
                else:
                    proxy = nginx_in_front(Path(folder) / f"nginx-{count}", (upstreams * 2)[:2], scale_out=True)
                with proxy as public:
                    load(public, args.clients, 3)  # warm-up: workers started, connections made
                    figures = {"processes": count, "clients": args.clients, "seconds": args.seconds,
                               **load(public, args.clients, args.seconds), "load_average": os.getloadavg()[0]}
            finally:
                for server in servers:
                    stop_server(server)
            results.append(figures)
            print(json.dumps(figures))
    out = Path(__file__).resolve().parent / "results" / f"scale-out-{time.strftime('%Y-%m-%d-%H%M')}.json"
    out.write_text(json.dumps({"graph": str(args.graph), "requests": REQUESTS, "runs": results}, indent=2) + "\n")
    print("| processes | requests/s | p50 ms | p95 ms | non-200 | load average |\n|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['processes']} | {r['requests_per_second']} | {r['p50_ms']} | {r['p95_ms']} | {sum(r['failures'].values())} | {r['load_average']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
