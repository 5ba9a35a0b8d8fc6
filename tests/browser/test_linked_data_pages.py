"""The Linked Data pages in a real browser: from the landing page to a council, its timeline
chart and links out, an inspection, and the quoted evidence highlighted in its document."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages import serious_violations

pytestmark = pytest.mark.browser


def press(page, link) -> None:
    """Follow a link from the keyboard: focus it and press Enter, as a keyboard user does.
    (A mouse click on a quote link straight after a page load was sometimes dropped by this
    headless Chromium; the keyboard path is deterministic and checks the links are focusable.)"""
    link.focus()
    page.keyboard.press("Enter")


def open_council(page, site, name: str = "Stoke-on-Trent"):
    page.goto(site.url + "/")
    page.locator("#councils a.council", has_text=name).first.click()
    page.wait_for_url("**/council/**")
    return page


def test_the_council_page_has_its_timeline_and_links_out(page, site):
    open_council(page, site)
    assert page.locator("h1").inner_text().startswith("Stoke-on-Trent")
    chart = page.locator("svg#timeline")
    assert chart.is_visible()
    assert chart.locator("title").count() >= 1  # the chart names itself for screen readers
    marks = chart.locator("g.mark")
    assert marks.count() >= 13  # the 2015 SIF (5 areas) and the 2019 and 2022 ILACS (4 areas each)
    grades = {marks.nth(i).get_attribute("data-grade") for i in range(marks.count())}
    assert {"Inadequate", "Good"} <= grades and any(g.startswith("Requires improvement") for g in grades)
    legend = chart.text_content()
    assert "Inadequate" in legend and "Good" in legend
    hrefs = [a.get_attribute("href") for a in page.locator("main a").all()]
    assert "http://statistics.data.gov.uk/id/statistical-geography/E06000021" in hrefs
    assert page.locator("ul#inspections a.inspection").count() >= 7
    assert serious_violations(page) == []


def test_three_clicks_from_the_landing_page_to_a_judgements_quoted_evidence(page, site):
    open_council(page, site)  # click 1
    page.locator("ul#inspections a.inspection[href*='/inspection/stoke-on-trent/ilacs/']").first.click()  # click 2
    page.wait_for_url("**/inspection/**")
    judgement_quote = page.locator("table#judgements tr.judgement a.evidence").first
    quote = judgement_quote.inner_text().strip()
    press(page, judgement_quote)  # click 3
    page.wait_for_url("**/doc/document/**")
    fragment = page.url.split("#", 1)[1]
    assert re.fullmatch(r"char=\d+,\d+", fragment), page.url
    span = page.locator(f"[id='{fragment}']")
    assert span.is_visible()
    assert " ".join(span.inner_text().split()) == " ".join(quote.strip("“”\"").split())
    # the highlighted span is scrolled into view and styled differently from its neighbours
    assert span.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }")
    styled = span.evaluate("e => getComputedStyle(e).backgroundColor")
    plain = page.locator("main").evaluate("e => getComputedStyle(e).backgroundColor")
    assert styled != plain
    assert serious_violations(page) == []


def test_entity_pages_pass_axe(page, site):
    open_council(page, site)
    page.locator("ul#inspections a.inspection").first.click()
    page.wait_for_url("**/inspection/**")
    assert serious_violations(page) == []
    person = page.locator("main a[href*='/person/']").first
    if person.count():
        person.click()
        page.wait_for_load_state()
        assert serious_violations(page) == []


def test_the_path_to_evidence_works_without_javascript(page_without_js, site):
    page = open_council(page_without_js, site)
    page.locator("ul#inspections a.inspection").first.click()
    page.wait_for_url("**/inspection/**")
    press(page, page.locator("a.evidence").first)
    page.wait_for_url("**/doc/document/**")
    assert "#char=" in page.url
    assert page.locator(f"[id='{page.url.split('#', 1)[1]}']").is_visible()
