"""Take a query worker off the network for good: a new, empty network namespace.

pyoxigraph answers SPARQL `SERVICE` by making HTTP requests, and has no switch to stop it.
So the guarantee that no query reaches the network does not come from reading the query
(guard.py's early refusal is only a courtesy, and any second reading of a query can disagree
with the engine's): it comes from the process that runs the query having no network at all.
Each worker calls unshare(2) with CLONE_NEWNET before it does anything else
(https://man7.org/linux/man-pages/man7/network_namespaces.7.html): a new namespace has only a
loopback interface, and it is down, so every connect() fails with ENETUNREACH, 127.0.0.1 and
DNS included. A non-root user gets the same through a new user namespace (CLONE_NEWUSER, which
the kernel allows only in a single-threaded process, so this must come first). The pipe to the
parent (AF_UNIX, made before) and the store's files are untouched by either.

The worker then proves it: a connect() to 127.0.0.1 must fail with ENETUNREACH, or the worker
reports that it is not isolated and `serve` stops (exit code 5) unless QUERY_ISOLATION=off.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import socket

from ofsted_kg.graph.model.user_errors import ExitCode, OfstedKGError

CLONE_NEWNET = 0x40000000  # <linux/sched.h>
CLONE_NEWUSER = 0x10000000
ISOLATED, OFF = "namespace", "off"  # the values of the QUERY_ISOLATION setting
log = logging.getLogger(__name__)


class IsolationUnavailable(OfstedKGError):
    """The platform cannot take the query workers off the network: `serve` stops at start-up."""

    exit_code = ExitCode.NO_ISOLATION


def required(setting) -> bool:
    """The QUERY_ISOLATION setting: True for "namespace" (the default), False for "off"."""
    text = str(setting).strip().lower()
    if text in (ISOLATED, OFF):
        if text == OFF:
            log.warning(
                "QUERY_ISOLATION=off: query workers keep the network; only the early SERVICE refusal "
                "(a check of the query text, not a guarantee) stands between a query and an outbound request"
            )
        return text == ISOLATED
    raise OfstedKGError(f"QUERY_ISOLATION: {setting!r} is neither {ISOLATED!r} nor {OFF!r}")


def leave_network() -> str:
    """Move this process into a new, empty network namespace and check that it is offline.

    Returns how (for the log); raises OSError saying why when neither way works, or when the
    process can still connect. Call it first thing in a fresh, single-threaded process."""
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        raise OSError(errno.ENOSYS, "network namespaces are a Linux feature")
    libc = ctypes.CDLL(None, use_errno=True)
    how = "a new network namespace"
    if libc.unshare(CLONE_NEWNET) != 0:
        first = ctypes.get_errno()
        how = "new user and network namespaces"
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            second = ctypes.get_errno()
            raise OSError(
                second,
                f"unshare(CLONE_NEWNET) failed ({os.strerror(first)}) and "
                f"unshare(CLONE_NEWUSER|CLONE_NEWNET) failed ({os.strerror(second)})",
            )
    _check_offline()
    return how


def _check_offline() -> None:
    """connect() to loopback must fail for want of a network, not for want of a listener."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.settimeout(2)
        probe.connect(("127.0.0.1", 9))
    except OSError as error:
        if error.errno == errno.ENETUNREACH:
            return
        raise OSError(errno.EPERM, f"still on a network after unshare: connect() to 127.0.0.1 gave {error}") from None
    finally:
        probe.close()
    raise OSError(errno.EPERM, "still on a network after unshare: connect() to 127.0.0.1 succeeded")
