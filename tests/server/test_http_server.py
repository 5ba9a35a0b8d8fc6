"""The real `ofsted-kg serve` (waitress) with what only a raw socket sends: requests waitress
refuses before the app sees them answer in the JSON error shape, a body far over the limit gets
its 413 rather than a reset, and the query limit is the same through waitress by GET and POST."""

from __future__ import annotations

import json
import socket
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from rdflib import Graph
from SPARQLWrapper import N3, SPARQLWrapper

from .test_hostile_clients import CONSTRUCT, padded

pytestmark = pytest.mark.parametrize("server", ["embedded"], indirect=True)  # waitress is the same on both


def exchange(server, head: bytes, body: bytes = b"") -> tuple[int, dict, bytes]:
    """Send raw bytes, read the answer to the end of the connection: (status, headers, body)."""
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(head)
        for start in range(0, len(body), 1 << 16):
            sock.sendall(body[start:start + (1 << 16)])
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(1 << 16):
            received += chunk
    header, _, content = received.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, content


def assert_json_error(status: int, headers: dict, body: bytes, expected: int) -> dict:
    assert status == expected and headers["content-type"].startswith("application/json")
    error = json.loads(body)
    assert error["status"] == expected and error["error"] and error["detail"]
    assert headers["access-control-allow-origin"] == "*"
    return error


def test_headers_over_the_limit_are_a_json_431(server):
    head = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 400_000 + b"\r\n\r\n"
    assert_json_error(*exchange(server, head), 431)


def test_a_request_line_that_is_not_http_is_a_json_400(server):
    assert_json_error(*exchange(server, b"GET /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n"), 400)


def test_a_body_far_over_the_limit_is_answered_413_not_reset(server):
    body = b"x" * 5_000_000
    head = (f"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    error = assert_json_error(*exchange(server, head, body), 413)
    assert error["error"] == "too-large"


@pytest.mark.parametrize("size,status", [(100_000, 200), (100_001, 413)])
def test_the_limit_is_the_same_by_get_and_post_through_waitress(server, size, status):
    query = padded(size)
    requests = [urllib.request.Request(server.url + "/sparql?query=" + quote(query)),
                urllib.request.Request(server.url + "/sparql", data=("query=" + quote(query)).encode(),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"}),
                urllib.request.Request(server.url + "/sparql", data=query.encode(),
                                       headers={"Content-Type": "application/sparql-query"})]
    for request in requests:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                got, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            got, body = error.code, error.read()
        assert got == status, (request.get_method(), body[:300])
        if status == 413:
            assert json.loads(body)["error"] == "too-large"


def test_sparqlwrapper_asking_for_n3_gets_turtle(server):
    # SPARQLWrapper's N3 sends format=n3 (and output=, results=) and Accept: text/rdf+n3, text/n3, ...
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(CONSTRUCT)
    wrapper.setReturnFormat(N3)
    result = wrapper.query()
    assert result.response.headers["Content-Type"].startswith("text/turtle")
    assert len(Graph().parse(data=result.convert(), format="n3")) == 7
