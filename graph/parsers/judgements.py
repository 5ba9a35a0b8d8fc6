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

from ..evidence import match_span
from ..records import InspectionRef, Judgement, Span
from ..vocabulary import Vocabulary
from .patterns import words

SEPARATOR = r"(?:<[^>]+>|[\s*|])*"
SERVICES_IN = words("Children's services in")
CONNECTOR = rf"{SEPARATOR}(?:(?:is|are)(?:\s+that\s+it(?:\s+is)?)?\s*:?|:)?{SEPARATOR}"


@dataclass(frozen=True)
class Statement:
    area: str
    grade: str
    span: Span
    start: int
    end: int


def statements(text: str, document: str, vocab: Vocabulary, area_scheme: str) -> list[Statement]:
    pattern = re.compile(
        rf"(?P<area>{vocab.label_pattern(area_scheme)}){CONNECTOR}(?P<grade>{vocab.label_pattern('grade')})(?![\w-])",
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
    m = re.search(SERVICES_IN + r"\s+[^\n]{2,60}?\s+(?:are\s+|is\s+)?" + grade, text, re.IGNORECASE) or re.search(
        r"The\s+overall\s+judgement\s+is\s+(?:that\s+(?:children['\u2019]s\s+services\s+)?(?:are\s+|is\s+)?)?" + grade,
        text[:3000], re.IGNORECASE)  # 2013-14 SIF: "The overall judgement is requires improvement"
    if not m:
        return None
    area = vocab.concept(area_scheme, "Overall effectiveness")
    grade = vocab.concept("grade", m["grade"])
    if not (area and grade):
        return None
    return Statement(area, grade, match_span(text, document, m), m.start(), m.end())


def judgements(found: list[Statement], inspection: InspectionRef) -> tuple[Judgement, ...]:
    """Group statements by (area, grade) in order of first appearance; each group is one claim."""
    grouped: dict[tuple[str, str], list[Span]] = {}
    for statement in found:
        grouped.setdefault((statement.area, statement.grade), []).append(statement.span)
    return tuple(Judgement(inspection, area, grade, tuple(spans)) for (area, grade), spans in grouped.items())
