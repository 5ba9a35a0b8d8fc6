"""Ofsted's 2012-2013 reports of inspections of looked after children services (before the SIF).

The layout (Ofsted, "Inspection of looked after children services", under section 136 of the
Education and Inspections Act 2006; the last of the 2009-2013 safeguarding and looked after
children inspections): a first page with the council, "Inspection dates:", "Reporting
inspector <name> HMI" and "Published:"; paragraph 3 sets out the four-point scale it grades
on ("Adequate (Grade 3) A service that only meets minimum requirements"); each judgement is a
heading followed by "Grade 4 (Inadequate)" ("Overall effectiveness of services for looked
after children and young people", "Capacity to improve", "Outcomes for ...", "Quality of
provision", "Leadership and management"); every paragraph is numbered; "Areas for
improvement" lists actions in bullets under "Immediately:", "Within three months:", ...; and
the closing "Record of main findings" tabulates every grade under a section heading
("Services for looked after children"). See docs/domain.md in the shared folder.

Reads the inspection, each judgement (on the pre-2013 scale: adequate is not requires
improvement), the reporting inspector, the numbered findings under each judgement and the
areas for improvement, each with the exact spans it was read from.
"""

from __future__ import annotations

import re

from ..input.documents import DocumentText
from ..model.records import Extraction, Finding, Inspection, InspectionRef, OrgRef, Recommendation, SourceDocument, TeamMember
from ..model.user_errors import DocumentError
from ..reference.vocabulary import Vocabulary
from . import history, statistics
from .dates import parse_date
from .evidence import match_span, span
from .judgements import Statement, judgements
from .layout import BULLET, Block, Line, lines
from .report import NUMBERED, council_and_dates
from .team import people_in
from .themes import finding, themes

KIND = "legacy-looked-after"
TITLE = re.compile(r"\A\W*Inspection\s+of\s+looked\s+after\s+children\s+services\b", re.I)
RECORD = "Record of main findings"
AREAS_FOR_IMPROVEMENT = "Areas for improvement"
#: "Grade 4 (Inadequate)" under a judgement's heading
GRADE_LINE = re.compile(r"^Grade\s+(?P<number>[1-4])\s+\((?P<grade>[A-Za-z ]+)\)$")
#: paragraph 3's scale, "Adequate (Grade 3) A service that only meets minimum requirements"
SCALE_LINE = re.compile(r"^(?P<grade>[A-Z][a-z]+)\s+\(Grade\s+(?P<number>[1-4])\)")
#: "Immediately:", "Within three months:": when the actions after it are due
DUE = re.compile(r"^(?:Immediately|Within\s+\w+\s+months?)\s*:$", re.I)


def recognise(text: str) -> bool:
    """The layout is this one: its title opens the text and it closes with the record of grades."""
    return bool(TITLE.search(text[:200])) and re.search(rf"^{RECORD}\s*$", text, re.M) is not None


def parse_legacy(doc: DocumentText, vocab: Vocabulary, meta: SourceDocument) -> Extraction:
    text, key = doc.text, doc.key
    council, dates, (start, end) = council_and_dates(doc)
    ref = InspectionRef(council, KIND, start)
    evidence, published = [match_span(text, key, dates)], None
    if p := re.search(r"^Published:\s*(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})", text, re.M):
        published = parse_date(p["date"])
        evidence.append(match_span(text, key, p))
    inspection = Inspection(ref, tuple(evidence), detail=f"inspection-kind/{KIND}", end=end, published=published, reported_in=key)

    body = [line for line in lines(text) if not line.furniture]
    scale = printed_scale(body, vocab)
    if not scale:
        raise DocumentError(doc.path, "no four-point scale ('Adequate (Grade 3) ...') set out before the judgements")
    section = record_section(body, vocab)
    if section is None:
        raise DocumentError(doc.path, f"no section heading (e.g. 'Services for looked after children') under '{RECORD}'")
    headings = judgement_headings(doc, body, vocab, scale, section)
    found = [s for statements, _ in headings.values() for s in statements] + record_rows(doc, body, vocab, scale, section)
    if not found:
        raise DocumentError(doc.path, "no judgement ('Grade N (...)' under a heading) could be read")
    walk = Walk(text, key, vocab, ref, council, headings)
    walk.run(body)
    earlier, earlier_judgements = history.earlier_inspections(text, key, vocab, council)
    lead = reporting_inspector(text, key, vocab, ref)
    return Extraction(
        document=meta,
        inspections=(inspection, *earlier),
        judgements=(*judgements(found, ref), *earlier_judgements),
        team=tuple(lead),
        findings=tuple(walk.findings),
        recommendations=tuple(walk.recommendations),
        statistics=tuple(statistics.stated_statistics(text, key, council, ref)),
        councils=(council,),
    )


def printed_scale(body: list[Line], vocab: Vocabulary) -> dict[str, str]:
    """Grade number -> grade concept, as the report's own scale paragraph prints them."""
    scale = {}
    for line in body:
        if (m := SCALE_LINE.match(line.clean)) and (grade := vocab.concept("legacy-grade", m["grade"])):
            scale[m["number"]] = grade
    return scale


def graded(m: re.Match, vocab: Vocabulary, scale: dict[str, str], doc: DocumentText, where: str) -> str:
    """The grade a "Grade N (Word)" or "Word Grade N" prints, checked against the report's own scale."""
    grade = vocab.concept("legacy-grade", m["grade"])
    number = m.groupdict().get("number")
    if grade is None or (number and scale.get(number) != grade):
        raise DocumentError(doc.path, f"{where}: {m[0]!r} is not a grade of the report's scale")
    return grade


def area_of(heading: str, section: str, vocab: Vocabulary) -> str | None:
    """A judgement heading's area: the heading itself, or "<heading> (<record section>)"."""
    return vocab.concept("legacy-area", heading) or vocab.concept("legacy-area", f"{heading} ({section})")


def judgement_headings(
    doc: DocumentText, body: list[Line], vocab: Vocabulary, scale: dict[str, str], section: str
) -> dict[int, tuple[list[Statement], int]]:
    """Index of the grade line -> (the judgement its heading states, one statement per run of
    text a page break leaves, and the index of the heading's first line)."""
    found = {}
    for i, line in enumerate(body):
        if not (m := GRADE_LINE.match(line.clean)):
            continue
        for first in (i - 1, i - 2, i - 3):  # a heading runs over up to three lines
            if first < 0:
                break
            heading = " ".join(body[j].clean for j in range(first, i))
            if area := area_of(heading, section, vocab):
                grade = graded(m, vocab, scale, doc, f"page {line.page}")
                spans = Block(tuple(body[first : i + 1])).spans(doc.text, doc.key)
                found[i] = ([Statement(area, grade, s, s.start, s.end) for s in spans], first)
                break
        else:
            raise DocumentError(doc.path, f"page {line.page}: {line.clean!r} follows no judgement heading")
    return found


def record_section(body: list[Line], vocab: Vocabulary) -> str | None:
    """The section heading of the record of main findings, as printed: a label of an area."""
    for i, line in enumerate(body):
        if line.clean == RECORD and i + 1 < len(body) and vocab.concept("legacy-area", body[i + 1].clean):
            return body[i + 1].clean
    return None


def record_rows(doc: DocumentText, body: list[Line], vocab: Vocabulary, scale: dict[str, str], section: str) -> list[Statement]:
    """The record of main findings: "Capacity to improve Adequate Grade 3" (the grade's number
    may be left out), a row's label running over lines ("Outcomes for looked after children and /
    young people / Inadequate Grade 4")."""
    row = re.compile(
        rf"^(?P<label>.*?)\s*\b(?P<grade>{vocab.label_pattern('legacy-grade')})(?:\s+Grade\s+(?P<number>[1-4]))?$", re.I
    )
    start = next(i for i, line in enumerate(body) if line.clean == RECORD) + 2
    found, pending = [], []
    for line in body[start:]:
        pending.append(line)
        m = row.match(line.clean)
        if not m:
            continue
        label = " ".join([*(p.clean for p in pending[:-1]), m["label"]]).strip()
        area = area_of(label, section, vocab)
        if area is None:
            raise DocumentError(doc.path, f"page {line.page}: {RECORD}: {label!r} is no judgement of the layout")
        grade = graded(m, vocab, scale, doc, f"page {line.page}")
        found.append(Statement(area, grade, span(doc.text, doc.key, pending[0].start, line.end), pending[0].start, line.end))
        pending = []
    return found


def reporting_inspector(text: str, document: str, vocab: Vocabulary, ref: InspectionRef) -> list[TeamMember]:
    """ "Reporting inspector Sarah Urding HMI": the lead inspector, as the first page names them."""
    m = re.search(r"^(?P<role>Reporting\s+inspector):?[ \t]+(?P<names>[^\n]+)$", text[:1500], re.M)
    role = vocab.concept("team-role", m["role"]) if m else None
    if not (m and role):
        return []
    label = span(text, document, m.start("role"), m.end("role"))
    return [
        TeamMember(ref, name, role, (label, span(text, document, a, b)), grade)
        for a, b, name, grade in people_in(text, m.start("names"), m.end("names"))
    ]


class Walk:
    """The body in order: numbered paragraphs under a judgement heading are its findings; the
    bullets under "Areas for improvement" are recommendations to the council."""

    def __init__(self, text, document, vocab, inspection, council, headings):
        self.text, self.document, self.vocab, self.inspection = text, document, vocab, inspection
        self.addressed = OrgRef("council", council)
        self.heading_lines = {first: (grade_line, s[0].area) for grade_line, (s, first) in headings.items()}
        self.findings: list[Finding] = []
        self.recommendations: list[Recommendation] = []

    def run(self, body: list[Line]) -> None:
        section, area, expected = "other", None, 1
        item: tuple[str, int | None, list[Line]] | None = None  # (kind, number, lines) being read
        skip_to = -1
        for i, line in enumerate(body):
            if i <= skip_to or line.blank:
                continue
            if i in self.heading_lines:  # a judgement's heading and grade: its findings follow
                self.emit(item, area)
                item, (skip_to, area), section = None, self.heading_lines[i], "findings"
                continue
            if line.clean in (AREAS_FOR_IMPROVEMENT, RECORD) or DUE.match(line.clean):
                self.emit(item, area)
                item = None
                section = {AREAS_FOR_IMPROVEMENT: "improve", RECORD: "end"}.get(line.clean, section)
                continue
            numbered = NUMBERED.match(line.clean)
            # paragraphs number on through the report; a section's first sets the count again,
            # so one misread paragraph does not swallow the rest
            if numbered and (int(numbered[1]) == expected or (item is None and int(numbered[1]) > expected)):
                self.emit(item, area)
                expected = int(numbered[1]) + 1
                # the numbered lead-in of the areas for improvement is neither finding nor action
                item = ("finding", int(numbered[1]), [line]) if section == "findings" else None
            elif section == "improve" and BULLET.match(self.text[line.start : line.end]):
                self.emit(item, area)
                item = ("action", None, [line])
            elif item is not None:
                item[2].append(line)
        self.emit(item, area)

    def emit(self, item, area) -> None:
        if item is None:
            return
        kind, number, item_lines = item
        block = Block(tuple(item_lines))
        body = (NUMBERED.sub("", block.text, count=1) if number else BULLET.sub("", block.text, count=1)).strip()
        if not body:
            return
        spans = block.spans(self.text, self.document)
        if kind == "finding":
            self.findings.append(finding(self.inspection, number, body, spans, self.vocab, area=area))
        else:
            self.recommendations.append(
                Recommendation(
                    self.inspection,
                    len(self.recommendations) + 1,
                    body,
                    spans,
                    addressed_to=self.addressed,
                    themes=themes(body, self.vocab),
                )
            )
