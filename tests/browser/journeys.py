"""The pages the browser tests and the screenshots walk: one of each page type, and how to
find the document view at the quote of a judgement (through the pages, as a person would)."""

from __future__ import annotations

# Page type -> path on the served seed graph (None: reached by following links, below).
PAGES = {
    "landing": "/",
    "search": "/search?q=stoke",
    "council": "/doc/council/stoke-on-trent",
    "council-statistics": "/doc/council/stoke-on-trent#statistics-over-time",  # further down the council page
    "inspection": "/doc/inspection/stoke-on-trent/ilacs/2019-02-04",
    "document": None,
    "person": "/doc/person/eleanor-brazil",
    "theme": "/def/theme/thresholds-and-front-door",
    "national": "/national",
    "saved-query": "/queries/inspections.html?la=Stoke-on-Trent",
    "filtered-table": "/queries/findings.html?theme__contains=early&_sort=number",
    "list": "/inspections",
    "catalogue": "/queries",
    "sparql": "/sparql",
    "ontology": "/ontology",
    "void": "/.well-known/void",
    "judgement": "/doc/inspection/stoke-on-trent/ilacs/2019-02-04/judgement/overall",
    "not-found": "/doc/council/stoke",
}


def first_judgement_quote(page, url: str) -> str:
    """The link of the 2019 inspection's first judgement quote from its own report:
    /doc/document/KEY#char=S,E."""
    page.goto(url + PAGES["inspection"])
    return page.locator(report_quote_selector(page)).first.get_attribute("href")


def report_quote_selector(page) -> str:
    """The judgements' quotes from the document that reports the inspection (the page lists it
    with "(reports this inspection)"), not those from news or later reports."""
    report = page.locator("li", has_text="(reports this inspection)").locator("a.document").first.get_attribute("href")
    return f"#judgements a.evidence[href^='{report}#']"
