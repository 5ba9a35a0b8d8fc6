"""Pages of a saved query's answer: `limit` and `offset`, applied in the query, and the links between pages.

A saved query can return 189,000 rows at 10x England (`findings`): an answer that size is
100 MB of JSON, past any cache, and slow for the client too. So a JSON, XML or TSV answer is
a page of PAGE_SIZE rows unless `limit` says otherwise (at most MAX_ROWS), and `offset` skips
rows; the next page is linked (`Link: <...>; rel="next"`, RFC 8288), as are the first and the
previous. CSV is the whole answer (up to MAX_ROWS) unless `limit` is given: a download.

The page is the query's own: `LIMIT limit+1 OFFSET offset` goes where the query says (a
`# PAGE` line inside it, where a query chooses its rows before the costly part, so the
cost of a page could stay flat as the graph grows), else at the end. The row past the
page is fetched only to know whether there is a next page. Every saved query ends in ORDER
BY, so pages do not overlap. The HTML table pages with `_page` and `_size` (table_view.py);
its page N of size S holds the rows of `?limit=S&offset=(N-1)*S`, and it links that twin.

A query whose rows come in blocks, one block a unit in the answer's own order (the findings
of an inspection, in an answer ordered by inspection first), can choose its units before the
costly part: a `# COVER N` line closes the subquery that lists the units in that order, N
being about how many rows a unit gives (fewer rather than more; a unit may give none). A
page is first asked with LIMIT ceil((offset+limit+1)/N) there (`guess`): its rows are those
of the first units, so the first rows of the whole answer, in order, and when they reach
past the page (a next page, Answer.truncated) the page is exact. Else (the last page, or
units with fewer rows than N) it is asked again without the cover's LIMIT (`apply`): every
unit, as a whole answer is. Only the whole list is guessed: a request with a parameter is
narrowed by it (service.py). At ten times England that is about 2,400 findings looked up for
the first page (32 inspections) instead of all 228,660 (bench/README.md, "Plans read from the
engine, and pages chosen first").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from ..web.errors import BadParameter, echo

PAGE_SIZE = 1000
# A small page still takes this many units, so that one or two without rows at the
# start (an inspection with no findings) do not send it round twice.
MIN_UNITS = 8
MAX_OFFSET = 10**9
PARAMS = ("limit", "offset")
PAGED_BY_DEFAULT = ("json", "xml", "tsv")
_MARK = re.compile(r"^[ \t]*# PAGE[ \t]*$", re.M)
_COVER = re.compile(r"^[ \t]*# COVER[ \t]+([1-9][0-9]{0,5})[ \t]*$", re.M)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int = 0


def requested(args: dict[str, str], fmt_key: str, max_rows: int, form: str) -> Page | None:
    """The page a request asks for (None: the whole answer), from its `limit` and `offset`."""
    given = {k: args[k] for k in PARAMS if k in args}
    if form != "SELECT" or fmt_key == "html":
        if given:
            name = next(iter(given))
            where = "the HTML table pages with _page and _size" if fmt_key == "html" else "only SELECT answers have rows to page"
            raise BadParameter(f"{name}: not for this answer ({where})", parameter=name)
        return None
    if not given and fmt_key not in PAGED_BY_DEFAULT:
        return None
    limit = _number(given, "limit", 1, max_rows, min(PAGE_SIZE, max_rows))
    return Page(limit, _number(given, "offset", 0, MAX_OFFSET, 0))


def _number(given: dict[str, str], name: str, low: int, high: int, default: int) -> int:
    if name not in given:
        return default
    value = given[name]
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise BadParameter(f"{name}: {echo(value)} is not a whole number from {low} to {high:,}", parameter=name)
    return int(value)


def apply(text: str, page: Page) -> str:
    """The query asking for one page, and one row more (is there a next page?), from every unit."""
    clause = f"LIMIT {page.limit + 1}" + (f" OFFSET {page.offset}" if page.offset else "")
    if _MARK.search(text):
        return _MARK.sub(clause, text, count=1)
    return f"{text.rstrip()}\n{clause}\n"


def guess(text: str, page: Page) -> str | None:
    """The page's query from the first units only (its `# COVER N`), or None if it has no cover.
    Its answer is the page only when it has a row past the page (Answer.truncated); else ask
    `apply`'s."""
    if not _COVER.search(text):
        return None
    needed = page.offset + page.limit + 1
    return apply(_COVER.sub(lambda m: f"LIMIT {max(MIN_UNITS, -(-needed // int(m.group(1))))}", text), page)


def is_mark(line: str) -> bool:
    """Whether a comment line is where a page's LIMIT goes, `# PAGE` or `# COVER N` (catalogue.py
    keeps those when it drops the other comments)."""
    return bool(_MARK.fullmatch(line) or _COVER.fullmatch(line))


def links(base_url: str, args: dict[str, str], page: Page, more: bool) -> list[str]:
    """`Link` header values: the first page, the previous and the next where there are ones."""

    def at(offset: int, limit: int = page.limit) -> str:
        return f"{base_url}?{urlencode({**args, 'limit': limit, 'offset': offset})}"

    out = []
    if page.offset:
        out.append(f'<{at(0)}>; rel="first"')
        # the rows just before this page: fewer than a page when the offset is not a multiple
        # of it (offset=3&limit=5: rows 0-2), so the previous page never repeats this one's rows
        before = max(0, page.offset - page.limit)
        out.append(f'<{at(before, page.offset - before)}>; rel="prev"')
    if more:
        out.append(f'<{at(page.offset + page.limit)}>; rel="next"')
    return out
