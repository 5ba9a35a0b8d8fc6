"""waitress, configured for hostile clients: bounded connections, the JSON error shape, clean refusals.

waitress (https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html) gives a
thread only to a complete request, so idle and slow connections cost a socket each, not a
thread: CONNECTION_LIMIT bounds them (waitress's own default, 100, let 101 idle sockets shut
everyone out), CHANNEL_TIMEOUT closes one that has been quiet that long, and poll() replaces
select(), which cannot watch a descriptor numbered past 1024. The open-files limit is raised
to fit before the socket is bound.

waitress answers a few requests itself, before the app sees them (a header block or body
over its caps, a request line it cannot parse). Its error task is replaced so those answers
are the app's JSON shape too, and a refused body is drained for a moment after the answer
(a lingering close, as Apache and nginx do) so that a client still sending it reads the
answer instead of a connection reset.
"""

from __future__ import annotations

import json
import resource
import socket
import sys
import time

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer
from waitress.task import ErrorTask

# Percent-encoding turns a byte into three; the rest is room for the other parameters and headers.
ENCODING_FACTOR = 3
ENVELOPE_ROOM = 16_384
LINGER_SECONDS = 5.0  # longest a refused request's remaining bytes are read and thrown away
DESCRIPTORS_PER_CONNECTION = 2  # a socket, and sometimes a file a large body or answer overflows to


def envelope(max_request_bytes: int) -> int:
    """The most bytes a request's body (or its header block) may hold so that a query of
    `max_request_bytes`, percent-encoded, still reaches the app, which then checks the query
    itself: the same query is accepted or refused whether it comes by GET or by POST."""
    return ENCODING_FACTOR * max_request_bytes + ENVELOPE_ROOM


class JsonErrorTask(ErrorTask):
    """waitress's own refusals (400, 413, 431, 501) in the app's JSON error shape."""

    def execute(self):
        error = self.request.error
        slug = "too-large" if error.code in (413, 431) else error.reason.lower().replace(" ", "-")
        body = json.dumps({"status": error.code, "error": slug, "detail": _detail(error)}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.channel.linger = True
        self.write(body)


def _detail(error) -> str:
    if error.code == 413:
        return "the request body is larger than this server accepts (see MAX_REQUEST_BYTES)"
    if error.code == 431:
        return "the request line and headers are larger than this server accepts (see MAX_REQUEST_BYTES)"
    return f"the request could not be read as HTTP/1.1: {error.body}"[:300]


class Channel(HTTPChannel):
    """A connection whose error answers are JSON, closed with a short lingering drain, and
    closed when one request takes longer than CHANNEL_TIMEOUT to arrive: waitress's own
    timeout counts only silence, so a client sending a header line every few seconds (slowloris)
    would otherwise hold its socket for ever."""

    error_task_class = JsonErrorTask
    linger = False
    lingering_since: float | None = None
    receiving_since: float | None = None  # when the first byte of the request being read came

    def received(self, data):
        if self.request is None and self.receiving_since is None:
            self.receiving_since = time.monotonic()
        result = super().received(data)
        if self.request is None:  # nothing left half-read
            self.receiving_since = None
        return result

    def handle_close(self):
        if self.linger and self.lingering_since is None and self.socket is not None:
            try:
                self.socket.shutdown(socket.SHUT_WR)  # the answer is sent; the client sees its end
            except OSError:
                return super().handle_close()
            self.lingering_since = time.monotonic()
            self.will_close = self.close_when_flushed = False
            return None
        return super().handle_close()

    def readable(self):
        return True if self.lingering_since is not None else super().readable()

    def handle_read(self):
        if self.lingering_since is None:
            started = self.receiving_since
            if started is not None and time.monotonic() - started > self.adj.channel_timeout:
                return super().handle_close()
            return super().handle_read()
        try:
            self.recv(65_536)  # thrown away; an end of stream closes the channel (recv calls handle_close)
        except OSError:
            return super().handle_close()
        if self.socket is not None and time.monotonic() - self.lingering_since > LINGER_SECONDS:
            super().handle_close()
        return None


def raise_open_files_limit(connections: int) -> int:
    """Raise the soft open-files limit towards the hard one so `connections` sockets fit (plus
    the store's and the workers' files); returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = DESCRIPTORS_PER_CONNECTION * connections + 512
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted:
        print(
            f"ofsted-kg: note: the open-files limit ({soft}) is low for CONNECTION_LIMIT={connections}; "
            f"raise it (ulimit -n {wanted}) or lower CONNECTION_LIMIT",
            file=sys.stderr,
            flush=True,
        )
    return soft


def create(app, host: str, port: int):
    """The waitress server for `app` with the app's settings, not yet running, and its port."""
    config = app.config
    connections = int(config["CONNECTION_LIMIT"])
    timeout = int(config["CHANNEL_TIMEOUT"])
    raise_open_files_limit(connections)
    largest = envelope(int(config["MAX_REQUEST_BYTES"]))
    server = waitress.create_server(
        app,
        host=host,
        port=port,
        threads=int(config["THREADS"]),
        ident="ofsted-kg",
        connection_limit=connections,
        channel_timeout=timeout,
        cleanup_interval=max(1, min(30, timeout // 2)),
        asyncore_use_poll=True,
        # waitress refuses a Content-Length >= its cap, the app one > MAX_CONTENT_LENGTH: one more byte
        # here lets the app answer every body it could read (its JSON 413 names the limit).
        max_request_body_size=largest + 2,
        max_request_header_size=largest + ENVELOPE_ROOM,
    )
    # A host name with several addresses (localhost: 127.0.0.1 and ::1) gives one listener each.
    listeners = (
        [d for d in server.map.values() if isinstance(d, BaseWSGIServer)] if isinstance(server, MultiSocketServer) else [server]
    )
    for listener in listeners:
        listener.channel_class = Channel
    return server, listeners[0].effective_port
