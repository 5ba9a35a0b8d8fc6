"""The Acts of Parliament the documents cite, from the reference table seeds/legislation.csv.

Each Act's identifier at legislation.gov.uk is http://www.legislation.gov.uk/id/{type}/{year}/{chapter}
(https://www.legislation.gov.uk/developer/uris), a section's that plus /section/{n} (both minted
in iris.py). The table
gives type, year and chapter, and the other ways documents print the title; it is cited
reference data, not knowledge typed into code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model.user_errors import DocumentError
from .tables import read_table, table

TABLE = table("legislation.csv")


@dataclass(frozen=True)
class Act:
    title: str  # short title as enacted: "Children Act 1989"
    key: str  # "ukpga/1989/41"
    printed: tuple[str, ...] = ()  # other titles documents print ("Education and Inspection Act 2006")


@lru_cache(maxsize=2)
def read_acts(path: Path = TABLE) -> tuple[Act, ...]:
    """The table's Acts; lines starting with # are its notes and sources."""
    acts = []
    for number, row in read_table(path):
        title, kind, year, chapter = (row.get(c, "") for c in ("title", "type", "year", "chapter"))
        if not (title and kind.isalpha() and year.isdigit() and chapter.isdigit()):
            raise DocumentError(path, f"line {number}: needs a title, a type such as ukpga, and a numeric year and chapter")
        printed = tuple(p.strip() for p in row.get("also_printed_as", "").split("|") if p.strip())
        acts.append(Act(title, f"{kind}/{year}/{chapter}", printed))
    return tuple(acts)
