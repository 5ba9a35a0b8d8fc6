"""A running server takes up a replaced data file as a new version (server/store/reload.py): the
new triples are answered, a request begun on the old version finishes on it, a file that
cannot be read leaves the old version serving, and an unchanged file is not reopened."""

from __future__ import annotations

import os
import shutil

import pytest

from ofsted_kg.server.app import create_app, start

ASK = "ASK { <urn:ofsted-kg:test> <urn:ofsted-kg:test> \"version two\" }"


def asks(client) -> bool:
    response = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["boolean"]


def replace(path, text: str) -> None:
    """As the build does: a complete file renamed over the old one."""
    staged = path.with_name(path.name + ".new")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


@pytest.fixture
def served(seed_ttl, tmp_path):
    data = tmp_path / "ofsted-kg.ttl"
    shutil.copy(seed_ttl, data)
    app = start(create_app({"DATA": [str(data)], "TESTING": True, "WORKERS": 1, "SAVED_WORKERS": 1, "QUERY_TIMEOUT": 10,
                            "STORE_DIR": str(tmp_path / "store")}))
    yield app, data
    app.extensions["ofsted_kg"].close()


def test_a_replaced_file_is_served_as_a_new_version(served):
    app, data = served
    client, reloader = app.test_client(), app.extensions["ofsted_kg_reloader"]
    assert not asks(client)
    assert reloader.reload() is False, "nothing changed: nothing reopened"
    first = app.extensions["ofsted_kg"]

    replace(data, data.read_text(encoding="utf-8") + '\n<urn:ofsted-kg:test> <urn:ofsted-kg:test> "version two" .\n')
    assert reloader.reload() is True
    assert asks(client) and app.extensions["ofsted_kg"] is not first and reloader.version == 2


def test_a_request_under_way_keeps_its_version_until_it_ends(served):
    app, data = served
    reloader = app.extensions["ofsted_kg_reloader"]
    old = app.extensions["ofsted_kg"]
    with app.test_request_context("/"):
        app.preprocess_request()  # the request counts itself in on the old version
        replace(data, data.read_text(encoding="utf-8") + '\n<urn:ofsted-kg:test> <urn:ofsted-kg:test> "version two" .\n')
        assert reloader.reload() is True
        job_answer = old.saved("inspections", {"la": "Stoke-on-Trent"}, requested="json")[0]
        assert job_answer.rows > 0, "the old version's workers still answer the request begun on it"
        assert reloader.in_flight[id(old)] == 1
    assert reloader.in_flight.get(id(old), 0) == 0


def test_a_file_that_cannot_be_read_leaves_the_old_version_serving(served, caplog):
    app, data = served
    client, reloader = app.test_client(), app.extensions["ofsted_kg_reloader"]
    old = app.extensions["ofsted_kg"]
    replace(data, "this is not Turtle <<<\n")
    assert reloader.reload() is False
    assert app.extensions["ofsted_kg"] is old and not asks(client)
    assert any("still serving the previous version" in r.getMessage() for r in caplog.records)
