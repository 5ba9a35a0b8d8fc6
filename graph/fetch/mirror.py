"""The mirror on disk: where each publication goes, the catalogue of what is there, and the
record of each run.

Layout (the corpus's own, so `build --input DIR` reads a mirror as it reads the corpus):
``DIR/<URN>_<short council name>/<title as listed> - <publication date>.pdf``, both names in
lower case as in ``../shared/corpus/reports`` (``80564_stoke-on-trent/children's services
inspection - 25 november 2022.pdf``). The build dates a report by the date ending its name.

``DIR/catalogue.csv`` (RFC 4180, UTF-8, sorted by path) has one row per file in the mirror;
``DIR/runs/<UTC time>.csv`` lists what one run added, changed, skipped and failed. Both are
rewritten whole, atomically (temporary file, fsync, rename), after every file, so a killed run
leaves a catalogue that matches the files on disk.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..build.outputs import sync_folder, write_atomically
from .failures import FetchError
from .listing import Publication

# The corpus's folder names drop these from the council's name as listed ("City of Bradford
# Metropolitan District Council" -> "bradford"), as the scraper that made the corpus did.
DROPPED_PHRASES = ("royal borough of ", "city of ", "metropolitan district council", "london borough of", "council of")
DROPPED_WORDS = {"city", "metropolitan", "borough", "council", "county", "district", "the"}
UNSAFE_IN_NAME = re.compile(r"[/\\\x00-\x1f]")


@dataclass(frozen=True)
class CatalogueRow:
    path: str  # relative to DIR, "/" separators
    urn: str
    council: str  # as listed
    title: str  # as listed
    type: str
    published: str  # YYYY-MM-DD
    url: str
    sha256: str
    bytes: int
    fetched: str  # 2026-11-30T21:49:00Z
    etag: str
    last_modified: str


CATALOGUE_FIELDS = tuple(f.name for f in fields(CatalogueRow))
RUN_FIELDS = ("status", "path", "urn", "council", "title", "published", "url", "sha256", "detail")
RUN_STATUSES = ("added", "changed", "skipped", "failed")


def short_name(council: str) -> str:
    name = " ".join(council.lower().split())
    for phrase in DROPPED_PHRASES:
        name = name.replace(phrase, "")
    return " ".join(word for word in name.split() if word not in DROPPED_WORDS)


def folder_name(urn: str, council: str) -> str:
    return f"{urn}_{UNSAFE_IN_NAME.sub('-', short_name(council))}"


def file_stem(publication: Publication) -> str:
    title = UNSAFE_IN_NAME.sub("-", publication.title).strip(" .")
    return f"{title} - {publication.date_text}".lower()


def placements(urn: str, council: str, publications: tuple[Publication, ...]) -> list[tuple[Publication, str]]:
    """Each publication with its path relative to DIR. Two listed with the same title and date
    (two letters of one day) are told apart by the file's id, the last segment of its URL,
    before the date, so the name still ends with the date the build reads."""
    folder = folder_name(urn, council)
    stems: dict[str, int] = {}
    for publication in publications:
        stems[file_stem(publication)] = stems.get(file_stem(publication), 0) + 1
    placed = []
    for publication in publications:
        stem = file_stem(publication)
        if stems[stem] > 1:
            file_id = UNSAFE_IN_NAME.sub("-", publication.url.rstrip("/").rsplit("/", 1)[-1])
            title, date_text = stem.rsplit(" - ", 1)
            stem = f"{title} ({file_id}) - {date_text}"
        placed.append((publication, f"{folder}/{stem}.pdf"))
    return placed


def install(part: Path, final: Path) -> None:
    """Give a complete, fsynced temporary file its final name, durably."""
    os.replace(part, final)
    sync_folder(final.parent)


def as_csv(header: tuple[str, ...], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class Catalogue:
    """DIR/catalogue.csv, read at the start of a run and rewritten after every file."""

    def __init__(self, root: Path):
        self.path = root / "catalogue.csv"
        self.rows: dict[str, CatalogueRow] = {}
        if self.path.exists():
            self.rows = {row.path: row for row in read_catalogue(self.path)}

    def get(self, path: str) -> CatalogueRow | None:
        return self.rows.get(path)

    def put(self, row: CatalogueRow) -> None:
        self.rows[row.path] = row
        self.save()

    def save(self) -> None:
        write_atomically(self.path, as_csv(CATALOGUE_FIELDS, [asdict(self.rows[p]) for p in sorted(self.rows)]).encode("utf-8"))


def read_catalogue(path: Path) -> list[CatalogueRow]:
    try:
        with open(path, encoding="utf-8", newline="") as source:
            reader = csv.DictReader(source)
            if tuple(reader.fieldnames or ()) != CATALOGUE_FIELDS:
                raise FetchError(f"{path}: not a fetch catalogue: its header is not {','.join(CATALOGUE_FIELDS)}")
            return [CatalogueRow(**{**row, "bytes": int(row["bytes"])}) for row in reader]  # type: ignore[arg-type]  # the header was checked above
    except (UnicodeDecodeError, ValueError, TypeError, csv.Error) as error:
        raise FetchError(f"{path}: not a readable fetch catalogue ({error})") from None


class RunRecord:
    """DIR/runs/<UTC time>.csv: one row per publication this run looked at."""

    def __init__(self, root: Path, started: str):
        stamp, n = started.replace(":", ""), 1
        self.path = root / "runs" / f"{stamp}.csv"
        while self.path.exists():  # two runs in one second
            n += 1
            self.path = root / "runs" / f"{stamp}-{n}.csv"
        self.rows: list[dict] = []

    def add(self, status: str, path: str, detail: str = "", **facts: str) -> None:
        assert status in RUN_STATUSES, status
        self.rows.append({"status": status, "path": path, "detail": detail, **facts})
        self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, as_csv(RUN_FIELDS, self.rows).encode("utf-8"))

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row["status"] == status)
