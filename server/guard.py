"""Look at a request's SPARQL before any engine sees it: its form, and whether to refuse it.

The endpoint is read-only and must never reach out of the server. pyoxigraph's query()
does not run updates (LOAD, INSERT ... are syntax errors there) and treats FROM / FROM NAMED
as names of graphs in the store (an IRI the dataset lacks is an empty graph, never fetched:
tests/server/test_safety.py proves it). But it *does* answer SERVICE by making HTTP requests,
and it has no switch to stop that, so SERVICE is refused here, and updates are recognised so
the refusal can say why.

This is a tokenizer, not a parser: it skips strings, IRIs and comments and looks at the
keywords left. It errs on the side of refusing: `\\uXXXX` escapes are decoded first (the
SPARQL grammar allows them anywhere), so no spelling of SERVICE slips past; a false alarm
costs a refused query, never a request made. Grammar: SPARQL 1.1 Query, section 19.
"""

from __future__ import annotations

import re

from .errors import Refused

# Longest-match tokens whose insides are not keywords (SPARQL 1.1 Query, 19.8).
_SKIP = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\""""
    r"""|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*""",
    re.S,
)
# A bare word: not a variable (?x, $x), not part of a prefixed name (ex:x, x:y).
_WORD = re.compile(r"(?<![?$:\w-])([A-Za-z_][\w-]*)(?![\w:-])")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "ADD", "MOVE", "COPY", "WITH"}


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, outside strings, IRIs and comments."""
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    return [w.upper() for w in _WORD.findall(_SKIP.sub(" ", decoded))]


def iris(query: str) -> list[str]:
    """The IRIs written in <...> in a query (strings and comments aside), without brackets."""
    return [t[1:-1] for t in _SKIP.findall(query) if t.startswith("<")]


def inspect(query: str) -> str:
    """The query's form (SELECT, ASK, CONSTRUCT or DESCRIBE); Refused for SERVICE or an update.

    A text whose first keyword is neither is left for the engine's parser to reject with its
    own message and position ("SELECT" is returned so negotiation can go ahead).
    """
    words = keywords(query)
    if "SERVICE" in words:
        raise Refused("SERVICE is not allowed: this endpoint never makes requests to other services")
    first = next((w for w in words if w not in ("PREFIX", "BASE")), "")
    if first in UPDATE_WORDS:
        raise Refused(f"this endpoint is read-only: SPARQL Update ({first}) is not accepted")
    return first if first in QUERY_FORMS else "SELECT"
