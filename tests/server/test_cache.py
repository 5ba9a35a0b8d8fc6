"""The saved-query cache: hits, ETags and 304s, separate entries, the byte bound, versions, CACHE_BYTES=0."""

from __future__ import annotations

import pytest

from ofsted_kg.server.app import create_app, start
from ofsted_kg.server.query.cache import Cache
from ofsted_kg.server.query.execution import Answer
from ofsted_kg.server.store.disk_store import _data_stamp, key_of


class Counting:
    """Wraps the service's runner and counts the jobs that reach it (misses of the cache)."""

    def __init__(self, runner):
        self.runner, self.jobs = runner, []

    def run(self, job, timeout=None):
        self.jobs.append(job)
        return self.runner.run(job, timeout)

    def close(self):
        self.runner.close()


@pytest.fixture()
def counted(app):
    service = app.extensions["ofsted_kg"]
    if service.cache is None:
        assert "STORE" in app.config and app.config["STORE"], "only an external store goes uncached"
        pytest.skip("an external store is never cached: it can change behind the server")
    service.cache.new_version(service.cache.version)  # empty, same data
    original, service.runner = service.runner, Counting(service.runner)
    yield service.runner
    service.runner = original


def test_second_request_is_a_hit_with_the_same_body_and_etag(client, counted):
    first = client.get("/queries/inspections.json?la=Stoke-on-Trent")
    second = client.get("/queries/inspections.json?la=stoke-on-trent")  # the same IRI: one entry
    assert first.status_code == second.status_code == 200
    assert len(counted.jobs) == 1
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and "max-age=" in first.headers["Cache-Control"]


def test_if_none_match_is_304_without_a_body(client, counted):
    etag = client.get("/queries/inspections.csv").headers["ETag"]
    again = client.get("/queries/inspections.csv", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get("/queries/inspections.csv", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.data


def test_html_pages_get_an_etag_and_304_too(client, counted):
    page = client.get("/queries/inspections.html")
    assert page.status_code == 200 and page.headers["ETag"]
    assert client.get("/queries/inspections.html", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_different_values_and_formats_are_different_entries(client, counted):
    responses = [client.get(path) for path in ("/queries/findings.json", "/queries/findings.csv",
                                               "/queries/findings.json?theme=Supervision")]
    assert [r.status_code for r in responses] == [200, 200, 200]
    # three entries; a page of findings may take two runs to make (its cover's guess, paging.py)
    assert len(client.application.extensions["ofsted_kg"].cache) == 3
    ran = len(counted.jobs)
    for path in ("/queries/findings.json", "/queries/findings.csv", "/queries/findings.json?theme=Supervision"):
        client.get(path)
    assert len(counted.jobs) == ran  # each answered from its own entry
    assert len({r.headers["ETag"] for r in responses}) == 3
    assert responses[0].data != responses[2].data


def test_errors_are_not_cached(client, counted):
    for _ in range(2):
        assert client.get("/queries/inspections.json?la=Nowhere-at-all").status_code == 400
    assert client.get("/queries/evidence.json").status_code == 400  # a required parameter missing
    service_cache = client.application.extensions["ofsted_kg"].cache
    assert len(service_cache) == 0


def test_a_new_version_invalidates(client, counted):
    cache = client.application.extensions["ofsted_kg"].cache
    before = client.get("/queries/inspections.json")
    cache.new_version("another graph")
    after = client.get("/queries/inspections.json")
    assert len(counted.jobs) == 2
    assert before.data == after.data and before.headers["ETag"] != after.headers["ETag"]
    assert client.get("/queries/inspections.json", headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_cache_bytes_zero_runs_every_time_but_still_answers_304(seed_ttl, tmp_path):
    app = start(create_app({"DATA": [str(seed_ttl)], "TESTING": True, "WORKERS": 1, "CACHE_BYTES": 0,
                            "DUMP_DIR": str(tmp_path)}))
    try:
        service = app.extensions["ofsted_kg"]
        service.runner = Counting(service.runner)
        client = app.test_client()
        first = client.get("/queries/inspections.json")
        second = client.get("/queries/inspections.json", headers={"If-None-Match": first.headers["ETag"]})
        assert len(service.runner.jobs) == 2 and len(service.cache) == 0
        assert second.status_code == 304
    finally:
        app.extensions["ofsted_kg"].close()


def answer(size: int) -> Answer:
    return Answer(b"x" * size, 1, False)


def test_bounded_by_bytes_least_recently_used_first():
    cache = Cache("v1", max_bytes=350)  # room for two entries of 100 bytes with their keys and ETags, not three
    for key in "abc":
        cache.fetch((key,), lambda: answer(100))  # a, b, then c pushes the total past 350: a goes
    assert len(cache) == 2 and 200 < cache.bytes <= 350
    cache.fetch(("b",), lambda: pytest.fail("b should be a hit"))
    cache.fetch(("d",), lambda: answer(100))  # c is now the least recently used
    runs = []
    cache.fetch(("c",), lambda: runs.append(1) or answer(100))
    assert runs == [1] and cache.bytes <= 350
    assert cache.fetch(("huge",), lambda: answer(1000)).answer.body  # answered, just not kept
    assert all(key[1] != "huge" for key in cache._entries)


def test_keys_count_towards_the_bound():
    # Distinct parameter values with tiny answers: the bound query text in each key is what grows.
    cache = Cache("v1", max_bytes=10_000)
    for n in range(100):
        cache.fetch((f"SELECT ... VALUES ?_la {{ '{n}' }} " + "x" * 1000,), lambda: answer(0))
    assert cache.bytes <= 10_000 and len(cache) < 10


def test_a_failing_run_stores_nothing():
    cache = Cache("v1", max_bytes=1000)

    def fail():
        raise RuntimeError("bad")

    with pytest.raises(RuntimeError):
        cache.fetch(("a",), fail)
    assert len(cache) == 0 and cache.misses == 1


def test_data_version_follows_content(tmp_path):
    """The cache's version is the persisted store's key: a hash of the data files' contents."""
    def data_version(files):
        return key_of(_data_stamp(files))

    one, two = tmp_path / "a.ttl", tmp_path / "b.ttl"
    one.write_text("<a:x> <a:y> <a:z> .\n")
    two.write_text("<a:x> <a:y> <a:z> .\n")
    assert data_version([one]) != data_version([one, two])
    before = data_version([one])
    one.write_text("<a:x> <a:y> <a:w> .\n")
    assert data_version([one]) != before


def test_an_external_store_is_never_cached(app, client):
    if not app.config.get("STORE"):
        pytest.skip("the embedded store is cached (the tests above)")
    service = app.extensions["ofsted_kg"]
    assert service.cache is None
    original, service.runner = service.runner, Counting(service.runner)
    try:
        first = client.get("/queries/inspections.json?la=Stoke-on-Trent")
        again = client.get("/queries/inspections.json?la=Stoke-on-Trent", headers={"If-None-Match": first.headers["ETag"]})
        assert len(service.runner.jobs) == 2  # asked the store both times
        assert again.status_code == 304  # and the answer was the same, so the validator still holds
    finally:
        service.runner = original
