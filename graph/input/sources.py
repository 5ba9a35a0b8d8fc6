"""Input paths -> documents -> extractions: finding the files, knowing what each one is,
and handing it to the parser for its kind.

A folder's manifest.yaml (see manifest.py) says what its files are; files it does not list
are recognised by their content. Every problem is collected, not raised at the first one, so
a run reports all bad documents together and keeps what the good ones gave.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import kinds
from ..build.evidence_checks import EvidenceChecks
from ..build.extraction_cache import ExtractionCache
from ..build.reading import read_all
from ..model.records import CatalogueEntry, Extraction, OrgRef, SourceDocument
from ..model.user_errors import DocumentError, OfstedKGError, UnknownDocumentKind
from ..parsers import legacy
from ..parsers.checks import check_report
from ..parsers.letter import is_letter, parse_letter
from ..parsers.press import is_press_release, parse_press
from ..parsers.report import framework, parse_report, report_title
from ..rdf.namespaces import OGL
from ..reference.councils import CouncilIndex
from ..reference.vocabulary import Vocabulary
from .documents import MAX_DOCUMENT_MB, MEDIA_TYPES, DocumentText, read_document
from .manifest import Entry, read_manifest
from .publication import Catalogue, gather

if TYPE_CHECKING:
    from ..rdf.validate import Validation

REFERENCE_PUBLISHERS = {
    "ofsted": "ofsted",
    "community care": "community-care",
    "department for education": "department-for-education",
}


@dataclass
class Reading:
    extractions: list[Extraction] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # document key -> extracted text
    errors: list[DocumentError] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)  # one per file, for the extraction report
    evidence_checks: dict[str, Validation | None] = field(default_factory=dict)  # catalogue key -> its evidence's
    # the documents' own evidence checks: noted as each is read, made once reading ends (evidence_checks.py)
    evidence: EvidenceChecks = field(default_factory=lambda: EvidenceChecks(None))


@dataclass(frozen=True)
class Outcome:
    """What became of one file: read (with what was extracted and what was not) or failed (why)."""

    file: str
    status: str  # read | failed | duplicate | catalogue (a list of documents' dates and URLs, quoted as evidence)
    reason: str | None = None
    key: str | None = None
    kind: str | None = None
    council: str | None = None
    framework: str | None = None
    start: str | None = None
    extracted: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()


def discover(inputs: list[Path]) -> tuple[list[Path], list[DocumentError]]:
    files: list[Path] = []
    errors: list[DocumentError] = []
    for path in inputs:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in MEDIA_TYPES)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(DocumentError(path, "no such file or folder"))
    return files, errors


def read_sources(
    files: list[Path],
    missing: list[DocumentError],
    vocab: Vocabulary,
    councils: CouncilIndex,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    cache: ExtractionCache | None = None,
    max_mb: float = MAX_DOCUMENT_MB,
    inputs: list[Path] | None = None,
) -> Reading:
    """Read the documents discover() found under `inputs`, through the cache, `jobs` at a time
    (reading.py); `missing` are the inputs it could not find, reported with the rest. Each task
    carries the file's manifest entry and its catalogue entries (publication.py), so what is
    known of a file besides its bytes travels with it (and into the cache key). The documents'
    own evidence checks are `reading.evidence`'s to make; the catalogues' are made here."""
    tasks, task_errors, catalogues = tasks_for(files, inputs)
    reading = Reading(errors=list(missing) + task_errors, evidence=EvidenceChecks(cache))
    for path, result in read_all(tasks, vocab, councils, jobs, progress, cache, max_mb, reading.evidence):
        if result.problem is not None:
            error = DocumentError(path, result.problem)
            reading.errors.append(error)
            reading.outcomes.append(Outcome(str(path), "failed", reason=result.problem))
            continue
        extraction, text = result.extraction, result.text
        assert extraction is not None and text is not None  # an entry with no problem has both
        key = extraction.document.key
        if key in reading.texts:  # the same file twice (seeds/ and the corpus): read it once
            reading.outcomes.append(Outcome(str(path), "duplicate", key=key, reason="same bytes as another file"))
            continue
        reading.extractions.append(extraction)
        reading.texts[key] = text
        reading.outcomes.append(outcome(path, extraction))
    add_catalogues(reading, catalogues)
    check_catalogues(reading, catalogues, vocab, cache)
    return reading


def tasks_for(files: list[Path], inputs: list[Path] | None = None):
    """Each file with what its folder's manifest and the catalogues say of it; the manifests and
    catalogues that could not be read; the catalogues by key."""
    facts = gather(inputs or sorted({f.parent for f in files}), files)
    tasks: list[tuple[Path, Entry | None, tuple[CatalogueEntry, ...]]] = []
    errors: list[DocumentError] = list(facts.errors)
    manifests: dict[Path, dict[str, Entry]] = {}
    for path in files:
        try:
            if path.parent not in manifests:
                manifests[path.parent] = read_manifest(path.parent)
        except DocumentError as error:
            manifests[path.parent] = {}
            errors.append(error)
        tasks.append((path, manifests[path.parent].get(path.name), facts.entries.get(path, ())))
    return tasks, errors, facts.catalogues


def add_catalogues(reading: Reading, catalogues: dict[str, Catalogue]) -> None:
    """The catalogues that documents read cite, as documents of their own: their text is what
    the evidence of publication dates and URLs points into."""
    cited = sorted({e.catalogue for x in reading.extractions for e in x.document.entries})
    for key in cited:
        if key in reading.texts:
            continue
        catalogue = catalogues[key]
        reading.extractions.append(Extraction(document=catalogue.as_document()))
        reading.texts[key] = catalogue.text
        reading.outcomes.append(Outcome(catalogue.where, "catalogue", key=key, kind="catalogue"))


def check_catalogues(
    reading: Reading, catalogues: dict[str, Catalogue], vocab: Vocabulary, cache: ExtractionCache | None
) -> None:
    """Each cited catalogue's evidence (what it says of the documents read) against the
    document-local shapes, kept in the cache under the catalogue's bytes and those entries:
    unchanged when a document changes, checked again when a file is added to its listing."""
    from ..build.extraction_cache import Extracted
    from ..rdf.validate import check_catalogue_evidence

    for key in sorted({e.catalogue for x in reading.extractions for e in x.document.entries}):
        cited = [(x.document.key, e) for x in reading.extractions for e in x.document.entries if e.catalogue == key]
        entry_key = "of-catalogue-" + cache.key(catalogues[key].sha256.encode(), "catalogue", cited) if cache else ""
        found = cache.peek(entry_key) if cache else None  # not a document: not counted as a hit or miss
        if cache:
            cache.used.add(entry_key)
        if found is None:
            found = Extracted(evidence_check=check_catalogue_evidence(key, cited, vocab))
            if cache:
                cache.put(entry_key, found)
        reading.evidence_checks[key] = found.evidence_check


def read_one(
    task: tuple[Path, Entry | None, tuple[CatalogueEntry, ...]],
    vocab: Vocabulary,
    councils: CouncilIndex,
    data: bytes | None = None,
    max_mb: float = MAX_DOCUMENT_MB,
):
    """One document (its bytes `data` where read already): its extraction and text, or the
    DocumentError that stopped it. A report whose extraction fails the consistency checks
    (checks.py) fails with the reasons."""
    path, entry, listed = task
    try:
        doc = read_document(path, max_mb, data)
        extraction = extract(doc, entry, vocab, councils, listed)
        # kinds any document may hold (legislation cited) are read apart from the document's own parser
        read: dict[str, Any] = {kind.name: kind.read(doc) for kind in kinds.KINDS if kind.read}
        extraction = replace(extraction, **read)
        if extraction.document.kind == "report" and (problems := check_report(extraction, councils)):
            raise DocumentError(path, "inconsistent: " + "; ".join(problems))
        return extraction, doc.text
    except DocumentError as error:
        return error
    except OfstedKGError as error:
        return DocumentError(path, str(error))


def outcome(path: Path, extraction: Extraction) -> Outcome:
    own = extraction.inspections[0] if extraction.inspections else None
    extracted = {kind.name: len(getattr(extraction, kind.name)) for kind in kinds.KINDS}
    missing = []
    if extraction.document.kind in ("report", "letter"):
        missing = [
            f"{kind.name}: {kind.expected}"
            for kind in kinds.KINDS
            if kind.expected and extraction.document.kind in kind.expected_in and not extracted[kind.name]
        ]
        if own and not own.published:
            missing.append(
                "publication date: not printed (the catalogue's date is used)"
                if extraction.document.issued
                else "publication date: not printed, and no catalogue or file name gives it"
            )
        for area in extraction.not_judged:
            missing.append(f"{area}: printed as 'Not judged'")
    return Outcome(
        str(path),
        "read",
        key=extraction.document.key,
        kind=extraction.document.kind,
        council=extraction.councils[0] if extraction.councils else None,
        framework=own.ref.kind if own else None,
        start=own.ref.start if own else None,
        extracted=extracted,
        missing=tuple(missing),
    )


LEGACY_REPORT = re.compile(
    r"Inspection\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:['\u2019]s)?\s+services"
    r"|Inspection\s+of\s+safeguarding\s+services",
    re.I,
)
OFSTED_PUBLICATION = re.compile(r"\u00a9\s*Crown\s+copyright|www\.ofsted\.gov\.uk", re.I)


def kind_of(doc: DocumentText) -> str:
    if is_letter(doc.text):
        return "letter"
    if framework(doc.text) or legacy.recognise(doc.text):
        return "report"
    if LEGACY_REPORT.search(doc.text[:1500]):  # the 2009-12 combined or safeguarding-only layouts
        raise UnknownDocumentKind(
            doc.path,
            "is a pre-2013 inspection of safeguarding services, or of safeguarding and "
            "looked after children services, a layout these loaders do not read",
        )
    if is_press_release(doc.text) and not OFSTED_PUBLICATION.search(doc.text[:1500]):
        return "press-release"
    if re.search(r"\bOfsted\b", doc.text) and re.search(r"\binspect", doc.text):
        return "news"
    raise UnknownDocumentKind(doc.path, "is not an Ofsted report or letter, a press release or a news article about one")


def extract(
    doc: DocumentText, entry: Entry | None, vocab: Vocabulary, councils: CouncilIndex, listed: tuple[CatalogueEntry, ...] = ()
) -> Extraction:
    kind = entry.kind if entry else kind_of(doc)
    meta = describe(doc, kind, entry, councils, listed)
    if kind == "report":
        return (legacy.parse_legacy if legacy.recognise(doc.text) else parse_report)(doc, vocab, meta)
    if kind == "letter":
        return parse_letter(doc, vocab, meta)
    return parse_press(doc, vocab, meta, councils.names)


def describe(
    doc: DocumentText, kind: str, entry: Entry | None, councils: CouncilIndex, listed: tuple[CatalogueEntry, ...] = ()
) -> SourceDocument:
    """The document's catalogue record: title, publisher and licence from the manifest where
    there is one, else from the file itself (Ofsted's reports and letters, published under
    the OGL); its date and URL from its catalogue entries (publication.py), which quote them."""
    issued = next((e.issued for e in listed if e.issued), None)
    url = next((e.url for e in listed if e.url), None)
    if entry:
        return SourceDocument(
            key=doc.key,
            file_name=doc.path.name,
            media_type=entry.format or doc.media_type,
            sha256=doc.sha256,
            character_count=len(doc.text),
            kind=kind,
            title=entry.title,
            issued=issued,
            publisher=publisher(entry.publisher, councils, doc.path),
            licence=entry.licence,
            rights=entry.rights,
            url=url,
            entries=listed,
        )
    first = next((line.strip("# ").strip() for line in doc.text.splitlines() if len(line.strip()) > 3), doc.path.stem)
    if kind == "report":
        first = report_title(doc.text) or first
    official = kind in ("report", "letter")
    return SourceDocument(
        key=doc.key,
        file_name=doc.path.name,
        media_type=doc.media_type,
        sha256=doc.sha256,
        character_count=len(doc.text),
        kind=kind,
        title=first[:300],
        issued=issued,
        url=url,
        entries=listed,
        publisher=OrgRef("org", "ofsted") if official else None,
        licence=OGL if official else None,
    )


def publisher(name: str, councils: CouncilIndex, where: Path) -> OrgRef:
    if name.lower() in REFERENCE_PUBLISHERS:
        return OrgRef("org", REFERENCE_PUBLISHERS[name.lower()])
    if councils.resolve(name):
        return OrgRef("council", name)
    raise DocumentError(
        where,
        f"the manifest's publisher {name!r} is neither a council in la_lookup.csv nor one of {', '.join(sorted(REFERENCE_PUBLISHERS))}",
    )
