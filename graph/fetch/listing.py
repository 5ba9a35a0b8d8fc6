"""Ofsted's report-site pages -> listing records: pure functions of HTML text, no I/O.

Two kinds of page, in the shapes public scrapers of reports.ofsted.gov.uk rely on (the
data-to-insight ofsted-ilacs-scrape-tool, which the corpus came from):

- the search listing (``search?...&level_1_types=3&level_2_types[]=12&start=N&rows=100``):
  one ``ul.results-list > li`` row per provider, each with a link whose href contains
  ``/provider/`` and ends with the provider's URN;
- a provider page: the provider's name in ``h1.heading--title`` and its publications in an
  ``ol.timeline`` of ``li.timeline__day`` items, newest first, each PDF an
  ``a.publication-link`` whose ``span.nonvisual`` reads ``<title>, PDF - <d Month yyyy>``.

A page that has lost one of those structures raises LayoutChanged naming the page and what
was missing, so a redesign of the site stops a run instead of silently mirroring nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from .failures import LayoutChanged

# "Children's services inspection, PDF - 25 November 2022"; other formats (", Word - ...")
# are read and passed over: the mirror holds PDFs.
LISTING_ROWS = "ul.results-list > li"
LINK_TEXT = re.compile(r"^(?P<title>.+?),\s*(?P<format>[A-Za-z]+)\s+-\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4})$")


@dataclass(frozen=True)
class ProviderLink:
    """One row of the search listing: a council's provider page."""

    urn: str
    name: str  # as listed, e.g. "Stoke-on-Trent City Council"
    url: str  # absolute


@dataclass(frozen=True)
class Publication:
    """One PDF on a provider page, as listed."""

    title: str  # the text before ", PDF - ...", e.g. "Children's services inspection"
    date_text: str  # the publication date as printed, e.g. "25 November 2022"
    published: date
    url: str  # absolute
    type: str  # the timeline item's heading where the page gives one, else ""


@dataclass(frozen=True)
class ProviderPage:
    name: str
    publications: tuple[Publication, ...]


def parse_listing(html: str, page_url: str) -> tuple[ProviderLink, ...]:
    """The providers one page of the search listing lists, in its order; none on a page with
    no listing rows (past the last page, or, on the first, a changed layout: the caller
    knows which). Raises LayoutChanged when rows have no provider links."""
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select(LISTING_ROWS)
    if not rows:
        return ()
    providers = []
    for row in rows:
        link = row.find("a", href=lambda href: href and "/provider/" in href)
        if link is None:
            continue  # a row that is not a provider (an advert, a notice) is not ours to judge
        url = urljoin(page_url, str(link["href"]))
        urn = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        if not urn.isdigit():
            raise LayoutChanged(page_url, f"a provider link whose last path segment is not a URN: {link['href']!r}")
        providers.append(ProviderLink(urn, " ".join(link.get_text(" ").split()), url))
    if not providers:
        raise LayoutChanged(page_url, "listing rows without provider links (a[href*='/provider/'])")
    return tuple(providers)


def parse_provider(html: str, page_url: str) -> ProviderPage:
    """The provider's name and PDF publications, newest first as listed. Raises LayoutChanged
    when the page lacks the provider heading or the publication timeline, or a publication
    link lacks the text it is read from."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one("h1.heading--title")
    if heading is None:
        raise LayoutChanged(page_url, "no provider name (h1.heading--title)")
    timeline = soup.select_one("ol.timeline")
    if timeline is None:
        raise LayoutChanged(page_url, "no publication list (ol.timeline)")
    publications: list[Publication] = []
    for link in timeline.select("a.publication-link"):
        label = link.select_one("span.nonvisual")
        if label is None or not link.get("href"):
            raise LayoutChanged(page_url, "a publication link without its description (a.publication-link span.nonvisual)")
        text = " ".join(label.get_text(" ").split())
        m = LINK_TEXT.match(text)
        if not m:
            raise LayoutChanged(page_url, f"a publication described {text!r}, not '<title>, PDF - <d Month yyyy>'")
        if m["format"].upper() != "PDF":
            continue
        try:
            published = datetime.strptime(m["date"], "%d %B %Y").date()
        except ValueError:
            raise LayoutChanged(page_url, f"a publication dated {m['date']!r}, not a date like '25 November 2022'") from None
        url = urljoin(page_url, str(link["href"]))
        if any(p.url == url for p in publications):
            continue  # one file linked twice (a summary and its timeline item) is one publication
        item = link.find_parent("li", class_="timeline__day")
        publications.append(Publication(m["title"].strip(), " ".join(m["date"].split()), published, url, item_type(item)))
    return ProviderPage(" ".join(heading.get_text(" ").split()), tuple(publications))


def item_type(item) -> str:
    """The publication's type or category: the heading of its timeline item, where there is one."""
    heading = item.find(["h2", "h3", "h4"]) if item is not None else None
    return " ".join(heading.get_text(" ").split()) if heading is not None else ""
