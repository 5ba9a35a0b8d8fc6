"""A stand-in for Ofsted's report site on 127.0.0.1: the pages of tests/fixtures/ofsted_site
on one server, tiny generated PDFs on a second (as files.ofsted.gov.uk is another host), every
request counted, and faults scripted per path: an error status (with Retry-After), a
connection dropped mid-body, an HTML page where a PDF is listed."""

from __future__ import annotations

import hashlib
import io
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pypdfium2

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "ofsted_site"
LAST_MODIFIED = "Fri, 25 Nov 2022 09:30:00 GMT"
SAVED_PAGE = b"<!DOCTYPE html>\n<html><head><title>Ofsted | Report</title></head><body>Page moved</body></html>\n"


def tiny_pdf(file_id: str, version: int) -> bytes:
    """A valid one-page PDF, different for each file id and version (its page size differs)."""
    document = pypdfium2.PdfDocument.new()
    document.new_page(100 + int(file_id) % 97 + 3 * version, 100)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class FixtureSite:
    def __init__(self):
        self.requests: Counter[str] = Counter()  # path -> count, both servers
        self.conditional: list[str] = []  # paths asked for with validators
        self.agents: set[str] = set()  # the User-Agent headers seen
        self.faults: dict[str, list[tuple]] = {}  # path -> faults to serve before the real answer
        self.later = False  # Stoke-on-Trent has published one more report
        self.changed: str | None = None  # "listing" or "provider": the layout after a redesign
        self.html_instead = {"40000123"}  # file ids served as an HTML page
        self.versions: Counter[str] = Counter()  # file id -> how often it was republished
        self.released = threading.Event()  # ends the ("stall",) faults
        self.documents: dict[str, bytes] = {}  # file id -> a real report to serve instead of a tiny PDF
        self._pdfs: dict[tuple[str, int], bytes] = {}
        self.files = self._serve(self._file)
        self.site = self._serve(self._page)
        self.url = f"http://127.0.0.1:{self.site.server_port}/"
        self.files_url = f"http://127.0.0.1:{self.files.server_port}"

    def fault(self, path: str, *faults: tuple) -> None:
        """Queue faults for `path`: (status, headers), ("drop",) for a body cut short, or
        ("stall",) for half a body and then nothing until `released` is set."""
        self.faults.setdefault(path, []).extend(faults)

    def pdf_requests(self) -> int:
        return sum(n for path, n in self.requests.items() if path.startswith("/v1/file/"))

    def pdf(self, file_id: str) -> bytes:
        if file_id in self.documents:
            return self.documents[file_id]
        key = (file_id, self.versions[file_id])
        if key not in self._pdfs:
            self._pdfs[key] = tiny_pdf(*key)
        return self._pdfs[key]

    def close(self) -> None:
        self.released.set()
        for server in (self.site, self.files):
            server.shutdown()
            server.server_close()

    def _serve(self, answer) -> ThreadingHTTPServer:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as urllib3's pool expects

            def do_GET(self):
                path = urlsplit(self.path).path
                site.requests[path] += 1
                site.agents.add(self.headers.get("User-Agent", ""))
                queued = site.faults.get(path)
                if queued:
                    fault = queued.pop(0)
                    if fault[0] in ("drop", "stall"):
                        return answer(self, drop=fault[0])
                    return self.reply(fault[0], b"busy\n", "text/plain", fault[1] if len(fault) > 1 else {})
                return answer(self)

            def reply(self, status, body, media_type, headers=None, drop=False):
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                if drop:  # half the body, then the connection goes (or, stalled, hangs until released)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    if drop == "stall":
                        site.released.wait(60)
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that hung up early (a refused non-PDF) is not the test's news

        server = Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return server

    def _page(self, handler, drop=False):
        parts = urlsplit(handler.path)
        if parts.path == "/search":
            start = int(parse_qs(parts.query).get("start", ["0"])[0])
            name = "listing-changed" if self.changed == "listing" else {0: "listing-1", 100: "listing-2"}.get(start, "listing-empty")
        elif parts.path.startswith("/provider/"):
            urn = parts.path.rsplit("/", 1)[-1]
            name = f"provider-{urn}"
            if urn == "80564" and self.later:
                name += "-later"
            if urn == "80445" and self.changed == "provider":
                name = "provider-changed"
        else:
            return handler.reply(404, b"not found\n", "text/plain")
        page = PAGES / f"{name}.html"
        if not page.exists():
            return handler.reply(404, b"not found\n", "text/plain")
        body = page.read_text(encoding="utf-8").replace("{files}", self.files_url).encode()
        handler.reply(200, body, "text/html; charset=utf-8", drop=drop)

    def _file(self, handler, drop=False):
        path = urlsplit(handler.path).path
        file_id = path.rsplit("/", 1)[-1]
        if not path.startswith("/v1/file/") or not file_id.isdigit():
            return handler.reply(404, b"not found\n", "text/plain")
        if file_id in self.html_instead:
            return handler.reply(200, SAVED_PAGE, "text/html; charset=utf-8")
        body = self.pdf(file_id)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        if handler.headers.get("If-None-Match") or handler.headers.get("If-Modified-Since"):
            self.conditional.append(path)
            if handler.headers.get("If-None-Match") == etag:
                return handler.reply(304, b"", "application/pdf", {"ETag": etag})
        handler.reply(200, body, "application/pdf", {"ETag": etag, "Last-Modified": LAST_MODIFIED}, drop=drop)
