"""Catalogue facts: when and where each document was published, with the words saying so.

Three sources, taken per fact (publication date, URL) in this order:
1. the folder's `manifest.yaml` (the curated overlay, as in seeds/): its `issued:` and `url:`
   lines; a person wrote it for these files, so it overrides what a listing says;
2. a `catalogue.csv` at the top of an input folder (written by `ofsted-kg fetch`: UTF-8
   RFC 4180, header path,urn,council,title,type,published,url,sha256,bytes,fetched,etag,
   last_modified): the file's row, matched by `path` relative to the folder;
3. the published file name ("children's services inspection - 25 november 2022.pdf"): a
   date only, read from a listing of the input folder's file names.
Each source is a document of its own (kind "catalogue"), whose text is saved and indexed like
any other, so a fact's evidence is a span of it: the manifest's lines, the catalogue's row,
the listing's line. A source no fact cites is not added to the graph.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..model.records import CatalogueEntry, Evidence, SourceDocument
from ..model.user_errors import DocumentError
from ..parsers.dates import parse_date
from ..parsers.evidence import span
from .documents import document_key, plain_text
from .manifest import MANIFEST

CATALOGUE = "catalogue.csv"
REQUIRED = ("path", "published", "url")
HEADER = "path,urn,council,title,type,published,url,sha256,bytes,fetched,etag,last_modified"
DATED_NAME = re.compile(r"(\d{1,2} [a-z]+ \d{4})$", re.I)  # "... - 25 november 2022"
URL_FORBIDDEN = re.compile(r"[\s<>\"{}|\\^`]")


@dataclass(frozen=True)
class Catalogue:
    """A source of catalogue facts, as a document: its text is what evidence offsets index."""

    key: str
    file_name: str
    title: str
    media_type: str
    sha256: str
    text: str
    where: str = ""  # the file (or, for a listing, the folder) it was read from, for the extraction report

    def as_document(self) -> SourceDocument:
        return SourceDocument(
            key=self.key,
            file_name=self.file_name,
            media_type=self.media_type,
            sha256=self.sha256,
            character_count=len(self.text),
            kind="catalogue",
            title=self.title,
        )


@dataclass(frozen=True)
class Said:
    """What one source says of one file: a date and a URL, each with the spans saying it."""

    issued: str | None = None
    url: str | None = None
    issued_evidence: Evidence = ()
    url_evidence: Evidence = ()


def catalogue_of(text: str, where: Path, title: str, media_type: str, data: bytes | None = None) -> Catalogue:
    sha = hashlib.sha256(data if data is not None else text.encode("utf-8")).hexdigest()
    file_name = where.name if data is not None else f"{where.name}/"
    return Catalogue(document_key(sha), file_name, title, media_type, sha, text, str(where))


def read_text(path: Path) -> tuple[str, bytes]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror})") from None
    return plain_text(path, data), data


def manifest_facts(folder: Path) -> tuple[Catalogue, dict[str, Said]] | None:
    """The manifest's `issued` and `url` for each file it lists, each with the spans of its
    `file:` line and its own line. None where the folder has no manifest; the manifest's
    validity is manifest.read_manifest's to check (this reads only what that accepted)."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    text, data = read_text(path)
    catalogue = catalogue_of(text, path, f"The manifest of {folder.name}/ ({MANIFEST})", "application/yaml", data)
    said: dict[str, Said] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        raise DocumentError(path, f"is not valid YAML ({str(error).splitlines()[0]})") from None
    documents = next((v for k, v in getattr(root, "value", ()) if k.value == "documents"), None)
    for item in getattr(documents, "value", ()):
        pairs = {k.value: (k, v) for k, v in getattr(item, "value", ()) if isinstance(k, yaml.ScalarNode)}
        if "file" not in pairs:
            continue

        def line(field: str, pairs=pairs) -> Evidence:  # this item's pairs: called before the loop moves on
            key, value = pairs[field]
            return (span(text, catalogue.key, key.start_mark.index, value.end_mark.index),)

        issued = pairs.get("issued") and str(pairs["issued"][1].value)
        url = pairs.get("url") and str(pairs["url"][1].value)
        said[str(pairs["file"][1].value)] = Said(
            issued=issued or None,
            url=url or None,
            issued_evidence=line("file") + line("issued") if issued else (),
            url_evidence=line("file") + line("url") if url else (),
        )
    return catalogue, said


def csv_facts(folder: Path) -> tuple[Catalogue, dict[str, Said]] | None:
    """catalogue.csv's `published` and `url` for each row, the row's span as evidence. None
    where the folder has none; DocumentError (naming the line) for one that cannot be used."""
    path = folder / CATALOGUE
    if not path.is_file():
        return None
    text, data = read_text(path)
    catalogue = catalogue_of(text, path, f"Catalogue of the files in {folder.name}/ ({CATALOGUE})", "text/csv", data)
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise DocumentError(path, f"line 1: not CSV ({error})") from None
    if header is None:
        raise DocumentError(path, f"is empty; expected the header {HEADER}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DocumentError(path, f"line 1: no column {', '.join(missing)}; expected the header {HEADER}")
    said: dict[str, Said] = {}
    first = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise DocumentError(path, f"line {reader.line_num}: not CSV ({error})") from None
        begin, first = first, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {begin + 1}"
        record = dict(zip(header, row, strict=False))  # a short row leaves its last columns out
        name = record.get("path", "").strip()
        if not name:
            raise DocumentError(path, f"{where}: no path")
        if name in said:
            raise DocumentError(path, f"{where}: path {name!r} is listed twice")
        published, url = record.get("published", "").strip(), record.get("url", "").strip()
        if published and not valid_date(published):
            raise DocumentError(path, f"{where}: published {published!r} is not a date written YYYY-MM-DD")
        if url and not valid_url(url):
            raise DocumentError(path, f"{where}: url {url!r} is not an absolute http(s) URL")
        row_span = (span(text, catalogue.key, starts[begin], starts[first]),)
        said[name] = Said(
            issued=published or None,
            url=url or None,
            issued_evidence=row_span if published else (),
            url_evidence=row_span if url else (),
        )
    return catalogue, said


def newest_fetch(text: str) -> str | None:
    """The newest `fetched` time (YYYY-MM-DDTHH:MM:SSZ, as fetch writes it) in a catalogue.csv's
    text: when the last file that changed the mirror came in."""
    times = [row.get("fetched", "").strip() for row in csv.DictReader(text.splitlines())]
    times = [t for t in times if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", t)]
    return max(times, default=None)


def valid_date(value: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def valid_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not URL_FORBIDDEN.search(value)


def file_name_facts(folder: Path, files: list[Path]) -> tuple[Catalogue, dict[str, Said]]:
    """The publication date in each published file name, from a listing of the folder's file
    names (one relative path a line), each line the evidence of its date."""
    names = sorted(f.relative_to(folder).as_posix() for f in files)
    text = "".join(f"{name}\n" for name in names)
    catalogue = catalogue_of(text, folder, f"Published file names under {folder.name}/", "text/plain")
    said, offset = {}, 0
    for name in names:
        stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if m := DATED_NAME.search(stem):
            try:
                issued = parse_date(m[1])
            except ValueError:
                issued = None
            if issued:
                said[name] = Said(issued=issued, issued_evidence=(span(text, catalogue.key, offset, offset + len(name)),))
        offset += len(name) + 1
    return catalogue, said


@dataclass
class Facts:
    """Each file's catalogue entries, and the catalogues they cite (by key)."""

    entries: dict[Path, tuple[CatalogueEntry, ...]]
    catalogues: dict[str, Catalogue]
    errors: list[DocumentError]


def gather(inputs: list[Path], files: list[Path]) -> Facts:
    """Catalogue entries for every file found under `inputs`: a folder input is the top of its
    files (its catalogue.csv, its listing); a file input is listed with its own folder."""
    roots: dict[Path, list[Path]] = {}
    for path in files:
        root = next((i for i in inputs if i.is_dir() and path.is_relative_to(i)), path.parent)
        roots.setdefault(root, []).append(path)
    facts = Facts({}, {}, [])
    manifests: dict[Path, tuple[Catalogue, dict[str, Said]] | None] = {}
    for root, members in roots.items():
        sources = []
        try:
            if found := csv_facts(root):
                sources.append(("csv", found))
        except DocumentError as error:
            facts.errors.append(error)
        sources.append(("name", file_name_facts(root, members)))
        for path in members:
            if path.parent not in manifests:
                try:
                    manifests[path.parent] = manifest_facts(path.parent)
                except DocumentError:  # read_manifest reports it
                    manifests[path.parent] = None
            manifest = manifests[path.parent]
            said = ([(manifest[0], manifest[1].get(path.name))] if manifest else []) + [
                (catalogue, table.get(path.relative_to(root).as_posix())) for _, (catalogue, table) in sources
            ]
            facts.entries[path] = entries_for([(c, s) for c, s in said if s], facts.catalogues)
    return facts


def entries_for(said: list[tuple[Catalogue, Said]], cited: dict[str, Catalogue]) -> tuple[CatalogueEntry, ...]:
    """Each fact from the first source that gives it; one entry per source used, stating only
    what was taken from it."""
    issued = next(((c, s) for c, s in said if s.issued), None)
    url = next(((c, s) for c, s in said if s.url), None)
    entries = []
    for catalogue, _ in said:
        from_issued = issued and issued[0] is catalogue
        from_url = url and url[0] is catalogue
        if from_issued or from_url:
            cited[catalogue.key] = catalogue
            entries.append(
                CatalogueEntry(
                    catalogue=catalogue.key,
                    issued=issued[1].issued if issued and from_issued else None,
                    url=url[1].url if url and from_url else None,
                    issued_evidence=issued[1].issued_evidence if issued and from_issued else (),
                    url_evidence=url[1].url_evidence if url and from_url else (),
                )
            )
    return tuple(entries)
