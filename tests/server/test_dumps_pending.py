"""While the dumps are written in the background (routes/dumps.Pending), only a download waits
for them: the landing page and VoID list what is written so far at once, and an unknown kind
is a 404 at once."""

from __future__ import annotations

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
