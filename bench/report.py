"""Markdown tables from a results JSON of bench/run.py, and their place in bench/README.md.

    python bench/report.py bench/results/<file>.json [--readme bench/README.md]

Every time is the median of the timed runs; a ratio is that engine's median over the
store's (the floor) for the same query in the same run. "> 60 s" is a query stopped at the
time limit; rows that differ between engines are shown, never hidden.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

BEGIN, END = "<!-- results: written by bench/run.py -->", "<!-- /results -->"
COLUMNS = [("store", "store (floor)"), ("json", "store + our JSON writer"), ("ours", "ours, cached"),
           ("ours-uncached", "ours, uncached"), ("ours-page", "ours, uncached, first page"), ("oxigraph", "oxigraph server"), ("rdflib", "rdflib in memory"),
           ("rdflib-endpoint", "rdflib-endpoint")]


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def _cell(q: dict | None, floor: float | None, timeout: str) -> str:
    if q is None:
        return ""
    if q.get("error") == "timeout":
        return f"> {timeout} s" + (" (skipped)" if q.get("skipped") else "")
    if q.get("error"):
        return "error"
    ms = q["median_ms"]
    ratio = f" ({ms / floor:.1f}x)" if floor else ""
    return f"{_ms(ms)}{ratio}"


def _geomean(values: list[float]) -> float | None:
    return statistics.geometric_mean(values) if values else None


def query_table(scale: str, entry: dict, timeout: str) -> list[str]:
    engines = [(k, label) for k, label in COLUMNS if k in entry["engines"]]
    out = [f"#### {scale}: {entry['triples']:,} triples ({entry['bytes'] / 1e6:,.0f} MB file)", "",
           "| query | rows | " + " | ".join(label + " ms" for _, label in engines) + " | rows agree |",
           "|---|---:|" + "---:|" * len(engines) + "---|"]
    ratios = {k: [] for k, _ in engines}
    pairs = {k: [] for k, _ in engines}  # (engine ms, store ms) of the queries both answered
    for name in entry["queries"]:
        store = entry["engines"].get("store", {}).get("queries", {}).get(name, {})
        floor = store.get("median_ms")
        cells, counts = [], {}
        for key, _ in engines:
            q = entry["engines"][key].get("queries", {}).get(name)
            if entry["engines"][key].get("load_error"):
                cells.append("not loaded")
                continue
            cells.append(_cell(q, floor, timeout))
            if q and q.get("rows") is not None and not q.get("error"):
                counts[key] = q["rows"]
                if floor and q.get("median_ms"):
                    ratios[key].append(q["median_ms"] / floor)
                    pairs[key].append((q["median_ms"], floor))
        rows = store.get("rows", next(iter(counts.values()), ""))
        differ = {k: v for k, v in counts.items() if v != rows}
        agree = "yes" if not differ else "no: " + ", ".join(f"{k} {v}" for k, v in differ.items())
        out.append(f"| `{name}` | {rows:,} | " + " | ".join(cells) + f" | {agree} |" if isinstance(rows, int)
                   else f"| `{name}` | {rows} | " + " | ".join(cells) + f" | {agree} |")
    summary = []
    for key, _ in engines:
        g = _geomean(ratios[key])
        summary.append("" if g is None else f"**{g:.2f}x**")
    out.append("| geometric mean of ratios to the floor (answered queries) | | " + " | ".join(summary) + " | |")
    medians = []
    for key, _ in engines:
        values = ratios[key]
        medians.append(f"{statistics.median(values):.2f}x" if values else "")
    out.append("| median ratio to the floor | | " + " | ".join(medians) + " | |")
    typical = []
    for key, _ in engines:  # the median saved-query time, against the store's over the same queries
        if not pairs[key]:
            typical.append("")
            continue
        mine, theirs = statistics.median(p[0] for p in pairs[key]), statistics.median(p[1] for p in pairs[key])
        typical.append(f"{_ms(mine)} ({mine / theirs:.2f}x)")
    out.append("| median saved-query time (ratio to the store's median) | | " + " | ".join(typical) + " | |")
    failed = {label: entry["engines"][k]["load_error"] for k, label in engines if entry["engines"][k].get("load_error")}
    if failed:
        out += [""] + [f"- {label}: {why}" for label, why in failed.items()]
    return out + [""]


def startup_table(results: dict) -> list[str]:
    out = ["| scale | engine | prepare (s) | start to first answer (s) | resident memory after the queries (MB) |",
           "|---|---|---:|---:|---:|"]
    labels = dict(COLUMNS)
    for scale, entry in results["scales"].items():
        for key, record in entry["engines"].items():
            if key in ("json",):
                continue
            if record.get("load_error"):
                out.append(f"| {scale} | {labels[key]} | | {record['load_error']} | |")
                continue
            s = record.get("startup", {})
            prepare = s.get("prepare_s")
            out.append(f"| {scale} | {labels[key]} | {'' if not prepare else f'{prepare:.1f}'} | "
                       f"{s.get('first_answer_s', 0):.2f} | {record.get('rss_mb', 0):,.0f} |")
    return out + [""]


def load_table(results: dict) -> list[str]:
    runs = results.get("load", {}).get("runs")
    if not runs:
        return []
    names = results["load"]["queries"]
    out = [f"Cheap: `{names['cheap']}`; aggregate: `{names['aggregate']}`. Requests per second (p50 / p99 latency, ms).", "",
           "| target | query | " + " | ".join(f"{c} client{'s' if c != '1' else ''}" for c in next(iter(next(iter(runs.values())).values()))) + " |",
           "|---|---|" + "---:|" * len(next(iter(next(iter(runs.values())).values()))) + ""]
    labels = dict(COLUMNS)
    for key, kinds in runs.items():
        for kind, by_clients in kinds.items():
            cells = []
            for r in by_clients.values():
                errors = f", {r['errors']} errors" if r["errors"] else ""
                p50 = "-" if r["p50_ms"] is None else _ms(r["p50_ms"])
                p99 = "-" if r["p99_ms"] is None else _ms(r["p99_ms"])
                cells.append(f"{r['per_second']:,.0f}/s ({p50} / {p99}{errors})")
            out.append(f"| {labels[key]} | {kind} | " + " | ".join(cells) + " |")
    return out + [""]


def build_table(results: dict) -> list[str]:
    build = results.get("build") or {}
    if not build:
        return []
    out = ["| build | workers | wall time | peak memory (build process) | largest worker | triples | runs |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in build.items():
        jobs = "1" if name == "seed" else str(results["machine"]["cores"])
        out.append(f"| {name} | {jobs} | {r['seconds']:.1f} s | {r['peak_mb']:,.0f} MB | {r['worker_peak_mb']:,.0f} MB "
                   f"| {r['triples']:,} | {r['runs']} (median) |")
    return out + [""]


def render(results: dict) -> str:
    m = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    options = results["options"]
    out = [BEGIN, "", f"Run of {results['date']}, {results['seconds'] / 60:.0f} minutes in all: "
           f"`python bench/run.py --scales {','.join(results['scales'])} --repeats {options['repeats']} --timeout {options['timeout']}`"
           + (f", completed by `--resume` on {results['resumed']}" if results.get("resumed") else "") + ".", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}; {versions}. "
           f"Load average at the start {m['load_average'][0]:.1f}, at the end {m.get('load_average_end', [0])[0]:.1f} "
           "(other work shared the machine).", ""]
    if build_table(results):
        out += ["### Builds", ""] + build_table(results)
    if "synth" in results:
        out += [f"The 10x graph ({results['synth']['triples']:,} triples) took {results['synth']['seconds']:.0f} s to generate.", ""]
    out += ["### Saved queries: median ms (ratio to the floor)", ""]
    timeout = options.get("timeout", "60").removesuffix(".0")
    for scale, entry in results["scales"].items():
        out += query_table(scale, entry, timeout)
    load = load_table(results)
    if load:
        out += ["### Load: throughput and latency under 1, 4 and 16 clients", ""] + load
    out += ["### Start-up and memory", ""] + startup_table(results)
    return "\n".join(out + [END])


def update_readme(path: Path, tables: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    path.write_text(head + tables + tail, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--readme", type=Path, default=None, help="rewrite this README's tables (default: print them)")
    args = parser.parse_args(argv)
    tables = render(json.loads(args.results.read_text()))
    if args.readme:
        update_readme(args.readme, tables)
    else:
        print(tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
