"""Fuzz: schemathesis from /openapi.json, and hypothesis-generated SPARQL, parameter values and
headers against /sparql and /queries/NAME of a real server on loopback. Zero 500s.

Any 5xx other than the documented 503 (with its JSON body: timeout, busy or worker-ended) fails; so does
a response that breaks the OpenAPI document (status, content type, error schema).
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the reliability extra: pip install -e '.[reliability]'")
schemathesis = pytest.importorskip("schemathesis", reason="the reliability extra: pip install -e '.[reliability]'")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from werkzeug.datastructures import MIMEAccept  # noqa: E402
from werkzeug.http import parse_accept_header  # noqa: E402

from .conftest import serve, stop  # noqa: E402

pytestmark = pytest.mark.reliability
QUERIES = Path(__file__).resolve().parents[2] / "queries"
SENT: Counter = Counter()
STATUSES: Counter = Counter()
FUZZ = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck), print_blob=True)


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    running = serve(tmp, "--graph", str(built[1]), "--timeout", "1", "--workers", "2",
                    "--store-dir", str(tmp / "store"), env={"OFSTED_KG_DUMP_DIR": str(tmp / "dumps")})
    yield running
    stop(running)
    print(f"\nfuzz cases sent: {dict(SENT)}, total {sum(SENT.values())}; statuses {dict(sorted(STATUSES.items()))}")


class Client:
    """Raw requests (any bytes in the target, any header) on one kept-alive connection."""

    def __init__(self, url: str):
        address = urllib.parse.urlsplit(url)
        self.host, self.port = address.hostname, address.port
        self.connection = None

    def send(self, method: str, target: str, headers: dict | None = None, body: bytes | None = None):
        for attempt in range(2):  # once more on a fresh connection if the kept-alive one was closed
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.putrequest(method, target, skip_accept_encoding=True)
                for name, value in (headers or {}).items():
                    self.connection.putheader(name, value)
                if body is not None:
                    self.connection.putheader("Content-Length", str(len(body)))
                self.connection.endheaders(body)
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, response.getheader("Content-Type", ""), data
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise


def prefers_a_page(method: str, accept: str | None) -> bool:
    """README, "Errors": a GET whose Accept ranks HTML above JSON gets the error as a page."""
    if method != "GET" or accept is None:
        return False
    ranks = parse_accept_header(accept, MIMEAccept)
    return ranks["text/html"] > 0 and ranks["text/html"] > ranks["application/json"]


def assert_not_a_server_error(status: int, content_type: str, body: bytes, what: str, page_ok: bool = False) -> None:
    STATUSES[status] += 1
    if status >= 400 and page_ok and content_type.startswith("text/html"):
        # the same error for a person: its status in the page's title, no traceback
        assert f"{status}".encode() in body and b"Traceback" not in body, (status, what)
        assert status < 500 or status == 503, f"{status} for {what}"
        return
    if status >= 500:
        assert status == 503, f"{status} for {what}: {body[:300]!r}"
        assert json.loads(body)["error"] in ("timeout", "busy", "worker-ended"), body
    if status >= 400:
        assert content_type.startswith("application/json"), (status, content_type, what)
        assert json.loads(body)["status"] == status


# --- schemathesis ------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_openapi_operations(server, mode):
    import requests
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error, positive_data_acceptance

    status, _, body = server.get("/openapi.json")
    assert status == 200
    schema = schemathesis.openapi.from_dict(json.loads(body))
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        if mode == "negative" and not list(operation.iter_parameters()):
            continue  # nothing to get wrong: no negative case exists
        @given(case=operation.as_strategy(generation))
        @settings(FUZZ, max_examples=60)
        def check(case):
            SENT["schemathesis " + mode] += 1
            if mode == "positive":  # valid input: the answer must match the document too
                # Not positive_data_acceptance: a parameter that names something (`la`, `theme`) is
                # a string in the document but only names in the graph are accepted (400 otherwise).
                response = case.call_and_validate(base_url=server.url, session=session, timeout=30,
                                                  excluded_checks=[positive_data_acceptance])
            else:  # invalid input: 4xx is right, a 5xx is a bug
                response = case.call(base_url=server.url, session=session, timeout=30)
                case.validate_response(response, checks=[not_a_server_error])
            content_type = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
            content_type = content_type[0] if isinstance(content_type, list) else content_type
            assert_not_a_server_error(response.status_code, content_type, response.content,
                                      f"{case.method} {case.formatted_path} {case.query}")

        check()


# --- SPARQL strings ------------------------------------------------------------------------------

IRI = st.sampled_from(["<https://w3id.org/ofsted-kg/def#grade>", "okg:Inspection", "rdf:type", "<urn:x>",
                       "<http://example.org/é>", "<>", "<relative>", "okg:", ":x", "a"])
VAR = st.sampled_from(["?s", "?p", "?o", "?x", "$y", "?_la", "?ü"])
LITERAL = st.one_of(st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=True).map(repr),
                    st.text(max_size=20).map(lambda t: json.dumps(t, ensure_ascii=False)),
                    st.sampled_from(['"x"@en', '"2019"^^xsd:gYear', '"1"^^<urn:bad>', "true", '"""a\nb"""']))
TERM = st.one_of(IRI, VAR, LITERAL)
PATH = st.one_of(IRI, IRI.map(lambda p: f"({p}|^{p})*"), IRI.map(lambda p: f"{p}+/{p}?"),
                 IRI.map(lambda p: f"!({p}|^{p})"))
TRIPLE = st.tuples(TERM, st.one_of(PATH, VAR), TERM).map(" ".join)
EXPRESSION = st.one_of(
    st.tuples(st.sampled_from(["REGEX(STR(?o), %s)", "LANG(?o) = %s", "?o > %s", "CONTAINS(STR(?s), %s)",
                               "isLiteral(%s)", "STRLEN(%s) < 3", "COALESCE(%s, 1)", "xsd:integer(%s)"]),
              TERM).map(lambda p: p[0] % p[1]),
    st.text(max_size=15))
PATTERN = st.recursive(
    st.one_of(TRIPLE, EXPRESSION.map(lambda e: f"FILTER({e})"), st.tuples(TERM, VAR).map(lambda p: f"BIND({p[0]} AS {p[1]})"),
              st.tuples(VAR, TERM).map(lambda p: f"VALUES {p[0]} {{ {p[1]} UNDEF }}")),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda ps: " . ".join(ps)),
        inner.map(lambda p: f"OPTIONAL {{ {p} }}"),
        st.tuples(inner, inner).map(lambda p: f"{{ {p[0]} }} UNION {{ {p[1]} }}"),
        st.tuples(inner, inner).map(lambda p: f"{{ {p[0]} }} MINUS {{ {p[1]} }}"),
        st.tuples(IRI, inner).map(lambda p: f"GRAPH {p[0]} {{ {p[1]} }}"),
        inner.map(lambda p: f"{{ SELECT * WHERE {{ {p} }} LIMIT 3 }}"),
    ),
    max_leaves=6,
)
PROLOGUE = st.sampled_from(["", "PREFIX okg: <https://w3id.org/ofsted-kg/def#>\n",
                            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n",
                            "BASE <http://example.org/>\n", "PREFIX : <urn:>\n"])
HEAD = st.sampled_from(["SELECT *", "SELECT DISTINCT ?s", "SELECT (COUNT(*) AS ?n)", "SELECT ?s (SAMPLE(?o) AS ?x)",
                        "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s", "SELECT REDUCED ?o", "CONSTRUCT"])
TAIL = st.sampled_from(["", "LIMIT 5", "ORDER BY ?s LIMIT 10", "GROUP BY ?s", "OFFSET 99999999999999999999",
                        "LIMIT -1", "HAVING (COUNT(*) > 1)", "ORDER BY DESC(?o) OFFSET 2 LIMIT 1"])
GRAMMAR = st.tuples(PROLOGUE, HEAD, PATTERN, TAIL).map(lambda p: f"{p[0]}{p[1]} WHERE {{ {p[2]} }} {p[3]}")


def _saved_texts() -> list[str]:
    return [path.read_text() for path in sorted(QUERIES.glob("*.rq"))]


@st.composite
def mutated(draw) -> str:
    """A saved query with a few edits: cut, doubled or inserted text, swapped characters."""
    text = draw(st.sampled_from(_saved_texts()))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        edit = draw(st.sampled_from(["cut", "double", "insert", "swap"]))
        if edit == "cut":
            text = text[:i] + text[j:]
        elif edit == "double":
            text = text[:j] + text[i:j] + text[j:]
        elif edit == "insert":
            text = text[:i] + draw(st.one_of(st.text(max_size=8), st.sampled_from(
                ["{", "}", "(", "\\u0053ERVICE <http://127.0.0.1:1/>", "#", '"', "'", "\\", "\x00", "UNION", "*"]))) + text[i:]
        elif j > i + 1:
            text = text[:i] + text[j - 1] + text[i + 1:j - 1] + text[i] + text[j:]
    return text


ACCEPT = st.one_of(st.sampled_from([
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html",
    "*/*", "text/*;q=0.5, application/json;q=0.1", "application/x-nonsense", "", ";;;", "text/csv;q=abc",
    "*/*;q=0", "application/sparql-results+json;charset=latin-1", "audio/*"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=40))
CONTENT_TYPE = st.sampled_from([
    "application/sparql-query", "application/sparql-query; charset=utf-8", "application/sparql-query; charset=latin1",
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-16",
    "application/sparql-update", "text/plain", "multipart/form-data; boundary=x", "", "application/json", "a/b/c"])
FORMAT = st.one_of(st.none(), st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "html", "rdfxml",
                                               "", "JSON", "../etc", "exe"]))
ENCODING = st.sampled_from(["utf-8", "latin-1", "utf-16", "raw"])


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "raw":  # bytes that are not text in any encoding
        return text.encode("utf-8", "surrogatepass")[:-1] + b"\xff\xfe\xc0"
    return text.encode(encoding, "replace")


@given(query=st.one_of(GRAMMAR, mutated(), st.text(max_size=200)), how=st.sampled_from(["get", "form", "direct"]),
       accept=ACCEPT, content_type=CONTENT_TYPE, fmt=FORMAT, encoding=ENCODING,
       graphs=st.lists(st.sampled_from(["urn:g", "not an iri", "http://kasei.us/x", "", "file:///etc/passwd"]),
                       max_size=2))
@settings(FUZZ, max_examples=2000)
def test_sparql_strings_and_headers(server, query, how, accept, content_type, fmt, encoding, graphs):
    client = _client(server)
    params = [("default-graph-uri", g) for g in graphs] + ([("format", fmt)] if fmt is not None else [])
    headers = {"Accept": accept}
    if how == "get":
        target = "/sparql?" + urllib.parse.urlencode([("query", query), *params], encoding="utf-8", errors="replace")
        if encoding == "raw":
            target += "&query2=%ff%fe%c0"
        status, ctype, body = client.send("GET", target, headers)
    else:
        data = _encode(query, encoding) if how == "direct" else \
            urllib.parse.urlencode([("query", query)]).encode("ascii") + (b"%ff%c0" if encoding == "raw" else b"")
        headers["Content-Type"] = content_type if how == "direct" or content_type.startswith("application/x-www") \
            else "application/x-www-form-urlencoded"
        status, ctype, body = client.send("POST", "/sparql?" + urllib.parse.urlencode(params), headers, data)
    SENT[f"sparql {how}"] += 1
    assert_not_a_server_error(status, ctype, body, f"{how} {query[:200]!r} Accept={accept!r}",
                              page_ok=prefers_a_page("GET" if how == "get" else "POST", accept))


# --- saved queries: parameter values, suffixes, headers -------------------------------------------

NAMES = [path.stem for path in sorted(QUERIES.glob("*.rq"))] + ["nope", "..%2f..%2fetc", "inspections.rq"]
PARAM = st.sampled_from(["la", "inspection", "date", "role", "theme", "measure", "subject", "area", "format",
                         "x", "", "la[]", "_la"])
VALUE = st.one_of(st.text(max_size=60), st.sampled_from([
    "Stoke-on-Trent", "stoke-on-trent", "https://w3id.org/ofsted-kg/id/council/stoke-on-trent", "2019-02-30",
    "2019-02-04", "0000-00-00", "99999", "-1", "1e9", "lead inspector", "} SELECT * { ?s ?p ?o", '"> . <x', "\x00",
    "%ff", "stoke-on-trent/ilacs/2019-02-04", "x" * 5000]))


@given(name=st.sampled_from(NAMES), suffix=st.sampled_from(["", ".json", ".csv", ".tsv", ".xml", ".html", ".ttl",
                                                            ".nt", ".jsonld", ".exe", "."]),
       params=st.lists(st.tuples(PARAM, VALUE), max_size=4), accept=ACCEPT,
       method=st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "DELETE"]), raw=st.booleans())
@settings(FUZZ, max_examples=1500)
def test_saved_query_values_and_headers(server, name, suffix, params, accept, method, raw):
    target = f"/queries/{name}{suffix}?" + urllib.parse.urlencode(params, encoding="utf-8", errors="replace")
    if raw:
        target += "&la=%ff%c0%80"  # not UTF-8 once decoded
    status, ctype, body = _client(server).send(method, target, {"Accept": accept})
    SENT["saved"] += 1
    if method != "HEAD":
        assert_not_a_server_error(status, ctype, body, f"{method} {target[:300]} Accept={accept!r}",
                                  page_ok=prefers_a_page(method, accept))
    else:
        assert status < 500 or status == 503, (status, target)


_CLIENTS: dict[str, Client] = {}


def _client(server) -> Client:
    return _CLIENTS.setdefault(server.url, Client(server.url))
