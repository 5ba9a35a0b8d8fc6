"""Corpus build time and peak memory, with one worker process and with one per core.

Each build runs in a fresh child process (so its peak memory is its own), the graph is
written to a temporary folder, and the table gives wall time, time per stage and peak
resident memory (the build process and, separately, its largest worker), with the ratio of
the parallel build to the serial one. Machines are noisy: compare within one run.

    python bench/corpus_build.py [CORPUS] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from ofsted_kg.graph.build.pipeline import build
started = time.perf_counter()
result = build([Path(sys.argv[1])], Path(sys.argv[2]), keep_going=True, jobs=int(sys.argv[3]))
print(json.dumps({
    "seconds": time.perf_counter() - started, "timings": result.timings, "triples": result.triples,
    "documents": result.documents, "failed": sum(o.status == "failed" for o in result.outcomes),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def run(corpus: Path, jobs: int, out: Path | None = None) -> dict:
    """One build in a fresh process; the graph goes to `out` if given, else to a folder removed after."""
    with tempfile.TemporaryDirectory() as folder:
        target = out or Path(folder) / "g.ttl"
        done = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(target), str(jobs)],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="builds per setting; the median is reported")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    results = {}
    for jobs in sorted({1, cores}):
        runs = [run(args.corpus, jobs) for _ in range(args.repeat)]
        results[jobs] = min(runs, key=lambda r: abs(r["seconds"] - statistics.median(x["seconds"] for x in runs)))
        r = results[jobs]
        print(f"jobs={jobs}: {r['seconds']:.0f} s, peak {r['peak_mb']:.0f} MB (largest worker {r['worker_peak_mb']:.0f} MB), "
              f"{r['documents']} documents, {r['failed']} failed, {r['triples']} triples; stages {r['timings']}", flush=True)
    serial = results[1]["seconds"]
    print(f"\n| workers | wall time | vs 1 worker | read | resolve | triples | validate | write | peak memory (build) | largest worker |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for jobs, r in results.items():
        t = r["timings"]
        print(f"| {jobs} | {r['seconds']:.0f} s | {r['seconds'] / serial:.2f}x | {t.get('read', 0):.0f} s | {t.get('resolve', 0):.1f} s "
              f"| {t.get('triples', 0):.0f} s | {t.get('validate', 0):.0f} s | {t.get('write', 0):.0f} s | {r['peak_mb']:.0f} MB "
              f"| {r['worker_peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
