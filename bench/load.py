"""A bounded load generator: N clients on keep-alive connections to 127.0.0.1, a fixed number of requests and a time cap.

Each client is a thread with its own http.client connection sending the same request back
to back (closed loop: a new request as soon as the last answer is read). The run stops when
the requests are used up or the time cap passes, whichever is first; it reports completed
requests per second and the 50th and 99th percentile latency. Threads share the machine with
the server (2 cores here), as any load generator on the same host does: compare within a run.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass
class LoadResult:
    clients: int
    requests: int  # completed with 200
    errors: int
    seconds: float
    per_second: float
    p50_ms: float | None
    p99_ms: float | None


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=100, method="inclusive")[int(q) - 1]


def run(port: int, request, clients: int, total: int, seconds: float) -> LoadResult:
    """`request` is (method, path, body, headers); `total` requests at most, `seconds` at most."""
    method, path, body, headers = request
    remaining = [total]
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=max(seconds, 1) + 30)
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=max(seconds, 1) + 30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return LoadResult(clients, len(latencies), errors[0], elapsed, len(latencies) / elapsed if elapsed else 0.0,
                      None if not latencies else percentile(latencies, 50) * 1000,
                      None if not latencies else percentile(latencies, 99) * 1000)
