"""Everything the routes and the `query` command share, made once at start-up.

The store here (the parent's) answers only the server's own fixed queries: names for
parameters, the sources list, the counts in the service description. Every query a
client sends runs through `runner`: the worker pool under `serve`, the store itself in
process for `ofsted-kg query` (no time limit to enforce there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from .query import catalogue, execution, guard
from .query import paging as paging_
from .query.cache import Cache, Entry
from .query.catalogue import SavedQuery
from .query.execution import Answer, Job
from .query.paging import Page
from .store import disk_store, rdf_files, remote
from .store.interface import GraphStore
from .web import negotiation
from .web.formats import Format

if TYPE_CHECKING:
    from rdflib import Graph

    from .linked_data.search_index import SearchIndex
    from .routes.dumps import Dump


class InProcess:
    """Run jobs on a store in this process: the CLI's runner, the same code the workers run."""

    def __init__(self, graph: GraphStore):
        self.graph = graph

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        return execution.run(self.graph, job)

    def close(self) -> None:
        pass


class Runner(Protocol):
    """What runs a client's jobs: in this process (InProcess) or in worker processes."""

    def run(self, job: Job, timeout: float | None = None) -> Answer: ...

    def close(self) -> None: ...


@dataclass
class Service:
    files: list[Path]  # empty when serving from an external store
    graph: GraphStore  # pyoxigraph's Store, or a remote.RemoteStore
    queries: dict[str, SavedQuery]
    names: catalogue.Names
    runner: Runner  # InProcess, workers.QueryPool or lanes.Lanes
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    cache: Cache | None = None  # saved-query answers per graph version (the server's; None runs every time)
    # What `serve` adds at start-up (app.start): the dumps, the persisted store it serves from.
    dumps: dict[str, Dump] = field(default_factory=dict)
    persisted: disk_store.Persisted | None = None
    # Made once per version of the data, on first use: the ontology page, the search index and
    # the dataset description (VoID, for the BASE_URL it was made for).
    ontology_html: str | None = None
    search_index: SearchIndex | None = None
    dataset_description: tuple[str, Graph] | None = None

    @classmethod
    def open(cls, files, *, runner=None, store_path=None, **limits) -> Service:
        files = [Path(f) for f in files]
        # The persisted store (disk_store.py) when `serve` has one, else the files parsed into memory.
        graph = disk_store.open_read_only(store_path) if store_path else rdf_files.load(files)
        service = cls._over(files, graph, runner, limits)
        service.names.warm()  # in the background: a restart answers before it is built (catalogue.Names)
        return service

    @classmethod
    def connect(cls, url: str, *, timeout: float = 5.0, **limits) -> Service:
        """Serve from an external SPARQL 1.1 endpoint: queries run there, under an HTTP time
        limit, so no worker pool is needed to stop them."""
        service = cls._over([], remote.RemoteStore(url, timeout=timeout), None, limits)
        service.names.build_now()  # a store that cannot be reached or answer stops the start here
        return service

    @classmethod
    def _over(cls, files: list[Path], graph, runner, limits: dict) -> Service:
        queries = catalogue.load()
        return cls(files, graph, queries, catalogue.Names(graph, queries), runner or InProcess(graph), **limits)

    def saved(self, name: str, values: dict[str, str], accept=None, requested: str | None = None) -> tuple[Answer, Format]:
        """Run a saved query with request values: bound and checked, as HTTP and the CLI both do."""
        entry, fmt, _ = self.saved_entry(name, values, accept, requested)
        return entry.answer, fmt

    def saved_entry(
        self, name: str, values: dict[str, str], accept=None, requested: str | None = None, paging: dict[str, str] | None = None
    ) -> tuple[Entry, Format, Page | None]:
        """As `saved`, with the answer's ETag, from the cache when this query, values and format ran before.
        `paging`: the request's `limit` and `offset` (paging.py; None: the whole answer, as the CLI asks);
        the answer of a page is `truncated` when there is a next page."""
        query = catalogue.find(self.queries, name)
        text = catalogue.bind(query, values, self.names)
        form = guard.inspect(text)
        fmt = negotiation.negotiate(form, accept, requested)
        page = None if paging is None else paging_.requested(paging, fmt.key, self.max_rows, form)
        rows, guessed = self.max_rows, None
        if page is not None:
            # A cover is for the whole list: a request with a parameter is narrowed by it instead.
            guessed = None if values else paging_.guess(text, page)
            text, rows = paging_.apply(text, page), page.limit

        def job(text: str) -> Job:
            return Job(text, form, fmt.key, max_rows=rows, max_bytes=self.max_bytes, lane="saved", limited=page is not None)

        def answer() -> Answer:
            if guessed is not None:  # a page chosen from fewer units (paging.guess): kept only when full
                first = self.runner.run(job(guessed))
                if first.truncated:
                    return first
            return self.runner.run(job(text))

        cache = Cache("", 0) if self.cache is None else self.cache
        return cache.fetch((name, text, fmt.key), answer), fmt, page

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.graph.named_graphs() if isinstance(g, ox.NamedNode))

    def close(self) -> None:
        self.runner.close()
