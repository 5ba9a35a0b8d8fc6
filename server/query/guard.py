"""Look at a request's SPARQL before any engine sees it: its form, and whether to refuse it early.

This is a courtesy, not the safety: queries run in worker processes that have no network at
all (isolation.py), so whatever this check misses, no request leaves the server. What it adds:
an honest SERVICE query or update gets a clear 403 at once instead of an engine error, and a
query nested deeper than MAX_DEPTH gets a 400 before a worker spends time on it.

It must never cost the parent more than linear time or fail on odd input, because it runs in
the request thread before any time limit applies. So every pattern here is a single pass:
each alternative either consumes what it started or fails at once (possessive quantifiers,
no backtracking), escapes decode to U+FFFD when they name no character. And it errs on the
side of refusing: SERVICE counts if any of two readings sees it (a tokenizer that skips
strings, IRIs and comments, and a structure-blind search for SERVICE followed by what can
follow it), each on the text as sent and with `\\u` / `\\U` escapes decoded.
Grammar: SPARQL 1.1 Query, section 19.
"""

from __future__ import annotations

import re

from ..web.errors import BadQuery, Refused

MAX_DEPTH = 200  # nesting of { ( [ ; README "Safety"; honest queries stay far below it

# Strings, IRIs and comments (SPARQL 1.1 Query, 19.8): an unterminated one runs to the end.
_SKIP = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\Z)"""
    r"""|'(?:[^'\\\n\r]|\\.)*+'?|"(?:[^"\\\n\r]|\\.)*+"?"""
    r"""|<[^<>"{}|^`\\\x00-\x20]*+>|\#[^\n\r]*+""",
    re.S,
)
# A bare word: not a variable (?x, $x), not part of a prefixed name (ex:x, x:y), not a
# language tag ("x"@from is a literal, not the FROM keyword).
_WORD = re.compile(r"(?<![?$:@\w-])[A-Za-z_][\w-]*+(?![:\w-])")
# SERVICE and what may follow it (VarOrIri or SILENT), wherever it is: strings and comments too.
# Between them, any white space SPARQL allows (new lines included) and comments, or none: the
# engine reads `SERVICEl:x { ... }` as SERVICE l:x, so a prefixed name with a prefix counts
# glued to the keyword too (a prefix named `servicex` is refused with it; `service:` is not,
# as `SERVICE:x` glued is the only reading of a prefix `service:` the check cannot tell apart).
# Possessive, so one pass with no backtracking.
_GAP = r"(?:\s|#[^\r\n]*+)"
_SERVICE = re.compile(
    rf"(?<![?$:\w-])SERVICE(?:{_GAP}*+(?:[<?$]|SILENT(?![\w:-])|[\w.-]++:)|{_GAP}++:)",
    re.I,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_BRACKETS = re.compile(r"[{(\[\])}]")

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"}


def _character(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return "\ufffd" if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)


def decoded(query: str) -> str:
    """The query with its `\\uXXXX` / `\\UXXXXXXXX` escapes decoded (U+FFFD for no character)."""
    return _ESCAPE.sub(_character, query)


def _code(query: str) -> str:
    """The query with strings, IRIs and comments blanked out, every other character in place."""
    return _SKIP.sub(lambda m: " " * len(m.group()), query)


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, outside strings, IRIs and comments."""
    return [w.upper() for w in _WORD.findall(_code(query))]


def iris(query: str) -> list[str]:
    """The IRIs written in <...> in a query (strings and comments aside), without brackets."""
    return [t[1:-1] for t in _SKIP.findall(query) if t.startswith("<") and t.endswith(">")]


def inspect(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE); Refused for SERVICE or an update;
    BadQuery for nesting deeper than MAX_DEPTH.

    A text whose first keyword is neither is left for the engine's parser to reject with its
    own message and position ("SELECT" is returned so negotiation can go ahead).
    """
    readings = (query, decoded(query))
    words = [keywords(text) for text in readings]
    if any("SERVICE" in w for w in words) or any(_SERVICE.search(text) for text in readings):
        raise Refused("SERVICE is not allowed: this endpoint never makes requests to other services")
    firsts = [next((w for w in ws if w not in ("PREFIX", "BASE")), "") for ws in words]
    for first in firsts:
        if first in UPDATE_WORDS:
            raise Refused(f"this endpoint is read-only: SPARQL Update ({first}) is not accepted")
    check_depth(query)
    return firsts[0] if firsts[0] in QUERY_FORMS else "SELECT"


def check_depth(query: str, limit: int = MAX_DEPTH) -> None:
    """BadQuery if brackets { ( [ outside strings, IRIs and comments nest deeper than `limit`."""
    depth = 0
    for bracket in _BRACKETS.finditer(_code(query)):
        depth += 1 if bracket.group() in "{([" else -1
        if depth > limit:
            line, column = position(query, bracket.start())
            raise BadQuery(
                f"the query nests {{ ( [ more than {limit} deep (line {line}, column {column}, "
                f"{bracket.group()!r}): at most {limit} levels are accepted"
            )


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
