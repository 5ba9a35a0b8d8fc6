"""Start-up to first answer, and resident memory of the server and its workers.

    python bench/startup_memory.py GRAPH [--command path/to/ofsted-kg] [--runs 2] [-- serve options]

Starts `ofsted-kg serve --graph GRAPH` on 127.0.0.1 (a free port), times from launch to the
first answer of a cheap query (count the councils), then sums VmRSS of
the server and every process below it (its query workers) after a few queries, once the workers
have their copies in memory (WORKER_STORE); stops it by
PID. Run it twice on a fresh store folder to see the first start (store built) and the next
ones (store reused). `--command` runs another installation (e.g. one of the commit before the
persisted store, to compare).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from processes import stop  # bench/ is scripts: its folder is on sys.path

# A query every graph answers at once; the saved `inspections` is not one on the England graph
# (over a minute there: it gathers every inspection's sources before filtering by council).
CHEAP = "/sparql?query=" + urllib.parse.quote(
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/ofsted-kg/def#LocalAuthority> }")


def tree(pid: int) -> list[int]:
    out, todo = [pid], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


def rss_mb(pid: int) -> float:
    try:
        line = next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024


def cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have used, with their children that ended."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def measure(command: list[str], graph: str, extra: list[str]) -> dict:
    log = Path(tempfile.mkstemp(prefix="ofsted-kg-startup-", suffix=".log")[1])
    started = time.monotonic()
    with log.open("w") as err:
        process = subprocess.Popen([*command, "serve", "--graph", graph, "--host", "127.0.0.1", "--port", "0", *extra],
                                   stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        line = process.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+)/", line).group(1)
        listening = time.monotonic() - started
        deadline = started + 900
        while True:
            try:
                with urllib.request.urlopen(url + CHEAP, timeout=60) as response:
                    response.read()
                    break
            except urllib.error.HTTPError:
                raise
            except (urllib.error.URLError, ConnectionError):  # not listening yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        first = time.monotonic() - started
        first_cpu = cpu_s(tree(process.pid))  # the server and its workers (and the fork server), so far
        load = os.getloadavg()
        # The workers' copies in memory (WORKER_STORE) load after the first answer: memory is
        # measured once they have, or once the log says there are none.
        while time.monotonic() < deadline:
            text = log.read_text(errors="replace")
            if "copies in memory: no" in text or text.count("answers from its copy in memory") >= 4:
                break
            time.sleep(0.2)
        copies = time.monotonic() - started
        for _ in range(20):
            with urllib.request.urlopen(url + CHEAP, timeout=60) as response:
                response.read()
        pids = tree(process.pid)
        return {"listening_s": round(listening, 2), "first_answer_s": round(first, 2),
                "first_answer_cpu_s": round(first_cpu, 1), "load_average": [round(x, 1) for x in load],
                "copies_s": round(copies, 2),
                "copies": "copies in memory: yes" in log.read_text(errors="replace"),
                "processes": len(pids), "rss_mb": round(sum(rss_mb(p) for p in pids)),
                "rss_each_mb": [round(rss_mb(p)) for p in pids]}
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph")
    parser.add_argument("--command", default=str(Path(sys.executable).with_name("ofsted-kg")))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("extra", nargs="*", help="more serve options, after --")
    args, more = parser.parse_known_args()  # serve options such as --store-dir DIR pass through
    args.extra += [a for a in more if a != "--"]
    for run in range(1, args.runs + 1):
        print(json.dumps({"run": run, **measure([args.command], args.graph, args.extra)}), flush=True)


if __name__ == "__main__":
    main()
