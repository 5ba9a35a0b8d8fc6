"""Statistics a report states in prose, as (measure, value, reference date) with the sentence.

SIF reports open with "Information about this local authority area", written to a template:
"At 31 March 2015, 609 children are being looked after by the local authority (a rate of
110.6 per 10,000 children). This is an increase from 535 (98 per 10,000 children) at 31
March 2014." Each template sentence gives the current and the earlier figure. Caseloads
appear in findings in a few set phrases ("approximately 30 children per social worker",
"an average caseload of 25"), and the SIF list "In the last 12 months: there have been 29
adoptions; 26 children became subject of special guardianship orders; 216 children ceased
to be looked after" (or "Since 1 April 2015:"), dated by the inspection's start (the year it
counts ends then), with the period P12M where the heading says so; each is quoted by its own item, the words that carry its number. ILACS
reports and visit letters state figures in their prose: prose_statistics.py reads those.
"""

from __future__ import annotations

import re

from ..model.records import InspectionRef, Statistic
from .dates import parse_date
from .evidence import match_span, span
from .patterns import APOS, COUNT, number_value
from .prose_statistics import prose_statistics

#: documents whose figures are stated in prose, not in an information section
PROSE_KINDS = {"ilacs", "monitoring-visit", "focused-visit"}

DAY_MONTH_YEAR = r"\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:19|20)\d\d"
AT = r"(?:At|As\s+at)"
CHANGE = rf"(?:\.\s+This\s+is|,)\s+an?\s+(?:reduction|increase|decrease|rise|fall)\s+from\s+(?P<before>{COUNT})"

#: a rate of child protection plans, printed beside the count since 2018 and not a measure here
PLAN_RATE = rf"(?:\s*\((?:a\s+rate\s+of\s+)?{COUNT}\s+per\s+10,000(?:\s+children)?\))?"
CLA_RATE = rf"\(a\s+rate\s+of\s+(?P<rate_now>{COUNT})\s+per\s+10,000(?:\s+children)?\){CHANGE}\s+\((?P<rate_before>{COUNT})\s+per\s+10,000\s+children\)\s+at\s+(?P<then>{DAY_MONTH_YEAR})"

#: (measure key, pattern): `now`/`date` the current figure, `before`/`then` the earlier one, `rate*` per 10,000
TEMPLATES = [
    (
        "measure/children-in-need",
        rf"{AT}\s+(?P<date>{DAY_MONTH_YEAR}),\s+(?P<now>{COUNT})\s+children\s+had\s+been\s+identified\s+through\s+assessment\s+as\s+being\s+formally\s+in\s+need\s+of\s+a\s+specialist\s+children{APOS}s\s+service{CHANGE}\s+at\s+(?P<then>{DAY_MONTH_YEAR})",
    ),
    (
        "measure/child-protection-plans",
        rf"{AT}\s+(?P<date>{DAY_MONTH_YEAR}),\s+(?P<now>{COUNT})\s+children(?:\s+and\s+young\s+people)?\s+were\s+the\s+subject\s+of\s+a\s+child\s+protection\s+plan{PLAN_RATE}{CHANGE}(?:\s+children)?{PLAN_RATE}\s+at\s+(?P<then>{DAY_MONTH_YEAR})",
    ),
    (
        "measure/privately-fostered-children",
        rf"{AT}\s+(?P<date>{DAY_MONTH_YEAR}),\s+(?P<now>{COUNT})\s+children\s+lived\s+in\s+a\s+privately\s+arranged\s+fostering\s+placement{CHANGE}\s+at\s+(?P<then>{DAY_MONTH_YEAR})",
    ),
    (
        "measure/children-looked-after",
        rf"{AT}\s+(?P<date>{DAY_MONTH_YEAR}),\s+(?P<now>{COUNT})\s+children\s+(?:are|were)\s+being\s+looked\s+after\s+by\s+the\s+local\s+authority\s+{CLA_RATE}",
    ),
    (
        "measure/children-looked-after",
        rf"{AT}\s+(?P<date>{DAY_MONTH_YEAR}),\s+the\s+local\s+authority\s+(?:is|was)\s+looking\s+after\s+(?P<now>{COUNT})\s+children\s+{CLA_RATE}",
    ),
]
#: SIF's "In the last 12 months:" list, counted over the year before the inspection (dated by its start)
LAST_YEAR = re.compile(
    rf"In\s+the\s+last\s+(?P<months>12)\s+months(?:\s+\(from\s+{DAY_MONTH_YEAR}\))?:|Since\s+(?P<since>{DAY_MONTH_YEAR}):"
)
LAST_YEAR_ITEMS = [
    (
        "measure/adoptions",
        rf"there\s+have\s+been\s+(?P<now>{COUNT})\s+adoptions|(?P<now2>{COUNT})\s+children\s+have\s+been\s+adopted",
    ),
    (
        "measure/special-guardianship-orders",
        rf"(?P<now>{COUNT})\s+children\s+became\s+(?:the\s+)?subjects?\s+(?:of|to)\s+(?:an?\s+)?special\s+guardianship\s+orders?",
    ),
    ("measure/ceased-looked-after", rf"(?P<now>{COUNT})\s+children\s+ceased\s+to\s+be\s+looked\s+after"),
]
#: in the list under the children looked after ("Of this number: ..."), dated as they are
UNACCOMPANIED = re.compile(
    rf"(?P<now>{COUNT})\s+(?:children|child)(?:\s+\(under\s+18\s+years\))?\s+(?:are|is)\s+(?:an?\s+)?"
    r"unaccompanied\s+asylum[-\s]seeking\s+(?:children|child)",
    re.I,
)
#: "The local authority operates six children's homes." (the section on other Ofsted inspections)
HOMES = re.compile(rf"The\s+local\s+authority\s+operates\s+(?P<now>{COUNT})\s+children{APOS}s\s+homes?\b")
CASELOADS = [
    rf"approximately\s+(?P<now>{COUNT})\s+children\s+per\s+social\s+worker",
    rf"average\s+caseloads?\s+of\s+(?P<now>{COUNT})(?!\s*(?:or|to)\s)",
]


def stated_statistics(text: str, document: str, council: str, inspection: InspectionRef | None) -> list[Statistic]:
    found: list[Statistic] = []
    for measure, pattern in TEMPLATES:
        for m in re.finditer(pattern, text):
            evidence = (match_span(text, document, m),)
            now, then = date(m["date"]), date(m["then"])
            found.append(Statistic(council, measure, number_value(m["now"]), evidence, now, inspection))
            found.append(Statistic(council, measure, number_value(m["before"]), evidence, then, inspection))
            if "rate_now" in m.groupdict():
                rate = "measure/children-looked-after-rate"
                found.append(Statistic(council, rate, number_value(m["rate_now"]), evidence, now, inspection))
                found.append(Statistic(council, rate, number_value(m["rate_before"]), evidence, then, inspection))
                listed = text[m.end() : m.end() + 1500].split("In the last 12 months")[0]
                if uasc := UNACCOMPANIED.search(listed):
                    quote = (span(text, document, m.end() + uasc.start(), m.end() + uasc.end()),)
                    uasc_measure = "measure/unaccompanied-asylum-seeking-children"
                    found.append(Statistic(council, uasc_measure, number_value(uasc["now"]), quote, now, inspection))
    if inspection is None:  # the figures below are dated by the inspection that found them
        return found
    for heading in LAST_YEAR.finditer(text):
        window = text[heading.end() : heading.end() + 800]
        for measure, pattern in LAST_YEAR_ITEMS:
            if item := re.search(pattern, window, re.I):
                # the item, not the heading, is the quote: it carries the number; the heading's
                # "12 months" is kept as the period ("Since 1 April 2015:" names no length)
                quote = (span(text, document, heading.end() + item.start(), heading.end() + item.end()),)
                value = number_value(item["now"] or item.groupdict().get("now2") or "")
                period = "P12M" if heading["months"] else None
                found.append(Statistic(council, measure, value, quote, inspection.start, inspection, period=period))
    for m in HOMES.finditer(text):
        homes = "measure/local-authority-childrens-homes"
        found.append(
            Statistic(council, homes, number_value(m["now"]), (match_span(text, document, m),), inspection.start, inspection)
        )
    for pattern in CASELOADS:
        for m in re.finditer(pattern, text, re.I):
            found.append(
                Statistic(
                    council,
                    "measure/average-caseload",
                    number_value(m["now"]),
                    (match_span(text, document, m),),
                    inspection.start,
                    inspection,
                    approximate=m[0].lower().startswith("approximately"),
                )
            )
    if inspection.kind in PROSE_KINDS:
        found += prose_statistics(text, document, council, inspection)
    return once(found)


def once(found: list[Statistic]) -> list[Statistic]:
    """One statistic a measure, date and value: an early ILACS report states some figures both in its
    information section and in its prose."""
    kept: dict[tuple[str, str, str], Statistic] = {}
    for statistic in found:
        kept.setdefault((statistic.measure, statistic.ref_date, statistic.value), statistic)
    return list(kept.values())


def date(text: str) -> str:
    return parse_date(re.sub(r"\s+", " ", text))
