"""One in-process engine in its own process, timed from inside: the store (the floor) or rdflib.

    python bench/child.py store|json|rdflib GRAPH

Prints `{"ready": true, "load_s": ...}` once the graph is loaded, then answers one JSON
request a line on stdin with one JSON line on stdout:

    {"op": "time", "query": TEXT, "repeats": N, "budget": SECONDS}
        -> {"rows": R, "warm_s": T, "times": [..]} after one warm-up run (it is reported
           first, as {"warm_s": T, "rows": R}, so the parent can stop a query past its limit)
    {"op": "bind", "values": {...}}  (store only) -> {"queries": {name: bound text}}

Kinds: `store` runs pyoxigraph's Store.query and reads every row (the floor: the engine
alone); `json` adds the endpoint's own result writer (execution.run, SPARQL JSON), to see
what serialisation costs; `rdflib` parses the graph into rdflib's in-memory Graph and runs
Graph.query. A separate process so its memory is freed when it ends and a query past the
limit can be stopped by ending it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def _emit(obj) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _engine(kind: str, graph: Path):
    if kind == "rdflib":
        from rdflib import Graph

        g = Graph()
        g.parse(str(graph), format="nt" if graph.suffix == ".nt" else "turtle")
        return g, lambda text: sum(1 for _ in g.query(text))
    from ofsted_kg.server.query import execution, guard, paging
    from ofsted_kg.server.store import rdf_files

    s = rdf_files.load([graph])
    if kind == "store":
        return s, lambda text: sum(1 for _ in s.query(text))

    def with_writer(text: str) -> int:
        # As the endpoint runs a saved query's whole answer (`limit` = MAX_ROWS, as the bench asks
        # `ours`): its LIMIT in the query, so pyoxigraph's own writer can write it (native_json.py).
        paged = paging.apply(text, paging.Page(10**9))
        job = execution.Job(paged, guard.inspect(text), "json", max_rows=10**9, max_bytes=10**12, limited=True)
        return execution.run(s, job).rows

    return s, with_writer


def _bind(engine, values_by_query: dict) -> dict:
    from ofsted_kg.server.query import catalogue

    queries = catalogue.load()
    names = catalogue.Names(engine, queries)
    return {name: catalogue.bind(queries[name], values, names) for name, values in values_by_query.items()}


def main() -> int:
    kind, graph = sys.argv[1], Path(sys.argv[2])
    started = time.perf_counter()
    engine, run = _engine(kind, graph)
    _emit({"ready": True, "load_s": time.perf_counter() - started, "triples": len(engine)})
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "bind":
            _emit({"queries": _bind(engine, request["values"])})
        elif kind == "rdflib":
            _in_fork(run, request)
        else:
            _time(run, request, _emit)
    return 0


def _time(run, request: dict, emit) -> None:
    try:
        started = time.perf_counter()
        rows = run(request["query"])
        warm = time.perf_counter() - started
        emit({"warm_s": warm, "rows": rows})
        # As timeit's autorange: fewer runs of a slow query, so a run stays within its budget.
        runs = max(1, min(request["repeats"], int(request["budget"] / max(warm, 1e-6))))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            rows = run(request["query"])
            times.append(time.perf_counter() - started)
        emit({"rows": rows, "warm_s": warm, "times": times})
    except Exception as error:  # the engine refusing a query is a result, not a crash
        emit({"error": f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"[:300]})


def _in_fork(run, request: dict) -> None:
    """rdflib cannot be interrupted and takes minutes to load a big graph: each query runs in a
    fork (the graph shared copy-on-write), killed at the time limit, so no reload is needed."""
    import select
    import signal

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        out = os.fdopen(write, "w")
        _time(run, request, lambda obj: (out.write(json.dumps(obj) + "\n"), out.flush()))
        os._exit(0)
    os.close(write)
    deadline = time.monotonic() + request["timeout"]
    buffer, lines = b"", 0
    while True:
        ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(read, 1 << 16) if ready else None
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            sys.stdout.write(line.decode() + "\n")
            sys.stdout.flush()
            lines += 1
            deadline = time.monotonic() + request["timeout"] * request["repeats"] + request["budget"]
    if not ready:
        os.kill(pid, signal.SIGKILL)
        _emit({"error": "timeout"})
    elif lines == 0:
        _emit({"error": "the query's process ended without an answer"})
    os.waitpid(pid, 0)
    os.close(read)


if __name__ == "__main__":
    sys.exit(main())
