"""Judgement statements: an area's label followed by a grade.

One pattern covers the judgement table at the front of a report ("Overall effectiveness
Inadequate", "2.1 Adoption performance Good", markdown table cells) and the section headings
that repeat it ("... help and protection is: inadequate", "The graded judgement for adoption
performance is that it is good"). The first statement of an area is the table's; later ones
that agree add evidence, and any that disagree stay as a claim of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.records import InspectionRef, Judgement, Span
from ..reference.vocabulary import Vocabulary
from .evidence import match_span
from .patterns import words

SEPARATOR = r"(?:<[^>]+>|[\s*|])*"
SERVICES_IN = words("Children's services in")
# "... Board (LSCB) is good": an abbreviation may stand between the area and the verb
CONNECTOR = rf"(?:\s*\([A-Z]{{2,6}}\))?{SEPARATOR}(?:(?:is|are)(?:\s+that\s+it(?:\s+is)?)?\s*:?|:)?{SEPARATOR}"
FIRST_PAGE = 3000  # characters: the judgement table and overall sentence are on page 1


@dataclass(frozen=True)
class Statement:
    area: str
    grade: str
    span: Span
    start: int
    end: int


def statements(text: str, document: str, vocab: Vocabulary, area_scheme: str) -> list[Statement]:
    pattern = re.compile(
        # not a grade descriptor: "An LSCB requires improvement if it does not yet ..."
        rf"(?P<area>{vocab.label_pattern(area_scheme)}){CONNECTOR}(?P<grade>{vocab.label_pattern('grade')})(?![\w-])(?!\s+if\b)",
        re.IGNORECASE,
    )
    found = []
    for m in pattern.finditer(text):
        area = vocab.concept(area_scheme, m["area"])
        grade = vocab.concept("grade", m["grade"])
        if area and grade:
            found.append(Statement(area, grade, match_span(text, document, m), m.start(), m.end()))
    return found


def overall_statement(text: str, document: str, vocab: Vocabulary, area_scheme: str) -> Statement | None:
    """SIF's overall judgement is a sentence: "Children's services in X require improvement to be good"
    (from 2014), or "The overall judgement is requires improvement" (the first SIF reports)."""
    grade = r"(?P<grade>" + vocab.label_pattern("grade") + r")(?![\w-])"
    head = text[:FIRST_PAGE]  # the overall judgement is the first page's; later pages recount others
    m = re.search(
        r"The\s+overall\s+judgement\s+is\s+(?:that\s+(?:children['\u2019]s\s+services\s+)?(?:are\s+|is\s+)?)?" + grade,
        head,
        re.IGNORECASE,  # 2013-14 SIF: "The overall judgement is requires improvement"
    ) or re.search(SERVICES_IN + r"\s+[^\n]{2,60}?(?:\n[^\n]{1,40}?)??\s+(?:are\s+|is\s+)?" + grade, head, re.IGNORECASE)
    if not m:
        return None
    area = vocab.concept(area_scheme, "Overall effectiveness")
    graded = vocab.concept("grade", m["grade"])
    if not (area and graded):
        return None
    return Statement(area, graded, match_span(text, document, m), m.start(), m.end())


def not_judged(text: str, vocab: Vocabulary, area_scheme: str) -> tuple[str, ...]:
    """Areas the judgement table prints as "Not judged" (a council with no children placed for
    adoption, say): prescribed by the framework, but given no grade."""
    pattern = re.compile(rf"(?P<area>{vocab.label_pattern(area_scheme)}){CONNECTOR}not\s+judged", re.I)
    return tuple(sorted({a for m in pattern.finditer(text[:FIRST_PAGE]) if (a := vocab.concept(area_scheme, m["area"]))}))


def judgements(found: list[Statement], inspection: InspectionRef) -> tuple[Judgement, ...]:
    """Group statements by (area, grade) in order of first appearance; each group is one claim."""
    grouped: dict[tuple[str, str], list[Span]] = {}
    for statement in found:
        grouped.setdefault((statement.area, statement.grade), []).append(statement.span)
    return tuple(Judgement(inspection, area, grade, tuple(spans)) for (area, grade), spans in grouped.items())
