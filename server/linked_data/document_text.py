"""A document's extracted text as HTML, every evidence span an anchor a link can jump to.

The text is the one the build writes as `text/<document key>.txt` beside the graph, the text
oa:TextPositionSelector offsets index. Each span is a `<mark>` whose id is its RFC 5147
fragment, `char=START,END`, so `/doc/document/<key>#char=START,END` scrolls to it in any
browser and CSS `:target` highlights it, with no JavaScript. Spans nest (a judgement's quote
inside a paragraph that is a finding); where two cross, the later one is split, its first
piece keeps the id and the rest carry its `data-char`, which a `:has()` rule lights too.
Every character of the document is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..web.errors import ClientError

CHAR = re.compile(r"([0-9]{1,12}),([0-9]{1,12})")  # ASCII digits only: int() takes any script's


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    requested: bool = False

    @property
    def fragment(self) -> str:
        return f"char={self.start},{self.end}"


class BadSpan(ClientError):
    error = "bad-span"


def parse_char(value: str, length: int) -> Span:
    """`?char=START,END` (RFC 5147's char scheme): integers with 0 <= START < END <= length."""
    match = CHAR.fullmatch(value.strip())
    if not match:
        raise BadSpan(f"char: {value[:40]!r} is not START,END (two whole numbers)", parameter="char")
    start, end = int(match[1]), int(match[2])
    if not 0 <= start < end <= length:
        raise BadSpan(f"char: {start},{end} is not a span of this text (0 <= start < end <= {length})", parameter="char")
    return Span(start, end, requested=True)


def render(text: str, spans: list[Span]) -> tuple[Markup, list[Span]]:
    """The text as HTML with each span (within the text) marked, and the spans that cross
    another and were split (the page adds a style rule for each)."""
    unique: dict[tuple[int, int], Span] = {}
    for span in spans:  # one mark per span; a requested span that is also evidence stays requested
        if 0 <= span.start < span.end <= len(text):
            key = (span.start, span.end)
            unique[key] = span if span.requested or key not in unique else unique[key]
    spans = sorted(unique.values(), key=lambda s: (s.start, -s.end))
    starts: dict[int, list[Span]] = {}
    for span in spans:
        starts.setdefault(span.start, []).append(span)
    boundaries = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    stack: list[Span] = []
    split: set[Span] = set()
    opened: set[Span] = set()
    for here, following in zip(boundaries, boundaries[1:] + [None], strict=True):
        # Close every span ending here; spans closed only to get at them are reopened as pieces.
        reopen = []
        while any(s.end == here for s in stack):
            top = stack.pop()
            out.append("</mark>")
            if top.end != here:
                reopen.append(top)
                split.add(top)
        for span in sorted(reopen, key=lambda s: -s.end) + starts.get(here, []):
            out.append(_open(span, first=span not in opened))
            opened.add(span)
            stack.append(span)
        if following is not None:
            out.append(str(escape(text[here:following])))
    out.extend("</mark>" for _ in stack)
    return Markup("".join(out)), sorted(split, key=lambda s: (s.start, s.end))


def _open(span: Span, *, first: bool) -> str:
    classes = "span requested" if span.requested else "span"
    ident = f' id="{span.fragment}"' if first else ""
    # The requested span takes focus on load, which scrolls it into view without script.
    focus = ' tabindex="-1" autofocus' if span.requested and first else ""
    return f'<mark{ident} class="{classes}" data-char="{span.start},{span.end}"{focus}>'
