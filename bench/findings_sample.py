"""Draw the sentences of the SIF half of the findings labelled set (issue 12; tests/fixtures/findings).

Run once, before any labelling, to fix which documents, which held-apart fifth and which sentences
are labelled: `.venv/bin/python bench/findings_sample.py > sample.yaml` (about 30 s: it reads every
2012-2018 report to sort them into strata). Everything random comes from
one seeded generator, so the same corpus gives the same draw. It only proposes sentences: the labels
are a person's reading (docs/labelling-findings.md), never this script's.

Documents: the single inspection framework reports (2014-2018 publications, inspections and
re-inspections, and the one stand-alone LSCB review) and the readable pre-2014 layouts, less the
project's seed council (Stoke-on-Trent), whose reports the parsers were written against. They are
drawn round-robin over (year, overall grade) strata, one per council while councils remain, so no
year or grade crowds out the rest.

Sentences: the text is cut into sections at the reports' own headings; only judgement-bearing
sections are kept (summaries, the judgement sections, improvement items and recommendations), not
the information about the area, the method or the grade descriptors. A section's sentences are
drawn at random with a quota per section kind so that the summaries and the improvement items are
not swamped by the numbered paragraphs, which are most of a report.
"""

from __future__ import annotations

import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.model.user_errors import DocumentError

CORPUS = Path(__file__).resolve().parent.parent / ".." / "shared" / "corpus" / "reports"
SEED = 12  # the number: any fixed value would do, this one is easy to remember
DOCUMENTS = 40
PER_DOCUMENT = 9  # the spec caps a document at about 10
QUOTA = {"summary": 2, "judgement": 2, "improve": 1, "recommendation": 1}  # the rest: paragraph
SEED_COUNCILS = {"80564"}  # Stoke-on-Trent: in seeds/, the parsers were tuned to it

# (pattern matched at the start of a line, section kind); None = not judgement-bearing.
# Words may be split over lines in the PDFs' text, hence \s+; a heading must end its line, which keeps
# the contents pages' entries ("Recommendations 8") out.
HEADINGS = [
    (r"Executive summary", "summary"),
    (r"Summary of key findings", "summary"),
    (r"Summary for children(?: and young people)?", "summary"),
    (r"Recommendations", "recommendation"),
    (r"What does the local authority need to improve\?", "improve"),
    (r"What does the LSCB need to improve\?", "improve"),
    (r"Areas for improvement", "improve"),
    (r"Areas for development", "improve"),
    (r"The experiences and progress of children who need help and protection.{0,40}", "judgement"),
    (r"The experiences and progress of children looked after and achieving permanence.{0,40}", "judgement"),
    (r"Leadership, management and governance.{0,40}", "judgement"),
    (r"The Local Safeguarding Children Board.{0,20}", "judgement"),
    (r"Inspection findings\s+[–-]\s+the Local Safeguarding Children Board", "judgement"),
    (r"Key strengths and weaknesses of the LSCB", "judgement"),
    (r"Inspection findings", "judgement"),
    (r"The graded judgement for [^\n]{5,60}", "judgement"),
    (r"Overall effectiveness(?: of services for looked after children and\s+young people)?", "judgement"),
    (r"Capacity to improve", "judgement"),
    (r"Outcomes for looked after children and young people", "judgement"),
    (r"Quality of provision", "judgement"),
    (r"Leadership and management", "judgement"),
    (r"Contents", None),
    (r"The local authority", None),
    (r"Information about this local authority area\d?", None),
    (r"Information about this inspection", None),
    (r"Information about this review", None),
    (r"What the inspection judge?ments mean[^\n]*", None),
    (r"The inspection judgements and what they\s+mean", None),
    (r"About this inspection", None),
    (r"Service information", None),
    (r"Record of main findings[^\n]*", None),
    (r"The inspection team", None),
]
SPACE = r"\s+"
HEADING = re.compile(
    "|".join(rf"(?P<h{i}>^{p.replace(' ', SPACE)}\d? *$)" for i, (p, _) in enumerate(HEADINGS)),
    re.MULTILINE | re.IGNORECASE,
)
# A unit ends at a full stop before a capital, at a bullet, or where a numbered item starts.
BREAK = re.compile(r"(?<=[.!?’”])(?<!\n\d\.)(?<!\n\d\d\.)(?<!\n\d\d\d\.)\s+(?=[A-Z‘“(])|\s*[•\uf06e\uf02d\uf0b7\uf0a7]\s*|\n(?=\d{1,3}\.\s)|\n\s*\n")
NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|No|para|St)\.$")
NUMBERED = re.compile(r"^\d{1,3}(?:\.\d)?\.?\s+")


def overall_grade(text: str) -> str:
    head = " ".join(text[:4000].split())
    m = re.search(
        r"(?:overall judgement is|Children.s services in .{1,80}?|Board .{0,40}?) "
        r"(?:are |is )?(outstanding|good|requires? improvement|inadequate)",
        head,
        re.IGNORECASE,
    )
    if not m:
        return "unknown"
    return {"require improvement": "requires improvement"}.get(m.group(1).lower(), m.group(1).lower())


def layout(text: str) -> str | None:
    head = " ".join(text[:600].split()).lower()
    if "children in need of help and protection" in head or "review of the effectiveness of the local safeguarding" in head:
        return "sif"
    if "inspection of looked after children" in head or "inspection of safeguarding" in head:
        return "pre-2014"
    return None


def sections(text: str):
    """(start, end, kind) of each part of the text between two headings."""
    marks = []
    for m in HEADING.finditer(text):
        index = int(next(k for k, v in m.groupdict().items() if v)[1:])
        marks.append((m.end(), HEADINGS[index][1]))
    for (start, kind), (end, _) in zip(marks, marks[1:] + [(len(text), None)]):
        yield start, end, kind


def units(text: str, start: int, end: int):
    """(start, end) of each sentence or list item of text[start:end], numbering and bullets left out."""
    pieces, at = [], start
    for m in BREAK.finditer(text, start, end):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, end))
    merged = []
    for a, b in pieces:  # re-join a break after an abbreviation
        if merged and NOT_AN_END.search(text[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    for a, b in merged:
        chunk = text[a:b]
        numbered = NUMBERED.match(chunk)
        lead = numbered.end() if numbered else len(chunk) - len(chunk.lstrip())
        a += lead
        b = a + len(text[a:b].rstrip())
        if b > a:
            yield a, b, bool(numbered)


def candidates(text: str):
    """Judgement-bearing sentences of a document as (section, text); whole sentences only."""
    found = []
    for start, end, kind in sections(text):
        if kind is None:
            continue
        in_paragraphs = False  # a judgement section's unnumbered summary comes before its numbered paragraphs
        for a, b, numbered in units(text, start, end):
            in_paragraphs = in_paragraphs or numbered
            sentence = text[a:b]
            if "\f" in sentence or len(sentence.split()) < 5:
                continue  # runs over a page's furniture, or a heading: not a sentence to label
            section = "paragraph" if kind == "judgement" and in_paragraphs else kind
            found.append((section, sentence))
    return found


def draw_documents(rng: random.Random):
    strata = defaultdict(list)
    for path in sorted(CORPUS.glob("*/*.pdf")):
        year = int(path.stem[-4:])
        if year > 2018 or path.parent.name.split("_")[0] in SEED_COUNCILS:
            continue
        try:
            text = read_document(path).text
        except DocumentError as error:
            print(f"# left out: {error}", file=sys.stderr)
            continue
        kind = layout(text)
        if kind is None:
            continue
        strata[(year, overall_grade(text) if kind == "sif" else "pre-2014")].append(path)
    for paths in strata.values():
        rng.shuffle(paths)
    picked, councils = [], set()
    order = sorted(strata)
    rng.shuffle(order)
    legacy = [k for k in order if k[1] == "pre-2014"]
    for key in legacy:  # every readable pre-2014 layout: there are only a few
        picked.extend(strata.pop(key))
    councils.update(p.parent.name for p in picked)
    while len(picked) < DOCUMENTS and any(strata.values()):
        for key in order:
            paths = strata.get(key) or []
            fresh = [p for p in paths if p.parent.name not in councils] or paths
            if fresh and len(picked) < DOCUMENTS:
                choice = fresh[0]
                paths.remove(choice)
                picked.append(choice)
                councils.add(choice.parent.name)
    return picked


def draw_sentences(rng: random.Random, text: str):
    by_section = defaultdict(list)
    for section, sentence in candidates(text):
        if sentence not in {s for ss in by_section.values() for s in ss}:
            by_section[section].append(sentence)
    chosen = []
    for section, quota in QUOTA.items():
        pool = by_section[section]
        chosen += [(section, s) for s in rng.sample(pool, min(quota, len(pool)))]
    rest = [(k, s) for k, ss in sorted(by_section.items()) for s in ss if (k, s) not in chosen]
    chosen += rng.sample(rest, min(PER_DOCUMENT - len(chosen), len(rest)))
    return chosen


def main() -> None:
    rng = random.Random(SEED)
    documents = draw_documents(rng)
    held = set(rng.sample(range(len(documents)), round(len(documents) / 5)))  # before any labelling
    out = {"held_apart_documents": [], "sentences": []}
    for i, path in enumerate(documents):
        rel = str(path.relative_to(CORPUS))
        if i in held:
            out["held_apart_documents"].append(rel)
        text = read_document(path).text
        for section, sentence in draw_sentences(rng, text):
            out["sentences"].append({"document": rel, "section": section, "text": sentence})
    yaml.safe_dump(out, sys.stdout, allow_unicode=True, sort_keys=False, width=10_000)


if __name__ == "__main__":
    main()
