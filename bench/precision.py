"""Precision and recall of each fact kind against the hand-labelled audit set.

    python bench/precision.py [--corpus ../shared/corpus/reports] [--details] [--json FILE]
    make bench-precision

The labels (tests/fixtures/audit/labels.yaml) were written by reading each report's text;
this script reads the same PDFs through the loaders (sources.read_one, the build's own path)
and compares, per fact kind and per part of the set ("tuned": looked at while the parsers
were changed; "held": labelled last, never tuned on). A fact counts as right only when every
labelled field agrees (a team member's role and grade as well as the name; a recommendation's
number, addressee, opening and closing words). Findings are a labelled sample of numbered
paragraphs, so only their precision is measured. Exit code 0, or 2 when a labelled file is
missing from the corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "fixtures" / "audit" / "labels.yaml"
KINDS = ("judgements", "team", "recommendations", "officials", "statistics", "statistics/ilacs-prose", "citations",
         "findings")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip()


def read(path: Path):
    from ofsted_kg.graph.input.sources import read_one
    from ofsted_kg.graph.reference.councils import read_councils
    from ofsted_kg.graph.reference.vocabulary import load_vocabulary

    global _VOCAB, _COUNCILS
    if "_VOCAB" not in globals():
        _VOCAB, _COUNCILS = load_vocabulary(), read_councils()
    result = read_one((path, None, ()), _VOCAB, _COUNCILS)
    if isinstance(result, Exception):
        raise SystemExit(f"{path}: {result}")
    return result[0]


def extracted_facts(extraction) -> dict[str, list]:
    """The extraction's facts of each kind, in the labels' shapes."""
    from ofsted_kg.graph.reference.legislation import read_acts

    own = extraction.inspections[0].ref
    titles = {act.key: act.title for act in read_acts()}
    kind_prefix = {"sif": "sif-area", "ilacs": "ilacs-area"}.get(own.kind, "legacy-area")
    return {
        "judgements": [(kind_prefix + "/overall" if j.area == "overall" else j.area, j.grade)
                       for j in extraction.judgements if j.inspection == own],
        "team": [(m.person, m.role.split("/", 1)[1], m.inspector_grade) for m in extraction.team],
        "recommendations": [(r.number, r.addressed_to.kind if r.addressed_to else None, norm(r.text))
                            for r in extraction.recommendations],
        "officials": [(t.role.split("/", 1)[1], t.person, t.begin, t.end) for t in extraction.tenures],
        "statistics": [(s.measure.split("/", 1)[1], s.value, s.ref_date) for s in extraction.statistics],
        "citations": [(titles.get(c.act, c.act), tuple(c.sections)) for c in extraction.citations],
        "findings": {f.number: norm(f.text) for f in extraction.findings if f.inspection == own},
    }


def labelled_facts(doc: dict) -> dict[str, list]:
    def s(v):
        return None if v is None else str(v)

    out = {}
    if "judgements" in doc:
        out["judgements"] = [tuple(j) for j in doc["judgements"]]
    if "team" in doc:
        out["team"] = [(n, r, g) for n, r, g in doc["team"]]
    if "recommendations" in doc:
        out["recommendations"] = [(int(n), to, norm(first), norm(last)) for n, to, first, last in doc["recommendations"]]
    if "officials" in doc:
        out["officials"] = [(r, p, s(b), s(e)) for r, p, b, e in doc["officials"]]
    if "statistics" in doc:
        out["statistics"] = [(m, str(v), s(d)) for m, v, d in doc["statistics"]]
    if "citations" in doc:
        out["citations"] = [(a, tuple(str(x) for x in secs)) for a, secs in doc["citations"]]
    if "findings" in doc:
        out["findings"] = [(int(f[0]), norm(f[1]), norm(f[2]) if len(f) > 2 and f[2] else None) for f in doc["findings"]]
    return out


def compare(kind: str, got, want) -> tuple[int, int, int, list[str]]:
    """(right, wrong, missed, notes): extracted facts that match a label, that match none, and
    labels no extracted fact matches."""
    notes = []
    if kind == "recommendations":
        unmatched = list(want)
        right = wrong = 0
        for number, to, text in got:
            hit = next((w for w in unmatched if w[0] == number and w[1] == to and text.startswith(w[2])
                        and text.endswith(w[3])), None)
            if hit:
                unmatched.remove(hit)
                right += 1
            else:
                wrong += 1
                notes.append(f"wrong: {number} ({to}) {text[:90]!r} ... {text[-50:]!r}")
        notes += [f"missed: {w[0]} ({w[1]}) {w[2]!r}" for w in unmatched]
        return right, wrong, len(unmatched), notes
    if kind == "findings":
        right = wrong = missed = 0
        for number, first, last in want:
            text = got.get(number)
            if text is None:
                missed += 1
                notes.append(f"missed: {number} {first!r}")
            elif text.startswith(first) and (last is None or text.endswith(last)):
                right += 1
            else:
                wrong += 1
                notes.append(f"wrong: {number} {text[:80]!r} ... {text[-50:]!r}")
        return right, wrong, missed, notes
    left = Counter(want)
    right = wrong = 0
    for fact in got:
        if left[fact] > 0:
            left[fact] -= 1
            right += 1
        else:
            wrong += 1
            notes.append(f"wrong: {fact}")
    missed = sum(left.values())
    notes += [f"missed: {fact}" for fact, n in left.items() for _ in range(n)]
    return right, wrong, missed, notes


def measure(corpus: Path, details: bool) -> dict:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    totals: dict[tuple[str, str], list[int]] = {}
    for doc in labels["documents"]:
        path = corpus / doc["file"]
        if not path.exists():
            print(f"error: {path}: labelled document not in the corpus", file=sys.stderr)
            raise SystemExit(2)
        got = extracted_facts(read(path))
        for kind, want in labelled_facts(doc).items():
            right, wrong, missed, notes = compare(kind, got[kind], want)
            # a stratum (ILACS reports' prose figures) is counted on a row of its own
            row = f"{kind}/{doc['stratum']}" if "stratum" in doc else kind
            t = totals.setdefault((doc["part"], row), [0, 0, 0])
            t[0] += right
            t[1] += wrong
            t[2] += missed
            if details and notes:
                print(f"{doc['file']} [{kind}]")
                for note in notes:
                    print("   ", note)
    table = {}
    for (part, kind), (right, wrong, missed) in sorted(totals.items()):
        table.setdefault(part, {})[kind] = {
            "right": right, "wrong": wrong, "missed": missed,
            "precision": round(right / (right + wrong), 4) if right + wrong else None,
            "recall": round(right / (right + missed), 4) if right + missed else None,
        }
    return table


def print_table(table: dict) -> None:
    print(f"{'part':6} {'kind':22} {'right':>5} {'wrong':>5} {'missed':>6} {'precision':>9} {'recall':>7}")
    for part in ("tuned", "held"):
        for kind in KINDS:
            row = table.get(part, {}).get(kind)
            if not row:
                continue
            p = "-" if row["precision"] is None else f"{100 * row['precision']:.1f}%"
            r = "-" if kind == "findings" or row["recall"] is None else f"{100 * row['recall']:.1f}%"
            print(f"{part:6} {kind:22} {row['right']:5} {row['wrong']:5} {row['missed']:6} {p:>9} {r:>7}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--details", action="store_true", help="list every wrong and missed fact")
    parser.add_argument("--json", type=Path, help="also write the table as JSON here")
    args = parser.parse_args(argv)
    table = measure(args.corpus, args.details)
    print_table(table)
    if args.json:
        args.json.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
