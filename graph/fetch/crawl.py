"""Walking the site: the search listing's pages -> the councils -> each council's publications.

Every page is read before any file is written, so a page whose layout has changed, or that
cannot be fetched, stops the run with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urljoin

from .failures import FetchError, LayoutChanged
from .listing import LISTING_ROWS, ProviderLink, ProviderPage, parse_listing, parse_provider
from .mirror import short_name
from .polite import PoliteClient

DEFAULT_SITE = "https://reports.ofsted.gov.uk/"
# Local authority children's services (level 1 type 3: children's social care; level 2 type
# 12: local authority children's services), 100 a page.
LISTING = "search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start={start}&rows={rows}"
ROWS = 100
MAX_LISTING_PAGES = 20  # England has about 150 councils: 2 pages; a site ignoring `start` stops sooner


@dataclass(frozen=True)
class Council:
    link: ProviderLink
    page: ProviderPage


def listing_url(site: str, start: int) -> str:
    return urljoin(site, LISTING.format(start=start, rows=ROWS))


def list_councils(client: PoliteClient, site: str) -> list[ProviderLink]:
    """Every council the listing names, in its order. Pages are read until one adds nobody
    new (an empty page past the last), so a site that serves fewer rows than asked, or
    ignores `start`, still ends."""
    councils: dict[str, ProviderLink] = {}
    for number in range(MAX_LISTING_PAGES):
        url = listing_url(site, number * ROWS)
        links = parse_listing(client.page(url), url)
        if not links and number == 0:
            raise LayoutChanged(url, f"no listing rows ({LISTING_ROWS})")
        new = [link for link in links if link.urn not in councils]
        councils.update((link.urn, link) for link in new)
        if not new:
            break
    return list(councils.values())


def choose(councils: list[ProviderLink], wanted: list[str]) -> list[ProviderLink]:
    """The councils named by `--council`: each by URN, by its name as listed, or by the short
    name its folder takes (case and spacing ignored). A name matching none is an error."""
    if not wanted:
        return councils
    chosen: list[ProviderLink] = []
    unknown: list[str] = []
    for token in wanted:
        key = " ".join(token.lower().split())
        matches = [c for c in councils if key in (c.urn, " ".join(c.name.lower().split()), short_name(c.name))]
        if not matches:
            unknown.append(token)
        chosen.extend(m for m in matches if m not in chosen)
    if unknown:
        raise FetchError(
            f"--council {', '.join(map(repr, unknown))}: no council of that URN or name in the listing "
            f"({len(councils)} councils listed); nothing written"
        )
    return chosen


def read_councils(
    client: PoliteClient, links: list[ProviderLink], since: date | None, progress: Callable[[int], None] | None = None
) -> list[Council]:
    """Each council's provider page, its publications narrowed to those published on or after `since`."""
    read = []
    for link in links:
        page = parse_provider(client.page(link.url), link.url)
        if since:
            page = replace(page, publications=tuple(p for p in page.publications if p.published >= since))
        read.append(Council(link, page))
        if progress:
            progress(1)
    return read
