"""Run one query on a store and write its answer: the step the HTTP layer and the CLI share.

A `Job` is plain data (strings, lists) so it can cross into a worker process; `run` turns it
into pyoxigraph calls. A saved query's parameters are already bound when it gets here
(catalogue.py: typed terms in the query's VALUES block).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ofsted_kg.graph.namespaces import PREFIXES

from . import results
from .errors import BadQuery, TooLarge

GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
PREFIX_IRIS = {p: str(ns) for p, ns in PREFIXES.items()}


@dataclass
class Job:
    query: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE (guard.inspect)
    format: str  # a Format key; "html" is written as SPARQL JSON for the page to render
    base_iri: str | None = None
    default_graphs: list[str] | None = None  # None: the query's FROM, else the store's default graph
    named_graphs: list[str] | None = None
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    lane: str = "sparql"  # which worker pool runs it: "saved" for the catalogue's queries (lanes.py)


@dataclass
class Answer:
    body: bytes
    rows: int
    truncated: bool  # more rows than max_rows: the answer holds the first max_rows


def _dataset(job: Job) -> dict:
    if job.default_graphs is None and job.named_graphs is None:
        return {}
    # Protocol 2.1.4: either parameter replaces the whole dataset, FROM clauses included.
    return {"default_graph": [ox.NamedNode(g) for g in job.default_graphs or []],
            "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or []]}


def run(store: ox.Store, job: Job) -> Answer:
    try:
        return _run(store, job)
    except SyntaxError as error:
        raise BadQuery(f"the query is not valid SPARQL: {error}") from None
    except (RuntimeError, ValueError, OSError) as error:
        # The engine refusing to evaluate what it parsed (e.g. an IRI it cannot resolve).
        raise BadQuery(f"the query could not be evaluated: {error}") from None


def _run(store: ox.Store, job: Job) -> Answer:
    outcome = store.query(job.query, base_iri=job.base_iri, **_dataset(job))
    if isinstance(outcome, ox.QueryBoolean):
        writer = results.WRITERS.get(job.format, results.to_json)
        answer = Answer(writer([], [], bool(outcome)), 1, False)
    elif hasattr(outcome, "variables"):  # pyoxigraph's QuerySolutions, or a remote store's (remote.Solutions)
        variables = [v.value for v in outcome.variables]
        rows = _first(([s[v] for v in variables] for s in outcome), job.max_rows + 1)
        writer = results.WRITERS.get(job.format, results.to_json)
        answer = Answer(writer(variables, rows[: job.max_rows]), min(len(rows), job.max_rows), len(rows) > job.max_rows)
    else:
        triples = _first(outcome, job.max_rows + 1)
        kept = triples[: job.max_rows]
        if job.format in GRAPH_FORMATS:
            body = ox.serialize(kept, format=GRAPH_FORMATS[job.format],
                                prefixes=None if job.format == "nt" else PREFIX_IRIS)
        else:  # html: the page renders a subject / predicate / object table
            body = results.to_json(["subject", "predicate", "object"],
                                   [[t.subject, t.predicate, t.object] for t in kept])
        answer = Answer(body, len(kept), len(triples) > job.max_rows)
    if len(answer.body) > job.max_bytes:
        raise TooLarge(f"the answer is {len(answer.body):,} bytes, over the {job.max_bytes:,}-byte cap: "
                       "narrow the query or add LIMIT, or download the whole graph from /dump.ttl")
    return answer


def _first(iterable, n: int) -> list:
    out = []
    for item in iterable:
        out.append(item)
        if len(out) >= n:
            break
    return out
