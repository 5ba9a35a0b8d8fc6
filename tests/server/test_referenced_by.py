"""Every entity page says what points at it ("Referenced by"): the count by property agrees with
the graph, and the things listed link to this server's pages."""

from __future__ import annotations

import re

import pytest

from ofsted_kg.graph.rdf.namespaces import sparql_prologue

BROWSER = {"Accept": "text/html"}
PAGES = {
    "council": "/doc/council/stoke-on-trent",
    "inspection": "/doc/inspection/stoke-on-trent/ilacs/2019-02-04",
    "person": None,  # the first person of the graph with something pointing at them
    "theme": "/def/theme/early-help",
    "document": "/doc/document/6fdf74b8ac6f7d8b",
    "grade (any other page)": "/def/grade/inadequate",
}


def _inbound(app, iri: str) -> int:
    graph = app.extensions["ofsted_kg"].graph
    query = sparql_prologue() + f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?p {{ ?s ?p <{iri}> FILTER(?p != oa:hasBody) }} }}"
    return int(next(iter(graph.query(query)))["n"].value)


def _person(app) -> str:
    graph = app.extensions["ofsted_kg"].graph
    query = sparql_prologue() + "SELECT ?p { ?p a foaf:Person . ?x org:member ?p } ORDER BY ?p LIMIT 1"
    return next(iter(graph.query(query)))["p"].value


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_says_what_refers_to_it(app, client, kind):
    path = PAGES[kind] or "/doc/" + _person(app).split("/id/", 1)[1]
    iri = "https://w3id.org/ofsted-kg/" + ("id/" + path[5:] if path.startswith("/doc/") else path[1:])
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 200
    section = page.get_data(as_text=True).split('id="referenced-by"', 1)[1].split("</section>", 1)[0]
    total = _inbound(app, iri)
    assert total > 0 and f"{total:,} link" in section, kind
    counted = sum(int(n.replace(",", "")) for n in re.findall(r"</code> \(([\d,]+)\)", section))
    assert counted == total
    assert 'href="/doc/' in section and "https://w3id.org" not in section.split("<tbody>")[1].split('href="')[1][:20]
