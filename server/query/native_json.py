"""SPARQL JSON written by pyoxigraph's own serialiser (Rust), cut to at most `max_rows` rows.

Our writer (results.to_json) makes a Python object per cell; on a large answer that cost as
much again as the query (bench/README.md, "Without the cache"). pyoxigraph writes the same
document from its own iterator without any, but it writes every remaining row: it cannot stop
at `max_rows`. So it is used only for a query that holds its own LIMIT (paging.apply puts
`LIMIT max_rows+1` in every saved query's page), where "every row" is at most a page and one.

Its output is compact (no spaces), and a JSON string never holds an unescaped `"`, so where
`,{"` is followed by a variable's name (never `}`, `,` or `:`), that `"` opens a key: the
mark is where one row's object ends and the next, non-empty, begins. (A string that ends in
`,{` puts `,{"` before a `}` or `,`: those are not counted.) Rows are counted, and the row
past the page cut off, from those marks. An empty row (`{}`, every variable unbound) has no
mark: when `{}` occurs anywhere in the answer (in a literal, perhaps), or the document does
not have the expected shape, the rows are counted and cut by parsing it back with
pyoxigraph's parser instead (slower, always right).
"""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox

from . import results

JSON = ox.QueryResultsFormat.JSON
HEAD = b'{"head":{"vars":['
BINDINGS = b'"results":{"bindings":['
END = b"]}}"
ROW_START = b',{"'
NOT_KEYS = (b',{"}', b',{",', b',{":')  # `,{` at the end of a string, then what follows a string
NO_ROWS = BINDINGS + END


def write(solutions: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """The SPARQL JSON of `solutions`' first `max_rows` rows, the rows written, and whether there were more."""
    body = solutions.serialize(format=JSON) or b""  # None only when given a file to write to
    if not (body.startswith(HEAD) and body.endswith(END) and BINDINGS in body) or b"{}" in body:
        return _parsed_back(body, max_rows)
    if body.endswith(NO_ROWS):
        return body, 0, False
    rows = body.count(ROW_START) - sum(body.count(false) for false in NOT_KEYS) + 1
    if rows <= max_rows:
        return body, rows, False
    at = body.index(BINDINGS) + len(BINDINGS)  # no row kept: cut right after the array opens
    for _ in range(max_rows):  # else row max_rows+1 starts at the max_rows-th mark
        at = body.index(ROW_START, at + 1)
        while body[at + 3 : at + 4] in (b"}", b",", b":"):
            at = body.index(ROW_START, at + 1)
    return body[:at] + END, max_rows, True


def _parsed_back(body: bytes, max_rows: int) -> tuple[bytes, int, bool]:
    parsed = ox.parse_query_results(body, format=JSON)
    assert isinstance(parsed, ox.QuerySolutions)  # it was written from solutions, not a boolean
    variables = [v.value for v in parsed.variables]
    rows = [[s[v] for v in variables] for s in islice(parsed, max_rows + 1)]
    if len(rows) <= max_rows:
        return body, len(rows), False
    return results.to_json(variables, rows[:max_rows]), max_rows, True
