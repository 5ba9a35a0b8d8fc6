"""Councils' Wikidata items, from the reference table seeds/wikidata.csv (keyed by GSS code).

Only identifiers the table lists, each with its source: a council without a row has no
Wikidata link. The item is the council itself, so the link is owl:sameAs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..model.user_errors import DocumentError
from .tables import read_table, table

TABLE = table("wikidata.csv")
ENTITY = "http://www.wikidata.org/entity/"


@lru_cache(maxsize=2)
def read_wikidata(path: Path = TABLE) -> dict[str, str]:
    """GSS code -> Wikidata entity IRI."""
    items = {}
    for number, row in read_table(path):
        gss, qid, source = (row.get(c, "") for c in ("gss_code", "wikidata", "source"))
        if not (re.fullmatch(r"E[0-9]{8}", gss) and re.fullmatch(r"Q[1-9][0-9]*", qid) and source):
            raise DocumentError(path, f"line {number}: needs a GSS code (E and eight digits), a Q-identifier and a source")
        items[gss] = ENTITY + qid
    return items
