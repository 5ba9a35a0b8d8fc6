"""Worker processes that run queries, so a query over the time limit can really be stopped.

pyoxigraph cannot cancel a running query from another thread, so each query runs in one of
a few worker processes, each opening the persisted store read-only (disk_store.py; or, with no
store, reading its own copy of the files). With `in_memory` (WORKER_STORE, memory_copy.py) a
worker also parses the files into a store in memory of its own, in the background, and answers
from it once loaded: measured, the same query is 3 to 7 times faster there than on the
persisted store (bench/README.md). A query past
the limit gets its worker killed (SIGKILL: the engine is native code and never looks up)
and a fresh one started in the background; the request answers 503 at once and the other
workers keep serving. Workers are forked from multiprocessing's fork server, a process that
has nothing but this module and the engine imported and never runs threads: forking the web
server itself is unsafe (it runs threads when a replacement is needed), and spawning a fresh
interpreter per worker, importing everything again, was 13 s of a 17 s restart at 10x England
on a loaded machine (bench/README.md). Where the platform has no fork server, they are
spawned. A worker whose parent dies sees its pipe close and exits. Each worker first leaves the network (isolation.py), and runs the engine in a thread
with a large stack, so deep nesting parses instead of crashing it; one that dies anyway is
replaced and the answer (503 worker-ended) says how it ended.

Admission control: at most `max_waiting` requests wait for a worker of a pool; one more is
answered 503 busy at once, so a flood of slow queries cannot pile up threads and memory. A
pool may run its workers at a lower CPU priority (`nice`): the raw-SPARQL lane does, so a
runaway query there leaves the CPU to the saved queries (lanes.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from ..web.errors import Busy, HTTPError, TimedOut, WorkerEnded
from . import isolation
from .execution import Answer, Job

log = logging.getLogger(__name__)
# What the fork server imports once, so a worker forked from it starts with them loaded.
PRELOAD = ["ofsted_kg.server.query.workers", "ofsted_kg.server.query.execution", "ofsted_kg.server.store.disk_store"]


def _context():
    """The fork server's context where there is one (Linux, macOS), else spawn's."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # read when the fork server starts: the first worker
    return context


def prestart() -> None:
    """Start the fork server now, so its own start (an interpreter and PRELOAD imported, about
    a second) overlaps the store's checks instead of delaying the first worker."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _uncap_cpu() -> None:
    """Lift the soft CPU limit back to the hard one between jobs: a copy loading in this worker
    while it waits for work (its own thread) would otherwise run into the last job's cap and
    have the kernel end an idle worker."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def _cap_cpu(seconds: float) -> None:
    """Let this job use at most `seconds` more CPU time: the kernel kills the worker past it.

    The parent kills a worker whose query runs past the time limit; this is the backstop for
    when the parent cannot (it was killed itself mid-request): a runaway query in an orphaned
    worker still ends within its limit and a margin instead of burning a core for ever."""
    import math
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    # Only the soft limit moves (anyone may raise it again up to the hard one); SIGXCPU's
    # default action ends the process, and Python leaves that signal alone.
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.getrlimit(resource.RLIMIT_CPU)[1]))


ENGINE_STACK = 512 * 1024 * 1024  # measured: 100,000 nested { or (, 20,000 sub-selects (README "Safety")


def _work(
    conn,
    files: list[str],
    memory_mb: int | None,
    store_path: str | None = None,
    nice: int = 0,
    cpu_limit: float | None = None,
    isolate: bool = True,
    in_memory: bool = False,
) -> None:
    """A worker's whole life: leave the network, open the store, then answer jobs until the pipe closes."""
    if isolate:
        try:  # first, while this process has one thread (a new user namespace needs that)
            how = isolation.leave_network()
        except OSError as error:
            conn.send(("not-isolated", str(error)))
            return
    else:
        how = "none (QUERY_ISOLATION=off)"
    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if nice:
        os.nice(nice)
    # The engine recurses once per level of nesting, in native code: on the main thread's 8 MB a
    # query 3,000 deep (or a chain of 8,000 `+`) overflows it and the worker dies. So it runs in
    # a thread with a large stack (address space reserved, touched only as deep as a query goes),
    # a quarter of the worker's address-space cap at most.
    threading.stack_size(min(ENGINE_STACK, memory_mb * 1024 * 1024 // 4) if memory_mb else ENGINE_STACK)
    engine = threading.Thread(target=_answer_jobs, args=(conn, files, store_path, cpu_limit, how, in_memory), name="engine")
    engine.start()
    engine.join()


class _Graph:
    """The store this worker queries: the persisted one at first, then (in_memory) its own copy
    in memory once loaded. The copy is parsed from the data files beside the jobs, so the worker
    answers from the start; swapping is one assignment, read by the engine thread between jobs."""

    def __init__(self, store):
        self.store = store

    def load_copy(self, files: list[str]) -> None:
        # With the default stack, not the engine's 512 MB (set for every thread made after it, in
        # _work): two such stacks under WORKER_MEMORY_MB's address-space cap left too little for
        # the copy, and this thread failed to start, or the copy to load, in 1 worker of 4 (measured).
        large = threading.stack_size(0)
        try:
            threading.Thread(target=self._load, args=(files,), name="memory-copy", daemon=True).start()
        except RuntimeError as error:  # no thread to be had: answer from the persisted store
            log.warning("a worker kept the persisted store: its copy in memory could not start loading (%s)", error)
        finally:
            threading.stack_size(large)

    def _load(self, files: list[str]) -> None:
        from ..store import rdf_files

        started = time.monotonic()
        try:
            copy = rdf_files.load(files)
        except BaseException as error:  # a Python-level failure (no thread, a file gone): keep the persisted store
            # (the engine running out of memory aborts the process instead, which no except
            # catches: so a copy estimated over half WORKER_MEMORY_MB is never tried, memory_copy)
            log.warning("a worker kept the persisted store: its copy in memory did not load (%s)", error)
        else:
            self.store = copy  # the persisted store is dropped with its last reference
            # On stderr, as the parent's log lines are (this process has no logging set up).
            print(
                f"ofsted-kg: query worker {os.getpid()} answers from its copy in memory ({time.monotonic() - started:.1f} s to load)",
                file=sys.stderr,
                flush=True,
            )


def _answer_jobs(conn, files: list[str], store_path: str | None, cpu_limit: float | None, how: str, in_memory: bool) -> None:
    from ..store import disk_store, rdf_files
    from . import execution

    graph = _Graph(disk_store.open_read_only(store_path) if store_path else rdf_files.load(files))
    conn.send(("ready", how))
    if in_memory and store_path:
        graph.load_copy(files)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if cpu_limit:
            # The copy's parsing, if it is still loading, counts as this process's CPU time too:
            # a job then has less of its margin (a worker ended by it is replaced, 503).
            _cap_cpu(cpu_limit)
        try:
            conn.send(("ok", execution.run(graph.store, job)))
        except HTTPError as error:
            conn.send(("answered", error))
        except Exception as error:  # a bug: the parent logs it and answers 500
            conn.send(("bug", f"{type(error).__name__}: {error}"))
        finally:
            if cpu_limit:
                _uncap_cpu()  # idle, the copy still loading must not use up the next job's margin


@dataclass(eq=False)  # identity: each worker is one process
class Worker:
    process: BaseProcess
    conn: Connection


class QueryPool:
    """A fixed number of workers; run() hands a job to an idle one and waits up to the limit."""

    def __init__(
        self,
        files: list[str],
        size: int = 2,
        timeout: float = 5.0,
        memory_mb: int | None = None,
        *,
        store_path: str | None = None,
        nice: int = 0,
        max_waiting: int | None = None,
        name: str = "query",
        isolate: bool = True,
        in_memory: bool = False,
        wait: bool = True,
    ):
        self.files, self.size, self.timeout, self.memory_mb = list(map(str, files)), size, timeout, memory_mb
        self.store_path, self.nice, self.max_waiting, self.name = store_path and str(store_path), nice, max_waiting, name
        self.isolate, self.in_memory = isolate, in_memory
        self._waiting = 0
        self._context = _context()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._starting = [self._spawn() for _ in range(size)]
        if wait:
            self.await_started()

    def await_started(self) -> None:
        """Wait for each worker started with the pool to load (they start together: Lanes
        starts every pool's before waiting for any)."""
        try:
            while self._starting:
                self._await_ready(self._starting.pop(0))
        except BaseException:
            self.close()
            raise

    def _spawn(self) -> Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_work,
            args=(child, self.files, self.memory_mb, self.store_path, self.nice, self.timeout + 2, self.isolate, self.in_memory),
            daemon=True,
            name=f"ofsted-kg-{self.name}-worker",
        )
        process.start()
        child.close()
        worker = Worker(process, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: Worker) -> None:
        try:
            kind, how = worker.conn.recv()
        except EOFError:
            raise RuntimeError(f"a query worker failed to load {self.files} (exit code {worker.process.exitcode})") from None
        if kind == "not-isolated":
            self._end(worker)
            raise isolation.IsolationUnavailable(
                f"the query workers cannot be taken off the network ({how}); queries would be able to make "
                "requests (SPARQL SERVICE). Run as root or where user namespaces are allowed, or set "
                "OFSTED_KG_QUERY_ISOLATION=off to serve anyway with only the early SERVICE refusal"
            )
        log.info("%s worker %s ready; network isolation: %s", self.name, worker.process.pid, how)
        self._idle.put(worker)

    def _replacement(self) -> None:
        try:
            self._await_ready(self._spawn())
        except Exception:  # the pool runs one worker short; the log says why
            log.exception("a replacement %s worker did not start", self.name)

    def _end(self, worker: Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: Worker) -> None:
        self._end(worker)
        if not self._closed:
            threading.Thread(target=self._replacement, daemon=True).start()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]  # None: not started

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        limit = self.timeout if timeout is None else timeout
        worker = self._take(limit)
        started = time.monotonic()
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(limit)
            reply = worker.conn.recv() if ready else None
        except (EOFError, OSError):  # it died: out of memory, a crash, or killed from outside
            worker.process.join(5)
            how = _ending(worker.process.exitcode)
            log.warning("query worker %s died (%s) running: %.200s", worker.process.pid, how, job.query)
            self._replace(worker)
            raise WorkerEnded(f"the query ended the worker running it ({how}); a new worker is starting") from None
        if reply is None:
            log.warning("query over %g s; killing worker %s: %.200s", limit, worker.process.pid, job.query)
            self._replace(worker)
            raise TimedOut(f"the query ran past the {limit:g} s limit and was stopped") from None
        self._idle.put(worker)
        log.info("query %.3f s in worker %s", time.monotonic() - started, worker.process.pid)
        kind, value = reply
        if kind == "ok":
            return value
        if kind == "answered":
            raise value
        raise RuntimeError(f"query worker failed: {value}")

    def _take(self, limit: float) -> Worker:
        """An idle worker, waiting up to `limit` for one unless too many requests wait already."""
        with self._lock:
            if self.max_waiting is not None and self._waiting >= self.max_waiting:
                raise Busy(f"every {self.name} worker is busy and {self._waiting} requests are waiting; try again shortly")
            self._waiting += 1
        try:
            return self._idle.get(timeout=limit)
        except queue.Empty:
            raise Busy(f"every {self.name} worker stayed busy for {limit:g} s; try again shortly") from None
        finally:
            with self._lock:
                self._waiting -= 1

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._end(worker)


def _ending(exitcode: int | None) -> str:
    """How a worker process ended, in words: its signal and what that most likely means."""
    import signal

    if exitcode is None:
        return "it stopped answering"
    if exitcode >= 0:
        return f"it exited with code {exitcode}"
    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        return f"it was ended by signal {-exitcode}"
    meaning = {
        "SIGSEGV": "a crash in the query engine",
        "SIGBUS": "a crash in the query engine",
        "SIGABRT": "the engine aborted, most likely out of memory (WORKER_MEMORY_MB)",
        "SIGKILL": "killed, by the kernel when memory ran short or from outside",
        "SIGXCPU": "it used up its CPU time limit",
    }.get(name, "ended by a signal")
    return f"{name}: {meaning}"
