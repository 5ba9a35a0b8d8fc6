"""Ofsted's letters after a monitoring visit or a focused visit (no grade).

"This letter summarises the findings of the monitoring visit to X children's services on
29 and 30 July 2021. The visit was the fourth monitoring visit since the local authority
was judged inadequate in March 2019. Her Majesty's Inspectors for this visit were A and B."
Findings are the paragraphs under "Findings and evaluation of progress" (focused visits:
"Findings"), which letters do not number: they are numbered by their order, and flagged so.
"""

from __future__ import annotations

import re

from ..input.documents import DocumentText
from ..model.records import Extraction, Finding, Inspection, InspectionRef, SourceDocument
from ..model.user_errors import DocumentError
from ..reference.vocabulary import Vocabulary
from . import history, people, statistics, team
from .dates import RANGE, parse_date, parse_range
from .evidence import match_span
from .layout import Block, ends_sentence, lines
from .patterns import APOS, COUNCIL, ORDINALS
from .themes import finding

OPENING = re.compile(
    rf"This\s+letter\s+summarises\s+the\s+findings\s+of\s+the\s+(?P<kind>monitoring|focused)\s+visit\s+to\s+"
    rf"(?P<council>{COUNCIL})\s+(?:local\s+authority\s+)?children{APOS}s\s+services\s+on\s+(?P<dates>{RANGE})"
)
ORDINAL = re.compile(
    r"(?:The\s+visit\s+was\s+the|This\s+was\s+the)\s+(?P<ordinal>" + "|".join(ORDINALS) + r")\s+monitoring\s+visit", re.I
)
FINDINGS_HEADING = re.compile(r"^\s*(?:Findings and evaluation of progress|Findings)\s*$", re.I)
CLOSING = re.compile(r"^\s*(?:I am copying this letter|Yours sincerely)", re.I)
LETTER_DATE = re.compile(r"^\s*(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+(?:19|20)\d\d)\s*$", re.M)


def is_letter(text: str) -> bool:
    return OPENING.search(text[:4000]) is not None


def parse_letter(doc: DocumentText, vocab: Vocabulary, meta: SourceDocument) -> Extraction:
    text, key = doc.text, doc.key
    m = OPENING.search(text)
    if m is None:
        raise DocumentError(doc.path, "no opening sentence 'This letter summarises the findings of the ... visit to ...'")
    council = re.sub(r"\s+", " ", m["council"]).strip()
    kind = "monitoring-visit" if m["kind"].lower() == "monitoring" else "focused-visit"
    start, end = parse_range(m["dates"])
    ref = InspectionRef(council, kind, start)
    evidence = [match_span(text, key, m)]
    ordinal = None
    if o := ORDINAL.search(text):
        ordinal = ORDINALS[o["ordinal"].lower()]
        evidence.append(match_span(text, key, o))
    earlier, earlier_judgements = history.earlier_inspections(text, key, vocab, council)
    follows = next((e.ref for e in earlier if e.ref.kind is None), None) if kind == "monitoring-visit" else None
    # a letter is published on the date it bears ("3 September 2021" above the address)
    dated = None
    if d := LETTER_DATE.search(text[:1500]):
        dated = parse_date(d["date"])
        evidence.append(match_span(text, key, d, "date"))
    visit = Inspection(
        ref,
        tuple(evidence),
        detail=f"inspection-kind/{kind}",
        end=end,
        published=dated,
        visit_ordinal=ordinal,
        follows=follows,
        reported_in=key,
    )
    return Extraction(
        document=meta,
        inspections=(visit, *earlier),
        judgements=tuple(earlier_judgements),
        tenures=tuple(people.named_tenures(text, key, vocab, council, dated, ref)),
        team=tuple(team.visit_inspectors(text, key, ref) + team.team_lines(text, key, vocab, ref)),
        findings=tuple(letter_findings(doc, vocab, ref)),
        statistics=tuple(statistics.stated_statistics(text, key, council, ref)),
        councils=(council,),
    )


def letter_findings(doc: DocumentText, vocab: Vocabulary, ref: InspectionRef) -> list[Finding]:
    """Paragraphs of the findings section; a paragraph broken by a page break is joined up."""
    body = [line for line in lines(doc.text) if not line.furniture]
    widths = sorted(len(line.clean) for line in body if line.clean)
    short = 0.8 * widths[int(0.9 * (len(widths) - 1))] if widths else 0
    paragraphs: list[list] = []
    inside = False
    for line in body:
        if FINDINGS_HEADING.match(line.clean):
            inside = True
            continue
        if not inside or line.blank:
            continue
        if CLOSING.match(line.clean):
            break
        if paragraphs:
            previous = paragraphs[-1][-1]
            gap = doc.text[previous.end : line.start]
            if "\n\n" in gap or "\f" in gap:  # a blank line or a page break: a new paragraph unless mid-sentence
                new_paragraph = ends_sentence(previous.clean) and not line.clean[:1].islower()
            else:  # PDF text has no blank lines: a short line that ends a sentence ends its paragraph
                new_paragraph = ends_sentence(previous.clean) and len(previous.clean) < short
            if not new_paragraph:
                paragraphs[-1].append(line)
                continue
        paragraphs.append([line])
    findings = []
    for number, block_lines in enumerate(paragraphs, start=1):
        block = Block(tuple(block_lines))
        said = block.text
        findings.append(finding(ref, number, said, block.spans(doc.text, doc.key), vocab, number_printed=False))
    return findings
