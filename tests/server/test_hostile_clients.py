"""What a hostile or merely unusual client sends (issue 10): a foreign Host, a browser origin,
oversized and oddly encoded input, N3 clients. Each answer stays in the one JSON error shape,
echoes at most a little of what was sent, and publishes only the configured public URL."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from rdflib import Graph

from ofsted_kg.server.web.errors import ECHO_LIMIT, Busy, TimedOut

REPORT = "d7768b1803baa4f8"  # the October 2022 Stoke-on-Trent report in the seed graph
EVIL = "evil.example"
CONSTRUCT = "PREFIX okg: <https://w3id.org/ofsted-kg/def#> CONSTRUCT WHERE { ?i okg:startDate ?d }"


def padded(size: int) -> str:
    """A valid query of exactly `size` bytes of UTF-8, mostly two-byte characters (six once percent-encoded)."""
    head = "ASK {}\n#"
    room = size - len(head.encode())
    return head + "é" * (room // 2) + "x" * (room % 2)


@pytest.mark.parametrize("path", ["/.well-known/void", "/index.json", "/queries.json", "/openapi.json", "/sparql?format=ttl",
                                  "/queries/inspections.html", "/", "/sparql", f"/doc/document/{REPORT}", "/ontology"])
def test_no_answer_carries_the_clients_host(client, path):
    response = client.get(path, headers={"Host": EVIL, "X-Forwarded-Host": EVIL, "Accept": "text/html"})
    assert response.status_code == 200
    assert EVIL not in response.get_data(as_text=True)
    assert all(EVIL not in value for _, value in response.headers.items())


def test_the_dataset_description_is_the_same_whatever_the_host(app, client):
    first = client.get("/.well-known/void", headers={"Host": "a.example"}).get_data()
    second = client.get("/.well-known/void", headers={"Host": "b.example"}).get_data()
    assert first == second and app.config["BASE_URL"].encode() in first


def test_base_url_with_a_path_is_the_base_of_every_link(app, client):
    configured = app.config["BASE_URL"]
    app.config["BASE_URL"] = "https://data.example.org/ofsted-kg/"
    try:
        index = client.get("/index.json").get_json()
        assert index["sparql"] == "https://data.example.org/ofsted-kg/sparql"
        void = client.get("/.well-known/void").get_data(as_text=True)
        assert "<https://data.example.org/ofsted-kg/sparql>" in void and configured not in void
        # A proxy that passes the prefix on instead of stripping it is understood too.
        assert client.get("/ofsted-kg/queries.json").status_code == 200
    finally:
        app.config["BASE_URL"] = configured


@pytest.mark.parametrize("size,status", [(100_000, 200), (100_001, 413)])
def test_the_query_size_limit_is_the_same_by_get_and_by_post(client, size, status):
    query = padded(size)
    assert len(query.encode()) == size
    answers = [client.get("/sparql?query=" + quote(query)),
               client.post("/sparql", data={"query": query}),
               client.post("/sparql", data=query.encode(), content_type="application/sparql-query")]
    assert [a.status_code for a in answers] == [status] * 3
    if status == 413:
        assert all(a.get_json()["error"] == "too-large" and "100,000" in a.get_json()["detail"] for a in answers)


def test_a_body_far_over_the_limit_is_a_json_413(client):
    response = client.post("/sparql", data={"query": "ASK {}", "pad": "x" * 400_000})
    assert response.status_code == 413 and response.get_json()["error"] == "too-large"


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded; charset=iso-8859-1",
                                          "application/sparql-query; charset=latin1"])
def test_a_post_in_another_charset_is_415(client, content_type):
    response = client.post("/sparql", data=b"query=ASK%20%7B%7D" if "form" in content_type else b"ASK {}",
                           content_type=content_type)
    assert response.status_code == 415 and response.get_json()["error"] == "unsupported-media-type"


@pytest.mark.parametrize("path", [f"/doc/document/{REPORT}?char=\u0661,\u0662",  # Arabic-Indic one, two
                                  f"/doc/document/{REPORT}?char=\uff11,\uff12",  # fullwidth
                                  "/queries/who_held_post?date=\u0662\u0660\u0661\u0669-01-01"])
def test_numbers_are_ascii_digits_only(client, path):
    response = client.get(path)
    assert response.status_code == 400 and response.get_json()["parameter"] in ("char", "date")


@pytest.mark.parametrize("path", ["/queries/inspections?la=", "/queries/inspections?", "/queries/who_held_post?date=",
                                  "/sparql?query=ASK%7B%7D&format=", "/sparql?query=ASK%7B%7D&default-graph-uri=",
                                  "/doc/council/", "/queries/", "/def/theme/", "/dump.", "/doc/document/",
                                  "/queries/inspections.html?la=1&"])
def test_a_long_value_is_not_echoed_whole(client, path):
    long = "q" * 200_000
    response = client.get(path + long + ("=1" if path.endswith("?") else ""))
    assert 400 <= response.status_code < 500
    body = response.get_json()
    assert len(body["detail"]) < ECHO_LIMIT + 300 and "…" in body["detail"]
    assert len(body.get("parameter") or "") <= ECHO_LIMIT + 1


def test_a_cors_preflight_is_answered(client):
    response = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "Content-Type, Accept"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert methods == {"GET", "POST", "HEAD", "OPTIONS"}
    assert {"content-type", "accept"} <= {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}


@pytest.mark.parametrize("path", ["/sparql?query=" + quote("ASK {}"), "/queries/inspections.json", "/dump.nt",
                                  "/.well-known/void", f"/doc/document/{REPORT}.ttl", "/ontology.ttl", "/queries/nope"])
def test_a_page_on_another_origin_may_read_every_answer(client, path):
    response = client.get(path, headers={"Origin": "https://notebook.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "link", "x-results-truncated", "retry-after", "content-length"} <= exposed


def test_allow_offers_only_what_is_answered(client):
    allowed = {m.strip() for m in client.options("/sparql").headers["Allow"].split(",")}
    assert allowed == {"GET", "HEAD", "POST", "OPTIONS"}
    for method in ("PUT", "DELETE", "PATCH"):
        response = client.open("/sparql", method=method)
        assert response.status_code == 405 and response.get_json()["error"] == "method-not-allowed"
        assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


@pytest.mark.parametrize("how", [{"query_string": {"format": "n3"}}, {"headers": {"Accept": "text/n3"}},
                                 {"headers": {"Accept": "text/rdf+n3"}}])
def test_n3_is_answered_as_turtle(client, how):
    response = client.get("/sparql?query=" + quote(CONSTRUCT) + "&" + "&".join(
        f"{k}={v}" for k, v in how.get("query_string", {}).items()), headers=how.get("headers", {}))
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert len(Graph().parse(data=response.get_data(as_text=True), format="n3")) == 7


@pytest.mark.parametrize("error", [Busy("every worker is busy"), TimedOut("past the limit")])
def test_every_503_says_when_to_retry(app, client, monkeypatch, error):
    service = app.extensions["ofsted_kg"]

    class Overloaded:
        def run(self, *args, **kwargs):
            raise error

    monkeypatch.setattr(service, "runner", Overloaded())
    response = client.get("/sparql?query=" + quote("ASK { ?s ?p ?o }"))
    assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 1
    assert response.get_json()["error"] == error.error
