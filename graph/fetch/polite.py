"""HTTP for the fetch, politely: one shared urllib3 pool, a User-Agent naming the project, at
most `rate` requests a second, bounded retries with exponential backoff on 429 and 5xx
(honouring Retry-After, RFC 9110 section 10.2.3) and on dropped connections, and conditional
requests (If-None-Match / If-Modified-Since, RFC 9110 section 13.1) for files already held.

A PDF is streamed to a temporary file the caller names (in the folder of its final name), its
hash taken on the way, flushed and fsynced; the caller renames it. What starts otherwise than
``%PDF-`` is refused: the corpus holds two HTML pages saved as .pdf by an earlier scraper.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import urllib3
from urllib3.exceptions import HTTPError

from .failures import NetworkError, NotAPDF

try:
    VERSION = version("ofsted-kg")
except PackageNotFoundError:  # a checkout run without installing
    VERSION = "dev"
USER_AGENT = f"ofsted-kg/{VERSION} (+https://w3id.org/ofsted-kg/; mirrors Ofsted's published reports for an open knowledge graph)"

# Module settings, so tests can shrink the waits without an option users would never need.
MAX_ATTEMPTS = 5  # tries of one request before it is given up
BACKOFF_SECONDS = 2.0  # the wait before the first retry; doubled before each next one
MAX_WAIT_SECONDS = 300.0  # the longest single wait; a Retry-After asking more is a failure
TIMEOUT = urllib3.Timeout(connect=15.0, read=60.0)
sleep = time.sleep
clock = time.monotonic

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Fetched:
    """A PDF now complete in the temporary file the caller named."""

    sha256: str
    bytes: int
    etag: str
    last_modified: str


class PoliteClient:
    def __init__(self, rate: float = 1.0):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_turn = 0.0
        self.requests = 0
        # Redirects are followed (files.ofsted.gov.uk may move); every other retry is ours.
        self.pool = urllib3.PoolManager(
            timeout=TIMEOUT, retries=urllib3.Retry(total=None, connect=0, read=0, redirect=5, status=0, other=0)
        )

    def page(self, url: str) -> str:
        """The text of an HTML page; NetworkError when it cannot be had."""

        def read(response) -> str:
            m = re.search(r"charset=[\"']?([\w-]+)", response.headers.get("Content-Type", ""))
            body = response.read()
            try:
                return body.decode(m[1] if m else "utf-8", errors="replace")
            except LookupError:  # a charset Python does not know
                return body.decode("utf-8", errors="replace")

        return self._get(url, {}, read)

    def download(self, url: str, part: Path, etag: str = "", last_modified: str = "") -> Fetched | None:
        """Stream the PDF at `url` into `part`; None when the server says it has not changed
        since the validators given. Raises NetworkError or NotAPDF, leaving no `part` behind."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def save(response) -> Fetched:
            digest, size, head = hashlib.sha256(), 0, b""
            try:
                with open(part, "wb") as out:
                    for chunk in response.stream(1 << 16):
                        if len(head) < 16:  # the first bytes: enough to judge, and to quote if wrong
                            head += chunk[: 16 - len(head)]
                            if len(head) >= len(PDF_MAGIC) and not head.startswith(PDF_MAGIC):
                                raise NotAPDF(url, head)
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if not head.startswith(PDF_MAGIC):
                    raise NotAPDF(url, head)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
            return Fetched(digest.hexdigest(), size, response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))

        return self._get(url, headers, save)

    def _get(self, url: str, headers: dict, consume):
        """GET `url` and hand a 2xx response to `consume`; None for 304. Retries 429, 5xx and
        broken connections up to MAX_ATTEMPTS times, waiting between tries."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            self._take_turn()
            response = None
            try:
                # Headers given to request() replace the pool's, so the User-Agent goes with each.
                response = self.pool.request("GET", url, headers={"User-Agent": USER_AGENT, **headers}, preload_content=False)
                status = response.status
                if status == 304 and headers:  # not modified since the validators sent
                    return None
                if 200 <= status < 300:
                    return consume(response)
                if status != 429 and status < 500:
                    raise NetworkError(url, f"HTTP {status} {response.reason or ''}".rstrip())
                problem = f"HTTP {status} {response.reason or ''}".rstrip()
                wait = retry_after(response.headers.get("Retry-After"))
                response.drain_conn()
            except HTTPError as error:  # refused, reset, timed out, or dropped mid-body
                problem, wait = describe(error), None
                if response is not None:
                    response.close()
            except BaseException:
                if response is not None:
                    response.close()  # its body was not read to the end: the connection cannot be reused
                raise
            finally:
                if response is not None:
                    response.release_conn()
            if attempt == MAX_ATTEMPTS:
                raise NetworkError(url, f"{problem} (gave up after {MAX_ATTEMPTS} tries)")
            if wait is None:
                wait = min(BACKOFF_SECONDS * 2 ** (attempt - 1), MAX_WAIT_SECONDS)
            elif wait > MAX_WAIT_SECONDS:
                raise NetworkError(
                    url,
                    f"{problem}: asked to wait {wait:.0f} s (Retry-After), more than the {MAX_WAIT_SECONDS:.0f} s a fetch waits",
                )
            sleep(wait)
        raise AssertionError("unreachable")

    def _take_turn(self) -> None:
        """Keep to the rate: each request starts at least 1/rate seconds after the one before."""
        now = clock()
        if self.next_turn > now:
            sleep(self.next_turn - now)
            now = self.next_turn
        self.next_turn = now + self.interval
        self.requests += 1


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def describe(error: HTTPError) -> str:
    """One line for a urllib3 failure, naming the underlying cause."""
    cause = getattr(error, "reason", None) or error
    text = " ".join(str(cause).split())
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__
