"""Dates as Ofsted reports, letters and the press print them, to ISO strings.

Kept at the precision printed: "3 September 2021" -> "2021-09-03", "March 2019" -> "2019-03",
"2015" -> "2015". Ranges ("4 to 15 February 2019", "28 February to 1 March 2019",
"29 and 30 July 2021", "1/06/2015 – 25/06/2015") give a start and an end.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
DASH = r"\s*(?:to|-|–|—|and)\s*"

DAY_MONTH_YEAR = rf"{DAY}\s+{MONTH}\s+{YEAR}"
NUMERIC = r"[0-3]?\d/[01]?\d/(?:19|20)\d\d"
#: a date range in any printed form, for use inside larger patterns
RANGE = (
    rf"(?:{NUMERIC}{DASH}{NUMERIC}"
    rf"|{DAY}(?:\s+{MONTH})?(?:\s+{YEAR})?{DASH}{DAY_MONTH_YEAR}"
    rf"|{DAY_MONTH_YEAR})"
)


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return dt.date(year, month, day).isoformat()  # raises ValueError on 31 February


def parse_date(text: str) -> str:
    """One printed date -> ISO at its precision. ValueError if it is not a date."""
    text = text.strip().rstrip(".,")
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return iso(int(m[3]), int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(?:\w+day,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", text):
        return iso(int(m[3]), month_number(m[2]), int(m[1]))
    if m := re.fullmatch(r"([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{4})", text):  # "December 6, 2022"
        return iso(int(m[3]), month_number(m[1]), int(m[2]))
    if m := re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", text):
        return iso(int(m[2]), month_number(m[1]))
    if m := re.fullmatch(r"(\d{4})", text):
        return iso(int(m[1]))
    raise ValueError(f"not a date: {text!r}")


def parse_range(text: str) -> tuple[str, str]:
    """A printed range -> (start, end) as full ISO dates; the start borrows the end's month and year when it omits them."""
    text = re.sub(r"\s+", " ", text.strip())
    if m := re.fullmatch(rf"({NUMERIC}){DASH}({NUMERIC})", text):
        return parse_date(m[1]), parse_date(m[2])
    m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?: ({MONTH}))?(?: ({YEAR}))?{DASH}({DAY_MONTH_YEAR})", text, re.I)
    if m:
        end = dt.date.fromisoformat(parse_date(m[4]))
        month = month_number(m[2].rstrip(".")) if m[2] else end.month
        year = int(m[3]) if m[3] else (end.year if month <= end.month else end.year - 1)
        return iso(year, month, int(m[1])), end.isoformat()
    single = parse_date(text)
    return single, single


def month_number(name: str) -> int:
    try:
        return MONTHS[name.lower()]
    except KeyError:
        raise ValueError(f"not a month: {name!r}") from None


def precision(value: str) -> str:
    """'date', 'gYearMonth' or 'gYear': the XSD type an ISO string of this shape has."""
    return {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
