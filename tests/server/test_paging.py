"""Paging of saved-query answers: limit and offset in the query, Link headers, the HTML table's pages agreeing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from markupsafe import escape

from ofsted_kg.server.query import paging

BROWSER = {"Accept": "text/html,application/xhtml+xml"}


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


def _same_up_to_label_order(rows: list[dict]) -> list[dict]:
    """Rows with each joined list of labels (GROUP_CONCAT's `theme`) as a sorted list: SPARQL
    leaves their order to the engine, and a worker answering from its copy in memory joins them
    in another order than one still on the persisted store (WORKER_STORE)."""
    return [{k: sorted(v["value"].split("; ")) if k == "theme" else v for k, v in row.items()} for row in rows]


def _links(response) -> dict[str, str]:
    found = {}
    for value in response.headers.getlist("Link"):
        match = re.fullmatch(r'<([^>]+)>; rel="(\w+)"', value)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def test_pages_follow_next_links_through_the_whole_answer(client):
    whole = _rows(client.get("/queries/findings.json?limit=10000"))
    assert len(whole) > 100  # the seed graph's findings: several pages of 60
    seen, url, pages = [], "/queries/findings.json?limit=60", 0
    while url:
        response = client.get(url)
        assert "X-Results-Truncated" not in response.headers  # a page with a next one is not cut short
        rows = _rows(response)
        assert len(rows) == 60 or "next" not in _links(response)
        seen += rows
        pages += 1
        if pages > 1:
            assert _links(response)["first"].endswith("limit=60&offset=0")
            assert "prev" in _links(response)
        url = _links(response).get("next")
        if url:
            url = url[url.index("/queries/"):]
    assert _same_up_to_label_order(seen) == _same_up_to_label_order(whole) and pages == -(-len(whole) // 60)


def test_json_is_a_page_by_default_and_csv_the_whole_answer(client, monkeypatch):
    monkeypatch.setattr(paging, "PAGE_SIZE", 100)
    page = client.get("/queries/findings.json")
    assert len(_rows(page)) == 100 and "offset=100" in _links(page)["next"]
    whole = list(csv.reader(io.StringIO(client.get("/queries/findings.csv").get_data(as_text=True))))
    assert len(whole) - 1 == len(_rows(client.get("/queries/findings.json?limit=10000")))
    ten = list(csv.reader(io.StringIO(client.get("/queries/findings.csv?limit=10&offset=5").get_data(as_text=True))))
    assert ten[1:] == whole[6:16]


@pytest.mark.parametrize("query", ["limit=0", "limit=ten", "limit=99999999", "offset=-1", "limit=%EF%BC%91", "limit=5&_page=2"])
def test_a_bad_limit_or_offset_is_400_naming_it(client, query):
    response = client.get(f"/queries/findings.json?{query}")
    assert response.status_code == 400
    assert response.get_json()["parameter"] in ("limit", "offset")


def test_the_html_table_page_is_the_api_page_it_links(client):
    html = client.get("/queries/findings?_page=2&_size=50", headers=BROWSER)
    twin = next(v for v in html.headers.getlist("Link") if 'title="this page"' in v)
    url = twin[twin.index("/queries/"):twin.index(">")]
    assert "limit=50" in url and "offset=50" in url
    api = _rows(client.get(url))
    text = html.get_data(as_text=True)
    assert len(api) == 50
    # The same rows in the same order: each row's text found in the page after the one before.
    at = 0
    for row in api:
        at = text.find(str(escape(row["text"]["value"][:40])), at)
        assert at >= 0, row["text"]["value"]


def test_a_page_marker_puts_the_limit_inside_the_query():
    text = "SELECT * WHERE {\n  { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n  # PAGE\n  }\n} ORDER BY ?s"
    paged = paging.apply(text, paging.Page(10, 20))
    assert "ORDER BY ?s\nLIMIT 11 OFFSET 20\n  }" in paged and paged.endswith("ORDER BY ?s")
    assert paging.apply("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", paging.Page(5)).endswith("ORDER BY ?s\nLIMIT 6\n")


def test_the_previous_page_never_repeats_this_pages_rows(client):
    whole = _rows(client.get("/queries/findings.json?limit=10000"))
    response = client.get("/queries/findings.json?limit=5&offset=3")
    prev = _links(response)["prev"]
    assert prev.endswith("limit=3&offset=0")  # rows 0-2, not 0-4 (3 and 4 are this page's)
    pages = _rows(client.get(prev[prev.index("/queries/"):])) + _rows(response)
    assert _same_up_to_label_order(pages) == _same_up_to_label_order(whole[:8])


@pytest.mark.parametrize("parameter", ["_page", "_size"])
def test_a_non_ascii_digit_is_a_400_not_a_500(client, parameter):
    response = client.get(f"/queries/findings.html?{parameter}=²")
    assert response.status_code == 400 and parameter in response.get_data(as_text=True)
