"""The document view: a source document's metadata and its extracted text, evidence marked.

The text is read from `<TEXT_DIR>/<key>.txt` (the build writes it beside the graph), where
key is the 16 hex digits of the document's IRI, checked again here, and the document is
in the graph: no request can name any other file. A missing text file leaves the metadata
and the quotes, with a note saying so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import current_app

from ..web.errors import NotFound, shorten
from . import addresses, document_text, lookups
from . import page_queries as q
from .document_text import Span

KEY = re.compile(r"[0-9a-f]{16}")


def text_dir() -> Path:
    configured = current_app.config.get("TEXT_DIR")
    if configured:
        return Path(configured)
    return Path(current_app.config["DATA"][0]).parent / "text"


def read_text(key: str) -> str | None:
    if not KEY.fullmatch(key):
        raise NotFound(f"document/{shorten(key)}: a document key is 16 hexadecimal digits")
    path = text_dir() / f"{key}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError):
        return None


def context(entity: ox.NamedNode, char: str | None) -> dict:
    rows = lookups.rows(q.DOCUMENT, entity=entity)
    about = rows[0] if rows else {"title": entity.value}
    key = addresses.document_key_from_iri(entity.value)
    text = read_text(key)
    spans: dict[tuple[int, int], dict] = {}
    for row in lookups.rows(q.DOCUMENT_SPANS, entity=entity):
        span = spans.setdefault((int(row["start"]), int(row["end"])), {"exact": row["exact"], "facts": {}})
        kind = (row["class"] or "").rsplit("#", 1)[-1]
        if row["fact"] not in span["facts"] or kind:
            span["facts"][row["fact"]] = kind
    requested = document_text.parse_char(char, len(text)) if char is not None and text is not None else None
    if char is not None and text is None:
        raise NotFound(f"document/{key}: its text is not on this server, so ?char cannot be shown")
    html: str | None = None
    split: list = []
    if text is not None:
        html, split = document_text.render(text, [Span(s, e) for s, e in spans] + ([requested] if requested else []))
    listing = [
        {"start": s, "end": e, "fragment": f"char={s},{e}", **info, "matches": text is not None and text[s:e] == info["exact"]}
        for (s, e), info in sorted(spans.items())
    ]
    entries: dict[str, dict] = {}
    for row in lookups.rows(q.CATALOGUE_ENTRIES, entity=entity):
        entry = entries.setdefault(row["entry"], {**row, "quotes": []})
        if row["start"] is not None:
            entry["quotes"].append(f"{addresses.local(row['catalogue'])}#char={row['start']},{row['end']}")
    return {
        "title": about["title"],
        "about": about,
        "key": key,
        "text": html,
        "length": len(text) if text else None,
        "entries": list(entries.values()),
        "spans": listing,
        "split": split,
        "requested": requested,
        "requested_text": text[requested.start : requested.end] if requested and text is not None else None,
        "mismatches": sum(1 for s in listing if text is not None and not s["matches"]),
    }
