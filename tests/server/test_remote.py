"""The external-engine path's own behaviour: `publish` by the Graph Store Protocol and its exit
codes, `serve --store` on a store that is not there, and what the server answers when the
store is slow (503), down (502), broken (502) or rejects a query (400).

The contract itself (saved queries, pass-through, refusals, dumps, pages) runs on both
backends through the parametrized `app` and `server` fixtures (conftest.py)."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from ofsted_kg.server.app import create_app, start
from ofsted_kg.server.query import execution
from ofsted_kg.server.query.execution import Job
from ofsted_kg.server.store import remote
from ofsted_kg.server.web.errors import BadQuery, TimedOut, UpstreamError

from .conftest import publish, start_oxigraph, stop_server

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"

GRAPH = "http://example.org/graph/seed"
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture()
def empty_store(tmp_path):
    # The store's own limit is generous: the whole-dataset dump of the seed graph (56,469 quads,
    # about 14 MB of results JSON) outlasted 3 s on a busy machine, and oxigraph then ends its
    # answer mid-stream. The runaway test is stopped by our 1 s limit, and ends this store.
    running = start_oxigraph(tmp_path / "oxigraph", "--timeout-s", "30")
    yield running
    stop_server(running)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def count(store, where: str = "?s ?p ?o") -> int:
    return remote.RemoteStore(store.query)._count(f"SELECT (COUNT(*) AS ?n) {{ {where} }}")


def test_publish_into_a_named_graph_and_count(empty_store, seed_ttl, graph, tmp_path):
    done = publish("--to", empty_store.store, "--graph", str(seed_ttl), "--named-graph", GRAPH)
    assert done.returncode == 0, done.stderr
    assert f"the named graph <{GRAPH}> holds {len(graph):,} triples" in done.stdout
    assert count(empty_store, f"GRAPH <{GRAPH}> {{ ?s ?p ?o }}") == len(graph)
    assert count(empty_store) == 0  # the default graph is untouched
    # and the whole-dataset dump keeps each triple in its graph
    dumped = tmp_path / "dump.nq"
    remote.RemoteStore(empty_store.query).dump(str(dumped), ox.RdfFormat.N_QUADS)
    quads = list(ox.parse(path=str(dumped), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(graph) and {q.graph_name for q in quads} == {ox.NamedNode(GRAPH)}


def test_publish_puts_then_posts_and_a_new_publish_replaces(empty_store):
    concepts, reference = ONTOLOGY / "concepts.ttl", ONTOLOGY / "reference.ttl"
    alone = {f: count_file(f) for f in (concepts, reference)}
    both = publish("--to", empty_store.store, "--graph", str(concepts), "--graph", str(reference))
    assert both.returncode == 0, both.stderr
    assert count(empty_store) == alone[concepts] + alone[reference]  # the files share no triple
    again = publish("--to", empty_store.store, "--graph", str(reference), "--store", empty_store.query)
    assert again.returncode == 0 and count(empty_store) == alone[reference]


def count_file(path) -> int:
    return sum(1 for _ in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("arguments,words", [
    (["--graph", "no/such.ttl"], "no/such.ttl: no such file"),
    (["--graph", "data.nq"], "data.nq: publish sends graphs as Turtle (.ttl) or N-Triples (.nt)"),
    (["--named-graph", "not an iri"], "--named-graph: 'not an iri' is not an absolute IRI"),
    (["--graph", "{bad}"], "refused bad.ttl with 400"),
])
def test_publish_bad_input_is_exit_2_in_one_line(empty_store, tmp_path, seed_ttl, arguments, words):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle .\n")
    arguments = [str(bad) if a == "{bad}" else a for a in arguments]
    if "--graph" not in arguments:
        arguments += ["--graph", str(seed_ttl)]
    done = publish("--to", empty_store.store, *arguments)
    assert done.returncode == 2
    assert done.stderr.startswith("ofsted-kg: error: ") and words in done.stderr and "Traceback" not in done.stderr


def test_publish_to_nowhere_is_exit_2(seed_ttl):
    url = f"http://127.0.0.1:{closed_port()}/store"
    done = publish("--to", url, "--graph", str(seed_ttl))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"ofsted-kg: error: {url}?default: cannot reach the store "
                                        "(Failed to establish a new connection: [Errno 111] Connection refused)"]
    not_http = publish("--to", "ftp://127.0.0.1/store", "--graph", str(seed_ttl))
    assert not_http.returncode == 2 and "is not an http:// or https:// URL" in not_http.stderr


def test_serve_from_a_store_that_is_not_there_is_exit_2():
    url = f"http://127.0.0.1:{closed_port()}/query"
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "serve", "--port", "0", "--store", url],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().endswith(f"ofsted-kg: error: the store at {url} cannot be reached "
                                        "(Failed to establish a new connection: [Errno 111] Connection refused)")


def test_a_runaway_query_is_503_at_the_limit_and_the_store_goes_down_502(empty_store, seed_ttl, tmp_path):
    assert publish("--to", empty_store.store, "--graph", str(seed_ttl)).returncode == 0
    app = start(create_app({"STORE": empty_store.query, "QUERY_TIMEOUT": 1, "DUMP_DIR": str(tmp_path / "dumps")}))
    client = app.test_client()
    started = time.monotonic()
    response = client.get("/sparql?query=" + quote(RUNAWAY))
    assert response.status_code == 503 and response.get_json()["error"] == "timeout"
    assert 0.9 < time.monotonic() - started < 2.5
    assert client.get("/queries/inspections.json?la=Stoke-on-Trent").status_code == 200  # still served

    stop_server(empty_store)
    down = client.get("/queries/inspections.json")
    body = down.get_json()
    assert down.status_code == 502 and body["error"] == "store-error"
    assert body["detail"].startswith(f"the store at {empty_store.query} cannot be reached")


def test_keep_alive_reuses_one_connection(seed_store):
    store = remote.RemoteStore(seed_store.query)
    for _ in range(5):
        assert store.triples() > 10_000
    assert store._http.connection_from_url(seed_store.query).num_connections == 1


class FakeStore(http.server.BaseHTTPRequestHandler):
    """A misbehaving SPARQL endpoint: each test sets `answer` to (status, media type, body, delay)."""

    answer = (200, "application/sparql-results+json", b"", 0.0)

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        status, media_type, body, delay = self.answer
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body) + (100 if body.startswith(b"{cut") else 0)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_store():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeStore)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


GOOD = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}}).encode()


@pytest.mark.parametrize("answer,error,words", [
    ((200, "application/sparql-results+json", GOOD, 0.0), None, ""),
    ((400, "text/plain", b"error at 1:8: expected a variable\nmore", 0.0), BadQuery,
     "the query is not valid SPARQL: line 1, column 8, at '?x { BIND(1 AS ?x) }': expected a variable"),
    ((500, "text/plain", b"the disk is full", 0.0), UpstreamError, "answered 500: the disk is full"),
    ((200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 7', 0.0),
     UpstreamError, "sent an answer that does not parse"),
    ((200, "application/sparql-results+json", b'{cut', 0.0), UpstreamError, "broke off its answer"),
    ((200, "text/html", b"<html>a login page</html>", 0.0), UpstreamError, "answered text/html, not SPARQL results or RDF"),
    ((200, "application/sparql-results+json", GOOD, 1.5), TimedOut, "ran past the 0.5 s limit"),
])
def test_what_a_misbehaving_store_gets_the_client(fake_store, answer, error, words):
    FakeStore.answer = answer
    job = Job("SELECT ?x { BIND(1 AS ?x) }", "SELECT", "json")
    store = remote.RemoteStore(fake_store, timeout=0.5)
    if error is None:
        assert json.loads(execution.run(store, job).body)["results"]["bindings"][0]["x"]["value"] == "1"
        return
    with pytest.raises(error) as raised:
        execution.run(store, job)
    assert words in raised.value.detail


class ClosesIdleConnections(http.server.BaseHTTPRequestHandler):
    """Keeps a connection alive after its first answer, then drops it unanswered on the next
    request: what a store does when it closes an idle connection just as the client reuses it."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.served = getattr(self, "served", 0) + 1
        if self.served > 1:
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(GOOD)))
        self.end_headers()
        self.wfile.write(GOOD)

    def log_message(self, *args):
        pass


def test_a_connection_dropped_on_reuse_is_retried_once_on_a_new_one():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ClosesIdleConnections)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        store = remote.RemoteStore(url, timeout=5)
        job = Job("SELECT ?x { BIND(1 AS ?x) }", "SELECT", "json")
        for _ in range(3):
            assert execution.run(store, job).rows == 1
        assert store._http.connection_from_url(url).num_connections == 3
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_dump_read_slowly_is_not_cut_by_the_stores_time_limit(tmp_path, seed_ttl, graph, monkeypatch):
    # The dumps are written at the lowest CPU priority: on a busy machine the writer reads the
    # store's answer slowly, and a store whose time limit covers the whole answer (oxigraph's
    # does) cut it mid-way, so the dumps failed until a restart. The answer is read whole first.
    running = start_oxigraph(tmp_path / "oxigraph", "--timeout-s", "2")
    try:
        assert publish("--to", running.store, "--graph", str(seed_ttl)).returncode == 0
        serialize = ox.serialize

        def slowly(items, *args, **kwargs):
            time.sleep(4)  # a writer that gets no CPU for a while, past the store's limit
            return serialize(items, *args, **kwargs)

        monkeypatch.setattr(remote.ox, "serialize", slowly)
        dumped = tmp_path / "dump.nt"
        remote.RemoteStore(running.query).dump(str(dumped), ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        assert sum(1 for _ in ox.parse(path=str(dumped), format=ox.RdfFormat.N_TRIPLES)) == len(graph)
    finally:
        stop_server(running)
