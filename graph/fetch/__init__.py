"""`ofsted-kg fetch`: a polite, incremental mirror of the reports Ofsted publishes on English
councils' children's services, laid out as the corpus is and catalogued for the graph.

listing.py reads the site's pages (pure); crawl.py walks them; polite.py is the HTTP client
(rate, retries, conditional requests, PDF check); mirror.py is the layout on disk, the
catalogue and the run record; downloads.py brings the mirror up to date; command.py is the
subcommand.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .crawl import DEFAULT_SITE, choose, list_councils, read_councils
from .downloads import update_mirror, utc_now
from .failures import FetchError
from .mirror import Catalogue, RunRecord
from .polite import PoliteClient


@dataclass
class FetchResult:
    councils: int
    publications: int
    record: RunRecord
    failures: list[str] = field(default_factory=list)
    requests: int = 0


def fetch(
    out: Path,
    councils: list[str] | None = None,
    since: date | None = None,
    rate: float = 1.0,
    site: str = DEFAULT_SITE,
    recheck: bool = False,
    progress: Callable[[str, int], Callable[[int], None] | None] | None = None,
) -> FetchResult:
    """Mirror what the site lists into `out`. Every page is read first (LayoutChanged or
    NetworkError stop the run with nothing written); then the files, one at a time.
    `progress(stage, total)` may return a callable advanced once per item of that stage."""
    Catalogue(out)  # a damaged catalogue stops the run before any request
    client = PoliteClient(rate)
    chosen = choose(list_councils(client, site), councils or [])
    pages = read_councils(client, chosen, since, progress("councils", len(chosen)) if progress else None)
    total = sum(len(c.page.publications) for c in pages)
    out.mkdir(parents=True, exist_ok=True)
    with only_fetch_of(out):
        catalogue = Catalogue(out)  # again, under the lock: another fetch may have ended since
        record = RunRecord(out, utc_now())
        failures = update_mirror(client, out, catalogue, pages, record, recheck, progress("files", total) if progress else None)
        record.save()  # also when nothing was listed: the run is on record
    return FetchResult(len(pages), total, record, failures, client.requests)


@contextmanager
def only_fetch_of(out: Path):
    """Hold DIR/.fetch.lock while writing: two fetches into one mirror would each rewrite the
    catalogue from their own view, and the later would drop the other's rows."""
    with open(out / ".fetch.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(f"{out}: another fetch is writing this mirror; nothing written") from None
        yield
