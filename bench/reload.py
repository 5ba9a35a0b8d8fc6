"""How long a running server takes to serve a replaced graph file (server/store/reload.py), against
how long a fresh start takes on the same file: `serve` is started on a copy of the graph,
the copy is replaced by the same graph plus one triple, and the endpoint is asked every
0.1 s until it answers with that triple; a client asking a saved query all the while counts
every answer that was not 200 (none may be).

    python bench/reload.py [GRAPH]   (default build/ofsted-kg.ttl)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ASK = 'ASK { <urn:ofsted-kg:bench> <urn:ofsted-kg:bench> "reloaded" }'


def start(graph: Path, store: Path) -> tuple[subprocess.Popen, str, float]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(graph), "--port", "0",
                                "--store-dir", str(store), "--parent-pid", str(os.getpid())],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "OFSTED_KG_RELOAD_POLL": "0.2"})
    url = re.search(r"on (http://127\.0\.0\.1:\d+)/", process.stdout.readline())[1]
    return process, url, time.perf_counter() - started


def asks(url: str) -> bool:
    query = urllib.parse.urlencode({"query": ASK})
    request = urllib.request.Request(f"{url}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return b"true" in answer.read()


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "build/ofsted-kg.ttl")
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-reload-") as folder:
        graph = Path(folder) / "ofsted-kg.ttl"
        shutil.copy(source, graph)
        process, url, start_seconds = start(graph, Path(folder) / "store")
        failures, answers, stop = [], [0], threading.Event()

        def client():
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(f"{url}/queries/inspections.json?la=Stoke-on-Trent", timeout=60) as r:
                        r.read()
                        answers[0] += 1
                except Exception as error:  # any failure is a dropped request
                    failures.append(repr(error))

        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        try:
            staged = graph.with_name("staged.ttl")
            shutil.copy(source, staged)
            with staged.open("a", encoding="utf-8") as f:
                f.write('\n<urn:ofsted-kg:bench> <urn:ofsted-kg:bench> "reloaded" .\n')
            replaced = time.perf_counter()
            os.replace(staged, graph)
            while not asks(url):
                time.sleep(0.1)
            reload_seconds = time.perf_counter() - replaced
            time.sleep(1)
        finally:
            stop.set()
            thread.join(60)
            process.terminate()
            process.wait(30)
        fresh, _, restart_seconds = start(graph, Path(folder) / "store2")
        fresh.terminate()
        fresh.wait(30)
    print(f"graph {source} ({source.stat().st_size:,} bytes), load average {os.getloadavg()[0]:.2f}")
    print(f"start-up to listening: {start_seconds:.1f} s; a fresh start on the new file: {restart_seconds:.1f} s")
    print(f"file replaced to new version answered: {reload_seconds:.1f} s; answers meanwhile: {answers[0]}, "
          f"failed: {len(failures)} {failures[:3]}")


if __name__ == "__main__":
    main()
