"""Whether each query worker keeps its own copy of the graph in memory (WORKER_STORE).

Measured on the England graph (bench/README.md, "Closing the uncached gap"), the same saved
query runs 3 to 7 times faster on pyoxigraph's in-memory store than on the persisted RocksDB
store opened read-only, which was most of the gap between our endpoint and the store. A copy
costs memory in every worker, though: about 3.5 bytes of memory per byte of persisted store,
measured at England (98 MB on disk, 334 MB in memory) and at 10x. So `auto` keeps a copy only
while it is small beside a worker's address-space cap (WORKER_MEMORY_MB) or, with no cap, beside
the machine's memory shared by all workers; past that the workers query the persisted store.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ofsted_kg.graph.model.user_errors import OfstedKGError

from .disk_store import STAMP

CHOICES = ("auto", "memory", "disk")
BYTES_PER_STORED_BYTE = 4  # measured 3.4 (England) and 3.x (10x); rounded up, as running out aborts the worker


class BadWorkerStore(OfstedKGError):
    """WORKER_STORE is not one of its choices (a configuration error, exit 2)."""


def estimate(store: Path) -> int:
    """Bytes a copy of the persisted store at `store` takes in memory, from its files' sizes (its stamp)."""
    files = json.loads((Path(store) / STAMP).read_text())["files"]
    return BYTES_PER_STORED_BYTE * sum(size for size, _ in files.values())


def _ram() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def wanted(choice: str, store: Path, memory_mb: int | None, workers: int) -> bool:
    """True if each worker should load a copy in memory."""
    if choice not in CHOICES:
        raise BadWorkerStore(f"WORKER_STORE: {choice!r} is not one of {', '.join(CHOICES)}")
    if choice == "disk":
        return False
    # Half the cap: the engine's stack and a query's own working memory need the rest.
    budget = memory_mb * 1024 * 1024 // 2 if memory_mb else _ram() // (2 * max(1, workers))
    copy = estimate(store)
    fits = copy <= budget
    if choice == "memory" and not fits:
        # Tried anyway, the engine would run out of address space and abort the worker, which
        # no Python code can catch: the next query would get a 503 it did not cause.
        raise BadWorkerStore(
            f"WORKER_STORE=memory: a copy of this graph takes about {copy // 2**20:,} MB in each worker, "
            f"more than half of {'WORKER_MEMORY_MB=' + str(memory_mb) if memory_mb else 'its share of the memory'} "
            f"({budget // 2**20:,} MB); raise WORKER_MEMORY_MB, or use WORKER_STORE=auto or disk"
        )
    return fits
