"""A running server takes up a new version of its data without dropping a request.

The build replaces the graph file atomically (a rename), so `serve` can watch it: every
RELOAD_POLL seconds it compares each data file's inode, size and modification time with the
version it serves, and on SIGHUP it looks at once. A new version is opened beside the one
being served, as a start-up opens it (persisted store, dumps, query workers: app.open_service),
while requests go on being answered from the old one; then the service is swapped in one
assignment. A request holds the service it started with until it ends (each request counts
itself in and out), and the old service's workers and store are closed only once no request
is left on it. A version that cannot be opened (a bad file) is logged in one line and the
old one kept. With `STORE` (an external endpoint) there is nothing to watch.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from pathlib import Path

from flask import Flask, g

log = logging.getLogger(__name__)
LINGER_LIMIT = 600  # seconds an old version waits for its last request before it is closed anyway


def signature(files) -> tuple:
    """What changes when a file is replaced or rewritten: inode, size, modification time."""
    found: list[tuple] = []
    for path in map(Path, files):
        try:
            stat = path.stat()
            found.append((str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append((str(path), None))
    return tuple(found)


class Reloader:
    def __init__(self, app: Flask):
        self.app = app
        self.lock = threading.Lock()  # one reload at a time
        self.counts_lock = threading.Lock()
        self.in_flight: Counter = Counter()  # id(service) -> requests running on it
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.files = list(app.config["DATA"]) if not app.config["STORE"] else []
        self.seen = signature(self.files)
        self.version = 1  # how many versions this server has served; for the log and tests

    # requests: each counts itself on the service it started with
    def enter(self) -> None:
        service = self.app.extensions["ofsted_kg"]
        g.ofsted_kg_service = service
        with self.counts_lock:
            self.in_flight[id(service)] += 1

    def leave(self) -> None:
        service = g.pop("ofsted_kg_service", None)
        if service is not None:
            with self.counts_lock:
                self.in_flight[id(service)] -= 1

    # watching
    def start(self) -> None:
        if self.files:
            threading.Thread(target=self._watch, name="ofsted-kg-reload", daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()
        self.wake.set()

    def request(self) -> None:
        """Look for a new version now (SIGHUP): safe from a signal handler."""
        self.wake.set()

    def _watch(self) -> None:
        poll = float(self.app.config["RELOAD_POLL"])
        while not self.stopped.is_set():
            forced = self.wake.wait(poll if poll > 0 else None)
            self.wake.clear()
            if self.stopped.is_set():
                return
            try:
                self.reload(forced=forced)
            except Exception:  # the watcher must outlive any one bad version
                log.exception("reload failed")

    def reload(self, forced: bool = False) -> bool:
        """Serve the data files as they are now, if they changed (or `forced`). True if swapped."""
        from ..app import open_service

        with self.lock:
            now = signature(self.files)
            if now == self.seen and not forced:
                return False
            if any(len(entry) == 2 for entry in now):  # a file missing: mid-replacement or removed
                log.warning("reload: %s missing; still serving the previous version", ", ".join(e[0] for e in now if len(e) == 2))
                return False
            started = time.monotonic()
            try:
                service = open_service(self.app.config)
            except Exception as error:  # OfstedKGError and the like: the old version stays
                log.error("reload: %s; still serving the previous version", str(error).splitlines()[0])
                self.seen = now
                return False
            old = self.app.extensions["ofsted_kg"]
            self.app.extensions["ofsted_kg"] = service  # one assignment: each request sees one version or the other
            self.seen = now
            self.version += 1
            log.info(
                "reload: serving version %d of %s (opened in %.1f s)",
                self.version,
                ", ".join(map(str, self.files)),
                time.monotonic() - started,
            )
        threading.Thread(target=self._retire, args=(old,), daemon=True).start()
        return True

    def _retire(self, old) -> None:
        """Close the old version once its last request has ended."""
        deadline = time.monotonic() + LINGER_LIMIT
        while time.monotonic() < deadline:
            with self.counts_lock:
                if self.in_flight[id(old)] <= 0:
                    del self.in_flight[id(old)]
                    break
            time.sleep(0.05)
        old.close()
        if old.persisted is not None:
            old.persisted.close()  # its store may now be removed by a later version's start


def install(app: Flask) -> Reloader:
    reloader = Reloader(app)
    app.extensions["ofsted_kg_reloader"] = reloader
    app.before_request(reloader.enter)
    app.teardown_request(lambda _error: reloader.leave())
    return reloader
