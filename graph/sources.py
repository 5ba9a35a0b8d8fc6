"""Input paths -> documents -> extractions: finding the files, knowing what each one is,
and handing it to the parser for its kind.

A folder's manifest.yaml (see manifest.py) says what its files are; files it does not list
are recognised by their content. Every problem is collected, not raised at the first one, so
a run reports all bad documents together and keeps what the good ones gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .councils import CouncilIndex
from .dates import parse_date
from .documents import MEDIA_TYPES, DocumentText, read_document
from .errors import DocumentError, OfstedKGError, UnknownDocumentKind
from .manifest import Entry, read_manifest
from .namespaces import OGL
from .parsers.letter import is_letter, parse_letter
from .parsers.press import is_press_release, parse_press
from .parsers.report import framework, parse_report, report_title
from .records import Extraction, OrgRef, SourceDocument
from .vocabulary import Vocabulary

REFERENCE_PUBLISHERS = {"ofsted": "ofsted", "community care": "community-care", "department for education": "department-for-education"}


@dataclass
class Reading:
    extractions: list[Extraction] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # document key -> extracted text
    errors: list[DocumentError] = field(default_factory=list)


def discover(inputs: list[Path]) -> tuple[list[Path], list[DocumentError]]:
    files, errors = [], []
    for path in inputs:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in MEDIA_TYPES)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(DocumentError(path, "no such file or folder"))
    return files, errors


def read_sources(inputs: list[Path], vocab: Vocabulary, councils: CouncilIndex) -> Reading:
    reading = Reading()
    files, reading.errors = discover(inputs)
    manifests: dict[Path, dict[str, Entry]] = {}
    seen: set[str] = set()
    for path in files:
        try:
            if path.parent not in manifests:
                manifests[path.parent] = read_manifest(path.parent)
            doc = read_document(path)
            if doc.key in seen:
                continue  # the same file twice (seeds/ and the corpus): read it once
            seen.add(doc.key)
            extraction = extract(doc, manifests[path.parent].get(path.name), vocab, councils)
        except DocumentError as error:
            reading.errors.append(error)
            continue
        except OfstedKGError as error:
            reading.errors.append(DocumentError(path, str(error)))
            continue
        reading.extractions.append(extraction)
        reading.texts[doc.key] = doc.text
    return reading


def kind_of(doc: DocumentText) -> str:
    if is_letter(doc.text):
        return "letter"
    if framework(doc.text):
        return "report"
    if is_press_release(doc.text):
        return "press-release"
    if re.search(r"\bOfsted\b", doc.text) and re.search(r"\binspect", doc.text):
        return "news"
    raise UnknownDocumentKind(doc.path, "is not an Ofsted report or letter, a press release or a news article about one")


def extract(doc: DocumentText, entry: Entry | None, vocab: Vocabulary, councils: CouncilIndex) -> Extraction:
    kind = entry.kind if entry else kind_of(doc)
    meta = describe(doc, kind, entry, councils)
    if kind == "report":
        return parse_report(doc, vocab, meta)
    if kind == "letter":
        return parse_letter(doc, vocab, meta)
    return parse_press(doc, vocab, meta, councils.names)


def describe(doc: DocumentText, kind: str, entry: Entry | None, councils: CouncilIndex) -> SourceDocument:
    """The document's catalogue record: from the manifest where there is one, else from the
    file itself (Ofsted's reports and letters, published under the OGL, dated by their file name)."""
    if entry:
        return SourceDocument(
            key=doc.key, file_name=doc.path.name, media_type=entry.format or doc.media_type, sha256=doc.sha256,
            character_count=len(doc.text), kind=kind, title=entry.title, issued=entry.issued,
            publisher=publisher(entry.publisher, councils, doc.path), licence=entry.licence, rights=entry.rights,
            url=entry.url,
        )
    first = next((line.strip("# ").strip() for line in doc.text.splitlines() if len(line.strip()) > 3), doc.path.stem)
    if kind == "report":
        first = report_title(doc.text) or first
    issued = None
    if m := re.search(r"(\d{1,2} [a-z]+ \d{4})$", doc.path.stem, re.I):
        try:
            issued = parse_date(m[1])
        except ValueError:
            issued = None
    official = kind in ("report", "letter")
    return SourceDocument(
        key=doc.key, file_name=doc.path.name, media_type=doc.media_type, sha256=doc.sha256,
        character_count=len(doc.text), kind=kind, title=first[:300], issued=issued,
        publisher=OrgRef("org", "ofsted") if official else None, licence=OGL if official else None,
    )


def publisher(name: str, councils: CouncilIndex, where: Path) -> OrgRef:
    if name.lower() in REFERENCE_PUBLISHERS:
        return OrgRef("org", REFERENCE_PUBLISHERS[name.lower()])
    if councils.resolve(name):
        return OrgRef("council", name)
    raise DocumentError(where, f"the manifest's publisher {name!r} is neither a council in la_lookup.csv nor one of {', '.join(sorted(REFERENCE_PUBLISHERS))}")
