"""Bulkheads: saved queries and raw SPARQL run in separate worker pools ("lanes").

A raw SPARQL query can be anything, including one that runs until the time limit kills it;
a saved query is one of the catalogue's, written to be cheap. With one shared pool a few
runaway queries would hold every worker and the saved queries would wait behind them. So
each job names its lane (execution.Job.lane): saved queries get SAVED_WORKERS workers of
their own at normal CPU priority, raw SPARQL gets WORKERS workers at a lower one (nice), and
each lane admits at most QUEUE_LIMIT waiting requests before answering 503 busy at once.
"""

from __future__ import annotations

from .execution import Answer, Job
from .workers import QueryPool

RAW_NICE = 10  # CFS weight 1:10 against the saved lane: a runaway query yields the CPU to cheap ones


class Lanes:
    def __init__(
        self,
        files,
        *,
        saved: int,
        raw: int,
        timeout: float,
        memory_mb: int | None,
        store_path=None,
        max_waiting: int | None = None,
        isolate: bool = True,
        in_memory: bool = False,
    ):
        common = {
            "in_memory": in_memory,
            "timeout": timeout,
            "memory_mb": memory_mb,
            "store_path": store_path,
            "max_waiting": max_waiting,
            "isolate": isolate,
        }
        self.pools: dict[str, QueryPool] = {}
        try:
            self.pools["saved"] = QueryPool(files, size=saved, name="saved", wait=False, **common)
            self.pools["sparql"] = QueryPool(files, size=raw, nice=RAW_NICE, name="sparql", wait=False, **common)
            for pool in self.pools.values():  # every worker starting at once, then each waited for
                pool.await_started()
        except BaseException:
            self.close()
            raise

    def run(self, job: Job, timeout: float | None = None) -> Answer:
        return self.pools[job.lane].run(job, timeout)

    def pids(self) -> list[int]:
        return [pid for pool in self.pools.values() for pid in pool.pids()]

    def close(self) -> None:
        for pool in self.pools.values():
            pool.close()
