"""A new graph's Turtle from the last one's, by replacing the blocks of the subjects that
changed: what a rebuild writes instead of serialising every triple again.

turtle.serialize_keyed writes the triples sorted by subject (their IRI's text), each
subject's triples one block: a first line at the start of a line (`<iri> ...` or a prefixed
name), the others starting with a tab; literals are written on one line (a newline in one is
written `\\n`). So a subject's block is found by a binary search over the file's block
starts, and one subject's block reads the same whether written alone or with the others
(tested against whole serialisations): replacing the changed subjects' blocks, inserting new
subjects' and dropping those left with no triple gives the bytes a clean build writes.
"""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import PREFIXES
from .turtle import WHOLE, order, serialize_keyed

TAB, NEWLINE = 9, 10
PREFIX_IRIS = {name.encode(): str(namespace) for name, namespace in PREFIXES.items() if name not in WHOLE}


def body_start(turtle: bytes) -> int:
    """Where the first subject's block starts: after the comment and @prefix lines."""
    at = 0
    while at < len(turtle) and turtle[at] in b"#@":
        at = turtle.index(b"\n", at) + 1
    return at


def subject_at(turtle: bytes, start: int) -> str:
    """The IRI of the subject whose block starts at `start`."""
    token = turtle[start : turtle.index(b" ", start)]
    if token.startswith(b"<"):
        return token[1:-1].decode("utf-8")
    prefix, local = token.split(b":", 1)
    if b"\\" in local:  # a prefixed name's reserved characters are escaped with a backslash
        local = bytes(local.replace(b"\\\\", b"\0").replace(b"\\", b"").replace(b"\0", b"\\"))
    return PREFIX_IRIS[prefix] + local.decode("utf-8")


def next_start(turtle: bytes, at: int, end: int) -> int:
    """The first block start at or after `at` (a line start not a tab), or `end`."""
    if at > 0 and turtle[at - 1] != NEWLINE:
        at = turtle.find(b"\n", at, end)
        if at < 0:
            return end
        at += 1
    while at < end and turtle[at] == TAB:
        at = turtle.find(b"\n", at, end)
        if at < 0:
            return end
        at += 1
    return min(at, end)


def previous_start(turtle: bytes, at: int, begin: int) -> int:
    """The last block start at or before `at`, not before `begin` (itself a block start)."""
    while at > begin:
        line = turtle.rfind(b"\n", begin, at) + 1
        if line <= begin:
            return begin
        if turtle[line] != TAB:
            return line
        at = line - 1
    return begin


def locate(turtle: bytes, subject: str, begin: int, end: int) -> tuple[int, int]:
    """(start, end) of `subject`'s block among the blocks in turtle[begin:end], or an empty
    range where it would go."""
    low, high = begin, end
    while low < high:
        middle = (low + high) // 2
        at = next_start(turtle, middle, high)
        if at >= high:
            at = previous_start(turtle, middle, low)
        if subject_at(turtle, at) < subject:
            low = next_start(turtle, at + 1, end)
        else:
            high = at
    if low < end and subject_at(turtle, low) == subject:
        return low, next_start(turtle, low + 1, end)
    return low, low


def blocks(turtle: bytes, subjects: list[str]) -> dict[str, tuple[int, int]]:
    """Each of `subjects` (sorted) -> its block's range in `turtle` (empty where it has none)."""
    found, begin, end = {}, body_start(turtle), len(turtle)
    for subject in subjects:
        # a changed report's subjects mostly follow one another (its evidence IRIs share their
        # document's key): the next few blocks are looked at before searching
        at = begin
        for _ in range(4):
            if at >= end or subject_at(turtle, at) >= subject:
                break
            at = next_start(turtle, at + 1, end)
        else:
            at = locate(turtle, subject, at, end)[0]
        if at < end and subject_at(turtle, at) == subject:
            found[subject] = (at, next_start(turtle, at + 1, end))
        else:
            found[subject] = (at, at)
        begin = at
    return found


def triples_of(turtle: bytes, ranges: dict[str, tuple[int, int]]) -> dict[tuple, ox.Triple]:
    """The triples of those blocks, by their turtle.order keys."""
    head = turtle[: body_start(turtle)]
    text = head + b"".join(turtle[start:end] for start, end in ranges.values())
    return {order(quad.triple): quad.triple for quad in ox.parse(text, format=ox.RdfFormat.TURTLE)}


def splice(turtle: bytes, ranges: dict[str, tuple[int, int]], now: dict[tuple, ox.Triple]) -> bytes:
    """`turtle` with the blocks of `ranges`' subjects replaced by those subjects' triples
    `now` (a subject with none there loses its block; one with no block gets one)."""
    written = serialize_keyed(now) if now else b""
    body = written[body_start(written) :]
    new_blocks: dict[str, bytes] = {}
    at = 0
    for subject in sorted({key[0] for key in now}):
        end = next_start(body, at + 1, len(body))
        new_blocks[subject] = body[at:end]
        at = end
    assert at == len(body), "a block of the new triples was not one subject's"
    pieces, kept_from = [], 0
    for subject, (start, end) in sorted(ranges.items(), key=lambda item: (item[1][0], item[0])):
        pieces.append(turtle[kept_from:start])
        pieces.append(new_blocks.get(subject, b""))
        kept_from = end
    pieces.append(turtle[kept_from:])
    return b"".join(pieces)
