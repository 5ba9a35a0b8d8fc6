"""Reference tables in seeds/: CSV files whose lines starting with # name their sources."""

from __future__ import annotations

import csv
from pathlib import Path

from .errors import DocumentError


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
