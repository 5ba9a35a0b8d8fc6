"""Spans of evidence: the exact words, with their character offsets, a fact was read from.

Offsets index the document's extracted text (documents.py) in Unicode code points, as the
W3C Web Annotation TextPositionSelector counts them
(https://www.w3.org/TR/annotation-model/#text-position-selector). Spans are trimmed of
surrounding white space so the quote starts and ends on words.
"""

from __future__ import annotations

import re

from ..model.records import Span

CONTEXT = 32  # characters of oa:prefix / oa:suffix, enough to find the quote again if offsets drift


def span(text: str, document: str, start: int, end: int) -> Span:
    """The span text[start:end], trimmed of white space at both ends."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} outside a text of {len(text)} characters")
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
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
