"""Every failure a route answers on purpose, one exception per kind, each with its HTTP status.

Three families under `HTTPError`: `ClientError` (4xx: the request's fault, fix it and ask
again), `Unavailable` (503: the server's state for now, the time limit or its workers; ask
again later, Retry-After says when) and `UpstreamError` (502: the external store behind
`serve --store`). A bug is none of these: app.py answers it 500 and logs it.
Every route answers them with one JSON shape, `{"status", "error", "detail"}` (Datasette's
convention): `error` is a short stable word a program can test, `detail` a sentence for a
person. The CLI maps the same exceptions to exit code 2 and a one-line message.
"""

from __future__ import annotations

from ofsted_kg.graph.model.user_errors import OfstedKGError

ECHO_LIMIT = 200  # characters of a client's value repeated back in `detail`


def shorten(text: str) -> str:
    """Text made from a client's input, cut to ECHO_LIMIT characters with an ellipsis, so a
    200 KB parameter is not sent back whole."""
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


def echo(value) -> str:
    """A client's value as a detail quotes it: its repr, shortened."""
    return shorten(repr(value))


class HTTPError(OfstedKGError):
    """A failure answered with its status and the one JSON error shape. A subclass states its
    HTTP contract where it is declared: `class NotFound(ClientError, status=404, error="not-found")`."""

    status = 500
    error = "internal-error"
    retry = True  # a 503 says when to try again (Retry-After) unless a retry cannot help

    def __init_subclass__(cls, *, status: int | None = None, error: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.status = status or cls.status
        cls.error = error or cls.error

    def __init__(self, detail: str, *, parameter: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter

    def body(self) -> dict:
        body = {"status": self.status, "error": self.error, "detail": self.detail}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


class ClientError(HTTPError, status=400, error="bad-request"):
    """A request the server will not answer as asked: the client's to change."""


class Unavailable(HTTPError, status=503, error="unavailable"):
    """The server cannot answer now, through no fault of the request: it may a little later."""


class UpstreamError(HTTPError, status=502, error="store-error"):
    """The external triple store (`serve --store`) cannot be reached or answered with an error
    it should not have: the gateway's fault, not the client's."""


# The client's: 4xx.
class BadQuery(ClientError, error="malformed-query"):
    """SPARQL the parser rejects; the detail carries its message and line:column."""


class BadParameter(ClientError, error="bad-parameter"):
    """A saved query's parameter that is missing or not of its declared type."""


class Refused(ClientError, status=403, error="refused"):
    """A query the endpoint will not run: an update, or a SERVICE call out of the server."""


class NotFound(ClientError, status=404, error="not-found"):
    pass


class NotAcceptable(ClientError, status=406, error="not-acceptable"):
    """No format the request names or accepts can be given (negotiation.py)."""


class TooLarge(ClientError, status=413, error="too-large"):
    """A request body over the cap (413), or an answer over the response-size cap."""


class UnsupportedMediaType(ClientError, status=415, error="unsupported-media-type"):
    pass


# The server's, for now: 503, with Retry-After.
class TimedOut(Unavailable, error="timeout"):
    """The query ran past the time limit; its worker was killed."""


class WorkerEnded(Unavailable, error="worker-ended"):
    """The worker running the query died under it (a crash, or out of memory); a new one starts."""


class Busy(Unavailable, error="busy"):
    """Every worker stayed busy for a whole time limit."""


class HeaderError(OfstedKGError):
    """A saved query whose `#+` header is missing or broken: a build error, not a client's."""

    def __init__(self, path, problem: str):
        super().__init__(f"{path}: {problem}")
