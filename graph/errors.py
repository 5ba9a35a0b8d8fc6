"""The errors a user can cause, and the exit codes the CLI gives them.

One hierarchy for input problems (after pySHACL's): each message names the file and what
was wrong with it, in one line, so a run can report every bad document together and still
build from the good ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_NOT_CONFORMANT = 1  # the graph broke a SHACL shape: nothing written
EXIT_BAD_INPUT = 2  # a document, manifest or option could not be used


class OfstedKGError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass
class DocumentError(OfstedKGError):
    """A source document that cannot be read or understood."""

    path: Path | str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


class ManifestError(DocumentError):
    """The seeds manifest is missing a field or names a file that is not there."""


class UnknownDocumentKind(DocumentError):
    """Text that none of the parsers recognises (not an Ofsted report, letter, news or press release)."""


class VocabularyError(OfstedKGError):
    """The ontology's concept schemes lack a label the loaders depend on."""


class InputErrors(OfstedKGError):
    """Several documents failed in one run; carried together so none hides another."""

    def __init__(self, errors: list[DocumentError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))
