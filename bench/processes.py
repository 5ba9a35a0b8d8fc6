"""Ending the servers a benchmark script starts: by PID, politely first (SIGTERM, so a server
ends its own workers), then for certain (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
