"""Reference tables in seeds/: CSV files whose lines starting with # name their sources.

seeds/ (the seed documents and these tables) is installed as the package data
`ofsted_kg.seeds`, found through importlib.resources: the checkout's folder under an
editable install, the installed copy in a wheel, so a build works from either.
"""

from __future__ import annotations

import csv
from importlib.resources import files
from pathlib import Path

from ..model.user_errors import DocumentError


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number in the file, row) for each data row; the # lines are the table's notes."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror})") from None
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if not line.startswith("#")]
    if not numbered:
        raise DocumentError(path, "has no header row")
    rows = csv.DictReader(line for _, line in numbered)
    return [(numbered[i + 1][0], {k: (v or "").strip() for k, v in row.items() if k}) for i, row in enumerate(rows)]


def seeds() -> Path:
    """The folder of the seed documents and reference tables, wherever the package is installed."""
    # Installed packages are folders on disk (pip unpacks wheels), so the resource is a real path.
    return Path(str(files("ofsted_kg.seeds")))


def table(name: str) -> Path:
    """A reference table in seeds/ by file name, e.g. "la_lookup.csv"."""
    return seeds() / name
