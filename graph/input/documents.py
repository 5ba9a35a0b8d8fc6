"""Source files -> text: the one place that reads document bytes.

PDFs go through PDFium (pypdfium2), which keeps reading order and is an order of magnitude
faster than pure-Python extractors on these reports. Its text is normalised so offsets stay
meaningful: line ends become "\\n", each page ends with a form feed "\\f" (the pdftotext
convention, so evidence can name a page), and PDFium's U+FFFE marker for a hyphen at a line
break becomes "-" (Ofsted reports are not hyphenated for justification: a hyphen at a line
end is a real one, as in "Stoke-on-Trent" or "multi-agency").

Text files (.txt, .md) must be UTF-8. The extracted text is what every evidence offset in
the graph indexes; the build writes it beside the graph so anyone can check a quote.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..model.user_errors import DocumentError

MEDIA_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown"}
MIN_PDF_TEXT = 200  # characters; below this a PDF is taken to be a scan with no text layer
# The largest report of the corpus is under 1 MB of PDF and a few hundred KB of text: ten times
# that is room to spare, and refuses a runaway file (50 MB of text took 140 s to parse) at once.
MAX_DOCUMENT_MB = 10


@dataclass(frozen=True)
class DocumentText:
    path: Path
    key: str
    sha256: str
    media_type: str
    text: str


def document_key(sha256: str) -> str:
    """A document's key: the first 16 hex digits of its content hash, so the same file has
    the same IRI wherever it is found (seeds/ and the corpus hold the same PDFs)."""
    return sha256[:16]


def read_bytes(path: Path, max_mb: float = MAX_DOCUMENT_MB) -> bytes:
    """The file's bytes, refused unread when the file is larger than the limit."""
    if MEDIA_TYPES.get(path.suffix.lower()) is None:
        raise DocumentError(path, f"unsupported file type {path.suffix or '(none)'!r}; expected .pdf, .txt or .md")
    try:
        size = path.stat().st_size
        if size > max_mb * 1e6:
            raise DocumentError(
                path, f"is {size / 1e6:.1f} MB, over the {max_mb:g} MB limit for one document (--max-document-mb)"
            )
        return path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror})") from None


def read_document(path: Path, max_mb: float = MAX_DOCUMENT_MB, data: bytes | None = None) -> DocumentText:
    """The document's text; `data` is its bytes where the caller has read them already."""
    if data is None:
        data = read_bytes(path, max_mb)
    media_type = MEDIA_TYPES[path.suffix.lower()]  # read_bytes refuses any other suffix
    if not data.strip():
        raise DocumentError(path, "is empty")
    sha = hashlib.sha256(data).hexdigest()
    text = pdf_text(path, data) if media_type == "application/pdf" else plain_text(path, data)
    if len(text) > max_mb * 1e6:  # a PDF whose text is larger than the file allowed: refused before parsing
        raise DocumentError(
            path, f"has {len(text):,} characters of text, over the {max_mb:g} MB limit for one document (--max-document-mb)"
        )
    return DocumentText(path=path, key=document_key(sha), sha256=sha, media_type=media_type, text=text)


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-").replace("\x00", "")


def plain_text(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(path, f"is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})") from None
    return normalise(text.removeprefix("\ufeff"))


def pdf_text(path: Path, data: bytes) -> str:
    import pypdfium2 as pdfium  # imported here: only PDF builds pay for loading PDFium

    if not data.startswith(b"%PDF-"):
        if re.match(rb"\s*(?:<!doctype html|<html)", data[:200], re.I):
            raise DocumentError(path, "is an HTML page saved as .pdf, not a PDF (a download that fetched a web page)")
        raise DocumentError(path, "is not a PDF (no %PDF- header)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise DocumentError(path, "is an encrypted PDF; give an unencrypted copy") from None
        raise DocumentError(path, f"is a damaged PDF ({reason})") from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(normalise(textpage.get_text_range()))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise DocumentError(path, f"is a damaged PDF ({error})") from None
    finally:
        pdf.close()
    text = "\f".join(pages) + "\f"
    if len(text.strip()) < MIN_PDF_TEXT:
        pages_ = f"{len(pages)} page" + ("s" if len(pages) != 1 else "")
        raise DocumentError(path, f"has no text layer ({len(text.strip())} characters on {pages_}): a scan needs OCR first")
    return text
