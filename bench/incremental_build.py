"""The England build from scratch and from its extraction cache: clean, nothing changed, one
report touched, one report added, and (for the ratio) a build with the cache off.

Every build is `ofsted-kg build` run as a user runs it (a fresh process each, `--keep-going`,
exit 3 expected for the corpus's few bad files), on a copy of the corpus in a temporary
folder so the shared corpus is never changed: one report is held back to be added last, and
"touched" appends a line to another report's PDF after its end-of-file marker (new bytes, so
a new content hash; PDF readers ignore what follows). Each row gives the wall time, the CPU
time of the build and its workers (the work done, however busy the machine), and the load
average when it started: the machine may be shared, so compare rows of one run. The last
build reads everything again with the cache off, on the same files as the incremental build
before it: it is the baseline of the ratios, and its graph, report and texts must be the
incremental build's byte for byte.

    python bench/incremental_build.py [CORPUS] [--jobs 2] [--json FILE] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"
NO_CACHE = "no cache (every document read and checked)"
COMMAND = [sys.executable, "-m", "ofsted_kg", "build", "--keep-going"]


def cpu_seconds() -> float:
    """User and system time of the finished child processes and everything they waited for
    (a build's workers): the work done, whatever else the machine was doing."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(corpus: Path, out: Path, jobs: int, *extra: str) -> dict:
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), cpu_seconds()
    done = subprocess.run([*COMMAND, "--input", str(corpus), "--out", str(out), "--jobs", str(jobs), *extra],
                          capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if done.returncode not in (0, 3):
        sys.exit(f"bench: the build failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    summary = json.loads((out.parent / "extraction-report.json").read_text(encoding="utf-8"))["summary"]
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "load_average": round(load, 2), "exit": done.returncode,
            "files": summary["files"], "wrote": done.stdout.strip().splitlines()[0][:120]}


def same_outputs(a: Path, b: Path) -> bool:
    def files(out: Path) -> dict:
        found = {"graph": out.read_bytes(), "report": (out.parent / "extraction-report.json").read_bytes()}
        found.update({p.name: p.read_bytes() for p in (out.parent / "text").iterdir()})
        return found

    return files(a) == files(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--no-baseline", action="store_true",
                        help="leave out the last build (no cache) and the comparison of bytes: the tests make that")
    args = parser.parse_args()
    pdfs = sorted(args.corpus.rglob("*.pdf"))
    if len(pdfs) < 3:
        sys.exit(f"bench: {args.corpus}: expected a corpus of report PDFs")
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-bench-") as folder:
        work = Path(folder)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        held_back = corpus / pdfs[-1].relative_to(args.corpus)
        added = work / "held-back.pdf"
        shutil.move(held_back, added)
        out = work / "build" / "ofsted-kg.ttl"
        rows = {}
        rows["clean (empty cache)"] = build(corpus, out, args.jobs)
        rows["nothing changed"] = build(corpus, out, args.jobs)
        touched = corpus / pdfs[len(pdfs) // 2].relative_to(args.corpus)
        with touched.open("ab") as pdf:
            pdf.write(b"\n% touched by bench/incremental_build.py\n")
        rows["one report touched"] = build(corpus, out, args.jobs)
        shutil.move(added, held_back)
        rows["one report added"] = build(corpus, out, args.jobs)
        if not args.no_baseline:
            # last, on the same files as the build before it: the baseline, and what that build must equal
            reference = work / "uncached" / "ofsted-kg.ttl"
            rows[NO_CACHE] = build(corpus, reference, args.jobs, "--no-cache")
            rows["one report added"]["identical_to_clean"] = same_outputs(out, reference)
    baseline = rows[NO_CACHE if NO_CACHE in rows else "clean (empty cache)"]["seconds"]
    print("| build | wall seconds | against no cache | CPU seconds | load average | exit |\n|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['seconds']} | {row['seconds'] / baseline:.2f} | {row['cpu_seconds']} | "
              f"{row['load_average']} | {row['exit']} |")
    if NO_CACHE in rows:
        print(f"graph, report and texts after the incremental builds identical to a build without cache: "
              f"{rows['one report added']['identical_to_clean']}")
    if args.json:
        args.json.write_text(json.dumps({"corpus": str(args.corpus), "jobs": args.jobs, "cores": os.cpu_count(),
                                         "rows": rows}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
