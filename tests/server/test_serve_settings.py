"""`ofsted-kg serve` reads its settings from the environment; an option overrides one only when given."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import descendants, start_server, stop_server


def workers(pid: int) -> int:
    """The server's query workers: the processes below it that multiprocessing started, less its
    resource tracker and its fork server (its child; the workers are the fork server's children)."""
    count = 0
    for child in descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            parent = int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        fork_server = b"forkserver" in command and parent == pid
        count += b"multiprocessing" in command and b"resource_tracker" not in command and not fork_server
    return count


def settled_workers(pid: int, expected: int) -> int:
    deadline = time.monotonic() + 60  # workers start in the background; a busy machine is slow
    while (found := workers(pid)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


@pytest.mark.parametrize("options,expected", [((), 5), (("--workers", "3"), 3)])
def test_workers_from_the_environment_unless_the_option_is_given(seed_ttl, monkeypatch, options, expected):
    monkeypatch.setenv("OFSTED_KG_WORKERS", "5")
    monkeypatch.setenv("OFSTED_KG_SAVED_WORKERS", "1")
    monkeypatch.setenv("OFSTED_KG_BASE_URL", "https://data.example.org/kg/")
    running = start_server("--graph", str(seed_ttl), *options)
    try:
        assert settled_workers(running.process.pid, expected + 1) == expected + 1  # + the saved-query lane's one
        status, _, body = running.get("/index.json")
        assert status == 200 and json.loads(body)["sparql"] == "https://data.example.org/kg/sparql"
    finally:
        stop_server(running)


@pytest.mark.parametrize("name,value", [("WORKERS", "two"), ("QUERY_TIMEOUT", "\u0665"), ("BASE_URL", "ftp://x/")])
def test_a_setting_that_is_not_of_its_kind_stops_the_start_in_one_line(seed_ttl, name, value):
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "serve", "--graph", str(seed_ttl), "--port", "0"],
                          capture_output=True, text=True, timeout=120, env={"OFSTED_KG_" + name: value, "PATH": ""})
    assert done.returncode == 2
    assert done.stderr.startswith(f"ofsted-kg: error: {name}: ") and done.stderr.count("\n") == 1, done.stderr


def test_query_reads_the_data_and_limits_from_the_environment(seed_ttl, tmp_path):
    done = subprocess.run([sys.executable, "-m", "ofsted_kg", "query", "inspections"], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path,  # no build/ here: the data comes from OFSTED_KG_DATA
                          env={"OFSTED_KG_DATA": str(seed_ttl), "OFSTED_KG_MAX_ROWS": "2", "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3 and "only the first 2 rows" in done.stderr
