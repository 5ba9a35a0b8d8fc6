"""The server's public URL (BASE_URL): the one base of every URL it builds, whatever the client sent.

A client's `Host` header must not reach the answers: written into VoID IRIs, `Link` headers,
absolute links and the base IRI of a query, it lets anyone plant their own host in what the
server publishes, and a cache keyed by it grows with every new Host (2,000 Hosts once grew
the server by 400 MB). So the WSGI environment is rewritten before Flask reads it: scheme,
host and port from BASE_URL, and its path as SCRIPT_NAME, so a server behind a proxy at
`https://example.org/ofsted-kg/` builds `https://example.org/ofsted-kg/sparql`
(https://peps.python.org/pep-3333/#url-reconstruction). BASE_URL defaults to the address
`serve` listens on.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from ofsted_kg.graph.model.user_errors import OfstedKGError


class BadBaseURL(OfstedKGError):
    """A BASE_URL that is not an absolute http(s) URL: a configuration error (exit 2)."""


def default(host: str, port: int) -> str:
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return f"http://{host}:{port}/"


@lru_cache(maxsize=8)  # one value per server; the cache only spares re-parsing it per request
def parts(base_url: str) -> tuple[str, str, str, str, str]:
    """(scheme, host:port, host, port, path prefix without its trailing slash) of BASE_URL."""
    split = urlsplit(base_url)
    if split.scheme not in ("http", "https") or not split.hostname or split.query or split.fragment:
        raise BadBaseURL(
            f"BASE_URL: {base_url[:200]!r} is not an absolute http(s) URL with no query, e.g. https://example.org/ofsted-kg/"
        )
    port = str(split.port or (443 if split.scheme == "https" else 80))
    return split.scheme, split.netloc, split.hostname, port, split.path.rstrip("/")


class PublicURL:
    """WSGI middleware: the request as if sent to BASE_URL (read from the app's config on each
    request, so `serve` can fill in the port it was given after binding)."""

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ, start_response):
        scheme, netloc, host, port, prefix = parts(self.config["BASE_URL"])
        environ["wsgi.url_scheme"] = scheme
        environ["HTTP_HOST"] = netloc
        environ["SERVER_NAME"], environ["SERVER_PORT"] = host, port
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        if prefix:
            path = environ.get("PATH_INFO", "")
            if path == prefix or path.startswith(prefix + "/"):  # a proxy that passed the prefix on
                environ["PATH_INFO"] = path[len(prefix) :]
            environ["SCRIPT_NAME"] = prefix
        return self.wsgi_app(environ, start_response)
