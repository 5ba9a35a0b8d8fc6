"""While the dumps are written in the background (routes/dumps.Pending), only a download waits
for them: the landing page and VoID list what is written so far at once, and an unknown kind
is a 404 at once."""

from __future__ import annotations

import sys

import pytest

from ofsted_kg.server.routes import dumps


class NeverDone(dumps.Pending):
    """Dumps still being written, whose every wait is recorded (and returns at once)."""

    def __init__(self):
        super().__init__()
        self.waits: list[float] = []
        outer = self

        class Event:
            def wait(self, timeout=None):
                outer.waits.append(timeout)
                return False

            def is_set(self):
                return False

        self.done = Event()


@pytest.fixture()
def pending(app):
    service = app.extensions["ofsted_kg"]
    kept, service.dumps = service.dumps, NeverDone()
    yield service.dumps
    service.dumps = kept


@pytest.mark.parametrize(("path", "accept"), [("/", "application/json"), ("/", "text/html"),
                                              ("/.well-known/void", "text/turtle")])
def test_pages_that_list_the_dumps_never_wait_for_them(client, pending, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert pending.waits == []  # each view of the page took WAIT seconds while the dumps were written


def test_an_unknown_kind_is_404_naming_the_kinds_at_once(client, pending):
    response = client.get("/dump.bogus")
    assert response.status_code == 404 and "/dump.ttl" in response.get_data(as_text=True)
    assert pending.waits == []


def test_a_download_waits_then_says_it_is_being_written(client, pending):
    response = client.get("/dump.ttl")
    assert response.status_code == 503 and response.headers.get("Retry-After")
    assert pending.waits == [dumps.WAIT]


def test_dumps_that_failed_say_why_without_a_retry_after(client, pending):
    # the server does not try again: a Retry-After would have a client retry for ever
    pending.error = "/tmp/x: cannot write the dumps (the disk is full)"
    response = client.get("/dump.ttl")
    body = response.get_json()
    assert response.status_code == 503 and "Retry-After" not in response.headers
    assert body["error"] == "dumps-failed" and "the disk is full" in body["detail"]


def test_the_description_names_every_dump_while_they_are_written(client, pending):
    # without them it did not conform to description-shapes.ttl (void:dataDump, dcat:distribution)
    import pyshacl
    from rdflib import Graph, URIRef

    from ofsted_kg.graph.reference.vocabulary import ONTOLOGY_DIR

    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).get_data(), format="turtle")
    dumps_named = {str(o).rsplit("/", 1)[-1] for o in void.objects(None, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert dumps_named == {f"dump.{kind}" for kind in dumps.KINDS}
    conforms, _, text = pyshacl.validate(void, shacl_graph=Graph().parse(ONTOLOGY_DIR / "description-shapes.ttl"))
    assert conforms, text


@pytest.mark.skipif(not hasattr(__import__("os"), "setpriority"), reason="no per-thread priority on this platform")
def test_the_dumps_thread_runs_at_the_lowest_priority_and_the_rest_does_not():
    """The dumps' thread lowers its own priority only: the request threads keep theirs."""
    import os
    import threading

    seen = {}

    def in_thread():
        dumps.lower_priority()
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, 0)
    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert seen["thread"] == dumps.BACKGROUND_NICE
    assert os.getpriority(os.PRIO_PROCESS, 0) == before == os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.parametrize("platform", ["netbsd10", "darwin", "freebsd14"])
def test_elsewhere_than_linux_no_process_is_reniced(monkeypatch, platform):
    """A thread's id names a process only on Linux: on NetBSD the first threads of a process
    are 1, 2, ... (init is process 1), on macOS and FreeBSD a counter that may meet a live
    process's id. setpriority(PRIO_PROCESS, that id) would lower another process's priority."""
    import os
    import sys
    import threading

    calls = []
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(threading, "get_native_id", lambda: 1)
    monkeypatch.setattr(os, "setpriority", lambda *args: calls.append(args), raising=False)
    dumps.lower_priority()
    assert calls == []


def test_a_refused_priority_change_still_writes_the_dumps(monkeypatch, tmp_path):
    """setpriority refused (EPERM: a seccomp filter, a container's policy): written all the same."""
    import errno
    import os
    from types import SimpleNamespace

    import pyoxigraph as ox

    def refuse(*args):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "setpriority", refuse, raising=False)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("o")))
    pending = dumps.prepare_in_background(SimpleNamespace(files=[], graph=store), tmp_path)
    assert pending.done.wait(60) and pending.error is None
    assert set(pending) == set(dumps.KINDS) and b"example.org/s" in pending["nt"].path.read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_a_process_forked_while_the_dumps_thread_is_lowered_keeps_the_server_priority():
    """The query workers are forked meanwhile (from the fork server or a request's thread):
    a child takes the forking thread's nice value, never the dumps thread's."""
    import os
    import threading

    if os.getpriority(os.PRIO_PROCESS, 0) >= dumps.BACKGROUND_NICE:
        pytest.skip("this process runs at the lowest priority already: nothing to tell apart")
    lowered, release = threading.Event(), threading.Event()

    def dumps_thread():
        dumps.lower_priority()
        lowered.set()
        release.wait(30)

    thread = threading.Thread(target=dumps_thread)
    thread.start()
    try:
        assert lowered.wait(30)
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # the child: report its own priority and leave at once
            os.write(write, str(os.getpriority(os.PRIO_PROCESS, 0)).encode())
            os._exit(0)
        os.close(write)
        os.waitpid(child, 0)
        assert int(os.read(read, 16)) == os.getpriority(os.PRIO_PROCESS, 0)
        os.close(read)
    finally:
        release.set()
        thread.join()


def test_only_a_few_downloads_wait_for_the_dumps_at_once(app, monkeypatch):
    """Each download that waits holds one of the server's request threads (THREADS, 24) for up
    to WAIT seconds; while the England dumps are written (minutes), clients following VoID's
    four dataDump links, or retrying after Retry-After, would hold them all and stall every
    page and query. Past MAX_WAITING, a download answers 503 at once."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(dumps, "WAIT", 3.0)
    service = app.extensions["ofsted_kg"]
    kept, service.dumps = service.dumps, dumps.Pending()  # never done

    def download(_):
        began = time.monotonic()
        response = app.test_client().get("/dump.nt")
        return response.status_code, response.headers.get("Retry-After"), time.monotonic() - began

    try:
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(download, range(12)))
    finally:
        service.dumps = kept
    assert all(status == 503 and retry for status, retry, _ in answers)
    waited = [took for _, _, took in answers if took >= 2.5]
    assert len(waited) <= dumps.MAX_WAITING, answers
