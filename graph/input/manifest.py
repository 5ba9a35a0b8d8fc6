"""The seeds manifest (seeds/manifest.yaml): what each seed document is, and where from.

Catalogue facts only: kind, publisher, title, publication date, URL where known, licence.
It is the curated overlay for what a document's text does not state about itself (its URL,
its licence); the graph's facts about inspections and people never come from here.
A folder without a manifest is read by content alone (as the corpus of report PDFs is).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.user_errors import ManifestError

MANIFEST = "manifest.yaml"
KINDS = {"report", "letter", "news", "press-release"}
FIELDS = {"file", "kind", "format", "publisher", "title", "issued", "url", "licence", "rights"}


@dataclass(frozen=True)
class Entry:
    file: str
    kind: str
    publisher: str
    title: str
    issued: str | None = None
    url: str | None = None
    licence: str | None = None
    rights: str | None = None
    format: str | None = None  # a media type, where the file name's suffix says too little (Markdown in a .txt)


def read_manifest(folder: Path) -> dict[str, Entry]:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ManifestError(path, f"is not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise ManifestError(path, "must be a mapping with a 'documents' list")
    entries: dict[str, Entry] = {}
    for index, item in enumerate(data["documents"], start=1):
        where = f"document {index}"
        if not isinstance(item, dict):
            raise ManifestError(path, f"{where} is not a mapping")
        unknown = set(item) - FIELDS
        if unknown:
            raise ManifestError(path, f"{where} has unknown field(s) {', '.join(sorted(unknown))}")
        for required in ("file", "kind", "publisher", "title"):
            if not item.get(required):
                raise ManifestError(path, f"{where} lacks '{required}'")
        if item["kind"] not in KINDS:
            raise ManifestError(path, f"{where} has kind {item['kind']!r}; expected one of {', '.join(sorted(KINDS))}")
        if not (folder / item["file"]).is_file():
            raise ManifestError(path, f"{where} names {item['file']!r}, which is not in {folder}")
        issued = item.get("issued")
        if isinstance(issued, dt.date):
            issued = issued.isoformat()
        entries[item["file"]] = Entry(
            file=item["file"],
            kind=item["kind"],
            publisher=item["publisher"],
            title=item["title"],
            issued=str(issued) if issued else None,
            url=item.get("url"),
            licence=item.get("licence"),
            rights=item.get("rights"),
            format=item.get("format"),
        )
    return entries
