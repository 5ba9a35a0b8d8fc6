"""Load the data files into a new on-disk store with every core, for disk_store's first start.

pyoxigraph's bulk loader keeps about one core busy per call: measured on the England graph
as N-Triples (821,591 triples, 167 MB), one call took 11.0 s and 7.4 CPU seconds, two calls
over the two halves of the file, in two threads, 6.0 s and 6.5 CPU seconds (parsing is only
1.5 of those; the rest is the store encoding, sorting and writing). The engine releases the
GIL while it loads, so threads are enough. A line-based file (N-Triples, N-Quads) is cut
into one part per core at line ends and each part loaded by its own call; a Turtle or TriG
file cannot be cut safely (a prefix or a multi-line statement spans the cut), so it is
loaded whole, beside the other files. So is a line-based file that may hold blank nodes:
the engine gives each call's blank nodes fresh names, so `_:b1` in two parts would become two
nodes (a byte search for `_:` decides; a match inside a literal only costs the split). Each part is read through a window on the file, not
into memory: at 10x England the file is 1.7 GB.

A syntax error names the file and its line in the whole file, not in the part.
"""

from __future__ import annotations

import io
import mmap
import os
import re
import threading
from pathlib import Path

import pyoxigraph as ox

from .rdf_files import DataError, invalid, rdf_format

LINE_BASED = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)
MIN_PART = 32 * 1024 * 1024  # bytes: below this a part's own SST files cost more than the thread saves
_LINE = re.compile(r"\bline (\d+)")


class _Window(io.RawIOBase):
    """Bytes `start` to `end` of a file, read as a file of their own."""

    def __init__(self, path: Path, start: int, end: int):
        self._file = path.open("rb", buffering=0)
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self._left)]
        read = self._file.readinto(view) or 0
        self._left -= read
        return read

    def close(self) -> None:
        self._file.close()
        super().close()


def parts(path: Path, count: int) -> list[tuple[int, int]]:
    """Byte ranges of `path` cut at line ends, at most `count`, none under MIN_PART unless it is all."""
    size = path.stat().st_size
    count = max(1, min(count, size // MIN_PART))
    cuts = [0]
    with path.open("rb") as f:
        for i in range(1, count):
            f.seek(max(size * i // count, cuts[-1]))
            f.readline()  # to the end of the line the cut fell in
            cuts.append(min(f.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def load(store: ox.Store, files: list[Path], threads: int | None = None) -> None:
    """Every file into `store`, in parallel; a DataError naming the file and line if one is not valid."""
    threads = threads or os.cpu_count() or 1
    jobs = []
    for path in files:
        fmt = rdf_format(path)
        whole = fmt not in LINE_BASED or _may_hold_blank_nodes(path)
        ranges = [(0, path.stat().st_size)] if whole else parts(path, threads)
        jobs += [(path, fmt, start, end, len(ranges) > 1) for start, end in ranges]
    errors: list[BaseException] = []

    def run(path: Path, fmt: ox.RdfFormat, start: int, end: int, windowed: bool) -> None:
        try:
            if windowed:
                with io.BufferedReader(_Window(path, start, end), 1024 * 1024) as window:
                    store.bulk_load(window, format=fmt)
            else:
                store.bulk_load(path=str(path), format=fmt)
        except (SyntaxError, ValueError) as error:
            errors.append(_invalid(path, fmt, start, error))
        except BaseException as error:  # noqa: BLE001  (an OSError: a full disk) raised below, in the caller
            errors.append(error)

    running = [threading.Thread(target=run, args=job, name="bulk-load") for job in jobs]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    if errors:
        raise errors[0]


def _may_hold_blank_nodes(path: Path) -> bool:
    """Whether `_:` occurs anywhere in the file (a blank node label, or those bytes in a literal)."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b"_:") >= 0


def _invalid(path: Path, fmt: ox.RdfFormat, start: int, error: Exception) -> DataError:
    text = str(error).splitlines()[0] if str(error) else ""
    if start:  # the parser counted lines from the part's start: count them from the file's
        before, left = 0, start
        with path.open("rb") as f:
            while left and (chunk := f.read(min(left, 1 << 20))):
                before, left = before + chunk.count(b"\n"), left - len(chunk)
        text = _LINE.sub(lambda m: f"line {int(m.group(1)) + before}", text, count=1)
    return invalid(path, fmt, text)
