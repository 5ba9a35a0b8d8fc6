"""Which PDF text extractor suits this corpus: speed, and fidelity of reading order.

Fidelity is measured by the task: the same report parser and consistency checks run on each
library's text, counting reports that pass the checks and numbered findings read in sequence
(a paragraph split or reordered by the extractor breaks the sequence). Each library's text
is normalised the same way (line ends, one form feed per page).

    python bench/pdf_extractors.py [CORPUS] [--sample N]   (needs: pip install '.[bench]')
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from ofsted_kg.graph.input.documents import DocumentText, normalise
from ofsted_kg.graph.input.sources import extract
from ofsted_kg.graph.model.user_errors import OfstedKGError
from ofsted_kg.graph.parsers.checks import check_report
from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.graph.reference.vocabulary import load_vocabulary

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reports"


def pdfium(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    return "\f".join(page.get_textpage().get_text_range() for page in pdf) + "\f"


def pypdf_text(path: Path) -> str:
    import pypdf

    return "\f".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages) + "\f"


def pdfminer_text(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))  # pdfminer ends each page with a form feed itself


EXTRACTORS = {"pypdfium2": pdfium, "pypdf": pypdf_text, "pdfminer.six": pdfminer_text}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--sample", type=int, default=60, help="reports to read (a fixed random sample); 0 for all")
    args = parser.parse_args()
    files = sorted(p for p in args.corpus.rglob("*.pdf") if p.read_bytes()[:5] == b"%PDF-")
    if args.sample:
        files = sorted(random.Random(2026).sample(files, min(args.sample, len(files))))
    vocab, councils = load_vocabulary(), read_councils()
    print(f"{len(files)} reports from {args.corpus}\n")
    rows = []
    for name, extractor in EXTRACTORS.items():
        seconds, consistent, findings, failed = [], 0, 0, 0
        for path in files:
            started = time.perf_counter()
            try:
                text = normalise(extractor(path))
            except Exception:  # a library that cannot open a file counts as a failure, not a crash
                failed += 1
                continue
            seconds.append(time.perf_counter() - started)
            doc = DocumentText(path, "bench", "0" * 64, "application/pdf", text)
            try:
                extraction = extract(doc, None, vocab, councils)
            except OfstedKGError:
                failed += 1
                continue
            if extraction.document.kind == "report" and not check_report(extraction, councils):
                consistent += 1
            numbers = [f.number for f in extraction.findings]
            findings += sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1) + bool(numbers)
        if not seconds:
            print(f"{name:13} could not read any report (is it installed? pip install '.[bench]')")
            continue
        rows.append((name, statistics.median(seconds), sum(seconds), consistent, findings, failed))
        print(f"{name:13} median {statistics.median(seconds) * 1000:7.1f} ms/report, total {sum(seconds):6.1f} s; "
              f"{consistent}/{len(files)} pass the checks; {findings} findings in sequence; {failed} failed", flush=True)
    fastest = min(r[1] for r in rows)
    print("\n| library | median per report | vs fastest | reports passing the checks | numbered findings read in sequence | unreadable |")
    print("|---|---|---|---|---|---|")
    for name, median, _, consistent, findings, failed in rows:
        print(f"| {name} | {median * 1000:.0f} ms | {median / fastest:.1f}x | {consistent}/{len(files)} | {findings} | {failed} |")


if __name__ == "__main__":
    sys.exit(main())
