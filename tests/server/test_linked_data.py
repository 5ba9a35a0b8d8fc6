"""Dereferenceable IRIs (/id -> 303 -> /doc, /def concepts), their representations, and the pages.

Run on the seed graph through the in-process app (`client`), and for raw paths a client
library would tidy up (`..` segments), on the real server started as a subprocess.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, URIRef

from .conftest import ID
from .html_reading import Page

BASE = "https://w3id.org/ofsted-kg/"
COUNCIL = "council/stoke-on-trent"
INSPECTION = "inspection/stoke-on-trent/ilacs/2022-10-03"
REPORT = "d7768b1803baa4f8"  # the October 2022 report PDF
RDF_SUFFIXES = {"ttl": ("text/turtle", "turtle"), "nt": ("application/n-triples", "nt"),
                "jsonld": ("application/ld+json", "json-ld"), "rdf": ("application/rdf+xml", "xml")}


def local_path(iri: str) -> str:
    return "/doc/" + iri[len(ID):]


@pytest.fixture(scope="module")
def councils(select) -> list[str]:
    return [row[0] for row in select("SELECT ?c WHERE { ?c a okg:LocalAuthority }")]


# --- /id/ -> 303 -> /doc/ -------------------------------------------------------------------

@pytest.mark.parametrize("accept, target", [
    (None, f"/doc/{COUNCIL}"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", f"/doc/{COUNCIL}"),  # a browser's
    ("*/*", f"/doc/{COUNCIL}"),
    ("text/turtle", f"/doc/{COUNCIL}.ttl"),
    ("application/n-triples", f"/doc/{COUNCIL}.nt"),
    ("application/ld+json", f"/doc/{COUNCIL}.jsonld"),
    ("application/rdf+xml", f"/doc/{COUNCIL}.rdf"),
    ("text/html;q=0.5, text/turtle", f"/doc/{COUNCIL}.ttl"),
    ("text/turtle;q=0.2, application/ld+json;q=0.9", f"/doc/{COUNCIL}.jsonld"),
    ("text/html;q=0, */*", f"/doc/{COUNCIL}.ttl"),
    ("text/*", f"/doc/{COUNCIL}"),
])
def test_id_answers_303_to_the_representation_accept_asks_for(client, accept, target):
    response = client.get(f"/id/{COUNCIL}", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == target
    assert "accept" in _varies_by(response)


def test_id_with_a_suffix_goes_to_that_representation(client):
    response = client.get(f"/id/{COUNCIL}.nt", headers={"Accept": "text/html"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/doc/{COUNCIL}.nt")


@pytest.mark.parametrize("accept", ["image/png", "*/*;q=0", "application/pdf, image/*", "text/html;q=0, text/turtle;q=0",
                                    ";;;,,", "x" * 5000])
def test_an_accept_that_rules_out_everything_is_406_in_the_json_error_shape(client, accept):
    for path in (f"/id/{COUNCIL}", f"/doc/{COUNCIL}", "/def/theme/early-help"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 406, path
        assert response.get_json()["error"] == "not-acceptable"


def test_an_accept_header_that_cannot_be_read_gets_the_page(client):
    # werkzeug drops a type whose q is not a number; nothing is left, so no preference: HTML.
    response = client.get(f"/doc/{COUNCIL}", headers={"Accept": "text/turtle;q=abc"})
    assert response.status_code == 200 and response.mimetype == "text/html"


# --- /doc/ representations --------------------------------------------------------------------

def _varies_by(response) -> set[str]:
    """The request headers the answer's Vary names, in lower case (Vary: Accept, Accept-Encoding)."""
    return {name.strip().lower() for name in response.headers.get("Vary", "").split(",") if name.strip()}


@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_each_suffix_gives_its_format_whatever_accept_says(client, suffix):
    media_type, rdflib_format = RDF_SUFFIXES[suffix]
    response = client.get(f"/doc/{INSPECTION}.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "accept" not in _varies_by(response)  # the suffix decided, not Accept (gzip may vary it by Accept-Encoding)
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert (URIRef(ID + INSPECTION), None, None) in graph


def test_the_description_holds_the_entity_and_its_evidence_down_to_the_selectors(client, select):
    judgement = ID + INSPECTION + "/judgement/overall"
    graph = Graph().parse(data=client.get(local_path(judgement) + ".ttl").data, format="turtle")
    expected = select("""SELECT ?exact ?start WHERE { ?j okg:evidence/oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p .
                         ?q oa:exact ?exact . ?p oa:start ?start }""", j=URIRef(judgement))
    found = {(str(e), str(s)) for e, s in graph.query("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?e ?s WHERE { ?x oa:hasSelector ?q, ?p . ?q oa:exact ?e . ?p oa:start ?s }""")}
    assert len(found) == 2
    assert expected and set(expected) == found


def test_doc_without_a_suffix_negotiates_and_says_so(client):
    page = client.get(f"/doc/{COUNCIL}")
    assert page.mimetype == "text/html" and "accept" in _varies_by(page)
    assert 'rel="alternate"' in page.headers["Link"] and ".ttl" in page.headers["Link"]
    turtle = client.get(f"/doc/{COUNCIL}", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"


def test_every_council_resolves_to_a_page_and_to_turtle(client, councils):
    assert len(councils) == 11
    for council in councils:
        path = council[len(ID):]
        redirect = client.get(f"/id/{path}")
        assert redirect.status_code == 303, council
        page = client.get(urlsplit(redirect.headers["Location"]).path)
        assert page.status_code == 200 and page.mimetype == "text/html", council
        turtle = client.get(f"/id/{path}", headers={"Accept": "text/turtle"}, follow_redirects=True)
        graph = Graph().parse(data=turtle.data, format="turtle")
        assert (URIRef(council), None, None) in graph


@pytest.mark.parametrize("path", [
    f"/doc/{INSPECTION}/judgement/overall", f"/doc/{INSPECTION}/finding/1", f"/doc/{INSPECTION}/recommendation/1",
    "/doc/person/mark-barratt", "/doc/org/ofsted", f"/doc/document/{REPORT}", f"/doc/evidence/{REPORT}/435-506",
    "/def/theme/early-help", "/def/grade/good", "/def/ilacs-area/overall",
])
def test_entities_of_every_kind_have_a_page(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert client.get(path + ".ttl").status_code == 200


# --- unknown and malformed --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/id/council/nowhere", "/doc/council/nowhere", "/doc/council/nowhere.ttl",
                                  "/def/theme/no-such-theme", "/def/grade/excellent", "/doc/document/0000000000000000",
                                  "/doc/council/stoke-on-trent.xyz"])
def test_an_iri_the_graph_does_not_describe_is_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["error"] == "not-found"


@pytest.mark.parametrize("path", [
    "/doc/document/../../etc/passwd", "/doc/document/%2e%2e/%2e%2e/etc/passwd", "/doc/document/..%2f..%2fetc%2fpasswd",
    "/doc/document/%252e%252e%252fetc%252fpasswd", "/id/council//stoke-on-trent", "/doc/council/./stoke-on-trent",
    "/doc/document/d7768b1803baa4f8%00", "/doc/council/stoke on trent", "/doc/council/%3Cscript%3E",
    "/def/Theme/early-help", "/def/theme/early_help", "/doc/document/D7768B1803BAA4F8", "/id/", "/doc/",
])
def test_malformed_paths_are_400_or_404_never_500_never_a_file(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert response.mimetype == "application/json"
    assert b"root:" not in response.data


@pytest.mark.parametrize("raw", ["/doc/document/../../../../etc/passwd", "/doc/document/..%2F..%2F..%2Fetc%2Fpasswd",
                                 "/id/../../etc/passwd", "/doc/document/%2e%2e%2f%2e%2e%2fetc%2fpasswd.ttl"])
def test_traversal_sent_raw_to_the_real_server_never_reaches_a_file(server, raw):
    # http.client sends the path as written: no client-side tidying of `..`.
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", raw)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status in (400, 404), (raw, response.status)
    assert b"root:" not in body and json.loads(body)["status"] == response.status


@pytest.mark.parametrize("char", ["../../etc/passwd", "5,2", "3,3", "-1,5", "0,999999999", "a,b", "", "1,2,3",
                                  "1e3,2e3", " 1 , 2", "99999999999999999999,1"])
def test_a_char_span_that_is_not_one_of_the_text_is_400(client, char):
    response = client.get(f"/doc/document/{REPORT}", query_string={"char": char})
    assert response.status_code == 400, char
    assert response.get_json()["parameter"] == "char"


# --- the document view ------------------------------------------------------------------------

def evidence_of_document(select, key: str) -> list[tuple[int, int, str]]:
    rows = select("""SELECT DISTINCT ?start ?end ?exact WHERE { ?t oa:hasSource ?d ; oa:hasSelector ?q, ?p .
                     ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""", d=URIRef(ID + "document/" + key))
    return [(int(s), int(e), x) for s, e, x in rows]


def test_every_quote_is_the_served_text_at_its_offsets(seed_ttl, select):
    documents = [row[0].rsplit("/", 1)[1] for row in select("SELECT ?d WHERE { ?d a okg:SourceDocument }")]
    assert len(documents) == 9  # the eight seed documents and their manifest, a catalogue quoted as evidence
    for key in documents:
        text = (seed_ttl.parent / "text" / f"{key}.txt").read_text(encoding="utf-8")
        for start, end, exact in evidence_of_document(select, key):
            assert text[start:end] == exact, (key, start, end)


def test_each_evidence_span_is_an_anchor_holding_exactly_its_quote(client, select):
    page = Page(client.get(f"/doc/document/{REPORT}").get_data(as_text=True))
    spans = evidence_of_document(select, REPORT)
    assert len(spans) > 50
    whole = 0
    for start, end, exact in spans:
        anchor = f"char={start},{end}"
        assert anchor in page.ids, anchor
        assert page.ids[anchor]["tag"] == "mark"
        if page.texts[anchor] == exact:
            whole += 1
        else:  # split where it crosses another span: the first piece is the start of the quote
            assert exact.startswith(page.texts[anchor]), anchor
    assert whole >= len(spans) - 5  # few spans cross another


def test_a_requested_span_is_marked_focused_and_shown(client):
    text = client.get(f"/doc/document/{REPORT}").get_data(as_text=True)
    response = client.get(f"/doc/document/{REPORT}?char=1000,1100")
    page = Page(response.get_data(as_text=True))
    mark = page.ids["char=1000,1100"]
    assert "requested" in mark["class"] and "autofocus" in mark
    assert len(page.texts["char=1000,1100"]) == 100
    assert page.texts["char=1000,1100"] in Page(text).texts["text"]


def test_a_document_whose_text_is_missing_shows_its_quotes_and_says_so(app, client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "TEXT_DIR", str(tmp_path))  # an empty folder
    response = client.get(f"/doc/document/{REPORT}")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert "not on this server" in page.texts["text"]
    assert client.get(f"/doc/document/{REPORT}?char=1,2").status_code == 404


# --- pages ------------------------------------------------------------------------------------

def test_the_timeline_has_one_mark_per_judgement(client, select):
    judgements = select("""SELECT ?j WHERE { ?i okg:localAuthority ?c ; okg:startDate ?s .
                           ?j a okg:Judgement ; okg:inspection ?i }""", c=URIRef(ID + COUNCIL))
    html = client.get(f"/doc/{COUNCIL}").get_data(as_text=True)
    svg = html[html.index('<svg id="timeline"'):html.index("</svg>")]
    assert svg.count('<g class="mark"') == len(judgements) == 17
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert Page(html).texts["timeline-table"].count("Requires improvement to be good") >= 1


def test_pages_link_to_this_server_not_to_the_production_base(client):
    for path in ("/", f"/doc/{COUNCIL}", f"/doc/{INSPECTION}", "/doc/person/mark-barratt", "/def/theme/early-help",
                 f"/doc/document/{REPORT}"):
        hrefs = Page(client.get(path).get_data(as_text=True)).hrefs()
        assert hrefs and not [h for h in hrefs if h.startswith(BASE + "id/") or h.startswith(BASE + "def/theme/")], path


def test_the_council_page_links_out_and_to_its_neighbours(client):
    page = Page(client.get(f"/doc/{COUNCIL}").get_data(as_text=True))
    assert "http://statistics.data.gov.uk/id/statistical-geography/E06000021" in page.hrefs("link-out")
    assert "/doc/council/derby" in page.hrefs()
    assert len(page.hrefs("inspection")) == 7


def test_landing_to_the_evidence_of_any_judgement_in_three_clicks(client, select):
    judgements = select("""SELECT ?j ?i ?c ?doc ?start ?end ?exact WHERE {
        ?j a okg:Judgement ; okg:inspection ?i ; okg:evidence/oa:hasTarget ?t . ?i okg:localAuthority ?c .
        ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""")
    assert len({row[0] for row in judgements}) == 17
    landing = Page(client.get("/").get_data(as_text=True))
    pages = {}

    def visit(path):
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = Page(response.get_data(as_text=True))
        return pages[path]

    for _, inspection, council, document, start, end, exact in judgements:
        council_path = local_path(council)
        assert council_path in landing.hrefs("council")  # click 1
        assert local_path(inspection) in visit(council_path).hrefs("inspection")  # click 2
        quote = f"{local_path(document)}#char={start},{end}"
        assert quote in visit(local_path(inspection)).hrefs("evidence")  # click 3
        path, fragment = quote.split("#")
        view = visit(path)
        assert fragment in view.ids and exact.startswith(view.texts[fragment])


def test_the_person_page_shows_their_posts_with_evidence(client, select):
    posts = select("SELECT ?label WHERE { ?t org:member ?p ; okg:post/skos:prefLabel ?label }",
                   p=URIRef(ID + "person/mark-barratt"))
    person = Page(client.get("/doc/person/mark-barratt").get_data(as_text=True))
    assert posts and all(label in person.texts["tenures"] for (label,) in posts)
    assert person.hrefs("evidence")


def test_the_theme_page_counts_where_it_was_raised(client, select):
    [(findings,)] = select("SELECT (COUNT(?f) AS ?n) WHERE { ?f a okg:Finding ; okg:theme theme:early-help }")
    theme = Page(client.get("/def/theme/early-help").get_data(as_text=True))
    assert theme.texts["theme-counts"].startswith(f"{findings} findings")
    assert int(findings) > 0 and "/doc/council/stoke-on-trent" in theme.hrefs()


def test_ontology_terms_and_schemes_link_to_their_place_on_the_ontology_page(app):
    from ofsted_kg.server.linked_data.addresses import local

    with app.test_request_context():
        assert local("https://w3id.org/ofsted-kg/def#Inspection") == "/ontology#Inspection"
        assert local("https://w3id.org/ofsted-kg/def/theme") == "/ontology#scheme-theme"
        assert local("https://w3id.org/ofsted-kg/def/theme/caseloads") == "/def/theme/caseloads"
        assert local("https://w3id.org/ofsted-kg/def#not a term") == "https://w3id.org/ofsted-kg/def#not a term"
        assert local("http://www.wikidata.org/entity/Q17022507") == "http://www.wikidata.org/entity/Q17022507"


def test_the_sparql_endpoint_is_linked_without_a_trailing_slash(client):
    assert 'href="/sparql"' in client.get("/").get_data(as_text=True)
