"""Fixtures of the reliability tests (`make test-reliability`): real servers on loopback, watched.

Every test here is marked `reliability` and left out of the quick and slow runs. Servers are
`ofsted-kg serve` child processes on 127.0.0.1 (port 0), ended by PID; their stderr goes to
a file the test can read. /proc gives the server's worker processes, their CPU time and RSS.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.server.conftest import Server, descendants  # noqa: F401 (the reliability tests import it from here)

MOUNT_OK: bool | None = None


@dataclass
class Running(Server):
    stderr: Path = None

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")


def serve(tmp: Path, *arguments: str, env: dict | None = None) -> Running:
    """Start `ofsted-kg serve` and wait for its first line; raises with its stderr if it stops."""
    stderr = tmp / f"serve-{time.monotonic_ns()}.log"
    command = [sys.executable, "-m", "ofsted_kg", "serve", "--host", "127.0.0.1", "--port", "0",
               "--parent-pid", str(os.getpid()), *arguments]
    with stderr.open("w") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True,
                                   env={**os.environ, **(env or {})})
    line = process.stdout.readline()
    match = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
    if not match:
        process.kill()
        process.wait()
        raise RuntimeError(f"the server did not start: {line!r}; stderr: {stderr.read_text()[-2000:]}")
    return Running(process, match.group(1), stderr=stderr)


def dumps_written(server: Server, patience: float = 180) -> None:
    """Wait for the dumps a start writes in the background (503 until then). They are written
    at the lowest CPU priority, so under load they take what the queries leave: a test that
    loads the server measures it once they are written."""
    deadline = time.monotonic() + patience
    while server.get("/dump.nt")[0] == 503 and time.monotonic() < deadline:
        time.sleep(0.5)


def run_serve(*arguments: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`ofsted-kg serve` expected to fail at start-up: its exit code and output."""
    command = [sys.executable, "-m", "ofsted_kg", "serve", "--host", "127.0.0.1", "--port", "0",
               "--parent-pid", str(os.getpid()), *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def stop(server: Server, sig: int = signal.SIGTERM) -> None:
    if server.process.poll() is None:
        os.kill(server.process.pid, sig)
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()


def cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    return rss_mb(pid) + sum(rss_mb(child) for child in descendants(pid))


def can_mount() -> bool:
    """Whether this process may mount (root in CI): tmpfs and read-only binds simulate faults."""
    global MOUNT_OK
    if MOUNT_OK is None:
        probe = Path(f"/tmp/ofsted-kg-mount-probe-{os.getpid()}")
        probe.mkdir(exist_ok=True)
        MOUNT_OK = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)],
                                  capture_output=True).returncode == 0
        if MOUNT_OK:
            subprocess.run(["umount", str(probe)], check=True)
        probe.rmdir()
    return MOUNT_OK


@pytest.fixture()
def tmpfs(tmp_path):
    """mount(size) -> a folder on a tmpfs of that size, unmounted afterwards: a disk that fills."""
    if not can_mount():
        pytest.skip("needs permission to mount a tmpfs (root, as in CI)")
    mounted = []

    def mount(size: str) -> Path:
        folder = tmp_path / f"tmpfs-{len(mounted)}"
        folder.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
        mounted.append(folder)
        return folder

    yield mount
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture()
def read_only_view(tmp_path):
    """view(folder) -> the same folder through a read-only bind mount."""
    if not can_mount():
        pytest.skip("needs permission to mount (root, as in CI)")
    mounted = []

    def view(folder: Path) -> Path:
        target = tmp_path / f"ro-{len(mounted)}"
        target.mkdir()
        subprocess.run(["mount", "--bind", str(folder), str(target)], check=True)
        mounted.append(target)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
        return target

    yield view
    for folder in reversed(mounted):
        subprocess.run(["umount", "-l", str(folder)], check=False)
