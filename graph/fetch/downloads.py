"""Bringing the mirror up to date with what the site lists, one file at a time.

A file already in the mirror under the same listing entry (same path, URL, title and date,
and the size the catalogue recorded) is not asked for again; with `recheck` it is asked for
conditionally (its ETag / Last-Modified), so only a changed file is sent. Anything else is
downloaded to a temporary name beside its final one and renamed when complete, and the
catalogue and the run record are rewritten after each file. A file that fails (network, an
HTML page where a PDF was listed) is recorded and the run goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .crawl import Council
from .failures import NetworkError, NotAPDF
from .listing import Publication
from .mirror import Catalogue, CatalogueRow, RunRecord, install, placements
from .polite import PoliteClient


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def update_mirror(
    client: PoliteClient,
    root: Path,
    catalogue: Catalogue,
    councils: list[Council],
    record: RunRecord,
    recheck: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[str]:
    """Mirror every publication of `councils` under `root`; the failures, one line each."""
    failures = []
    for council in councils:
        for publication, path in placements(council.link.urn, council.link.name, council.page.publications):
            problem = update_one(client, root, catalogue, record, council, publication, path, recheck)
            if problem:
                failures.append(problem)
            if progress:
                progress(1)
    return failures


def update_one(
    client: PoliteClient,
    root: Path,
    catalogue: Catalogue,
    record: RunRecord,
    council: Council,
    publication: Publication,
    path: str,
    recheck: bool,
) -> str | None:
    facts = {
        "urn": council.link.urn,
        "council": council.link.name,
        "title": publication.title,
        "published": publication.published.isoformat(),
        "url": publication.url,
    }
    final = root / path
    held = catalogue.get(path)
    present = held is not None and final.is_file() and final.stat().st_size == held.bytes
    same_entry = (
        held is not None
        and present
        and (held.url, held.title, held.published) == (publication.url, publication.title, facts["published"])
    )
    if held is not None and same_entry and not recheck:
        record.add("skipped", path, "already mirrored", sha256=held.sha256, **facts)
        return None
    validators = (held.etag, held.last_modified) if held is not None and same_entry else ("", "")
    before = held.sha256 if held is not None and present else (sha256_of(final) if final.is_file() else None)
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        fetched = client.download(publication.url, final.with_name(f".{final.name}.part"), *validators)
    except (NetworkError, NotAPDF) as error:
        record.add("failed", path, error.problem, **facts)
        return f"{error} (for {path})"
    if fetched is None:  # 304: what we hold is current (validators are sent only for a file held)
        record.add("skipped", path, "not modified", sha256=held.sha256 if held else "", **facts)
        return None
    install(final.with_name(f".{final.name}.part"), final)
    catalogue.put(
        CatalogueRow(
            path=path,
            urn=council.link.urn,
            council=council.link.name,
            title=publication.title,
            type=publication.type,
            published=facts["published"],
            url=publication.url,
            sha256=fetched.sha256,
            bytes=fetched.bytes,
            fetched=utc_now(),
            etag=fetched.etag,
            last_modified=fetched.last_modified,
        )
    )
    if before is None:
        record.add("added", path, sha256=fetched.sha256, **facts)
    elif before != fetched.sha256:
        record.add("changed", path, f"was sha256 {before}", sha256=fetched.sha256, **facts)
    else:
        record.add("skipped", path, "downloaded again: same bytes", sha256=fetched.sha256, **facts)
    return None


def sha256_of(path: Path) -> str:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()
