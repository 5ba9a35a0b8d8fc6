"""Run one query on a store and write its answer: the step the HTTP layer and the CLI share.

A `Job` is plain data (strings, lists) so it can cross into a worker process; `run` turns it
into pyoxigraph calls. A saved query's parameters are already bound when it gets here
(catalogue.py: typed terms in the query's VALUES block).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ofsted_kg.graph.rdf.namespaces import PREFIXES

from ..store.interface import GraphStore
from ..web.errors import BadQuery, TooLarge
from ..web.formats import BY_KEY
from . import native_json, results

PREFIX_IRIS = {p: str(ns) for p, ns in PREFIXES.items()}
_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)  # pyoxigraph's SyntaxError message
_CLASS = re.compile(r"\[(?:[^\]']|'(?:[^'\\]|\\.)*+')*+\]")  # a character class it expected: ['A' ..= 'Z' | ...]
_EXPECTATIONS = 8


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
    # The query holds its own LIMIT of at most max_rows + 1 (paging.apply): its whole answer can be
    # written at once by pyoxigraph's serialiser (native_json.py), which cannot stop at max_rows.
    limited: bool = False


@dataclass
class Answer:
    body: bytes
    rows: int
    truncated: bool  # more rows than max_rows: the answer holds the first max_rows


def _dataset(job: Job) -> dict:
    if job.default_graphs is None and job.named_graphs is None:
        return {}
    # Protocol 2.1.4: either parameter replaces the whole dataset, FROM clauses included.
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graphs or []],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or []],
    }


def run(store: GraphStore, job: Job) -> Answer:
    try:
        return _run(store, job)
    except SyntaxError as error:
        raise BadQuery(f"the query is not valid SPARQL: {syntax_detail(job.query, str(error))}") from None
    except (RuntimeError, ValueError, OSError) as error:
        # The engine refusing to evaluate what it parsed (e.g. an IRI it cannot resolve).
        raise BadQuery(f"the query could not be evaluated: {error}") from None


def _run(store: GraphStore, job: Job) -> Answer:
    outcome = store.query(job.query, base_iri=job.base_iri, **_dataset(job))
    if isinstance(outcome, ox.QueryBoolean):
        writer = results.WRITERS.get(job.format, results.to_json)
        answer = Answer(writer([], [], bool(outcome)), 1, False)
    elif job.limited and job.format in ("json", "html") and isinstance(outcome, ox.QuerySolutions):
        answer = Answer(*native_json.write(outcome, job.max_rows))
    elif hasattr(outcome, "variables"):  # pyoxigraph's QuerySolutions, or a remote store's (remote.Solutions)
        variables = [v.value for v in outcome.variables]
        rows = _first(([s[v] for v in variables] for s in outcome), job.max_rows + 1)
        writer = results.WRITERS.get(job.format, results.to_json)
        answer = Answer(writer(variables, rows[: job.max_rows]), min(len(rows), job.max_rows), len(rows) > job.max_rows)
    else:
        triples = _first(outcome, job.max_rows + 1)
        kept = triples[: job.max_rows]
        engine = BY_KEY[job.format].engine
        if isinstance(engine, ox.RdfFormat):
            # serialize() returns None only when given a file to write to
            body = ox.serialize(kept, format=engine, prefixes=None if job.format == "nt" else PREFIX_IRIS) or b""
        else:  # html: the page renders a subject / predicate / object table
            body = results.to_json(["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in kept])
        answer = Answer(body, len(kept), len(triples) > job.max_rows)
    if len(answer.body) > job.max_bytes:
        raise TooLarge(
            f"the answer is {len(answer.body):,} bytes, over the {job.max_bytes:,}-byte cap: "
            "narrow the query or add LIMIT, or download the whole graph from /dump.ttl"
        )
    return answer


def syntax_detail(query: str, message: str, first_line_shift: int = 0) -> str:
    """The engine's "error at L:C: expected ..." made short: where, the text there, a few expectations.

    pyoxigraph lists every alternative its parser tried, character classes spelled out as
    Unicode ranges (600 characters for one mistake); a person needs the place and a hint.
    `first_line_shift`: characters put before the query's first line when it was sent (a BASE)."""
    where = _ERROR_AT.search(message)
    if not where:
        return _cap(message, 200)
    line, column = int(where.group(1)), int(where.group(2))
    if line == 1:
        column = max(1, column - first_line_shift)
    lines = query.split("\n")
    rest = lines[line - 1][column - 1 :].rstrip() if 0 < line <= len(lines) and column > 0 else ""
    at = f"at {rest[:20]!r}" if rest else ("at the end of the query" if line >= len(lines) else "at the end of the line")
    hint = where.group(3)
    if hint.startswith("expected"):
        items = [i.strip() for i in _CLASS.sub("", hint).removeprefix("expected").removeprefix(" one of").split(",")]
        items = [i for i in items if i]
        more = f", ... ({len(items)} in all)" if len(items) > _EXPECTATIONS else ""
        hint = (
            f"expected {'one of ' if len(items) > 1 else ''}{', '.join(items[:_EXPECTATIONS])}{more}"
            if items
            else "unexpected text here"
            if rest
            else "the query is incomplete"
        )
    return f"line {line}, column {column}, {at}: {_cap(hint, 200)}"


def _cap(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 3] + "..."


def _first(iterable, n: int) -> list:
    out = []
    for item in iterable:
        out.append(item)
        if len(out) >= n:
            break
    return out
