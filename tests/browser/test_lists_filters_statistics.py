"""The lists by type, the filterable tables and a council's statistics beside its neighbours, in
headless Chromium with axe-core (no serious or critical findings): reached from the landing
page, used with and without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import loopback_only, serious_violations

pytestmark = pytest.mark.browser


def test_the_landing_page_leads_to_each_list_and_a_row_to_its_page(page, site):
    outside = loopback_only(page, site)
    page.goto(site.url + "/")
    for name in ("inspections", "people", "themes", "documents"):
        page.goto(site.url + "/")
        link = page.locator("#browse a", has_text=re.compile(name[:5], re.I)).first
        count = int(re.search(r"\((\d[\d,]*)\)", page.locator("#browse").inner_text().split(link.inner_text(), 1)[1])[1])
        with page.expect_navigation():
            link.click()
        assert page.url.endswith("/" + name)
        assert f"{count:,} in all" in page.locator("#row-count").inner_text()
        assert page.locator("#type-list tbody tr").count() == min(count, 50)
        assert serious_violations(page) == [], name
    row = page.locator("#type-list tbody tr").first.locator("a").first
    with page.expect_navigation():
        row.click()
    assert "/doc/document/" in page.url and page.locator("#referenced-by").count() == 1
    assert outside == []


def _filter(page, column: str, operator: str, text: str) -> None:
    form = page.locator("form.filters")
    form.locator("select[name=_filter_column]").select_option(column)
    form.locator("select[name=_filter_operator]").select_option(operator)
    form.locator("input[name=_filter_text]").fill(text)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_table_filters_by_column_and_the_filter_stays_in_the_address(browser, site, javascript):
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site.url + "/queries/findings.html?_sort=number")
    total = int(re.search(r"([\d,]+) rows", page.locator("#row-count").inner_text())[1].replace(",", ""))
    _filter(page, "theme", "contains", "early")
    assert "theme__contains=early" in page.url and "_sort=number" in page.url and "_filter_" not in page.url
    headers = page.locator("table.results thead th").all_inner_texts()
    themes = page.locator(f"table.results tbody td:nth-child({headers.index('theme') + 1})").all_inner_texts()
    matched = int(re.search(r"([\d,]+) of", page.locator("#row-count").inner_text())[1])
    assert 0 < matched < total and len(themes) == min(matched, 50) and all("early" in t.lower() for t in themes)
    _filter(page, "polarity", "exact", "strength")
    both = int(re.search(r"([\d,]+) of", page.locator("#row-count").inner_text())[1])
    assert 0 < both < matched and page.locator(".active-filters li").count() == 2
    if javascript:
        assert serious_violations(page) == []
    with page.expect_navigation():
        page.locator(".active-filters a", has_text="remove").first.click()
    assert "theme__contains" not in page.url and "polarity__exact=strength" in page.url
    context.close()


def test_the_council_page_draws_its_statistics_over_time_with_their_tables(page, site):
    page.goto(site.url + "/doc/council/stoke-on-trent")
    section = page.locator("section[aria-labelledby=statistics-over-time]")
    charts = section.locator("figure.statistics-chart")
    assert charts.count() >= 5 and charts.count() == section.locator("table.statistics-table").count()
    rate = charts.filter(has_text="Rate of children looked after").first
    assert rate.locator("svg[role=img] > title").text_content().startswith("Rate of children looked after (per 10,000 children)")
    assert rate.locator("circle").count() == 2 and rate.locator("path").count() == 1  # two dates, one line
    box = rate.locator("svg").bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    assert serious_violations(page) == []
