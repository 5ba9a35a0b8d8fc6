"""News articles and council press releases about an inspection.

They report an inspection loosely ("following a full inspection in October", "an Ofsted
report published today", "a three-week inspection in February"), its overall grade ("has
been rated requires improvement", "found children's social care services to be
inadequate", "branded 'inadequate'"), earlier inspections, and the people who speak or act
for the council and the government. The inspection they mean is found by the resolver from
the month they give; their grade then becomes further evidence for the report's judgement.
"""

from __future__ import annotations

import contextlib
import re

from ..input.documents import DocumentText
from ..model.records import Extraction, Inspection, InspectionRef, Judgement, SourceDocument
from ..model.user_errors import DocumentError
from ..reference.vocabulary import Vocabulary
from . import history, people
from .dates import month_number, parse_date
from .evidence import match_span
from .patterns import APOS

MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
SUBJECT_FORMS = [
    rf"(?:following|follows|after)\s+an?\s+(?:[\w-]+\s+){{0,2}}inspection\s+in\s+(?P<month>{MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?",
    r"(?:an?\s+)?(?:[\w-]+\s+)?Ofsted\s+report,?\s+published\s+today",
]
GRADE_FORMS = [
    r"has\s+been\s+rated\s+(?:as\s+)?['\u2018]?(?P<grade>{grade})",
    rf"found\s+children{APOS}s\s+social\s+care\s+services\s+to\s+be\s+['\u2018]?(?P<grade>{{grade}})",
    r"branded\s+['\u2018](?P<grade>{grade})['\u2019]",
]
PUBLISHED_TODAY = re.compile(r"Ofsted\s+report\s+published\s+today(?:\s+\((?:Monday|Tuesday|Wednesday|Thursday|Friday)\))?", re.I)
PUBLISHED = re.compile(r"^Published:\s*(?P<date>[^\n]+?)\s*$", re.M)


def is_press_release(text: str) -> bool:
    return PUBLISHED.search(text[:600]) is not None


def parse_press(doc: DocumentText, vocab: Vocabulary, meta: SourceDocument, council_names: tuple[str, ...]) -> Extraction:
    text, key = doc.text, doc.key
    council = main_council(text, council_names)
    if council is None:
        raise DocumentError(doc.path, "names no English council that la_lookup.csv knows")
    dated, published_line = meta.issued, None
    if p := PUBLISHED.search(text[:600]):
        with contextlib.suppress(ValueError):
            dated, published_line = parse_date(p["date"]), match_span(text, key, p)
    subject, subject_evidence = subject_inspection(text, key, council, dated)
    report_published = None
    if subject is not None and published_line is not None and (m := PUBLISHED_TODAY.search(text)):
        # "an Ofsted report published today (Monday)" in a release whose own text dates it
        report_published = dated
        subject_evidence = [*subject_evidence, published_line, match_span(text, key, m)]
    inspections, judgements = history.earlier_inspections(text, key, vocab, council)
    claimed = [(e.start, e.end) for i in inspections for e in i.evidence]
    if subject is not None:
        inspections.insert(0, Inspection(subject, tuple(subject_evidence), published=report_published))
        for form in GRADE_FORMS:
            for m in re.finditer(form.format(grade=vocab.label_pattern("grade")), text, re.I):
                if any(a <= m.start() < b for a, b in claimed):
                    continue  # a grade of an earlier inspection, already read by history
                grade = vocab.concept("grade", m["grade"])
                if grade:
                    judgements.append(Judgement(subject, history.OVERALL, grade, (match_span(text, key, m),)))
    return Extraction(
        document=meta,
        inspections=tuple(inspections),
        judgements=tuple(judgements),
        tenures=tuple(people.named_tenures(text, key, vocab, council, dated, subject)),
        councils=(council,),
    )


def subject_inspection(text: str, document: str, council: str, dated: str | None):
    """The inspection the piece is about, as a partial reference: the month it names, or the
    month the piece itself came out when it says the report was "published today"."""
    for form in SUBJECT_FORMS:
        m = re.search(form, text, re.I)
        if not m:
            continue
        evidence = [match_span(text, document, m)]
        if m.groupdict().get("month"):
            month = month_number(m["month"])
            if m["year"]:
                year = int(m["year"])
            elif dated:
                year = int(dated[:4]) - (1 if len(dated) >= 7 and month > int(dated[5:7]) else 0)
            else:
                continue
            return InspectionRef(council, None, f"{year:04d}-{month:02d}"), evidence
        if dated:
            return InspectionRef(council, None, dated[:7]), evidence
    return None, []


def main_council(text: str, council_names: tuple[str, ...]) -> str | None:
    """The council a piece is about: the known council named most often (ties: the first named)."""
    best, best_count, best_at = None, 0, len(text)
    for name in council_names:
        found = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
        if found and (len(found) > best_count or (len(found) == best_count and found[0] < best_at)):
            best, best_count, best_at = name, len(found), found[0]
    return best
