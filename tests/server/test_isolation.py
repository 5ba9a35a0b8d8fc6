"""The guarantee itself: a query worker has no network (server/query/isolation.py), whatever the query.

Queries go to a worker pool directly, so the guard never sees them: the SERVICE spellings
issue 10 found, and others, must not reach a listener on 127.0.0.1. A pool with isolation
off reaches it with the same queries, which shows the tests can fail. Deep nesting parses
in a worker (its engine thread has a large stack); a worker that dies anyway is replaced and
the answer says how it died."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from ofsted_kg.server.query.execution import Job
from ofsted_kg.server.query.workers import QueryPool
from ofsted_kg.server.web.errors import BadQuery, WorkerEnded

from .loopback import Listener
from .test_safety import MISREAD

PLAIN = ["SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", "SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
         "PREFIX l: <{url}> SELECT * {{ VALUES ?v {{ 1 }} SERVICE l:z {{ ?s ?p ?o }} }}"]


def attempt(pool, query: str) -> str:
    """What the pool answered a query: an error's detail, or "answered"."""
    try:
        pool.run(Job(query, "SELECT", "json"))
    except BadQuery as error:
        return error.detail
    return "answered"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("isolation") / "data.nt"
    path.write_text("".join(f"<http://x/s{i}> <http://x/p> <http://x/o{i % 7}> .\n" for i in range(300)))
    return path


@pytest.fixture(scope="module")
def pool(data):
    running = QueryPool([data], size=1, timeout=60)
    yield running
    running.close()


@pytest.fixture()
def listener():
    with Listener() as running:
        yield running


@pytest.mark.parametrize("template", MISREAD + PLAIN)
def test_a_worker_reaches_nothing_whatever_the_query(pool, listener, template):
    outcome = attempt(pool, template.format(url=listener.url))
    assert "unreachable" in outcome.lower() or ("SILENT" in template and outcome == "answered"), outcome
    time.sleep(0.2)
    assert listener.got == []


def test_without_isolation_the_same_queries_do_reach_the_listener(data, listener):
    """The control: what the namespace prevents is real."""
    pool = QueryPool([data], size=1, timeout=60, isolate=False)
    try:
        for template in MISREAD:
            attempt(pool, template.format(url=listener.url))
    finally:
        pool.close()
    assert len(listener.got) == len(MISREAD)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 20_000 + "}" * 20_000,
    "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
    "SELECT * WHERE " + "{ SELECT * WHERE " * 20_000 + "{}" + " }" * 20_000,
    "SELECT * WHERE { BIND(" + "+".join(["1"] * 8_000) + " AS ?x) }",
])
def test_a_deep_query_runs_in_a_worker_without_ending_it(pool, query):
    before = pool.pids()
    answer = pool.run(Job(query, "SELECT", "json"))
    assert answer.rows == 1
    assert pool.pids() == before


def test_a_worker_that_dies_is_replaced_and_the_answer_says_how(pool):
    runaway = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    [victim] = pool.pids()
    outcome = {}

    def run():
        try:
            pool.run(Job(runaway, "SELECT", "json"))
        except WorkerEnded as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(1)
    os.kill(victim, signal.SIGSEGV)
    thread.join(30)
    assert "SIGSEGV" in outcome["error"].detail and outcome["error"].status == 503
    assert pool.run(Job("ASK {}", "ASK", "json")).rows == 1  # waits for the replacement
    assert pool.pids() != [victim]


PROBE = """
import errno, socket, sys
from ofsted_kg.server.query import isolation
how = isolation.leave_network()
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    print("connected")
except OSError as error:
    print(how, errno.errorcode[error.errno])
"""


def test_leaving_the_network_cuts_loopback_too(listener):
    done = subprocess.run([sys.executable, "-c", PROBE, str(listener.port)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("ENETUNREACH"), done.stdout + done.stderr
    assert listener.got == []


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to run the probe as another user")
def test_a_user_without_privileges_leaves_the_network_through_a_user_namespace(listener):
    done = subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", sys.executable, "-c",
                           PROBE, str(listener.port)], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "new user and network namespaces ENETUNREACH", done.stdout + done.stderr
