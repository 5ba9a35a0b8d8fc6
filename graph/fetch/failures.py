"""What can stop or spoil a fetch, each with the exit code `ofsted-kg fetch` gives it
(README, "Fetching the reports"). Every message is one line naming the page, URL or file."""

from __future__ import annotations

from ..model.user_errors import ExitCode, OfstedKGError


class FetchError(OfstedKGError):
    exit_code = ExitCode.BAD_INPUT


class LayoutChanged(FetchError):
    """A page of the site no longer has the structure the fetch reads."""

    exit_code = ExitCode.SITE_CHANGED

    def __init__(self, page: str, missing: str):
        self.page, self.missing = page, missing
        super().__init__(f"{page}: the page layout has changed: {missing}; nothing written")


class NetworkError(FetchError):
    """A request that failed for good: refused, dropped, timed out, or answered an error status."""

    exit_code = ExitCode.SITE_UNREACHABLE

    def __init__(self, url: str, problem: str):
        self.url, self.problem = url, problem
        super().__init__(f"{url}: {problem}")


class NotAPDF(FetchError):
    """The server sent something else (an HTML page, usually) where a PDF was listed."""

    def __init__(self, url: str, start: bytes):
        self.url = url
        self.problem = f"not a PDF: the response starts {start[:16]!r}, not b'%PDF-'"
        super().__init__(f"{url}: {self.problem}")
