"""Where a build writes, checked before anything is replaced, and written all or nothing.

A build writes the graph (`--out`), the extracted texts (`text/` beside it), the extraction
report (`extraction-report.json` beside it) and its cache. Before any document is read, each
folder is probed by creating and removing a file in it, so a read-only folder, a missing
permission or a file standing where a folder must be stops the build at once with one line
(`CannotWrite`, exit 4), nothing replaced. The graph and its report are replaced together:
both written to temporary files first, then renamed one after the other, the graph put back
if the report cannot follow, so the report on disk always describes the graph on disk.
The package's one atomic write (`write_atomically`), fsync (`sync`) and file hash
(`file_sha256`) are here too; the server's store and dumps use them.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..model.user_errors import CannotWrite

DOCUMENT_TEXT = re.compile(r"[0-9a-f]{16}\.txt")  # text/<document key>.txt


@dataclass(frozen=True)
class Outputs:
    graph: Path
    cache: Path | None = None  # None: no cache

    @property
    def texts(self) -> Path:
        return self.graph.parent / "text"

    @property
    def report(self) -> Path:
        return self.graph.parent / "extraction-report.json"

    def remove_texts_except(self, keys: set[str]) -> None:
        """Drop the texts of documents the graph no longer cites (only files named by a document key)."""
        for path in self.texts.glob("*.txt"):
            if DOCUMENT_TEXT.fullmatch(path.name) and path.stem not in keys:
                path.unlink(missing_ok=True)

    def check(self) -> None:
        """Raise CannotWrite naming the first output that could not be written."""
        for path in (self.graph, self.report):
            if path.is_dir():
                raise CannotWrite(path, "is a folder; the build writes a file here")
        check_folder(self.graph.parent, "the graph's folder")
        check_folder(self.texts, "the folder of extracted texts beside the graph")
        if self.cache is not None:
            check_folder(self.cache, "the build's cache")


def check_folder(folder: Path, what: str) -> None:
    """`folder` exists as a folder we can write in, or can be made in its nearest existing parent."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            raise CannotWrite(existing, "is a broken symbolic link")
        existing = existing.parent
    if not existing.is_dir():
        why = f"is not a folder, and {what} must be one" if existing == folder else f"is not a folder, so {folder} cannot be made"
        raise CannotWrite(existing, why)
    try:
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".ofsted-kg-probe.")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise CannotWrite(existing, f"cannot write here ({error.strerror})") from None


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_temporary(path: Path, data: bytes) -> Path:
    """`data` in a new file beside `path`, flushed to disk; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes 0600; a published dump is for everyone
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so a reader (or a killed run) sees the old file or the new,
    never half; the rename itself is synced to disk."""
    temporary = write_temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync(path: Path) -> None:
    """Flush a file's data, or a folder's entries (a rename in it), to disk; an error is raised."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex, read in blocks (never whole into memory)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform can open a folder to fsync it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform without directory file descriptors
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_unless_same(path: Path, data: bytes) -> None:
    """Atomically, and not at all where the file already holds these bytes (a rebuild's texts)."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, data)


def replace_together(first: tuple[Path, bytes], second: tuple[Path, bytes]) -> None:
    """Both files replaced, or (if anything fails) neither: the first is put back as it was
    when the second cannot be renamed into place."""
    (path_a, data_a), (path_b, data_b) = first, second
    temporary_a = write_temporary(path_a, data_a)
    temporary_b = None
    backup = None
    try:
        temporary_b = write_temporary(path_b, data_b)
        if path_a.exists():
            backup = path_a.with_name(f".{path_a.name}.previous")
            backup.unlink(missing_ok=True)
            try:
                os.link(path_a, backup)  # a second name for the old graph, to restore it from
            except OSError:  # a file system without hard links
                shutil.copy2(path_a, backup)
        os.replace(temporary_a, path_a)
        try:
            os.replace(temporary_b, path_b)
        except BaseException:
            if backup is not None:
                os.replace(backup, path_a)
                backup = None
            else:
                path_a.unlink(missing_ok=True)
            raise
    finally:
        for leftover in (temporary_a, temporary_b, backup):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
