"""The soak: 16 concurrent clients for 60 s on loopback against the seed graph.

One probe (in this process) asks the cheap query, the saved query `inspections` for one
council, every 20 ms, with the saved-query cache off so that every probe reaches a worker; fifteen load clients (in another process, load.py) mix saved queries,
raw SPARQL, dump downloads (one every 0.25 s each) and pathological queries that only the
time limit ends. The probe's p99 is measured idle first, in the same test, then under load.
"""

from __future__ import annotations

import http.client
import multiprocessing
import shutil
import statistics
import time
import urllib.parse

import pytest

from . import load
from .conftest import cpu_seconds, descendants, dumps_written, serve, stop, tree_rss_mb

pytestmark = pytest.mark.reliability
TIMEOUT = 2.0  # the server's query time limit in this test
SECONDS = 60
CHEAP = "/queries/inspections.json?la=Stoke-on-Trent"
RSS_CAP_MB = 1500  # the server and its 4 workers on the seed graph use about 400 MB (README, Reliability)


def _p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


class Probe:
    def __init__(self, url: str):
        address = urllib.parse.urlsplit(url)
        self.host, self.port = address.hostname, address.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def once(self) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", CHEAP)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        return response.status, time.perf_counter() - started

    def sample(self, seconds: float, every: float = 0.02, watch=None) -> list[tuple[int, float]]:
        out, deadline, last_watch = [], time.monotonic() + seconds, 0.0
        while time.monotonic() < deadline and len(out) < 100_000:
            out.append(self.once())
            if watch and time.monotonic() - last_watch >= 1.0:
                watch()
                last_watch = time.monotonic()
            time.sleep(every)
        return out


def _saved_paths(server) -> list[str]:
    import json

    status, _, body = server.get("/queries.json")
    assert status == 200
    paths = []
    for query in json.loads(body)["queries"]:
        params = {name: p["example"] for name, p in query["params"].items() if p.get("example") is not None}
        if all(name in params for name, p in query["params"].items() if p["required"]):
            paths.append(f"/queries/{query['name']}.json?" + urllib.parse.urlencode(params))
    assert len(paths) >= 8
    return paths


def _all_idle(pids: list[int], window: float = 1.0) -> bool:
    before = {pid: cpu_seconds(pid) for pid in pids}
    time.sleep(window)
    return all(before[pid] is None or (cpu_seconds(pid) or before[pid]) - before[pid] < 0.05 for pid in pids)


def test_soak(built, tmp_path):
    data = tmp_path / "data" / "ofsted-kg.ttl"
    data.parent.mkdir()
    shutil.copyfile(built[1], data)
    server = serve(tmp_path, "--graph", str(data), "--timeout", str(TIMEOUT), "--workers", "2", "--threads", "32",
                   env={"OFSTED_KG_SAVED_WORKERS": "2", "OFSTED_KG_DUMP_DIR": str(tmp_path / "dumps"),
                        # No saved-query cache: every cheap probe reaches a worker, the worst case.
                        "OFSTED_KG_CACHE_BYTES": "0"})
    try:
        saved_paths = _saved_paths(server)
        dumps_written(server)  # the steady state: under load, the dumps' low priority would leave them 503
        probe = Probe(server.url)
        probe.sample(2)  # warm up: every worker has answered once, pages are in the cache
        idle = probe.sample(6)
        assert all(status == 200 for status, _ in idle)
        idle_p99 = _p99([t for _, t in idle])

        rss: list[float] = []
        results = multiprocessing.get_context("spawn").Queue()
        loader = multiprocessing.get_context("spawn").Process(target=load.run,
                                                              args=(server.url, saved_paths, SECONDS, results))
        loader.start()
        loaded = probe.sample(SECONDS, watch=lambda: rss.append(tree_rss_mb(server.process.pid)))
        tally = results.get(timeout=120)
        loader.join(timeout=30)
        assert loader.exitcode == 0

        loaded_p99 = _p99([t for status, t in loaded if status == 200])
        print(f"\nsoak: idle p99 {idle_p99 * 1000:.1f} ms ({len(idle)} requests), loaded p99 "
              f"{loaded_p99 * 1000:.1f} ms ({len(loaded)} requests), peak RSS {max(rss):.0f} MB, tally {tally}")

        # No 5xx but the documented 503 (timeout or busy, with its JSON body), no broken connection.
        bad = {k: v for k, v in tally.items() if k.split()[1][0] == "5" and k.split()[1:] not in
               (["503", "timeout"], ["503", "busy"])}
        assert bad == {}, bad
        assert not any("connection-error" in k or "short-body" in k or "no-json-body" in k for k in tally), tally
        assert all(status == 200 for status, _ in loaded), "the cheap query must never be refused"
        # The load really happened: pathological queries were stopped, the rest were answered.
        assert tally.get("pathological 503 timeout", 0) >= 10, tally
        for kind in ("saved 200", "sparql 200", "dump 200"):
            assert tally.get(kind, 0) >= 20, (kind, tally)

        # The lanes' promise: the cheap query never queues behind a query that only the time limit
        # ends. Without them its p99 is the time limit itself (a probe waits for a worker that a
        # pathological query holds for TIMEOUT). The idle-to-loaded ratio is printed above, not
        # asserted: on a shared two-core machine it measures the neighbours as much as the server
        # (3.6x was seen with four other builds running, 1.6x without).
        assert loaded_p99 < TIMEOUT / 2, (loaded_p99, idle_p99)

        assert max(rss) < RSS_CAP_MB, rss
        third = len(rss) // 3
        assert max(rss[-third:]) <= max(rss[:third]) * 1.25 + 50, f"memory kept growing: {rss}"

        # Every worker is idle again within the time limit and a margin: stopped, not spinning.
        workers = descendants(server.process.pid)
        deadline = time.monotonic() + TIMEOUT + 10
        while not _all_idle(workers) and time.monotonic() < deadline:
            pass
        assert _all_idle(workers), "a worker still burns CPU after the load stopped"
    finally:
        stop(server)
