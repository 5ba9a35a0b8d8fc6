"""The errors a user can cause, and the exit codes the CLI gives them.

One hierarchy for input problems (after pySHACL's): each message names the file and what
was wrong with it, in one line, so a run can report every bad document together and still
build from the good ones.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Every exit code of every `ofsted-kg` command, once (README, "Exit codes")."""

    OK = 0
    NOT_CONFORMANT = 1  # the graph broke a SHACL shape: nothing written
    BAD_INPUT = 2  # a document, manifest, option, setting or store could not be used
    PARTIAL = 3  # written from what worked; some documents (build) or files (fetch) failed, each listed
    CANNOT_WRITE = 4  # an output (graph, texts, report, cache; the server's store or dumps) cannot be written
    SITE_CHANGED = 5  # fetch: a page lacks the structure it reads; nothing written
    NO_ISOLATION = 5  # serve: the query workers cannot be taken off the network (a different command's 5)
    SITE_UNREACHABLE = 6  # fetch: a listing or provider page could not be fetched; nothing written
    WORKER_DIED = 7  # build: a reader or checker process was killed (out of memory?); nothing written
    INTERRUPTED = 130  # the shell's own code for a command stopped by Ctrl-C


def one_line(text: object) -> str:
    """Text for a one-line message: control and format characters (a newline in a file name,
    an escape sequence, a right-to-left override) shown as escapes, so a name cannot break the
    line or disguise itself."""
    return "".join(escape(c) if unicodedata.category(c).startswith("C") else c for c in str(text))


def escape(character: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(character) or (
        f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"
    )


class OfstedKGError(Exception):
    """Base of every error this package raises on purpose; the CLI exits with its `exit_code`."""

    exit_code: int = ExitCode.BAD_INPUT


@dataclass
class DocumentError(OfstedKGError):
    """A source document that cannot be read or understood."""

    path: Path | str
    problem: str

    def __str__(self) -> str:
        return one_line(f"{self.path}: {self.problem}")


class ManifestError(DocumentError):
    """The seeds manifest is missing a field or names a file that is not there."""


class UnknownDocumentKind(DocumentError):
    """Text that none of the parsers recognises (not an Ofsted report, letter, news or press release)."""


class VocabularyError(OfstedKGError):
    """The ontology's concept schemes lack a label the loaders depend on."""


class CannotWrite(OfstedKGError):
    """An output the build must write cannot be: the folder is read-only, missing a parent, or a
    file stands where a folder must be. Found before anything is replaced."""

    exit_code = ExitCode.CANNOT_WRITE

    def __init__(self, path: Path | str, why: str):
        self.path, self.why = path, why
        super().__init__(one_line(f"{path}: {why}"))


class WorkerDied(OfstedKGError):
    """A process the build started (a document reader, a check of the graph) ended without an
    answer: killed by a signal, the kernel's out-of-memory killer's SIGKILL most likely."""

    exit_code = ExitCode.WORKER_DIED


class InputErrors(OfstedKGError):
    """Several documents failed in one run; carried together so none hides another."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
