"""The pages as a person uses them, in headless Chromium: what they show, where their links go,
that forms and the SPARQL editor answer, that they pass axe-core, and that they work without
JavaScript (all but the editor's in-page table)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    # Imported here: the browser extra is installed only for `make test-browser`, and the quick
    # run still collects this module.
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def loopback_only(page, site) -> list[str]:
    """Refuse, and remember, any request the page makes beyond the server under test."""
    outside = []

    def check(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(site.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url if host else route.request.url[:80])
            route.abort()

    page.route("**/*", check)
    return outside


def test_landing_page_shows_the_dataset_and_its_ways_in(page, site):
    outside = loopback_only(page, site)
    page.goto(site.url + "/")
    assert "Ofsted children's services knowledge graph" in page.title()
    assert page.locator("h1").first.inner_text().startswith("Ofsted children")
    for link in ("/dump.ttl", "/queries", "/sparql"):
        assert page.locator(f"a[href*='{link}']").count() >= 1, link
    assert page.locator("form.query-form").count() >= 10
    assert outside == []


@pytest.mark.parametrize("path", ["/", "/queries", "/queries/inspections.html?la=Stoke-on-Trent", "/sparql",
                                  "/ontology", "/.well-known/void", "/doc/person/eleanor-brazil"])
def test_pages_pass_axe_with_no_serious_violations(page, site, path):
    page.goto(site.url + path)
    assert serious_violations(page) == []


def test_a_saved_query_form_runs_and_shows_its_table(page, site):
    page.goto(site.url + "/queries")
    form = page.locator("form.query-form").filter(has=page.locator("input[name=la]")).first
    form.locator("input[name=la]").fill("Stoke-on-Trent")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "la=Stoke-on-Trent" in page.url
    table = page.locator("main table").first
    headers = table.locator("th").all_inner_texts()
    assert headers, "the results table has no header row"
    rows = table.locator("tr").count() - 1
    assert rows >= 1
    assert page.locator("main").inner_text().count("row") >= 1


def test_the_sparql_editor_runs_a_query_in_the_page(page, site):
    page.goto(site.url + "/")
    editor = page.locator("#sparql-editor")
    editor.locator("textarea[name=query]").fill(
        "PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n"
        "SELECT ?grade (COUNT(*) AS ?n) WHERE { ?j okg:grade ?grade } GROUP BY ?grade ORDER BY ?grade")
    editor.locator("button[type=submit]").click()
    results = page.locator("#sparql-results table")
    results.wait_for(timeout=15_000)
    assert results.locator("th").all_inner_texts() == ["grade", "n"]
    counts = [int(c) for c in results.locator("tr td:nth-child(2)").all_inner_texts()]
    assert counts and all(n > 0 for n in counts)
    assert page.url.rstrip("/") == site.url  # in the page: no navigation happened


def test_the_sparql_editor_shows_the_servers_error_for_a_bad_query(page, site):
    page.goto(site.url + "/")
    editor = page.locator("#sparql-editor")
    editor.locator("textarea[name=query]").fill("SELECT ?x WHERE { ?x ")
    editor.locator("button[type=submit]").click()
    message = page.locator("#sparql-results [role=alert]")
    message.wait_for(timeout=15_000)
    assert message.inner_text().startswith("400 malformed-query: the query is not valid SPARQL")


def test_without_javascript_the_forms_still_answer(page_without_js, site):
    page = page_without_js
    page.goto(site.url + "/queries")
    form = page.locator("form.query-form").filter(has=page.locator("input[name=la]")).first
    form.locator("input[name=la]").fill("Stoke-on-Trent")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("main table tr").count() >= 2
    page.goto(site.url + "/")
    page.locator("#sparql-editor button[type=submit]").click()  # submits to /sparql: the server renders the table
    page.wait_for_load_state()
    assert "/sparql" in page.url and page.locator("main table tr").count() >= 2
