"""A TCP listener on 127.0.0.1 that records every connection it gets: the thing a query must never reach.

It answers each connection with a small HTTP response, as a real service would, so a query
that did reach it would get an answer back (the leak issue 10 found)."""

from __future__ import annotations

import socket
import threading

REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nSECRET"


class Listener:
    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.got: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.got.append(connection.recv(200))
                    connection.sendall(REPLY)
                except OSError:
                    self.got.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()

    def __enter__(self) -> "Listener":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
