"""The soak's load: client threads that mix saved queries, raw SPARQL, dumps and pathological
queries against one server on loopback until a deadline, and tally what they got.

Run in its own process (`run` is the target), so the load's own Python work does not slow
down the probe that measures the cheap queries' latency in the test process.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import threading
import time
import urllib.parse
from collections import Counter

OKG = "https://w3id.org/ofsted-kg/def#"
NORMAL = [
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    f"PREFIX okg: <{OKG}> SELECT ?i ?g WHERE {{ ?i okg:judgement ?j . ?j okg:grade ?g }} LIMIT 50",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 200",
]
PATHOLOGICAL = [
    # a cartesian product of the whole graph three times over
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    # a deep property path: everything reachable from everything, both directions, any predicate
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:x:none>|^!<urn:x:none>)* ?o }",
    # a regular expression over every literal, against every triple
    'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?x ?q ?y FILTER(isLiteral(?o) && REGEX(STR(?o), "(a|e|i)+.*z$", "i")) }',
]
DUMPS = ["/dump.ttl", "/dump.nt", "/dump.nq", "/dump.jsonld"]


def _sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def client(url: str, kind: str, paths: list[str], deadline: float, tally: Counter, lock: threading.Lock,
           pause: float) -> None:
    address = urllib.parse.urlsplit(url)
    for n, path in enumerate(itertools.cycle(paths)):
        if time.monotonic() >= deadline or n >= 100_000:  # bounded in time and in count
            return
        headers = {"Accept-Encoding": "gzip"} if kind == "dump" and n % 2 else {}
        try:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            status = response.status
            connection.close()
            outcome = f"{kind} {status}"
            if status >= 500:
                try:
                    outcome += " " + json.loads(body)["error"]
                except (ValueError, KeyError):
                    outcome += " no-json-body"
            elif status == 200 and "Content-Length" in response.headers:
                if int(response.headers["Content-Length"]) != len(body):
                    outcome += " short-body"
        except (OSError, http.client.HTTPException) as error:
            outcome = f"{kind} connection-error {type(error).__name__}"
        with lock:
            tally[outcome] += 1
        time.sleep(pause)


def plan(saved_paths: list[str]) -> list[tuple[str, list[str], float]]:
    """15 clients (the probe is the 16th): (kind, paths, pause after each request).

    The pathological clients send their next query the moment the last one ends: they are the
    adversary. The others are people and programs using the service, with a pause between
    requests (0.1 s, 0.25 s for a dump), so the test measures isolation from the adversary and
    not what happens past the server's capacity (that is what 503 busy is for)."""
    clients = []
    for i in range(4):
        clients.append(("saved", saved_paths[i::4] or saved_paths, 0.1))
    for i in range(4):
        clients.append(("sparql", [_sparql(q) for q in NORMAL[i:] + NORMAL[:i]], 0.1))
    for i in range(3):
        clients.append(("pathological", [_sparql(PATHOLOGICAL[i])], 0.0))
    for i in range(4):
        clients.append(("dump", DUMPS[i:] + DUMPS[:i], 0.25))
    return clients


def run(url: str, saved_paths: list[str], seconds: float, results) -> None:
    """Process target: run every client until `seconds` have passed; put the tally on `results`."""
    # Real clients run on other machines; on this two-core one the load generator's own CPU
    # would otherwise be charged to the server's latency. Lower priority, not fewer requests.
    os.nice(10)
    deadline = time.monotonic() + seconds
    tally: Counter = Counter()
    lock = threading.Lock()
    threads = [threading.Thread(target=client, args=(url, kind, paths, deadline, tally, lock, pause), daemon=True)
               for kind, paths, pause in plan(saved_paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    results.put(dict(tally))
