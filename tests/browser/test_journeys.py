"""The journeys of issue 14 in headless Chromium, each page also checked by axe-core (no serious
or critical findings): search -> council -> inspection -> the judgement's quote in its
document; the national picture -> a council; a saved-query table sorted and paged; a query run
in YASGUI; and every page type at 390 px with nothing wider than the screen."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest

from tests.browser.journeys import PAGES, first_judgement_quote, report_quote_selector
from tests.browser.test_pages import loopback_only, serious_violations

pytestmark = pytest.mark.browser


def test_search_stoke_to_the_quote_of_a_judgement_in_its_document(page, site):
    outside = loopback_only(page, site)
    page.goto(site.url + "/")
    page.locator("header form[role=search] input[name=q]").fill("stoke")
    with page.expect_navigation():
        page.locator("header form[role=search] button").click()
    assert "/search?q=stoke" in page.url
    assert serious_violations(page) == []
    first = page.locator("ol.hits li").first
    assert first.locator(".kind").inner_text().lower() == "council"
    with page.expect_navigation():
        first.locator("a.hit-link").click()
    assert page.url.endswith("/doc/council/stoke-on-trent")
    assert page.locator("h1").inner_text() == "Stoke-on-Trent"
    assert serious_violations(page) == []
    inspection = page.locator("#inspections li").filter(has_text="2019").locator("a.inspection").first
    with page.expect_navigation():
        inspection.click()
    assert "/doc/inspection/stoke-on-trent/ilacs/2019-" in page.url
    assert serious_violations(page) == []
    quote = page.locator(report_quote_selector(page)).first
    words = quote.inner_text().strip().strip("“”\"")
    start, end = map(int, quote.get_attribute("data-char").split(","))
    with page.expect_navigation():
        quote.click()
    assert f"#char={start},{end}" in page.url and "/doc/document/" in page.url
    target = page.locator(f"mark[id='char={start},{end}']")
    assert target.count() == 1
    assert target.evaluate("m => m.matches(':target')")
    # The quote stands out: the target is filled and outlined, every other quoted span only underlined.
    styles = page.evaluate("""([id]) => {
        const style = (m) => { const s = getComputedStyle(m); return [s.backgroundColor, s.outlineStyle]; };
        const target = document.getElementById(id);
        const other = [...document.querySelectorAll('.document-text mark')].find(m => m.id !== id && !m.contains(target) && !target.contains(m));
        return {target: style(target), other: other ? style(other) : null};
    }""", [f"char={start},{end}"])
    assert styles["target"][1] != "none" and styles["target"][0] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert styles["other"] is None or (styles["other"][1] == "none" and styles["other"][0] == "rgba(0, 0, 0, 0)")
    assert " ".join(words.split())[:40] in " ".join(target.inner_text().split())
    assert serious_violations(page) == []
    assert outside == []


def test_the_national_picture_leads_to_a_council(page, site):
    page.goto(site.url + "/national")
    assert serious_violations(page) == []
    tile = page.locator("#national-picture a.council").filter(has_text="Stoke-on-Trent")
    assert "Requires improvement" in tile.inner_text()  # its latest full inspection (2022)
    assert page.locator("#grades-by-year tbody tr").count() >= 3  # the chart's table twin
    with page.expect_navigation():
        tile.click()
    assert page.url.endswith("/doc/council/stoke-on-trent")
    assert page.locator("h1").inner_text() == "Stoke-on-Trent"


def _column(page, index: int) -> list[str]:
    return page.locator(f"table.results tbody tr td:nth-child({index})").all_inner_texts()


def test_a_saved_query_table_sorts_by_a_column_and_pages(page, site):
    page.goto(site.url + "/queries/findings.html?_size=20")
    assert serious_violations(page) == []
    headers = page.locator("table.results thead th").all_inner_texts()
    number = headers.index("number") + 1
    total = int(re.search(r"([\d,]+) rows", page.locator("#row-count").inner_text())[1].replace(",", ""))
    assert total > 40
    with page.expect_navigation():  # ascending
        page.locator("table.results thead th a.sort", has_text="number").click()
    with page.expect_navigation():  # then descending
        page.locator("table.results thead th a.sort", has_text="number").click()
    assert "_sort_desc=number" in page.url
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("number")
    first_page = [int(n) for n in _column(page, number)]
    assert len(first_page) == 20 and first_page == sorted(first_page, reverse=True)
    with page.expect_navigation():
        page.locator("nav.pager a[rel=next]").click()
    assert "_page=2" in page.url and "page 2 of" in page.locator("#row-count").inner_text()
    second_page = [int(n) for n in _column(page, number)]
    assert second_page == sorted(second_page, reverse=True) and max(second_page) <= min(first_page)
    # The page's CSV link is the same view: the same 20 rows in the same order.
    csv_link = page.locator("#row-count a", has_text="CSV").get_attribute("href")
    answer = page.request.get(urljoin(page.url, csv_link))
    lines = answer.text().strip().splitlines()
    assert len(lines) == 21 and lines[0].split(",")[number - 1] == "number"


def test_a_query_runs_in_yasgui_and_shows_its_table(page, site):
    outside = loopback_only(page, site)
    page.goto(site.url + "/sparql")
    page.locator(".yasqe .CodeMirror").wait_for(timeout=20_000)
    page.evaluate("""() => window.ofstedYasgui.getTab().getYasqe().setValue(
        'PREFIX okg: <https://w3id.org/ofsted-kg/def#>\\n' +
        'SELECT ?grade (COUNT(*) AS ?judgements) WHERE { ?j okg:grade ?grade } GROUP BY ?grade')""")
    page.locator(".yasqe_queryButton").first.click()
    table = page.locator(".yasr table.dataTable")
    table.wait_for(timeout=20_000)
    assert "judgements" in table.locator("thead").inner_text()
    # YASR shows a typed literal with its datatype ("5"^^xsd:integer): the number is its first digits.
    counts = [int(re.search(r"\d+", c)[0]) for c in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert counts and all(n > 0 for n in counts)
    assert page.locator(".yasgui .tabsList .tab").count() > 10  # the saved queries as example tabs
    assert serious_violations(page) == []
    assert outside == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_at_390px_has_no_horizontal_scroll(browser, site, name):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    path = PAGES[name] or first_judgement_quote(page, site.url)
    page.goto(site.url + path)
    page.wait_for_load_state("networkidle")
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return {scroll: document.documentElement.scrollWidth, width,
                culprits: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
                  .filter(e => !e.closest('.scroll, pre, figure.chart, .CodeMirror, .yasr_results'))
                  .slice(0, 5).map(e => e.tagName + '.' + e.className)};
    }""")
    context.close()
    assert wide["scroll"] <= wide["width"], wide
