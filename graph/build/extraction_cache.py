"""The build's cache of what reading each document gave, so a rebuild re-reads only new or
changed documents.

An entry holds one document's extraction and text (or the problem that stopped it); the
result of checking its own evidence against the shapes (validate.py's document-local part),
made after reading (evidence_checks.py), is an entry of its own beside it, under the same key
with a prefix. The key is a hash of three things, so nobody has to remember to clear anything:
- the file's bytes (SHA-256): a changed document is read again;
- the loaders' version: a hash of this package's code, the ontology and reference tables it
  reads, and the versions of the libraries that turn bytes into text and check it, so editing
  a parser invalidates every entry;
- the document's metadata: its file name, its manifest entry and the values of its catalogue
  facts (publication date, URL), since they go into the extraction; not the offsets of the
  words quoting them, which reading.py joins after the cache (a file added to a folder moves
  every later line of its listing, and must not make the others be read again).
A catalogue's own evidence check (sources.check_catalogues) is kept here too, keyed by the
catalogue's bytes and the entries it gives.

Entries live in `<cache>/<loaders' version>/`, one file each: a checksum line, then the
pickled entry. An entry that is truncated, corrupt or unreadable is ignored and the document
read again. A cache is only ever read back by the build that wrote it (it sits beside the
graph, or where --cache says), so pickle is safe here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only: the records and the validation are not this module's to load
    from ..model.records import Extraction
    from ..rdf.validate import Validation

PACKAGE = Path(__file__).resolve().parents[1]  # graph/: all of the loaders' code
FORMAT = b"ofsted-kg-extraction 1"
RECORD = "last-build"  # the fingerprint of the last build's inputs and what it wrote
LIBRARIES = ("pypdfium2", "rdflib", "pyshacl", "PyYAML")  # bytes -> text -> records -> checked triples


@dataclass(frozen=True)
class Extracted:
    """What reading one document gave: (extraction, text) or the problem; or, as an entry of
    its own, the check of a document's or a catalogue's evidence."""

    extraction: Extraction | None = None
    text: str | None = None
    evidence_check: Validation | None = None  # of a document's or catalogue's own evidence
    problem: str | None = None  # why the document could not be read (its DocumentError's problem)


def reference_files() -> list[Path]:
    """The files besides code whose content decides what a document yields: the ontology
    (concept labels the parsers match, the shapes) and the reference tables."""
    from ..reference import councils, legislation, vocabulary, wikidata

    return sorted(vocabulary.ONTOLOGY_DIR.glob("*.ttl")) + [councils.LOOKUP, legislation.TABLE, wikidata.TABLE]


def loader_version(package: Path = PACKAGE) -> str:
    """A hash of everything that turns a document into records and checks them: the code of
    `package` (this one), the reference files and the libraries' versions."""
    digest = hashlib.sha256(FORMAT + f" python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    for library in LIBRARIES:
        digest.update(f"\n{library} {metadata.version(library)}".encode())
    for path in sorted(package.rglob("*.py")) + reference_files():
        digest.update(f"\n{path.relative_to(path.parent.parent)} {path.stat().st_size}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Entries under `folder`, for the loaders' version of this code."""

    def __init__(self, folder: Path, version: str | None = None):
        self.root = folder
        self.folder = folder / (version or loader_version())
        self.hits = self.misses = 0
        self.used: set[str] = set()  # keys this build looked up: the entries prune() keeps

    def key(self, data: bytes, file_name: str, metadata: object) -> str:
        """The entry's key: the document's bytes, its file name and its catalogue facts (their
        repr: dataclasses and dicts of plain values print the same way in every run)."""
        digest = hashlib.sha256(hashlib.sha256(data).digest())
        digest.update(f"\n{file_name}\n{metadata!r}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> Extracted | None:
        entry = self.load(self.folder / key, Extracted)
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def peek(self, key: str) -> Extracted | None:
        """The entry under `key`, not counted as a document's hit or miss."""
        return self.load(self.folder / key, Extracted)

    def put(self, key: str, entry: Extracted) -> None:
        self.store(self.folder / key, entry)

    def recorded(self, fingerprint: str) -> dict | None:
        """What the last build of these very inputs wrote (see build.py), if it was this one."""
        record = self.load(self.folder / RECORD, dict)
        return record if record and record.get("fingerprint") == fingerprint else None

    def record(self, value: dict) -> None:
        self.store(self.folder / RECORD, value)

    @staticmethod
    def load(path: Path, kind: type):
        """The object stored at `path`, or None when it is missing, damaged or not a `kind`."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        header, _, payload = raw.partition(b"\n")
        if header != FORMAT + b" " + hashlib.sha256(payload).hexdigest().encode():
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # a checksum that matches a payload that does not unpickle: a code change pickle cannot follow
            return None
        return value if isinstance(value, kind) else None

    def store(self, path: Path, value: object) -> None:
        """Written to a temporary file and renamed, so a build stopped half-way leaves no half entry."""
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(FORMAT + b" " + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
            os.replace(temporary, path)
        except BaseException:  # a full disk: no half entry left behind
            temporary.unlink(missing_ok=True)
            raise

    def prune(self, keep: set[str]) -> None:
        """Drop entries no longer used: those of other loaders' versions (never read again) and
        those of this version that the finished build did not use (documents changed or gone)."""
        if not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                # a folder is another module's state for this code, which keeps its own: the
                # mapping cache's (mapping_cache.py), the shapes' stores (rdf/rebuild_validation.py)
                if path.name not in keep and path.name != RECORD and not path.is_dir():
                    path.unlink(missing_ok=True)
