"""gzip for answers: query results, pages and descriptions are text that shrinks 4-7x (the seed
graph's findings.json 234 KB -> 48 KB, an inspection page 116 KB -> 17 KB).

Flask-Compress does the work (Accept-Encoding with its q-values, Vary: Accept-Encoding, the
ETag of a compressed body, conditional requests on it) rather than code of our own. Set here:
- gzip only: every HTTP client reads it (curl --compressed, requests, browsers, SPARQLWrapper);
  one encoding keeps one compressed variant per answer and ETag.
- not streamed responses: the dumps are files sent as they are, with their own gzip copies
  (routes/dumps.py), Content-Length and byte ranges; compressing them on the fly would drop
  Content-Length and turn a 206 range of the file into a range of something else.
- not small bodies (under 500 bytes, the library's default): errors and 304s stay as they are.
- an ETag of a compressed answer is the plain one with ":gzip" appended (a strong validator per
  representation, RFC 9110 8.8.3), and If-None-Match with it is answered 304.
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

# Text types of pages and files, and every format a query or description answers in (formats.py).
TEXT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/ld+json",
    "application/rdf+xml",
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "image/svg+xml",
}


def install(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIMETYPES", sorted(TEXT_TYPES))
    Compress(app)
