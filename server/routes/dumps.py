"""/dump.ttl, /dump.nt, /dump.nq, /dump.jsonld: the whole graph, prepared once at start-up.

Each is a file written beside its gzip twin, sent with send_file (streamed through the WSGI
file wrapper, with Content-Length), a content-hash ETag and the data's Last-Modified, so a
conditional GET answers 304. `Accept-Encoding: gzip` gets the gzip file with
`Content-Encoding: gzip`. A single Turtle file served as it is keeps its prefixes and
layout byte for byte. Turtle and N-Triples hold the default graph; N-Quads and JSON-LD the
whole dataset, named graphs included. The files are published together (prepare): a full
disk while writing leaves the previous dumps in place and no partial file.

`serve` writes them in the background (prepare_in_background): at 10x England writing them took
minutes of a first start, while the queries need none of it. Until they are written, /dump.*
answers 503 with Retry-After; if writing fails (a full disk), 503 naming why, and the log says it.
A restart on the same data finds them written (the manifest) and serves them at once.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, abort, current_app, request, send_file

from ofsted_kg.graph.build.outputs import file_sha256, sync, write_atomically

from ..query.execution import PREFIX_IRIS
from ..store import disk_store
from ..web.errors import Unavailable, shorten

log = logging.getLogger(__name__)
blueprint = Blueprint("dumps", __name__)
MANIFEST = "dumps.json"
# By file extension (/dump.ttl); pyoxigraph knows each format's extension and media type.
KINDS = {f.file_extension: f for f in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD)}


@dataclass(frozen=True)
class Dump:
    path: Path
    gzipped: Path
    media_type: str
    etag: str
    gzip_etag: str
    modified: datetime


def _etag(path: Path) -> str:
    return file_sha256(path)[:32]


def prepare(service, folder: str | Path | None, version: str | None = None) -> dict[str, Dump]:
    """The dumps in `folder` (default: a fresh temporary one). With a `version` (the persisted
    store's key, a hash of the data), dumps a previous start wrote for that same version are
    reused as they are: writing them is most of a start-up on the England graph."""
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ofsted-kg-dumps-"))
    # An external store has no files: its dumps are as of now, when they are read from it.
    latest = max((f.stat().st_mtime for f in service.files), default=datetime.now(UTC).timestamp())
    modified = datetime.fromtimestamp(latest, tz=UTC).replace(microsecond=0)
    if version:
        kept = _reuse(out, version, modified)
        if kept:
            return kept
    staged: list[tuple[Path, Path]] = []  # (temporary, published)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _sweep(out)
        for key, fmt in KINDS.items():
            path, gzipped = out / f"ofsted-kg.{key}", out / f"ofsted-kg.{key}.gz"
            staged.append((_temporary(path), path))
            _write(service, key, fmt, staged[-1][0])
            staged.append((_temporary(gzipped), gzipped))
            _gzip(staged[-2][0], staged[-1][0])
        for temporary, _ in staged:
            sync(temporary)
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise disk_store.DiskStoreError(
            f"{out}: cannot write the dumps ({disk_store.reason(error)}); "
            "the dumps already there are untouched. Free space, or set DUMP_DIR to a writable folder"
        ) from None
    # Every new file is written whole: only now replace the published ones, each by one rename,
    # so the folder never holds a partial file nor a mix of old and new data (but for a crash
    # between these renames).
    for temporary, path in staged:
        os.replace(temporary, path)
    dumps = {}
    for key, fmt in KINDS.items():
        path, gzipped = out / f"ofsted-kg.{key}", out / f"ofsted-kg.{key}.gz"
        dumps[key] = Dump(path, gzipped, fmt.media_type, _etag(path), _etag(gzipped) + "-gz", modified)
    if version:
        _write_manifest(out, version, dumps)
    return dumps


class Pending(dict):
    """The dumps while they are written in the background: empty until then, then every kind."""

    def __init__(self):
        super().__init__()
        self.started = time.monotonic()
        self.done = threading.Event()
        self.error: str | None = None
        self.waiting = threading.BoundedSemaphore(MAX_WAITING)


WAIT = 10.0  # seconds a request waits for dumps being written: a small graph's are written by then
# Downloads that may wait at once: each holds a request thread (THREADS, 24 by default) that
# every page and query also needs, and the England dumps take minutes. Four: each dump at once.
MAX_WAITING = 4


def written(dumps: dict[str, Dump], wait: float | None = None) -> dict[str, Dump]:
    """The dumps, waiting up to `wait` seconds (default WAIT) for ones being written (empty if
    they are not written by then). Only a download waits: a page that lists them (the landing
    page, VoID) asks with wait=0, else every view of it would take WAIT seconds while they are
    written; and only MAX_WAITING downloads at a time, the others are answered at once."""
    wait = WAIT if wait is None else wait
    if isinstance(dumps, Pending) and wait > 0 and dumps.waiting.acquire(blocking=False):
        try:
            dumps.done.wait(wait)
        finally:
            dumps.waiting.release()
    return dumps


class DumpsNotReady(Unavailable, error="dumps-not-ready"):
    """A dump asked for while it is being written (503, Retry-After)."""


class DumpsFailed(Unavailable, error="dumps-failed"):
    """A dump asked for after writing it failed (503 naming why). No Retry-After: the server
    does not try again, so only its operator (free the disk, restart) can make it answer."""

    retry = False


def prepare_in_background(service, folder: str | Path | None, version: str | None = None) -> dict[str, Dump]:
    """The dumps already written for `version`, else a Pending that a thread fills (prepare)."""
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ofsted-kg-dumps-"))
    if version:
        latest = max((f.stat().st_mtime for f in service.files), default=datetime.now(UTC).timestamp())
        kept = _reuse(out, version, datetime.fromtimestamp(latest, tz=UTC).replace(microsecond=0))
        if kept:
            return kept
    try:  # a folder that cannot be made stops the start here, in one line, as before
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise disk_store.DiskStoreError(f"{out}: cannot write the dumps ({disk_store.reason(error)})") from None
    pending = Pending()

    def write() -> None:
        lower_priority()
        try:
            pending.update(prepare(service, out, version))
        except disk_store.DiskStoreError as error:
            pending.error = str(error)
            log.error("%s", error)
        except Exception as error:  # a bug: logged, and the dumps answer 503 saying so
            pending.error = "the dumps could not be written; the reason is in the server's log"
            log.exception("writing the dumps failed: %s", error)
        finally:
            pending.done.set()

    threading.Thread(target=write, name="dumps", daemon=True).start()
    return pending


BACKGROUND_NICE = 19  # the lowest priority: the dumps take what the queries leave


def lower_priority() -> None:
    """Run this thread at the lowest CPU priority. At England with statements the dumps keep a
    core busy for minutes after a first start, while the queries are answered on the same two
    cores (bench/README.md, "Third pass"). Linux gives each thread its own nice value
    (setpriority on the thread's id); elsewhere a thread's id is no process id and may be
    another process's (NetBSD numbers a process's threads 1, 2, ...: init is 1), so the call is
    made on Linux only, and the thread keeps its priority elsewhere. A refusal (EPERM under a
    seccomp filter) leaves it as it was too."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)


def _write_manifest(out: Path, version: str, dumps: dict[str, Dump]) -> None:
    """Written last, after every dump is in place: its presence says the set is complete."""
    entries = {
        k: {"size": d.path.stat().st_size, "etag": d.etag, "gzip_size": d.gzipped.stat().st_size, "gzip_etag": d.gzip_etag}
        for k, d in dumps.items()
    }
    write_atomically(out / MANIFEST, json.dumps({"version": version, "dumps": entries}, indent=1).encode())


def _reuse(out: Path, version: str, modified: datetime) -> dict[str, Dump] | None:
    """The dumps already in `out` if its manifest is for `version` and every file has the size
    it lists (the files are only ever replaced whole, by rename); else None, to write them anew."""
    try:
        manifest = json.loads((out / MANIFEST).read_text())
        if manifest.get("version") != version or set(manifest["dumps"]) != set(KINDS):
            return None
        dumps = {}
        for key, fmt in KINDS.items():
            entry = manifest["dumps"][key]
            path, gzipped = out / f"ofsted-kg.{key}", out / f"ofsted-kg.{key}.gz"
            if path.stat().st_size != entry["size"] or gzipped.stat().st_size != entry["gzip_size"]:
                return None
            dumps[key] = Dump(path, gzipped, fmt.media_type, entry["etag"], entry["gzip_etag"], modified)
        return dumps
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(service, key: str, fmt: ox.RdfFormat, path: Path) -> None:
    if key == "ttl" and len(service.files) == 1 and service.files[0].suffix == ".ttl":
        shutil.copyfile(service.files[0], path)
    elif fmt.supports_datasets:
        service.graph.dump(str(path), fmt, prefixes=PREFIX_IRIS if key == "jsonld" else None)
    else:
        service.graph.dump(str(path), fmt, from_graph=ox.DefaultGraph(), prefixes=None if key == "nt" else PREFIX_IRIS)


def _gzip(source: Path, target: Path) -> None:
    with source.open("rb") as f, gzip.GzipFile(target, "wb", mtime=0) as g:
        shutil.copyfileobj(f, g)


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _sweep(folder: Path) -> None:
    """Remove temporary files a killed server left (their writer's PID is gone)."""
    for leftover in folder.glob(".ofsted-kg.*.tmp"):
        pid = leftover.suffixes[-2].lstrip(".")
        if pid.isdigit() and not disk_store.alive(int(pid)):
            leftover.unlink(missing_ok=True)


@blueprint.route("/dump.<kind>")
def download(kind: str):
    if kind not in KINDS:  # before any wait: no dump of that kind will ever be written
        abort(404, f"no dump /dump.{shorten(kind)}; there are {', '.join('/dump.' + k for k in KINDS)}")
    dumps = written(current_app.extensions["ofsted_kg"].dumps)
    if isinstance(dumps, Pending) and kind in KINDS and kind not in dumps:
        if dumps.error:
            raise DumpsFailed(f"/dump.{kind} is not available: {dumps.error}")
        raise DumpsNotReady(
            f"/dump.{kind} is being written (for {time.monotonic() - dumps.started:.0f} s so far); try again shortly"
        )
    if kind not in dumps:
        abort(404, f"no dump /dump.{shorten(kind)}; there are {', '.join('/dump.' + k for k in dumps)}")
    dump = dumps[kind]
    wants_gzip = request.accept_encodings["gzip"] > 0
    path, etag = (dump.gzipped, dump.gzip_etag) if wants_gzip else (dump.path, dump.etag)
    response = send_file(
        path,
        mimetype=dump.media_type,
        conditional=True,
        etag=etag,
        last_modified=dump.modified,
        download_name=f"ofsted-kg.{kind}",
        as_attachment=False,
        max_age=3600,
    )
    if wants_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response
