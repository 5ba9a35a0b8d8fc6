"""Reading many documents: each through the extraction cache, the rest in worker processes.

For each task (a path and the catalogue facts sources.py passes with it), in order: the
file's bytes are read (refused unread when over the size limit) and its cache key computed;
an entry the cache holds is used as it is; the other documents are read and extracted, in
`jobs` worker processes when there are several, and stored. Results come back in the tasks'
order, so a build from the cache is the same build as one from scratch. The readers only
read: each document's evidence is checked after reading, on the core the build then leaves
idle (evidence_checks.py), to which `read_all` hands each document it gives.

What a catalogue says of a document (its publication date and URL) is read with it only as
values: the parsers and the report's consistency checks use the date, never the words
quoting it. The catalogue entries themselves, with the offsets of their evidence in the
catalogue's text, are joined to the extraction after the cache (`with_catalogue`). So the
cache key holds the document's bytes, name, manifest entry and those values, and not where
its line sits in a listing: adding one file to a folder, which moves every later line of
the listing of published file names, re-reads that file alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from dataclasses import replace

from ..input.documents import read_bytes
from ..model.user_errors import DocumentError, WorkerDied, one_line
from .evidence_checks import EvidenceChecks
from .extraction_cache import Extracted, ExtractionCache
from ..model.records import CatalogueEntry


def read_all(tasks: list[tuple], vocab, councils, jobs: int, progress: Callable[[int], None] | None,
             cache: ExtractionCache | None, max_mb: float,
             checks: EvidenceChecks | None = None) -> Iterator[tuple[Path, Extracted]]:
    """(path, Extracted) for each task, in the tasks' order; `checks` told of each document
    read, as read and under its cache key."""
    found: list[tuple[Extracted | None, str | None]] = []  # (the cache's entry, its key)
    misses: list[tuple[tuple, bytes]] = []  # (task, its bytes)
    for task in tasks:
        path = task[0]
        try:
            data = read_bytes(path, max_mb)
        except DocumentError as error:  # unreadable or too large: nothing to key an entry by
            found.append((Extracted(problem=error.problem), None))
            continue
        readable = as_read(task)
        key = cache.key(data, path.name, (readable[1:], max_mb)) if cache else None
        entry = cache.get(key) if cache and key else None
        if cache and key:
            cache.used.add(key)
        found.append((entry, key))
        if entry is None:
            misses.append((readable, data))
    # a document read counts as it is done (read_misses): they are read largest first
    fresh = iter(read_misses(misses, vocab, councils, jobs, max_mb, progress))
    for task, (entry, key) in zip(tasks, found, strict=True):
        if entry is None:
            entry = next(fresh)
            if cache and key:
                cache.put(key, entry)
        elif progress:  # from the cache, or unreadable
            progress(1)
        if checks is not None and entry.extraction is not None:
            checks.want(entry.extraction, key)
        yield task[0], with_catalogue(entry, task[2])


def as_read(task: tuple) -> tuple:
    """The task as a document is read and cached: its catalogue entries as bare values (date,
    URL), without the catalogue they come from or the offsets of their words."""
    path, entry, listed = task
    return path, entry, tuple(CatalogueEntry(catalogue="", issued=e.issued, url=e.url) for e in listed)


def with_catalogue(read: Extracted, listed: tuple[CatalogueEntry, ...]) -> Extracted:
    """The extraction with the document's catalogue entries as they are now: the same date and
    URL it was read with (the values are part of its cache key), quoted where they sit today."""
    if read.extraction is None:
        return read
    document = read.extraction.document
    document = replace(document, entries=listed, issued=next((e.issued for e in listed if e.issued), None),
                       url=next((e.url for e in listed if e.url), None))
    return replace(read, extraction=replace(read.extraction, document=document))


def read_misses(
    work: list[tuple], vocab, councils, jobs: int, max_mb: float, progress: Callable[[int], None] | None = None
) -> Iterator[Extracted]:
    """Each (task, bytes) of `work` read, in its order; `progress` told of each as it is done."""
    told = progress or (lambda n: None)
    if jobs <= 1 or len(work) < 2:
        for task, data in work:
            read = read_extracted(task, data, vocab, councils, max_mb)
            told(1)
            yield read
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # fork would share the parent's loaded vocabulary, but spawn is safe everywhere: each
    # worker loads the vocabulary and council table once, in its initializer. An
    # executor, not a multiprocessing.Pool: a Pool replaces a worker the kernel kills (out of
    # memory on one document) and waits for the answer it lost for ever, so the build hung;
    # the executor's workers are watched, and one that dies ends the wait.
    pool = ProcessPoolExecutor(
        min(jobs, len(work)), mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker, initargs=(max_mb,)
    )
    try:
        # the largest documents first (their bytes stand for their pages): read in the tasks'
        # order, the largest reports came last, and one worker read the last of them alone
        started = {i: pool.submit(_read_in_worker, work[i]) for i in largest_first(work)}
        untold = set(started.values())
        for i in range(len(work)):
            future = started.pop(i)
            while untold:  # meanwhile the later documents done are counted: the first may be read last
                done = {f for f in untold if f.done()}
                untold -= done
                for _ in done:
                    told(1)
                if future.done():
                    break
                wait(untold, return_when=FIRST_COMPLETED)
            yield future.result()
    except BrokenProcessPool as error:  # its words say whether the worker died starting or reading
        raise WorkerDied(
            f"reading the documents: a reader process ended without an answer ({one_line(error)} "
            "Killed? The kernel ends a process out of memory so: a large document?); nothing written"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # the documents being read, at most one a worker


def largest_first(work: list[tuple]) -> list[int]:
    """The indexes of `work` ((task, bytes) pairs), the largest document first; equal sizes in
    their order."""
    return sorted(range(len(work)), key=lambda i: -len(work[i][1]))


def read_extracted(task: tuple, data: bytes, vocab, councils, max_mb: float) -> Extracted:
    from ..input.sources import read_one

    result = read_one(task, vocab, councils, data=data, max_mb=max_mb)
    if isinstance(result, DocumentError):
        return Extracted(problem=result.problem)
    extraction, text = result
    # the stand-in entries go: the real ones, and the check of their words, join after the cache
    extraction = replace(extraction, document=replace(extraction.document, entries=()))
    return Extracted(extraction, text)


_WORKER: dict = {}


def _init_worker(max_mb: float) -> None:
    from ..reference.councils import read_councils
    from ..reference.vocabulary import load_vocabulary

    _WORKER.update(vocab=load_vocabulary(), councils=read_councils(), max_mb=max_mb)


def _read_in_worker(work: tuple) -> Extracted:
    task, data = work
    return read_extracted(task, data, _WORKER["vocab"], _WORKER["councils"], _WORKER["max_mb"])
