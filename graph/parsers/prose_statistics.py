"""Figures ILACS reports and visit letters state in their prose, as (measure, value, date).

ILACS reports and monitoring and focused-visit letters have no information section: a figure
is a clause of a finding ("At the time of the inspection, there were 56 children placed in
unregulated settings"; "Only five children have been adopted within the last year"). Each
way of stating a measure is one pattern below; a figure is read only when its sentence dates
it in a way this module knows, and is skipped otherwise (precision before recall):

- "At 31 March 2022" in the sentence: that date;
- a count over a span ("in the last 12 months", "within the last year", "in the past six
  months"): dated by the inspection's or visit's first day, when the span ends, with the
  span's length as the period (P12M); a flow measure (adoptions, re-referrals) needs one;
- otherwise a stock stated as current (present tense, "currently", "at the time of this
  inspection"): dated by the inspection's or visit's first day. A sentence that names any
  other date or year ("in 2021", "since March 2020") is skipped, as its figure may be of then.

The quote is the sentence that carries the figure (the part of it on one page, when a page
break splits it), so every quote contains its number as printed. The ontology's def/measure
scheme (ontology/concepts.ttl) defines each measure; README "Measured precision" lists the patterns'
limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.records import InspectionRef, Statistic
from .dates import DAY_MONTH_YEAR, MONTH, YEAR, parse_date
from .evidence import span
from .layout import lines
from .patterns import APOS, COUNT, NUMBER_WORDS, number_value

#: the words before a figure that say it is a bound or an estimate, kept as printed
QUALIFIER = r"just\s+over|just\s+under|more\s+than|fewer\s+than|less\s+than|at\s+least|up\s+to|as\s+many\s+as|over|approximately|around|about|almost|nearly|some"
APPROXIMATE = {"approximately", "around", "about", "almost", "nearly", "some"}
N = rf"(?:(?P<q>{QUALIFIER})\s+)?(?:only\s+)?(?P<n>{COUNT})(?![\d,.]*\d)"
PERCENT = rf"(?:(?P<q>{QUALIFIER})\s+)?(?:only\s+)?(?P<n>\d+(?:\.\d+)?)(?:%|\s+per\s+cent)"
CHILDREN = r"(?:children|young\s+people|child|young\s+person)"
CARE_LEAVERS = r"(?:care\s+leavers?|care-experienced\s+young\s+people|young\s+people)"
IS = r"(?:is|are|was|were|has\s+been|have\s+been|had\s+been)"
NOW = r"(?:(?:currently|now|presently)\s+)?"


@dataclass(frozen=True)
class Figure:
    """One way a document states a measure."""

    measure: str  # concept key in def/measure
    pattern: str  # with groups n (the number) and q (a qualifier), matched ignoring case
    flow: bool = False  # a count over a period: read only when the sentence names the period
    needs: str | None = None  # a pattern the sentence, or the 300 characters before it, must also hold


FIGURES = [
    Figure(
        "measure/children-looked-after",
        rf"\bthere\s+(?:are|were)\s+{NOW}{N}\s+children\s+(?:and\s+young\s+people\s+)?(?:in\s+care|looked\s+after)\b",
    ),
    Figure(
        "measure/children-looked-after",
        rf"(?<!of\s)(?<!the\s)\b{N}\s+children\s+(?:and\s+young\s+people\s+)?(?:are|were)\s+{NOW}(?:in\s+care|looked\s+after)\b(?!\s+(?:for|since|in\s+\w+\s+(?:placements|homes)))",
    ),
    Figure(
        "measure/children-looked-after",
        rf"\b(?:local\s+authority|council|trust)\s+{NOW}(?:looks|looked|cares|cared)\s+(?:after|for)\s+{N}\s+children\b",
    ),
    Figure(
        "measure/children-looked-after",
        rf"\bnumbers?\s+of\s+children\s+in\s+care,?\s+from\s+[^.;]{{0,80}}?\bto\s+{N}\s+at\s+the\s+time\s+of\s+this\s+inspection",
    ),
    Figure(
        "measure/children-looked-after-rate",
        rf"\b(?:children\s+(?:in\s+care|looked\s+after)|looked\s+after\s+children)[^.;]{{0,60}}?\b(?:a\s+rate\s+of|rate\s+of|at)\s+{N}\s+per\s+10,000",
    ),
    Figure(
        "measure/child-protection-plans",
        rf"(?<!of\s)(?<!the\s)\b{N}\s+children\s+(?:are|were)\s+{NOW}(?:the\s+)?(?:subject\s+(?:of|to)|on)\s+(?:a\s+)?child\s+protection\s+plans?",
    ),
    Figure(
        "measure/child-protection-plans",
        rf"\bthere\s+(?:are|were)\s+{NOW}{N}\s+children\s+(?:subject\s+(?:of|to)|on)\s+(?:a\s+)?child\s+protection\s+plans?",
    ),
    Figure(
        "measure/privately-fostered-children",
        rf"\b{N}\s+(?:known\s+)?(?:children\s+(?:who\s+are\s+|are\s+|were\s+)?{NOW})?privately\s+fostered(?:\s+children)?\b",
    ),
    Figure("measure/private-fostering-arrangements", rf"\b{N}\s+(?:known\s+)?private\s+fostering\s+arrangements?\b"),
    Figure("measure/adoptions", rf"\b{N}\s+children\s+{IS}\s+adopted\b", flow=True),
    Figure("measure/adoptions", rf"\badoption\s+numbers?\s+(?:are|were)\s+\w+,\s+at\s+{N}\s+children\b", flow=True),
    Figure("measure/adoptions", rf"\bthere\s+(?:have\s+been|were)\s+{N}\s+adoptions\b", flow=True),
    Figure(
        "measure/special-guardianship-orders",
        rf"\b{N}\s+(?:children\s+(?:have\s+)?(?:left\s+care\s+(?:through|under|on)|became\s+(?:the\s+)?subjects?\s+of)\s+)?special\s+guardianship\s+orders\s+(?:have\s+been\s+|were\s+)?(?:made|granted)?",
        flow=True,
    ),
    Figure("measure/average-caseload", rf"\bcaseloads?\b[^.;]{{0,60}}?\bthe\s+average\s+being\s+{N}\s+(?:children|cases)\b"),
    Figure("measure/average-caseload", rf"\baverage\s+caseloads?\s+(?:is|are|was|were)\s+{N}\b(?!\s*(?:or|to|and)\s)"),
    Figure("measure/average-caseload", rf"\ban\s+average\s+of\s+{N}\s+(?:children|cases)\s+(?:per|each)\b"),
    Figure("measure/care-leavers", rf"\b(?:supports|is\s+supporting|works\s+with|is\s+working\s+with)\s+{N}\s+care\s+leavers\b"),
    Figure(
        "measure/care-leavers",
        rf"\bthere\s+(?:are|were)\s+{NOW}{N}\s+care\s+leavers\b(?=\s*[,.;)]|\s+(?:{NOW}supported\s+by|{NOW}open\s+to|{NOW}allocated)\b)",
    ),
    Figure(
        "measure/care-leavers-at-university",
        rf"(?<!of\s)\b{N}\s+{CARE_LEAVERS}\s+(?:{IS}\s+)?{NOW}(?:at|attending|studying\s+at|in)\s+(?:university|higher\s+education)\b",
    ),
    Figure(
        "measure/care-leavers-in-apprenticeships",
        rf"(?<!of\s)\b{N}\s+{CARE_LEAVERS}\s+(?:{IS}\s+)?{NOW}(?:engaged\s+in|undertaking|in|on|doing|employed\s+(?:in|on)|successful\s+in\s+obtaining|started)\s+(?:an?\s+)?apprenticeships?\b",
    ),
    Figure(
        "measure/care-leavers-in-apprenticeships",
        rf"\bapprenticeships?\b[^.;]{{0,60}}?\b{N}\s+care\s+leavers?\s+(?:is\s+|are\s+)?{NOW}employed\s+by\s+the\s+(?:council|local\s+authority)\s+on\s+this\s+basis",
    ),
    Figure("measure/care-leavers-staying-put", rf"(?<!of\s)\b{N}\s+{CARE_LEAVERS}\b[^.;]{{0,80}}?\bstaying[-\s]put\b"),
    Figure(
        "measure/local-authority-childrens-homes",
        rf"\b(?:local\s+authority|council|trust)\s+{NOW}(?:operates|runs|has)\s+{N}\s+(?:of\s+its\s+own\s+)?children{APOS}s\s+homes\b",
    ),
    Figure(
        "measure/children-in-unregulated-placements",
        rf"\b{N}\s+{CHILDREN}\s+(?:{IS}\s+)?{NOW}(?:placed|living|accommodated)\s+in\s+unregulated\s+(?:settings?|placements?|provision|accommodation)\b",
    ),
    Figure(
        "measure/children-in-unregistered-homes",
        rf"\b{N}\s+{CHILDREN}\s+(?:{IS}\s+)?{NOW}(?:placed|living|accommodated)\s+in\s+(?:an?\s+)?unregistered\s+(?:children{APOS}s\s+homes?|settings?|placements?|provision)\b",
    ),
    Figure(
        "measure/unaccompanied-asylum-seeking-children",
        rf"(?<!of\s)(?<!one\s)\b{N}\s+unaccompanied\s+asylum[-\s]seeking\s+(?:children|young\s+people)\b",
    ),
    Figure("measure/repeat-contacts-and-re-referrals", rf"\b{N}\s+repeat\s+contacts\s+and\s+re-?referrals\b", flow=True),
    Figure("measure/backlog-of-cases", rf"\bbacklog\s+of\s+{N}\s+cases\b"),
    Figure("measure/backlog-of-cases", rf"\bbacklog\s+of\s+cases\s+\({N}\)"),
    Figure(
        "measure/looked-after-under-section-20-percentage",
        rf"\b{PERCENT}\s+of\s+children\s+in\s+care\s+(?:are|were)\s+accommodated\s+(?:under|through)\s+(?:section\s+20|s\.?\s?20|these\s+arrangements)\b",
        needs=r"\b(?:section\s+20|s\.?\s?20)\b",
    ),
    Figure(
        "measure/children-in-care-council-attendees",
        rf"\bchildren\s+in\s+care\s+council\s+(?:has|had)\s+(?:only\s+)?{N}\s+regular\s+(?:attendees|members)\b",
    ),
]

SPAN_WORDS = {"year": 12, "twelve months": 12}
PERIOD = re.compile(
    rf"\b(?:in|over|during|within)\s+the\s+(?:last|past|previous)\s+(?:(?P<k>\d+|{'|'.join(NUMBER_WORDS)})\s+months|(?P<w>year|twelve\s+months))\b",
    re.I,
)
AT_DATE = re.compile(rf"\b(?:At|As\s+at|On)\s+(?P<date>{DAY_MONTH_YEAR})", re.I)
#: any other date or year: the figure may be of that time, not the inspection's
OTHER_TIME = re.compile(
    rf"\b{MONTH}\s+{YEAR}\b|\b{YEAR}(?:[-–/]\d\d)?\b|\bsince\s+(?:the\s+)?(?:last|previous)\b|\b(?:last|previous)\s+inspection\b|\buntil\s+recently\b|\bpreviously\b",
    re.I,
)
#: a sentence ends at a full stop before a capital or a digit, at a list bullet (a PDF's private-use symbol or a bullet character), or at a blank line
SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+(?=[\"'\u2018\u201c(]?[A-Z0-9])|\s*[\ue000-\uf8ff\u25fc\u25aa\u2022\u25cf]\s*|\n[ \t]*\n\s*"
)


# each figure's pattern compiled once (re's own cache is looked up at every call otherwise,
# and a report's every sentence is tried with every figure)
COMPILED = tuple(
    (figure, re.compile(figure.pattern, re.I), re.compile(figure.needs, re.I) if figure.needs else None) for figure in FIGURES
)
FOOTER_YEAR = re.compile(rf"{YEAR}\s*$")
SPACES = re.compile(r"\s+")


def prose_statistics(text: str, document: str, council: str, inspection: InspectionRef) -> list[Statistic]:
    body = without_furniture(text)
    found: dict[tuple[str, str, int], Statistic] = {}
    for start, end in sentences(body):
        sentence = body[start:end]
        for figure, pattern, needs in COMPILED:
            for m in pattern.finditer(sentence):
                at = start + m.start("n")
                if FOOTER_YEAR.search(body[max(0, at - 12) : at]):  # a page's date-range footer, then its number
                    continue
                if needs and not needs.search(body[max(0, start - 300) : end]):
                    continue
                dated = date_of(sentence, m, figure, inspection)
                if dated is None:
                    continue
                ref_date, period = dated
                qualifier = SPACES.sub(" ", m["q"]).lower() if m["q"] else None
                value = number_value(m["n"])
                evidence = (page_part(text, body, document, start, end, at),)
                found.setdefault(
                    (figure.measure, value, start),
                    Statistic(
                        council,
                        figure.measure,
                        value,
                        evidence,
                        ref_date,
                        inspection,
                        approximate=qualifier in APPROXIMATE,
                        period=period,
                        qualifier=qualifier,
                    ),
                )
    return list(found.values())


def date_of(sentence: str, m: re.Match, figure: Figure, inspection: InspectionRef) -> tuple[str, str | None] | None:
    """(reference date, period) for a figure in its sentence, or None when the sentence dates it otherwise."""
    if at := AT_DATE.search(sentence):
        return parse_date(re.sub(r"\s+", " ", at["date"])), None
    rest = sentence[: m.start()] + " " * (m.end() - m.start()) + sentence[m.end() :]
    period = PERIOD.search(rest)
    if OTHER_TIME.search(PERIOD.sub(" ", rest)):
        return None
    if period:
        months = 12 if period["w"] else int(number_value(period["k"]))
        return inspection.start, f"P{months}M"
    if figure.flow:
        return None
    return inspection.start, None


def without_furniture(text: str) -> str:
    """The text with page furniture (running headers, page numbers, footnotes) blanked to spaces, so
    offsets still index the document and a sentence runs on across a page break."""
    chars = list(text)
    for line in lines(text):
        if line.furniture:
            chars[line.start : line.end] = " " * (line.end - line.start)
    return "".join(chars)


def sentences(body: str):
    """(start, end) of each sentence; a paragraph number ("13.There") stays with its sentence."""
    start = 0
    for m in SENTENCE_END.finditer(body):
        yield start, m.start()
        start = m.end()
    yield start, len(body)


def page_part(text: str, body: str, document: str, start: int, end: int, at: int):
    """The sentence's span, cut at blanked page furniture to the side holding the figure."""
    blanked = [i for i in range(start, end) if body[i] != text[i]]
    a = max((i + 1 for i in blanked if i < at), default=start)
    b = min((i for i in blanked if i > at), default=end)
    return span(text, document, a, b)
