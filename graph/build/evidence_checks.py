"""Each document's own evidence against the document-local shapes
(validate.check_document_evidence), checked off the readers' way.

The readers only read: the check was a fifth of their time, and the build's reading keeps
every core busy, while resolving the account and mapping it to triples leave all but one
idle. So reading.py notes each document read (`want`), and the checks the extraction cache
does not hold start in forked processes when reading ends (`checking`), one a core the build
leaves idle, and run while the build resolves and maps; the build collects them for its
"validate" lap. One job, or no fork on the system: they are checked there, in the build's
process. A checker the kernel kills ends the build with one line, nothing written (forked.py).

Each check is cached beside its document's entry (`of-document-<entry key>`: the same bytes,
metadata and loaders' version), so a rebuild checks only the documents read again, and any
whose check a stopped build did not keep. A check is made of the extraction as the reader
gave it, before the catalogue entries join it (reading.with_catalogue): the catalogues' words
are checked with each catalogue (sources.check_catalogues).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

from ..rdf import forked
from .extraction_cache import Extracted, ExtractionCache

if TYPE_CHECKING:
    from ..model.records import Extraction
    from ..rdf.validate import Validation

PREFIX = "of-document-"  # a check's cache entry: this, then its document's entry key (a catalogue's: "of-catalogue-")


class EvidenceChecks:
    """The documents' evidence checks of one build: those the cache holds, and those to make."""

    def __init__(self, cache: ExtractionCache | None):
        self.cache = cache
        self.known: dict[str, Validation] = {}  # document key -> its check
        self.wanted: dict[str, tuple[Extraction, str | None]] = {}  # document key -> (its extraction as read, its check's entry key)

    def want(self, extraction: Extraction, entry_key: str | None) -> None:
        """A document read (or taken from the cache under `entry_key`): its check is the
        cache's, or to be made. The same document in two files is checked once, as the first."""
        key = extraction.document.key
        if key in self.known or key in self.wanted:
            return
        check_key = PREFIX + entry_key if self.cache and entry_key else None
        if self.cache and check_key:
            self.cache.used.add(check_key)
            found = self.cache.peek(check_key)  # not a document: not counted as a hit or miss
            if found is not None and found.evidence_check is not None:
                self.known[key] = found.evidence_check
                return
        self.wanted[key] = (extraction, check_key)

    @contextmanager
    def checking(self, vocab, jobs: int) -> Iterator[Callable[[], dict[str, Validation]]]:
        """The wanted checks started in forked processes (`jobs` - 1 of them: the build's own
        process goes on meanwhile), or with one job none: yields a function that waits for
        them and gives every document's check by its key, the new ones cached. On leaving,
        a checker still running (the build failed meanwhile) is killed."""
        wanted = list(self.wanted.items())
        if jobs < 2 or not forked.available() or not wanted:
            yield lambda: self.checked(check_all(wanted, vocab))
            return
        groups = [wanted[i::jobs - 1] for i in range(min(jobs - 1, len(wanted)))]
        with forked.forked([partial(check_all, group, vocab) for group in groups], "checking the documents' evidence") as answers:
            yield lambda: self.checked({key: check for answer in answers() for key, check in answer.items()})

    def checked(self, made: dict[str, Validation]) -> dict[str, Validation]:
        """Every document's check, with the new ones `made` (kept in the cache)."""
        for key, check in made.items():
            check_key = self.wanted.pop(key, (None, None))[1]  # None: asked before
            if self.cache and check_key:
                self.cache.put(check_key, Extracted(evidence_check=check))
            self.known[key] = check
        return self.known


def check_all(wanted: list[tuple[str, tuple[Extraction, str | None]]], vocab) -> dict[str, Validation]:
    """Each (document key, (extraction, _)) of `wanted` checked: its check by its key."""
    from ..rdf.validate import check_document_evidence

    return {key: check_document_evidence(extraction, vocab) for key, (extraction, _) in wanted}
