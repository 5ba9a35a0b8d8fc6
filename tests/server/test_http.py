"""Routes: one error shape, content negotiation, HTML twins, dumps with ETags, OpenAPI, settings documented."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph

from ofsted_kg.server.settings import SETTINGS

from .downloads import dumps_ready

DOCS = Path(__file__).resolve().parents[2] / "README.md"  # the user's manual documents every setting


@pytest.mark.parametrize("method,path,headers,status", [
    ("GET", "/queries/nope", {}, 404),
    ("GET", "/nowhere", {}, 404),
    ("GET", "/sparql?query=" + quote("SELECT * {"), {}, 400),
    ("GET", "/sparql?query=" + quote("ASK {}"), {"Accept": "image/png"}, 406),
    ("GET", "/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }") + "&format=csv", {}, 406),
    ("PUT", "/sparql", {}, 405),
    ("DELETE", "/queries", {}, 405),
    ("POST", "/sparql", {"Content-Type": "text/plain"}, 415),
    ("GET", "/dump.zip", {}, 404),
])
def test_every_error_has_one_shape(client, method, path, headers, status):
    response = client.open(path, method=method, headers=headers, data=b"ASK {}" if method == "POST" else None)
    assert response.status_code == status
    body = response.get_json()
    assert body["status"] == status and body["error"] and body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_malformed_query_gives_the_parser_position(client):
    body = client.get("/sparql?query=" + quote("SELECT * { ?s ?p }")).get_json()
    assert body["error"] == "malformed-query" and "line 1, column 19" in body["detail"]


@pytest.mark.parametrize("accept,media_type", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.9, application/sparql-results+json;q=0.1", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
])
def test_select_by_accept(client, accept, media_type):
    response = client.get("/sparql?query=" + quote("SELECT ?x { BIND(1 AS ?x) }"), headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type


@pytest.mark.parametrize("fmt,parse", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_construct_formats(client, fmt, parse):
    q = "PREFIX okg: <https://w3id.org/ofsted-kg/def#> CONSTRUCT WHERE { ?i okg:startDate ?d }"
    response = client.get(f"/sparql?format={fmt}&query=" + quote(q))
    assert response.status_code == 200
    assert len(Graph().parse(data=response.get_data(), format=parse)) == 7


def test_post_forms(client):
    form = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    direct = client.post("/sparql", data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert form.get_json()["boolean"] is True and direct.get_json()["boolean"] is True


def test_html_pages_have_json_twins(client):
    for path in ("/", "/queries", "/queries/inspections.html?la=Stoke-on-Trent"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200 and response.mimetype == "text/html"
        twin = response.headers["Link"].split(">")[0].lstrip("<")
        assert client.get(twin).status_code == 200 and "json" in client.get(twin).mimetype
    page = client.get("/queries/inspections.html?la=Stoke-on-Trent").get_data(as_text=True)
    assert "<table class=\"results\">" in page and "Inadequate" in page


def test_landing_page_says_what_and_licence(client):
    page = client.get("/").get_data(as_text=True)
    for words in ("Open Government Licence v3.0", "/dump.ttl", "/sparql", 'name="query"', "who_held_post"):
        assert words in page


def test_service_description(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    sd = Graph().parse(data=response.get_data(), format="turtle")
    assert (None, None, __import__("rdflib").URIRef("http://www.w3.org/ns/sparql-service-description#SPARQL11Query")) in sd


def test_dumps_etag_304_and_gzip(app, client, seed_ttl):
    dumps_ready(app)
    response = client.get("/dump.ttl")
    if app.config["STORE"]:  # read back from the external store: the same triples, written anew
        # (compared as oxigraph stores them: it keeps xsd:nonNegativeInteger values as xsd:integer)
        assert set(_oxigraph(response.get_data())) == set(_oxigraph(seed_ttl.read_bytes()))
    else:
        assert response.get_data() == seed_ttl.read_bytes()
    assert response.headers["ETag"] and response.headers["Last-Modified"] and response.headers["Content-Length"]
    again = client.get("/dump.ttl", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    since = client.get("/dump.ttl", headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert since.status_code == 304
    zipped = client.get("/dump.nt", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    plain = client.get("/dump.nt").get_data()
    assert gzip.decompress(zipped.get_data()) == plain
    assert len(Graph().parse(data=plain, format="nt")) == len(Graph().parse(seed_ttl, format="turtle"))
    assert client.get("/dump.jsonld").status_code == 200


def _oxigraph(turtle: bytes) -> ox.Store:
    store = ox.Store()
    store.load(turtle, ox.RdfFormat.TURTLE)
    return store


def test_openapi_from_headers(client, app):
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for name, query in app.extensions["ofsted_kg"].queries.items():
        operation = doc["paths"][f"/queries/{name}"]["get"]
        assert [p["name"] for p in operation["parameters"]] == [p.name for p in query.params] + ["limit", "offset"]
    assert doc["paths"]["/queries/who_held_post"]["get"]["parameters"][0]["schema"]["format"] == "date"


def test_the_settings_table_has_a_row_for_each_setting_and_no_other():
    section = DOCS.read_text().split("\n### Settings\n", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \|", section, re.M)
    assert sorted(rows) == sorted(setting.name for setting in SETTINGS)


def test_catalogue_json(client):
    body = client.get("/queries.json").get_json()
    assert {q["name"] for q in body["queries"]} >= {"inspections", "people", "links"}
    for query in body["queries"]:
        assert query["title"] and urlsplit(query["url"]).path == f"/queries/{query['name']}"
        assert all(set(p) == {"type", "required", "default", "example", "description"} for p in query["params"].values())


def test_relative_iris_resolve_against_this_endpoint(app, client):
    # An external store would resolve <inspection> against its own URL: the base goes with the query,
    # and it is the configured public URL, whatever Host the client sent.
    response = client.get("/sparql?query=" + quote("SELECT ?x { BIND(<inspection> AS ?x) }"),
                          headers={"Host": "attacker.example"})
    assert response.get_json()["results"]["bindings"][0]["x"]["value"] == app.config["BASE_URL"] + "inspection"
