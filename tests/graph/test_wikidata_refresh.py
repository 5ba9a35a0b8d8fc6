"""`ofsted-kg links --refresh` (graph/wikidata_refresh.py) against a fixture SPARQL endpoint:
a tiny http.server on 127.0.0.1 that records the request it receives and answers SPARQL JSON
results written here. The live Wikidata query service is never asked."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from ofsted_kg.console import main
from ofsted_kg.graph.reference import wikidata_refresh
from ofsted_kg.graph.reference.wikidata import read_wikidata
from ofsted_kg.graph.reference.wikidata_refresh import RefreshError, refresh

Q = "http://www.wikidata.org/entity/"
DAY = dt.date(2026, 11, 30)
# Three councils the service knows in different ways, and one it does not know at all.
CODES = ["E06000021", "E06000035", "E08000028", "E09000002", "E10000021"]
ANSWER = [
    # Stoke-on-Trent: the area, and its council as its legislative body
    {"gss": "E06000021", "area": Q + "Q1000001", "council": Q + "Q17022507", "councilLabel": "Stoke-on-Trent City Council"},
    # Medway: a former district with the code, dissolved, beside the current one
    {"gss": "E06000035", "area": Q + "Q1000002", "areaDissolved": "1998-04-01T00:00:00Z", "council": Q + "Q1000003"},
    {"gss": "E06000035", "area": Q + "Q1000004", "council": Q + "Q1000005", "councilLabel": "Medway Council"},
    # Sandwell: two councils in existence for one area: none is chosen
    {"gss": "E08000028", "area": Q + "Q1000006", "council": Q + "Q1000007"},
    {"gss": "E08000028", "area": Q + "Q1000006", "council": Q + "Q1000008"},
    # Northamptonshire: area and council both dissolved
    {"gss": "E10000021", "area": Q + "Q1000009", "areaDissolved": "2021-04-01T00:00:00Z", "council": Q + "Q1000010"},
]


def results(rows: list[dict[str, str]]) -> bytes:
    def term(var, value):
        return {"type": "uri", "value": value} if value.startswith("http") else {"type": "literal", "value": value}

    variables = ["gss", "area", "areaDissolved", "council", "councilDissolved", "councilLabel"]
    return json.dumps({"head": {"vars": variables},
                       "results": {"bindings": [{k: term(k, v) for k, v in row.items()} for row in rows]}}).encode()


class Endpoint:
    """The fixture service: what it answers (status, body, delay) and every request it got."""

    def __init__(self):
        self.status, self.body, self.delay, self.requests = 200, results(ANSWER), 0.0, []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                endpoint.requests.append((self.path, dict(self.headers), self.rfile.read(length).decode()))
                time.sleep(endpoint.delay)
                self.send_response(endpoint.status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(endpoint.body)))
                self.end_headers()
                self.wfile.write(endpoint.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def query(self) -> str:
        [(_, _, body)] = self.requests
        return parse_qs(body)["query"][0]


@pytest.fixture
def endpoint():
    served = Endpoint()
    yield served
    served.server.shutdown()
    served.server.server_close()


@pytest.fixture
def table(tmp_path) -> Path:
    return tmp_path / "wikidata.csv"


def test_one_query_names_every_code_and_the_project(endpoint, table):
    refresh(CODES, endpoint.url, path=table, today=DAY)
    assert len(endpoint.requests) == 1  # one query with a VALUES block, not one per council
    _, headers, _ = endpoint.requests[0]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["Accept"] == "application/sparql-results+json"
    assert headers["User-Agent"].startswith("ofsted-kg/") and "w3id.org/ofsted-kg" in headers["User-Agent"]
    query = endpoint.query()
    assert "VALUES ?gss { " + " ".join(f'"{c}"' for c in sorted(CODES)) + " }" in query
    assert "wdt:P836 ?gss" in query and "wdt:P194 ?council" in query and "wdt:P576" in query


def test_the_table_holds_one_council_per_code_sorted_and_says_why_not(endpoint, table):
    rows, notes = refresh(CODES, endpoint.url, path=table, today=DAY)
    assert [(r.gss_code, r.wikidata, r.name) for r in rows] == [
        ("E06000021", "Q17022507", "Stoke-on-Trent City Council"), ("E06000035", "Q1000005", "Medway Council")]
    assert notes == {"E08000028": "several councils (Q1000007, Q1000008): none chosen",
                     "E09000002": "no item has this GSS code (P836)",
                     "E10000021": "every item with this GSS code is dissolved (P576)"}
    text = table.read_text(encoding="utf-8")
    # the query and its date beside the table, so a reader can run it again
    assert f"on {DAY.isoformat()} from {endpoint.url} with this query" in text
    assert all(f"#   {line}" in text for line in endpoint.query().splitlines())
    assert "# not linked: E08000028: several councils" in text
    # and the build reads it
    assert read_wikidata.__wrapped__(table) == {"E06000021": Q + "Q17022507", "E06000035": Q + "Q1000005"}
    assert "Wikidata query service 2026-11-30: Q1000004 has GSS code (P836) E06000035, legislative body (P194) Q1000005" in text


def test_the_same_answer_gives_the_same_file(endpoint, table):
    refresh(CODES, endpoint.url, path=table, today=DAY)
    first = table.read_bytes()
    endpoint.requests.clear()
    endpoint.body = results(list(reversed(ANSWER)))  # the service's order does not matter
    refresh(CODES, endpoint.url, path=table, today=DAY)
    assert table.read_bytes() == first


def test_a_row_from_another_cited_source_stays_unless_the_service_knows_the_code(endpoint, table):
    table.write_text("gss_code,wikidata,name,source\n"
                     "E08000028,Q42,Sandwell Council,a cited page\n"
                     "E06000021,Q43,Stoke,an older cited page\n", encoding="utf-8")
    rows, notes = refresh(CODES, endpoint.url, path=table, today=DAY)
    by_code = {r.gss_code: r for r in rows}
    assert (by_code["E08000028"].wikidata, by_code["E08000028"].source) == ("Q42", "a cited page")
    assert by_code["E06000021"].wikidata == "Q17022507"  # the service's answer replaces the older row
    assert "E08000028" not in notes


@pytest.mark.parametrize("status, body, message", [
    (500, b"Query timeout\n", "answered HTTP 500: Query timeout"),
    (200, b"<html>not json</html>", "the answer is not SPARQL JSON results"),
    (200, results([{"gss": "E06000021", "area": "http://example.org/Q1"}]), "where a Wikidata item was expected"),
    (200, results([{"gss": "E99999999", "area": Q + "Q1"}]), "a GSS code it was not asked for"),
])
def test_a_bad_answer_writes_nothing(endpoint, table, status, body, message):
    table.write_text("gss_code,wikidata,name,source\n", encoding="utf-8")
    endpoint.status, endpoint.body = status, body
    with pytest.raises(RefreshError, match=message) as error:
        refresh(CODES, endpoint.url, path=table, today=DAY)
    assert error.value.exit_code == 2
    assert table.read_text(encoding="utf-8") == "gss_code,wikidata,name,source\n"


def test_a_slow_service_times_out(endpoint, table):
    endpoint.delay = 5.0
    with pytest.raises(RefreshError, match="cannot be reached or timed out after 0.5 s"):
        refresh(CODES, endpoint.url, timeout=0.5, path=table, today=DAY)
    assert not table.exists()


def test_the_command(endpoint, table, monkeypatch, capsys):
    monkeypatch.setattr(wikidata_refresh, "table_path", lambda: table)
    endpoint.body = results(ANSWER[:3])  # Stoke-on-Trent and Medway, both in la_lookup.csv
    assert main(["links", "--refresh", "--endpoint", endpoint.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote {table}: 2 of ") and "councils linked" in out
    assert set(read_wikidata.__wrapped__(table)) == {"E06000021", "E06000035"}
    assert "E06000021" in endpoint.query() and endpoint.query().count('"E0') > 100


@pytest.mark.parametrize("argv, code, message", [
    (["--endpoint", "ftp://example.org/sparql"], 2, "--endpoint: 'ftp://example.org/sparql' is not an http:// or https:// URL"),
    (["--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "5"], 2, "http://127.0.0.1:9/sparql: cannot be reached"),
])
def test_the_command_fails_in_one_line(table, monkeypatch, capsys, argv, code, message):
    monkeypatch.setattr(wikidata_refresh, "table_path", lambda: table)
    assert main(["links", "--refresh", *argv]) == code
    err = capsys.readouterr().err
    assert err.startswith(f"ofsted-kg: error: {message}") and err.count("\n") == 1
    assert not table.exists()


def test_a_table_that_cannot_be_written_exits_4(endpoint, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(wikidata_refresh, "table_path", lambda: blocker / "wikidata.csv")  # its folder is a file
    endpoint.body = results(ANSWER[:3])
    assert main(["links", "--refresh", "--endpoint", endpoint.url]) == 4
    assert "cannot be written" in capsys.readouterr().err
