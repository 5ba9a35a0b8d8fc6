"""Lists by type (/inspections, /people, /themes, /documents): counts that agree with the graph,
pages that together are the whole list, each row linking to its page, and the landing page's links."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.rdf.namespaces import sparql_prologue
from ofsted_kg.server.routes import type_lists

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MEMBERS = {
    "inspections": "?x a okg:Inspection",
    "people": "?x a foaf:Person",
    "themes": "?x skos:inScheme <https://w3id.org/ofsted-kg/def/theme>",
    "documents": "?x a okg:SourceDocument",
}


def _members(app, name: str) -> set[str]:
    graph = app.extensions["ofsted_kg"].graph
    return {s["x"].value for s in graph.query(sparql_prologue() + f"SELECT DISTINCT ?x {{ {MEMBERS[name]} }}")}


@pytest.mark.parametrize("name", list(MEMBERS))
def test_every_member_is_listed_once_across_the_pages(app, client, monkeypatch, name):
    expected = _members(app, name)
    assert expected
    monkeypatch.setattr(type_lists, "PAGE_SIZE", 4)  # several pages even on the seed graph
    first = client.get(f"/{name}.json").get_json()
    assert first["total"] == len(expected) and first["pages"] == -(-len(expected) // 4)
    seen = [item["item"] for page in range(1, first["pages"] + 1)
            for item in client.get(f"/{name}.json?page={page}").get_json()["items"]]
    assert sorted(seen) == sorted(expected)
    assert all(item["page"].startswith("http") for item in first["items"])


def test_the_counts_agree_with_the_graph(app, client):
    themes = {t["item"]: t for t in client.get("/themes.json").get_json()["items"]}
    graph = app.extensions["ofsted_kg"].graph
    query = sparql_prologue() + "SELECT ?t (COUNT(?f) AS ?n) { ?f a okg:Finding ; okg:theme ?t } GROUP BY ?t"
    counted = {s["t"].value: int(s["n"].value) for s in graph.query(query)}
    assert counted and all(themes[t]["findings"] == n for t, n in counted.items())
    assert all(t["findings"] == 0 for iri, t in themes.items() if iri not in counted)
    people = client.get("/people.json").get_json()["items"]
    assert any(p["teams"] > 0 for p in people) and any(p["posts"] > 0 for p in people)


def test_the_html_list_pages_and_links(client, monkeypatch):
    monkeypatch.setattr(type_lists, "PAGE_SIZE", 3)
    page = client.get("/inspections?page=2", headers=BROWSER)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'rel="alternate"' in page.headers["Link"]
    assert "7 in all, page 2 of 3" in text and 'rel="prev"' in text and 'rel="next"' in text
    assert text.count('href="/doc/inspection/') == 3 and 'href="/doc/council/stoke-on-trent"' in text


def test_the_landing_page_links_every_list_with_its_count(app, client):
    page = client.get("/", headers=BROWSER).get_data(as_text=True)
    for name in MEMBERS:
        assert f'href="/{name}"' in page
    assert f"people</a> ({len(_members(app, 'people'))})" in page


def test_bad_pages_are_400(client):
    for value in ("0", "x", "99", "١"):
        response = client.get(f"/people.json?page={value}")
        assert response.status_code == 400 and response.get_json()["parameter"] == "page", value

