"""Spans of evidence: the exact words, with their character offsets, a fact was read from.

Offsets index the document's extracted text (documents.py) in Unicode code points, as the
W3C Web Annotation TextPositionSelector counts them
(https://www.w3.org/TR/annotation-model/#text-position-selector). Spans are trimmed of
surrounding white space and of list bullets, so the quote starts and ends on words: a PDF's
"◼ Management oversight" is quoted from "Management". Trimming moves the offsets with it, so
text[start:end] == exact still holds.
"""

from __future__ import annotations

import re

from ..model.records import Span

CONTEXT = 32  # characters of oa:prefix / oa:suffix, enough to find the quote again if offsets drift
# List bullets as PDF text extraction gives them: Unicode's bullets and squares, and the Private
# Use Area code points of the Symbol and Wingdings fonts' glyphs ("\uf06e", "\uf0b7", "\uf02d"),
# which are never words. A hyphen or dash is not here: it can begin a quoted word ("-based").
BULLETS = frozenset("•◼◾▪■●◦‣⁃∙") | frozenset(chr(c) for c in range(0xF000, 0xF100))


def _furniture(character: str) -> bool:
    return character.isspace() or character in BULLETS


def span(text: str, document: str, start: int, end: int) -> Span:
    """The span text[start:end], trimmed of white space at both ends."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} outside a text of {len(text)} characters")
    while start < end and _furniture(text[start]):
        start += 1
    while end > start and _furniture(text[end - 1]):
        end -= 1
    if start == end:
        raise ValueError("an empty span cannot be evidence")
    return Span(
        document=document,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def match_span(text: str, document: str, match: re.Match, group: int | str = 0) -> Span:
    return span(text, document, match.start(group), match.end(group))
