"""What a client can get wrong, as one exception per kind, each with its HTTP status.

Every route answers failures with one JSON shape, `{"status", "error", "detail"}` (Datasette's
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


class ClientError(OfstedKGError):
    """A request the server will not or cannot answer, through no fault of its own."""

    status = 400
    error = "bad-request"

    def __init__(self, detail: str, *, parameter: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.parameter = parameter

    def body(self) -> dict:
        body = {"status": self.status, "error": self.error, "detail": self.detail}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


class BadQuery(ClientError):
    """SPARQL the parser rejects; the detail carries its message and line:column."""

    error = "malformed-query"


class BadParameter(ClientError):
    """A saved query's parameter that is missing or not of its declared type."""

    error = "bad-parameter"


class Refused(ClientError):
    """A query the endpoint will not run: an update, or a SERVICE call out of the server."""

    status = 403
    error = "refused"


class NotFound(ClientError):
    status = 404
    error = "not-found"


class MethodNotAllowed(ClientError):
    status = 405
    error = "method-not-allowed"


class NotAcceptable(ClientError):
    status = 406
    error = "not-acceptable"


class TooLarge(ClientError):
    """A request body over the cap (413), or an answer over the response-size cap."""

    status = 413
    error = "too-large"


class UnsupportedMediaType(ClientError):
    status = 415
    error = "unsupported-media-type"


class TimedOut(ClientError):
    """The query ran past the time limit; its worker was killed."""

    status = 503
    error = "timeout"


class WorkerEnded(ClientError):
    """The worker running the query died under it (a crash, or out of memory); a new one starts."""

    status = 503
    error = "worker-ended"


class StoreError(ClientError):
    """The external triple store (`serve --store`) cannot be reached or answered with an error
    it should not have: the gateway's fault, not the client's."""

    status = 502
    error = "store-error"


class Busy(ClientError):
    """Every worker stayed busy for a whole time limit."""

    status = 503
    error = "busy"


class HeaderError(OfstedKGError):
    """A saved query whose `#+` header is missing or broken: a build error, not a client's."""

    def __init__(self, path, problem: str):
        super().__init__(f"{path}: {problem}")
