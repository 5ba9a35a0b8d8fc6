"""WORKER_STORE: workers answer from the persisted store at once, then from their own copy in memory."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from ofsted_kg.server.query import guard
from ofsted_kg.server.query.execution import Job
from ofsted_kg.server.query import workers
from ofsted_kg.server.query.workers import QueryPool
from ofsted_kg.server.store import disk_store, memory_copy

QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50"


@pytest.fixture
def persisted(seed_ttl, tmp_path):
    store = disk_store.ensure([seed_ttl], tmp_path / "store")
    yield store
    store.close()


def test_auto_keeps_a_copy_only_while_it_fits_half_the_cap(persisted):
    size = memory_copy.estimate(persisted.path)
    assert size > 0
    just_fits = -(-2 * size // (1024 * 1024))  # MB: half of it holds the copy
    assert memory_copy.wanted("auto", persisted.path, just_fits, 4)
    assert not memory_copy.wanted("auto", persisted.path, max(1, just_fits // 4), 4)
    assert memory_copy.wanted("memory", persisted.path, just_fits, 4)
    assert not memory_copy.wanted("disk", persisted.path, 10**6, 4)


def test_memory_refuses_a_copy_that_would_abort_its_workers(persisted):
    # Under the cap the engine aborts the worker (SIGABRT), which no except catches: the next
    # query got a 503 it did not cause. So the start stops, naming what to change.
    with pytest.raises(memory_copy.BadWorkerStore, match=r"^WORKER_STORE=memory: a copy .* raise WORKER_MEMORY_MB"):
        memory_copy.wanted("memory", persisted.path, 1, 4)


def test_an_unknown_choice_is_one_line_naming_the_setting(persisted):
    with pytest.raises(memory_copy.BadWorkerStore, match=r"^WORKER_STORE: 'ram' is not one of auto, memory, disk$"):
        memory_copy.wanted("ram", persisted.path, None, 4)


def test_a_worker_answers_the_same_before_and_after_its_copy_loads(seed_ttl, persisted, capfd, monkeypatch):
    # Spawned, so the worker's stderr is this test's (captured); one forked from the fork server
    # writes to the stderr the fork server started with, earlier in the session.
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("spawn"))
    pool = QueryPool([seed_ttl], size=1, timeout=60, store_path=persisted.path, in_memory=True, isolate=False)
    try:
        job = Job(QUERY, guard.inspect(QUERY), "json")
        before = pool.run(job).body
        waited = time.monotonic()
        seen = ""
        while "answers from its copy in memory" not in seen and time.monotonic() - waited < 120:
            time.sleep(0.2)
            seen += capfd.readouterr().err
        assert "answers from its copy in memory" in seen
        assert pool.run(job).body == before
    finally:
        pool.close()
