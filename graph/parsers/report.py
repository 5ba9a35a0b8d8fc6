"""Ofsted inspection reports on a council's children's services: SIF (2013-2017) and ILACS (2018-).

Reads from the report's text (PDF or its Markdown conversion): the inspection (framework,
council, dates on site, publication where printed), every judgement, the inspection team,
recommendations (SIF's numbered list; ILACS's "What needs to improve" bullets), numbered
findings joined across page breaks, the local leadership it names, its account of earlier
inspections and the statistics it states. Formats: Ofsted's published layouts, see
docs/domain.md in the shared folder and https://www.gov.uk/government/collections/ofsted-inspections-of-childrens-social-care-services
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..input.documents import DocumentText
from ..model.records import Extraction, Finding, Inspection, InspectionRef, OrgRef, Recommendation, SourceDocument
from ..model.user_errors import DocumentError
from ..reference.vocabulary import Vocabulary, fold
from . import history, judgements, people, statistics, team
from .dates import RANGE, parse_date, parse_range
from .evidence import match_span
from .layout import BULLET, GLUED_NUMBER, Block, Line, ends_sentence, lines
from .patterns import COUNCIL
from .themes import finding, themes

SIF_MARKERS = (
    "review of the effectiveness of the local safeguarding children board",
    "inspection of services for children in need of help and protection",
)
ILACS_MARKERS = (
    "inspection of children's social care services",
    "local authority children's services",
    "inspection of local authority children's social care services",
)

# Section headings of the report templates, as printed; the value says what the numbered
# items under them are. Keys are folded (vocabulary.fold) when looked up.
SECTION_HEADINGS = {
    "Inspection findings": "findings",
    "Recommendations": "recommendations",
    "Areas for improvement": "recommendations",  # the first SIF reports (2013-2015)
    "Priority and immediate action": "recommendations",  # before the areas for improvement, where there are any
    "What needs to improve": "improve",
    "Summary": "other",
    "Executive summary": "other",
    "Summary for children and young people": "other",
    "Information about this inspection": "end",
    "Information about this local authority area": "other",
    "The inspection team": "end",
    "Contents": "other",
    "The local authority": "other",
    "The Local Safeguarding Children Board": "lscb",
}
SECTIONS = {fold(heading): section for heading, section in SECTION_HEADINGS.items()}
# Headings printed in several forms, matched whole on a line (a footnote number stripped): the
# sections that follow a list of recommendations in SIF reports. Their numbered paragraphs are
# findings (strengths, the board's findings), or, for the grade descriptors, nothing at all, so a
# recommendation ends where they start.
SECTION_PATTERNS = [
    (re.compile(r"inspection\s+findings\s*\W\s*the\s+(?:local\s+safeguarding\s+children\s+board|lscb)", re.I), "lscb-findings"),
    (
        re.compile(r"key\s+strengths\s+and\s+weaknesses\s+of\s+the\s+(?:lscb|board|\w*SCB|.*\bsafeguarding\b.*)", re.I),
        "lscb-findings",
    ),
    (re.compile(r"key\s+strengths\s+and\s+weaknesses", re.I), "findings"),
    (re.compile(r"inspection\s+judge?ment\s+about\s+the\s+\w+", re.I), "findings"),
    (re.compile(r"the\s+(?:local\s+authority|lscb|board)\W?s\s+strengths", re.I), "findings"),
    (re.compile(r"the\s+local\s+authority\s+has\s+the\s+following\s+strengths:?", re.I), "other"),
    (re.compile(r"progress\s+since\s+the\s+last\s+inspection", re.I), "findings"),
    # 2014's "Section 2: The effectiveness of the local safeguarding / children board"
    (re.compile(r"section\s+2\s*:.*\bsafeguarding\b.*", re.I), "lscb"),
    # who the areas for improvement after it are for
    (re.compile(r"what\s+does\s+the\s+local\s+authority\s+need\s+to\s+improve\??", re.I), "council"),
    (re.compile(r"what\s+does\s+the\s+(?:lscb|board|\w*SCB)\s+need\s+to\s+improve\??", re.I), "lscb"),
    # "What the inspection judgements mean: the local / authority": the grade descriptors
    (re.compile(r"what\s+the\s+(?:[\w\s]+\s)?inspection\s+judge?ments\s+mean\b.*", re.I), "other"),
]
END_OF_REPORT = re.compile(
    r"^The Office for Standards in Education|^Ofsted has inspected|^If you would like a copy"
    r"|^Any complaints about the inspection",
    re.I,
)
# the title of the safeguarding board's review, at the start of a line: on the first page of a
# combined report ("... care leavers / and / Review of the effectiveness of ..."), or of a
# review bound into the same PDF
LSCB_REVIEW = re.compile(
    r"^[\s#*]*(?:and\s+)?(?:Review|Inspection)\s+of\s+the\s+effectiveness\s+of\s+the\s+Local\s+Safeguarding\s+Children",
    re.I | re.M,
)
NUMBERED = re.compile(r"^(\d{1,3})\.\s*(?=\S)")
#: a numbered item under "Priority and immediate action" saying there is none: no recommendation
NOTHING_TO_IMPROVE = re.compile(
    r"^(?:The\s+inspection\s+did\s+not\s+(?:find|identify)\s+any|There\s+(?:are|were)\s+no)\b"
    r"[^.]*\b(?:priority|immediate|actions?|areas?)\b",
    re.I,
)


def framework(text: str) -> str | None:
    head = fold(text[:3000])
    if any(fold(m) in head for m in SIF_MARKERS):
        return "sif"
    if any(fold(m) in head for m in ILACS_MARKERS):
        return "ilacs"
    return None


TITLE = re.compile(
    r"(?:\bRe-?\s*)?(?:"
    r"Inspection\s+of\s+(?:local\s+authority\s+)?children['\u2019]s\s+social\s+care\s+services"
    r"|Inspection\s+of\s+services\s+for\s+children\s+in\s+need"
    r"|Inspection\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:['\u2019]s)?\s+services"
    r"|Inspection\s+of\s+local\s+authority\s+children['\u2019]s\s+services"
    r"|Review\s+of\s+the\s+effectiveness\s+of\s+the\s+Local\s+Safeguarding\s+Children)",
    re.I,
)


def council_name(text: str) -> str | None:
    """The council a report is about, as its first page names it: "Inspection of [the] X local
    authority children's services" (ILACS from 2019), or the lines just above (or below, in
    pre-2014 reports) the report's title ("Bolton" / "Inspection of children's social care
    services"; "City of Bradford Metropolitan District / Council" / "Inspection of services
    for children in need ...")."""
    head = text[:2000]
    m = re.search(
        r"Inspection\s+of\s+(?:the\s+)?(?P<c>[A-Z][^\n]{1,60}?(?:\n[^\n]{1,40}?)??)\s+(?:local\s+authority\s+)?children['\u2019]s\s+services",
        head,
    )
    if m:
        return re.sub(r"\s+", " ", m["c"]).strip()
    title = TITLE.search(head)
    if title:
        before = [line.strip() for line in head[: title.start()].splitlines() if line.strip()]
        before = [line for line in before if not re.fullmatch(r"\d+|#+|-+|", line.strip("# "))]
        if before:
            name = " ".join(line.strip("# ") for line in before[-2:])
            # two lines only when the first runs on ("City of Bradford Metropolitan District / Council")
            if len(before) >= 2 and not re.search(
                r"(?i)\b(?:district|borough|county|city|of|and|upon|metropolitan)\s*$", before[-2]
            ):
                name = before[-1].strip("# ")
            return name
        after = head[title.end() :].lstrip(" \n")
        line = after.splitlines()[0].strip() if after else ""
        if line:
            return line
    m = re.search(rf"Children['\u2019]s\s+services\s+in\s+(?:the\s+)?(?P<c>{COUNCIL})\s+(?:are|is|require)", head)
    return re.sub(r"\s+", " ", m["c"]).strip() if m else None


def parse_report(doc: DocumentText, vocab: Vocabulary, meta: SourceDocument) -> Extraction:
    text, key = doc.text, doc.key
    kind = framework(text)
    if kind is None:
        raise DocumentError(doc.path, "reads like an Ofsted report but its framework (SIF or ILACS) is not recognised")
    council, m, (start, end) = council_and_dates(doc)
    ref = InspectionRef(council, kind, start)
    evidence = [match_span(text, key, m)]
    published = None
    if p := re.search(r"Report\s+published:\s*\**\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{1,2}\s+\w+\s+\d{4})", text):
        published = parse_date(p["date"])
        evidence.append(match_span(text, key, p))
    detail = "inspection-kind/sif" if kind == "sif" else "inspection-kind/ilacs"
    if kind == "sif" and re.search(r"\bRe-?\s*inspection\s+of\s+services", text[:2000], re.I):
        detail = "inspection-kind/sif-reinspection"
    inspection = Inspection(ref, tuple(evidence), detail=detail, end=end, published=published, reported_in=key)

    scheme = "sif-area" if kind == "sif" else "ilacs-area"
    found = judgements.statements(text, key, vocab, scheme)
    if kind == "sif" and (overall := judgements.overall_statement(text, key, vocab, scheme)):
        found.insert(0, overall)
    previous, previous_judged, recounted = history.previous_judgements(text, key, found, council, kind)
    found = [s for s in found if id(s) not in recounted]
    judged = judgements.judgements(found, ref)
    if not judged:
        raise DocumentError(doc.path, "no judgement table could be read")

    structure = Structure(text, key, vocab, ref, scheme, found, council)
    structure.walk()
    earlier, earlier_judgements = history.earlier_inspections(text, key, vocab, council)
    if previous is not None:
        earlier, earlier_judgements = [previous, *earlier], [*previous_judged, *earlier_judgements]
    tenures = people.unnamed_tenures(text, key, vocab, council, ref) + people.named_tenures(text, key, vocab, council, None, ref)
    return Extraction(
        document=meta,
        inspections=(inspection, *earlier),
        judgements=(*judged, *earlier_judgements),
        tenures=tuple(tenures),
        team=tuple(team.team_lines(text, key, vocab, ref)),
        findings=tuple(structure.findings),
        recommendations=tuple(structure.recommendations),
        statistics=tuple(statistics.stated_statistics(text, key, council, ref)),
        councils=(council,),
        not_judged=judgements.not_judged(text, vocab, scheme),
        reviews_lscb=bool(LSCB_REVIEW.search(text)),
    )


def council_and_dates(doc: DocumentText) -> tuple[str, re.Match, tuple[str, str]]:
    """The council a report's first page names, its "Inspection dates:" line, and the first and
    last days on site; a DocumentError where either is missing."""
    council = council_name(doc.text)
    if council is None:
        raise DocumentError(doc.path, "no council named on the report's first page")
    m = re.search(rf"Inspection\s+dates?:\s*\**\s*(?P<dates>{RANGE})", doc.text)
    if m is None:
        raise DocumentError(doc.path, "no 'Inspection dates:' line on the first page")
    return council, m, parse_range(m["dates"])


def section_of(clean: str, folded: str) -> str | None:
    """The section a heading line opens, or None when the line is no section heading: a heading
    starts with a capital and ends without a full stop ("panel / recommendations." is the end
    of a sentence)."""
    if not clean[:1].isupper() or clean.endswith((".", ",", ";")):
        return None
    if folded in SECTIONS and len(clean) < 60:
        return SECTIONS[folded]
    bare = GLUED_NUMBER.sub("", clean)
    if len(bare) < 80:
        for pattern, section in SECTION_PATTERNS:
            if pattern.fullmatch(bare):
                return section
    return None


def is_subheading(line: str) -> bool:
    """A short title-like line that groups the items after it, not part of the item before."""
    return len(line) < 70 and line[:1].isupper() and not ends_sentence(line) and not line.endswith(",")


def report_title(text: str) -> str | None:
    """The report's title as printed on its first page, on one line ("Inspection of services
    for children in need of help and protection, children looked after and care leavers and
    Review of the effectiveness of the Local Safeguarding Children Board")."""
    head = text[:1500]
    m = re.search(
        r"Inspection\s+of\s+(?:the\s+)?[A-Z][^\n]{1,60}?(?:\n[^\n]{1,40}?)??\s+(?:local\s+authority\s+)?children['\u2019]s\s+services",
        head,
    )
    if m:
        return re.sub(r"\s+", " ", m[0]).strip()
    title = TITLE.search(head)
    if not title:
        return None
    end = re.search(r"\n(?:Inspection\s+dates?|Report\s+published|Age\s+group)", head[title.start() :])
    block = head[title.start() : title.start() + end.start()] if end else head[title.start() : title.end()]
    return re.sub(r"(?<=[a-z])\d\b", "", re.sub(r"[\s#*]+", " ", block)).strip()


@dataclass
class Structure:
    """Walks the report's body lines section by section, collecting numbered findings and recommendations."""

    text: str
    document: str
    vocab: Vocabulary
    inspection: InspectionRef
    scheme: str
    statements: list
    council: str

    def __post_init__(self) -> None:
        self.findings: list[Finding] = []
        self.recommendations: list[Recommendation] = []

    def heading_area(self, line: Line) -> str | None:
        """The area of a judgement statement that makes up most of this line, if any."""
        for s in self.statements:
            if s.start < line.end and line.start < s.end:
                covered = min(s.end, line.end) - max(s.start, line.start)
                if covered >= 0.5 * max(1, line.end - line.start - 2):
                    return s.area
        return None

    def walk(self) -> None:
        section, area, addressed = "other", None, OrgRef("council", self.council)
        items: list[tuple[int | None, list[Line]]] = []

        def flush() -> None:
            for number, block_lines in items:
                self.emit(section, number, Block(tuple(block_lines)), area, addressed)
            items.clear()

        expected: int | None = None
        last_number = 0  # the last numbered paragraph read: SIF numbers them on through the report
        for line in lines(self.text):
            if line.furniture:
                continue
            # A heading may carry a footnote number glued to its last word ("area2"); a line
            # ending in a separate number is a contents entry with its page, not a heading.
            folded = fold(GLUED_NUMBER.sub("", line.clean))
            if END_OF_REPORT.search(line.clean):
                flush()
                section = "end"
                continue
            if (heading_area := self.heading_area(line)) is not None:
                flush()
                # ILACS numbers its findings straight under the area heading; SIF puts a
                # summary first, whose own heading switches the section off again.
                area, section, expected = heading_area, "findings", None
                # "The effectiveness of the LSCB is good": its section follows; any other area's
                # heading is the council's (the first page's summary names the board's grade too)
                addressed = OrgRef("lscb" if heading_area.endswith("/lscb") else "council", self.council)
                continue
            new = section_of(line.clean, folded)
            if new is not None:
                flush()
                if new in ("lscb", "lscb-findings"):
                    area = self.vocab.concept(self.scheme, "Local Safeguarding Children Board")
                    addressed = OrgRef("lscb", self.council)
                elif new == "council":
                    addressed = OrgRef("council", self.council)
                section, expected = {"lscb": "other", "lscb-findings": "findings", "council": "other"}.get(new, new), None
                continue
            numbered = NUMBERED.match(line.clean)
            if section == "other" and area is not None and numbered and last_number and int(numbered[1]) == last_number + 1:
                # an area's summary with no "Inspection findings" heading after it: the next
                # paragraph in the report's numbering opens the area's findings
                flush()
                section, expected = "findings", None
            if section in ("other", "end"):
                continue
            if section in ("findings", "recommendations") and numbered and (expected is None or int(numbered[1]) == expected):
                number = int(numbered[1])
                items.append((number, [line]))
                expected, last_number = number + 1, number
            elif section in ("improve", "recommendations") and BULLET.match(self.text[line.start : line.end]):
                if items and items[-1][0] is not None:
                    items[-1][1].append(line)  # a sub-bullet belongs to the numbered recommendation above it
                else:
                    items.append((None, [line]))
            elif items and not line.blank:
                previous = items[-1][1][-1]
                gap = self.text[previous.end : line.start]
                if section != "findings" and ends_sentence(previous.clean) and is_subheading(line.clean):
                    continue  # "Quality of practice" between two areas for improvement
                if "\n\n" in gap and ends_sentence(previous.clean) and not line.clean[:1].islower():
                    flush()  # a new unnumbered paragraph: the numbered item has ended
                    section = "other" if section == "improve" else section
                    continue
                items[-1][1].append(line)
        flush()

    def emit(self, section: str, number: int | None, block: Block, area: str | None, addressed: OrgRef) -> None:
        body = NUMBERED.sub("", block.text, count=1) if number is not None else BULLET.sub("", block.text, count=1)
        body = body.strip()
        if not body:
            return
        spans = block.spans(self.text, self.document)
        if section == "findings" and number is not None:  # findings are numbered: only recommendations are bulleted
            self.findings.append(finding(self.inspection, number, body, spans, self.vocab, area=area))
        elif section in ("recommendations", "improve"):
            if NOTHING_TO_IMPROVE.match(body):
                return
            ordinal = number if number is not None else 1 + sum(1 for r in self.recommendations if r.addressed_to == addressed)
            cited = tuple(
                int(n)
                for group in re.findall(r"\(paragraphs?\s+([\d,\s]+(?:and\s+\d+)?)\)", body)
                for n in re.findall(r"\d+", group)
            )
            self.recommendations.append(
                Recommendation(
                    self.inspection,
                    ordinal,
                    body,
                    spans,
                    addressed_to=addressed,
                    cited_paragraphs=cited,
                    themes=themes(body, self.vocab),
                )
            )
