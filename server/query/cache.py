"""Saved-query answers kept per graph version: an LRU bounded by bytes, and their strong ETags.

The served graph never changes while the server runs, so a saved query's answer depends
only on the data, the bound query text and the format. The key holds the bound text, not
the request's values, so `la=Stoke-on-Trent` and `la=stoke-on-trent` (one IRI) share an
entry. The graph version is a content hash of the data files, read once at start-up: a
server restarted on other data answers with other ETags, and a cache told of a new
version drops the old entries. Errors are never stored (only answers reach `put`); a
truncated answer is stored with its truncation flag, so its header is kept.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from .execution import Answer


@dataclass(frozen=True)
class Entry:
    answer: Answer
    etag: str  # strong: the same bytes for the same data, query, values and format


def etag(version: str, key: tuple, body: bytes) -> str:
    digest = hashlib.sha256(version.encode() + b"\0" + repr(key).encode() + b"\0" + body)
    return digest.hexdigest()[:32]


class Cache:
    """Entries by key, least recently used dropped first once their keys and bodies pass `max_bytes`; 0 keeps none."""

    def __init__(self, version: str, max_bytes: int):
        self.version, self.max_bytes = version, max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # waitress serves requests on several threads
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def new_version(self, version: str) -> None:
        """The data changed: every entry is stale."""
        with self._lock:
            self.version = version
            self._entries.clear()
            self._bytes = 0

    def fetch(self, key: tuple, run) -> Entry:
        """The stored entry for `key`, or run() (an Answer; it may raise) stored and returned."""
        full = (self.version, *key)
        with self._lock:
            entry = self._entries.get(full)
            if entry is not None:
                self._entries.move_to_end(full)
                self.hits += 1
                return entry
            self.misses += 1
        # Run outside the lock: a slow query must not hold up the hits of others.
        answer = run()
        entry = Entry(answer, etag(self.version, key, answer.body))
        self._put(full, entry)
        return entry

    @staticmethod
    def _size(full: tuple, entry: Entry) -> int:
        # The key holds the bound query text (kilobytes): counted too, or many small answers
        # to distinct values would hold far more memory than CACHE_BYTES.
        return len(entry.answer.body) + sum(len(str(part)) for part in full) + len(entry.etag)

    def _put(self, full: tuple, entry: Entry) -> None:
        size = self._size(full, entry)
        if size > self.max_bytes:  # also the CACHE_BYTES=0 case: nothing is kept
            return
        with self._lock:
            if full[0] != self.version or full in self._entries:
                return  # stale (the version moved on while it ran) or stored by a concurrent request
            self._entries[full] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                key, dropped = self._entries.popitem(last=False)
                self._bytes -= self._size(key, dropped)
