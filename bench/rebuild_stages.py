"""Where a rebuild's time goes, stage by stage, for two versions of the code back to back:
the England corpus rebuilt from an extraction cache after one report's bytes are touched,
after a report held back is added, and after a report is replaced by another council's.

Each build is `pipeline.build(keep_going=True, jobs=2)` in a fresh process under
`/usr/bin/time -v` (wall, user and system CPU of the build and its workers, peak memory),
with the build's own stage laps (pipeline.Stopwatch: wall, and the build process's CPU) and
the load average as it starts. Each version builds into a folder of its own, from a copy of
`--cache-from` (an England build's extraction cache, renamed to that version's loaders'
version: valid when the two differ in no code that reads a document). `--code NAME=PATH`
names a version by a folder put first on PYTHONPATH (holding an `ofsted_kg` package and a
sitecustomize.py that drops the editable install's finder; see bench/README.md); the
checkout's own code is `branch`. After each step the versions' graphs and extraction
reports are compared byte for byte: the first version builds every triple again, so equal
bytes say the other's rebuild is the clean build's.

    python bench/rebuild_stages.py --cache-from DIR/.cache --code main=/tmp/mainpath --json FILE [CORPUS]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"
DRIVER = """
import json, os, sys
from pathlib import Path
from ofsted_kg.graph.build import pipeline
from ofsted_kg.graph.build.extraction_cache import loader_version
if sys.argv[1] == "version":
    print(loader_version()); sys.exit()
load = os.getloadavg()[0]
result = pipeline.build([Path(sys.argv[1])], Path(sys.argv[2]), keep_going=True, jobs=2)
print(json.dumps({"load_average": round(load, 2), "triples": result.triples, "cache": result.cache,
                  "mapping": getattr(result, "mapping", None), "stages_wall": result.timings,
                  "stages_cpu": result.cpu_timings, "written": result.written}))
"""
TIME_FIELDS = {"wall": r"Elapsed \(wall clock\) time.*: (.+)", "user": r"User time \(seconds\): (.+)",
               "system": r"System time \(seconds\): (.+)", "peak_kb": r"Maximum resident set size \(kbytes\): (.+)"}


def seconds(clock: str) -> float:
    parts = [float(p) for p in clock.split(":")]
    return round(sum(p * 60 ** i for i, p in enumerate(reversed(parts))), 2)


def run(python_path: str | None, *args: str) -> tuple[str, dict]:
    env = dict(os.environ)
    if python_path:
        env["PYTHONPATH"] = python_path
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-c", DRIVER, *args], capture_output=True, text=True,
                          env=env, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        sys.exit(f"bench: the build failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    measured = {}
    for name, pattern in TIME_FIELDS.items():
        found = re.search(pattern, done.stderr)
        measured[name] = (seconds(found.group(1)) if name == "wall" else float(found.group(1))) if found else None
    return done.stdout.strip().splitlines()[-1], measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--cache-from", type=Path, required=True, help="an England build's .cache folder")
    parser.add_argument("--code", action="append", default=[], help="NAME=PYTHONPATH of another version, built first")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    versions = [tuple(spec.split("=", 1)) for spec in args.code] + [("branch", None)]
    with tempfile.TemporaryDirectory(prefix="ofsted-kg-stages-") as folder:
        work = Path(folder)
        corpus = work / "corpus"
        shutil.copytree(args.corpus, corpus)
        pdfs = sorted(corpus.rglob("*.pdf"))
        added, replaced = pdfs[-1], pdfs[0]
        replacement = next(p for p in reversed(pdfs[:-1]) if p.parent != replaced.parent)
        touched = pdfs[len(pdfs) // 2]
        held = {added: work / "held-1.pdf", replacement: work / "held-2.pdf"}
        for pdf, kept in held.items():
            shutil.move(pdf, kept)
        outs = {}
        for name, path in versions:
            version = run(path, "version")[0]
            outs[name] = work / name / "ofsted-kg.ttl"
            shutil.copytree(args.cache_from, work / name / ".cache")
            (only,) = [p for p in (work / name / ".cache").iterdir() if p.is_dir()]
            only.rename(only.parent / version)

        def step(what: str) -> dict:
            rows = {}
            for name, path in versions:
                line, measured = run(path, str(corpus), str(outs[name]))
                rows[name] = {**json.loads(line), **measured}
                print(f"{what}: {name}: {rows[name]['wall']} s wall, stages {rows[name]['stages_wall']}", flush=True)
            first = outs[versions[0][0]]
            rows["identical"] = all(o.read_bytes() == first.read_bytes()
                                    and (o.parent / "extraction-report.json").read_bytes()
                                    == (first.parent / "extraction-report.json").read_bytes() for o in outs.values())
            print(f"{what}: graphs and reports identical: {rows['identical']}", flush=True)
            return rows

        steps = {"first build from the cache (two reports held back)": step("first")}
        with touched.open("ab") as pdf:
            pdf.write(b"\n% touched by bench/rebuild_stages.py\n")
        steps[f"touched: bytes appended to {touched.relative_to(corpus)}"] = step("touched")
        shutil.move(held[added], added)
        steps[f"added: {added.relative_to(corpus)}"] = step("added")
        replaced.unlink()
        shutil.move(held[replacement], replacement)
        steps[f"replaced: {replaced.relative_to(corpus)} removed, {replacement.relative_to(corpus)} added"] = step("replaced")
    if args.json:
        args.json.write_text(json.dumps({"corpus": str(args.corpus), "cores": os.cpu_count(), "steps": steps}, indent=1) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
