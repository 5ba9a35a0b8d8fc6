"""The graph persisted as a pyoxigraph on-disk store, so start-up does not re-parse the Turtle.

`serve` keeps one RocksDB folder per version of the data under STORE_DIR (default: beside
the first data file, `<file>.store/`). A version is named by a key: the hash of the data
files' contents, the pyoxigraph version and this module's layout number, so new data or a
new engine gets a new store and a stale one is never opened. A store is built by bulk
loading into a temporary folder beside it, then written down completely (flush, close,
fsync) with a stamp listing every file of it with its size and SHA-256, then renamed into
place: a folder under its key name is either complete or absent, never half written.

At start-up the parent checks the stamp against the files (a truncated or damaged store
fails the check, is set aside and rebuilt from the data, with a one-line note) and then
opens it read-only; every query worker opens the same folder read-only too (RocksDB allows
any number of read-only instances; nothing writes to it after the rename). The parent holds
a shared flock on the stamp while it runs, so a later build only removes older versions no
running server holds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ofsted_kg.graph.build.outputs import file_sha256, sync, write_atomically
from ofsted_kg.graph.model.user_errors import ExitCode, OfstedKGError

from . import bulk_load
from .rdf_files import DataError, rdf_format

log = logging.getLogger(__name__)
LAYOUT = 1  # bump when what goes into a store changes
STAMP = "ofsted-kg-store.json"
DUMPS = ".dumps"  # <key>.dumps/: the dumps of version <key> (dump_dir)


class DiskStoreError(OfstedKGError):
    """The persisted store (or the dumps beside it) could not be written or opened: disk full, a
    read-only folder, ... `serve` stops with exit code 4."""

    exit_code = ExitCode.CANNOT_WRITE


@dataclass
class Persisted:
    path: Path  # the store folder: open it with ox.Store.read_only
    built: bool  # built by this start-up (False: an existing store passed its check)
    lock: BinaryIO  # the open stamp, flock'ed shared for as long as the server runs

    def close(self) -> None:
        self.lock.close()


def default_dir(files: list[Path]) -> Path:
    return files[0].with_name(files[0].name + ".store")


class Checksums:
    """SHA-256s of files already read, kept in STORE_DIR, so a restart does not read gigabytes again.

    Measured at 10x England: hashing the data (1.7 GB) and the store's files took 12 s of a
    restart. A kept checksum is used only while the file's device, inode, size, mtime and
    ctime are those it was taken with (any write changes ctime, which no one can set back),
    and only if the file had been left alone for RACY_NS before it was taken (git's "racy
    clean" rule: a write in the same clock tick as the hashing would otherwise go unseen)."""

    FILE = "checksums.json"
    RACY_NS = 2_000_000_000

    def __init__(self, root: Path):
        self.path = root / self.FILE
        try:
            self.entries = json.loads(self.path.read_text())
            assert isinstance(self.entries, dict)
        except (OSError, ValueError, AssertionError):
            self.entries = {}
        self.changed = False

    def sha256(self, path: Path) -> str:
        info = path.stat()
        signature = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        name = str(path.resolve())
        kept = self.entries.get(name)
        if isinstance(kept, dict) and kept.get("stat") == signature and kept.get("at", 0) - info.st_ctime_ns > self.RACY_NS:
            return kept["sha256"]
        taken = time.time_ns()
        sha = file_sha256(path)
        self.entries[name] = {"stat": signature, "at": taken, "sha256": sha}
        self.changed = True
        return sha

    def record(self, path: Path, name: str, sha: str, taken: int) -> None:
        """A checksum taken at `taken` (time.time_ns) of the file at `path`, to be known as `name`
        (a store's file is hashed in its temporary folder, then the folder is renamed)."""
        info = path.stat()
        signature = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        self.entries[name] = {"stat": signature, "at": taken, "sha256": sha}
        self.changed = True

    def save(self) -> None:
        """Written whole by one rename; a folder it cannot be written to only costs the next start its hashing."""
        if not self.changed:
            return
        kept = {name: entry for name, entry in self.entries.items() if os.path.exists(name)}
        temporary = self.path.with_name(f"{self.FILE}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(kept))
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):  # a read-only folder: nothing was written
                temporary.unlink(missing_ok=True)


def _data_stamp(files: list[Path], checksums: Checksums | None = None) -> list[dict]:
    stamp = []
    for path in files:
        rdf_format(path)
        if not path.is_file():
            raise DataError(f"{path}: no such file (build the graph first: `ofsted-kg build`)")
        stamp.append({"file": path.name, "sha256": checksums.sha256(path) if checksums else file_sha256(path)})
    return stamp


def key_of(data: list[dict]) -> str:
    text = json.dumps({"data": data, "pyoxigraph": ox.__version__, "layout": LAYOUT}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check(folder: Path, key: str, checksums: Checksums) -> str | None:
    """None if `folder` is the complete store of `key`, else what is wrong with it."""
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except FileNotFoundError:
        return "it has no stamp"
    except (OSError, ValueError) as error:
        return f"its stamp is unreadable ({error})"
    if stamp.get("key") != key:
        return "its stamp belongs to other data"
    for name, (size, sha) in stamp.get("files", {}).items():
        path = folder / name
        try:
            if path.stat().st_size != size:
                return f"{name} is {path.stat().st_size} bytes, not {size}"
        except FileNotFoundError:
            return f"{name} is missing"
        if checksums.sha256(path) != sha:
            return f"{name} is damaged (its checksum differs)"
    return None


def ensure(files: list[Path], folder: Path | None = None) -> Persisted:
    """The checked store of `files` under `folder`, built first if there is none or it is damaged."""
    files = [Path(f) for f in files]
    if not files:
        raise DataError("no data files to serve")
    root = Path(folder) if folder else default_dir(files)
    checksums = Checksums(root)
    data = _data_stamp(files, checksums)
    key = key_of(data)
    target = root / key
    built = False
    problem = _check(target, key, checksums) if target.exists() else "there is none"
    if problem:
        if target.exists():
            log.warning("the store %s is not usable (%s); rebuilding it from the data", target, problem)
            print(f"ofsted-kg: note: the store {target} is not usable ({problem}); rebuilding it", file=sys.stderr, flush=True)
            _set_aside(target)
        _build(files, data, key, root, checksums)
        built = True
    checksums.save()
    lock = (target / STAMP).open("rb")
    fcntl.flock(lock, fcntl.LOCK_SH)
    _remove_unused(root, keep=key)
    return Persisted(target, built, lock)


def reason(error: OSError) -> str:
    """Why a write failed, in a few words: pyoxigraph reports RocksDB's failures without an errno."""
    text = str(error)
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or "No space left" in text or "File too large" in text:
        return "the disk is full"
    if error.errno == errno.EROFS or "Read-only file system" in text:
        return "the file system is read-only"
    return error.strerror or text.splitlines()[0]


def _writable_error(root: Path, error: OSError) -> DiskStoreError:
    return DiskStoreError(
        f"{root}: cannot write the query store here ({reason(error)}); nothing was left half-written. "
        "Free space, or point --store-dir (OFSTED_KG_STORE_DIR) at a writable folder"
    )


def _build(files: list[Path], data: list[dict], key: str, root: Path, checksums: Checksums) -> None:
    temporary = root / f".building-{key}-{os.getpid()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(temporary, ignore_errors=True)
        store = ox.Store(str(temporary))
        try:
            bulk_load.load(store, files)  # every core: a line-based file in parts, files side by side
            store.flush()
            store.optimize()
        finally:
            del store  # closes RocksDB: every file of it is written before the stamp lists them
        _write_stamp(temporary, key, data, checksums, (root / key).resolve())
        try:
            os.rename(temporary, root / key)
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            # Another server built the same version first: its store is as good as ours.
            shutil.rmtree(temporary, ignore_errors=True)
        sync(root)
    except DataError:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise _writable_error(root, error) from None


def _write_stamp(folder: Path, key: str, data: list[dict], checksums: Checksums, final: Path) -> None:
    listed = {}
    for path in sorted(folder.iterdir()):
        # LOCK and the info LOG are RocksDB's own scratch: they change without the data changing.
        if path.is_file() and path.name != "LOCK" and not path.name.startswith("LOG"):
            sync(path)
            taken = time.time_ns()
            sha = file_sha256(path)
            listed[path.name] = [path.stat().st_size, sha]
            checksums.record(path, str(final / path.name), sha, taken)
    stamp = {"key": key, "pyoxigraph": ox.__version__, "layout": LAYOUT, "data": data, "files": listed}
    write_atomically(folder / STAMP, json.dumps(stamp, indent=1).encode())


def _set_aside(folder: Path) -> None:
    """Move a damaged store out of its key's name at once (one rename), then delete it."""
    trash = folder.with_name(f".trash-{folder.name}-{os.getpid()}")
    try:
        os.rename(folder, trash)
    except OSError as error:
        raise _writable_error(folder.parent, error) from None
    shutil.rmtree(trash, ignore_errors=True)


def dump_dir(persisted: Persisted) -> Path:
    """Where `serve` keeps the dumps of this version by default: beside its store, so a restart
    on the same data reuses them, and they go when the version's store goes."""
    return persisted.path.with_name(persisted.path.name + DUMPS)


def _remove_unused(root: Path, keep: str) -> None:
    """Delete older versions no running server holds, their dumps, and leftovers of interrupted builds."""
    for entry in root.iterdir():
        if entry.name in (keep, keep + DUMPS):
            continue
        if entry.name == Checksums.FILE or entry.name.startswith(Checksums.FILE + "."):
            continue
        if entry.name.endswith(DUMPS):
            if not (root / entry.name.removesuffix(DUMPS)).exists():
                shutil.rmtree(entry, ignore_errors=True)  # its store is gone: no server serves it
            continue
        if entry.name.startswith((".building-", ".trash-")):
            pid = entry.name.rsplit("-", 1)[-1]
            if pid.isdigit() and alive(int(pid)):
                continue
        elif not (entry / STAMP).is_file():
            continue  # not ours: leave it
        else:
            with (entry / STAMP).open("rb") as stamp:
                try:
                    fcntl.flock(stamp, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a running server still serves that version
        shutil.rmtree(entry, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_read_only(path: Path | str) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise DiskStoreError(f"{path}: cannot open the query store ({str(error).splitlines()[0]})") from None
