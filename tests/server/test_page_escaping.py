"""Text from documents is escaped on every page: a graph whose title, names and quotes hold markup."""

from __future__ import annotations

import pytest

from ofsted_kg.server.app import create_app, start

from .html_reading import Page

KEY = "0123456789abcdef"
SCRIPT = '<script>alert("x")</script>'
TEXT = f"Overall effectiveness {SCRIPT} Inadequate & more"
START, END = 22, 22 + len(SCRIPT)
LITERAL = SCRIPT.replace('"', '\\"')  # as a Turtle string
GRAPH = f"""
@prefix okg: <https://w3id.org/ofsted-kg/def#> . @prefix id: <https://w3id.org/ofsted-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
<https://w3id.org/ofsted-kg/id/council/x> a okg:LocalAuthority ; skos:prefLabel "{LITERAL} council" ;
    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/?a=1&b=%22%3E> .
<https://w3id.org/ofsted-kg/id/inspection/x/ilacs/2020-01-01> a okg:Inspection ;
    okg:inspectionKind <https://w3id.org/ofsted-kg/def/inspection-kind/ilacs> ;
    okg:localAuthority <https://w3id.org/ofsted-kg/id/council/x> ; okg:startDate "2020-01-01" .
<https://w3id.org/ofsted-kg/def/inspection-kind/ilacs> skos:prefLabel "ILACS" .
<https://w3id.org/ofsted-kg/def/grade/inadequate> skos:prefLabel "Inadequate" ; skos:notation 4 .
<https://w3id.org/ofsted-kg/def/ilacs-area/overall> skos:prefLabel "Overall effectiveness" .
<https://w3id.org/ofsted-kg/id/inspection/x/ilacs/2020-01-01/judgement/overall> a okg:Judgement ;
    okg:inspection <https://w3id.org/ofsted-kg/id/inspection/x/ilacs/2020-01-01> ;
    okg:judgementArea <https://w3id.org/ofsted-kg/def/ilacs-area/overall> ;
    okg:grade <https://w3id.org/ofsted-kg/def/grade/inadequate> ;
    okg:evidence <https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}> .
<https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}> a oa:Annotation ;
    oa:hasBody <https://w3id.org/ofsted-kg/id/inspection/x/ilacs/2020-01-01/judgement/overall> ;
    oa:hasTarget <https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/target> .
<https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/target> oa:hasSource <https://w3id.org/ofsted-kg/id/document/{KEY}> ;
    oa:hasSelector <https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/quote>,
                   <https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/position> .
<https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/quote> oa:exact "{LITERAL}" .
<https://w3id.org/ofsted-kg/id/evidence/{KEY}/{START}-{END}/position> oa:start {START} ; oa:end {END} .
<https://w3id.org/ofsted-kg/id/document/{KEY}> a okg:SourceDocument ; dcterms:title "{LITERAL} report" ;
    dcterms:source <https://example.org/report?a=1&b=2> .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (folder / "text").mkdir()
    (folder / "text" / f"{KEY}.txt").write_text(TEXT, encoding="utf-8")
    app = start(create_app({"DATA": [str(folder / "graph.ttl")], "TESTING": True, "WORKERS": 1,
                            "DUMP_DIR": str(tmp_path_factory.mktemp("hostile-dumps"))}))
    yield app.test_client()
    app.extensions["ofsted_kg"].close()


@pytest.mark.parametrize("path", ["/", "/doc/council/x", "/doc/inspection/x/ilacs/2020-01-01",
                                  "/doc/inspection/x/ilacs/2020-01-01/judgement/overall", f"/doc/document/{KEY}",
                                  f"/doc/document/{KEY}?char={START},{END}"])
def test_markup_from_the_data_is_shown_as_text(hostile, path):
    response = hostile.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html  # the landing page's own editor script aside
    assert "&lt;script&gt;" in html


def test_the_escaped_span_is_still_exactly_the_quote(hostile):
    page = Page(hostile.get(f"/doc/document/{KEY}").get_data(as_text=True))
    assert page.texts[f"char={START},{END}"] == SCRIPT
    assert page.texts["text"] == TEXT
