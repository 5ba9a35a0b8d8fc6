"""Faults: the store missing, damaged or read-only; a full disk; a bad document in a build; the
server killed mid-request. Each gives a clear one-line message, keeps what was published, and
leaves no half-written file.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import SEEDS

from .conftest import cpu_seconds, descendants, dumps_written, run_serve, serve, stop

pytestmark = pytest.mark.reliability
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture()
def graph(built, tmp_path) -> Path:
    """A private copy of the seed graph, so each test has its own store beside it."""
    copy = tmp_path / "data" / "ofsted-kg.ttl"
    copy.parent.mkdir()
    shutil.copyfile(built[1], copy)
    return copy


def _count(server) -> int:
    status, _, body = server.get("/sparql?" + urllib.parse.urlencode({"query": COUNT}),
                                 {"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("ofsted-kg: error: ")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    return errors[0]


def _temporaries(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*")
            if p.name.startswith((".building-", ".trash-")) or p.name.endswith(".tmp")]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# --- the store ---------------------------------------------------------------------------------

def test_store_missing_is_built_then_reused(graph, tmp_path):
    server = serve(tmp_path, "--graph", str(graph), "--workers", "1")
    try:
        expected = _count(server)
    finally:
        stop(server)
    store = graph.with_name(graph.name + ".store")
    assert len([p for p in store.iterdir() if not p.name.startswith(".") and not p.name.endswith(".dumps")
                and p.name != "checksums.json"]) == 1
    shutil.rmtree(store)
    again = serve(tmp_path, "--graph", str(graph), "--workers", "1")
    try:
        assert _count(again) == expected > 10_000
    finally:
        stop(again)


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_damaged_store_is_rebuilt_never_served(graph, tmp_path, damage):
    first = serve(tmp_path, "--graph", str(graph), "--workers", "1")
    expected = _count(first)
    stop(first)
    (version,) = [p for p in graph.with_name(graph.name + ".store").iterdir() if not p.name.startswith(".") and not p.name.endswith(".dumps")
                and p.name != "checksums.json"]
    victim = max(version.glob("*.sst"), key=lambda p: p.stat().st_size)
    if damage == "truncate":
        os.truncate(victim, victim.stat().st_size // 3)
    else:
        raw = bytearray(victim.read_bytes())
        raw[len(raw) // 2] ^= 0x55
        victim.write_bytes(bytes(raw))
    second = serve(tmp_path, "--graph", str(graph), "--workers", "1")
    try:
        assert _count(second) == expected
        dumps_written(second)
        log = second.log()
        assert "is not usable" in log and victim.name in log, log
        assert _temporaries(version.parent) == []
    finally:
        stop(second)


def test_read_only_location_serves_an_existing_store_and_refuses_clearly_without_one(graph, tmp_path,
                                                                                     read_only_view):
    first = serve(tmp_path, "--graph", str(graph), "--workers", "1")
    expected = _count(first)
    stop(first)
    view = read_only_view(graph.parent)  # the data and its store, now read-only
    second = serve(tmp_path, "--graph", str(view / graph.name), "--workers", "1")
    try:
        assert _count(second) == expected
    finally:
        stop(second)
    shutil.rmtree(graph.with_name(graph.name + ".store"))  # through the writable path: no store any more
    result = run_serve("--graph", str(view / graph.name))
    assert result.returncode == 4, result.stderr
    line = _one_line_error(result)
    assert "cannot write the query store" in line and "read-only" in line and "--store-dir" in line


def test_disk_full_while_writing_the_store(graph, tmpfs, tmp_path):
    tiny = tmpfs("1m")  # the seed graph's store needs about 2 MB
    result = run_serve("--graph", str(graph), "--store-dir", str(tiny / "store"))
    assert result.returncode == 4, result.stderr
    assert "the disk is full" in _one_line_error(result)
    assert not (tiny / "store").exists() or list((tiny / "store").iterdir()) == [], "a half-written store was left"


def test_disk_full_while_writing_the_dumps_keeps_the_published_ones(graph, tmpfs, tmp_path):
    disk = tmpfs("2m")
    small = tmp_path / "small.ttl"
    small.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    first = serve(tmp_path, "--data", str(small), "--workers", "1", env={"OFSTED_KG_DUMP_DIR": str(disk)})
    try:
        dumps_written(first)
        status, headers, body = first.get("/dump.nt")
        assert status == 200 and body.count(b"\n") == 1
    finally:
        stop(first)
    published = _digests(disk)
    assert "ofsted-kg.nt" in published and "ofsted-kg.ttl.gz" in published
    # The seed graph's dumps (about 9 MB) cannot fit in 2 MB. They are written in the background,
    # so the server serves its queries and says, on the dumps, why they are missing.
    second = serve(tmp_path, "--graph", str(graph), "--workers", "1", "--store-dir", str(tmp_path / "store"),
                   env={"OFSTED_KG_DUMP_DIR": str(disk)})
    try:
        assert second.get("/queries/inspections.json")[0] == 200
        status, headers, body = second.get("/dump.nt")
        deadline = time.monotonic() + 120
        while status == 503 and b"being written" in body and time.monotonic() < deadline:
            time.sleep(0.5)
            status, headers, body = second.get("/dump.nt")
        detail = json.loads(body)["detail"]
        # no Retry-After: the server will not try again, so a client retrying would wait for ever
        assert status == 503 and json.loads(body)["error"] == "dumps-failed" and "Retry-After" not in headers, body
        assert "cannot write the dumps" in detail and "the disk is full" in detail
    finally:
        stop(second)
    assert _digests(disk) == published, "a published dump changed"
    assert _temporaries(disk) == []


# --- the build ---------------------------------------------------------------------------------

def _build(inputs: list[Path], out: Path, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ofsted_kg", "build", "--out", str(out), *options]
    for path in inputs:
        command += ["--input", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_corrupt_document_among_good_ones(tmp_path):
    # The copy keeps the folder's name: the manifest's title in the graph names its folder.
    corpus = tmp_path / "copy" / SEEDS.name
    shutil.copytree(SEEDS, corpus, ignore=shutil.ignore_patterns("__pycache__"))
    bad = corpus / "zz-damaged report.pdf"
    good_pdf = next(p for p in sorted(SEEDS.iterdir()) if p.suffix == ".pdf")
    raw = good_pdf.read_bytes()
    bad.write_bytes(raw[: len(raw) // 3])  # a PDF cut short, as by a failed download
    out = tmp_path / "out" / "ofsted-kg.ttl"

    clean = _build([SEEDS], out)
    assert clean.returncode == 0, clean.stderr
    before = out.read_bytes()

    failed = _build([corpus], out)  # without --keep-going: nothing written
    assert failed.returncode == 2
    assert any(line.startswith("ofsted-kg: error: ") and bad.name in line for line in failed.stderr.splitlines())
    assert "Traceback" not in failed.stderr
    assert out.read_bytes() == before, "a failed build replaced the published graph"
    # .cache: the extraction cache the build keeps beside its graph (README, "Commands")
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "extraction-report.json", "ofsted-kg.ttl", "text"]

    partial = _build([corpus], out, "--keep-going")
    assert partial.returncode == 3, partial.stderr
    assert any(bad.name in line for line in partial.stderr.splitlines() if line.startswith("ofsted-kg: error: "))
    assert out.read_bytes() == before, "the good documents must give the same graph as before"
    report = json.loads((out.parent / "extraction-report.json").read_text())
    statuses = {Path(f["file"]).name: f["status"] for f in report["documents"]}
    assert statuses[bad.name] == "failed" and sum(s != "failed" for s in statuses.values()) >= 8
    leftovers = [p for p in out.parent.rglob("*") if p.name.endswith(".tmp") or (p.name.startswith(".") and p.name != ".cache")]
    assert leftovers == []


# --- the server killed mid-request ---------------------------------------------------------------

def _slow_reader(url: str, path: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """A GET whose client reads slowly: a small receive window keeps the server mid-send."""
    address = urllib.parse.urlsplit(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(30)
    sock.connect((address.hostname, address.port))
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.sock = sock
    connection.request("GET", path)
    return connection, connection.getresponse()


@pytest.fixture()
def big(tmp_path) -> Path:
    """About 18 MB of N-Triples: far more than loopback's socket buffers (4 MB), so a download
    is still being sent when the server is killed."""
    path = tmp_path / "big" / "big.nt"
    path.parent.mkdir()
    with path.open("w") as f:
        for i in range(200_000):
            f.write(f'<http://example.org/s{i}> <http://example.org/p{i % 40}> "value {i} of a padded literal" .\n')
    return path


def test_killed_mid_download_and_mid_query_then_restarted(big, tmp_path):
    dumps = tmp_path / "dumps"
    env = {"OFSTED_KG_DUMP_DIR": str(dumps)}
    server = serve(tmp_path, "--data", str(big), "--workers", "1", "--timeout", "5", env=env)
    expected = _count(server)
    status, headers, whole = server.get("/dump.nt")
    deadline = time.monotonic() + 120
    while status == 503 and time.monotonic() < deadline:  # the dumps are written in the background
        status, headers, whole = server.get("/dump.nt")
    assert status == 200 and len(whole) > 15_000_000
    workers = descendants(server.process.pid)

    connection, response = _slow_reader(server.url, "/dump.nt")
    assert response.status == 200 and int(response.headers["Content-Length"]) == len(whole)
    first = response.read(8192)
    query_connection = http.client.HTTPConnection(urllib.parse.urlsplit(server.url).hostname,
                                                  urllib.parse.urlsplit(server.url).port, timeout=60)
    query_connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))
    time.sleep(1.0)  # the runaway query is running in a worker now
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()

    with pytest.raises(http.client.IncompleteRead):  # Content-Length tells the client it was cut
        response.read()
    connection.close()
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead)):
        query_connection.getresponse().read()
    assert first and whole.startswith(first)

    # The orphaned workers end: idle ones at once, the busy one within its CPU cap (5 s + 2 s of
    # CPU, which on a busy two-core machine can take several times that in wall time).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and any(cpu_seconds(pid) is not None and _state(pid) != "Z" for pid in workers):
        time.sleep(0.5)
    assert all(cpu_seconds(pid) is None or _state(pid) == "Z" for pid in workers), "a worker outlived its server"

    again = serve(tmp_path, "--data", str(big), "--workers", "1", env=env)
    try:
        assert _count(again) == expected
        dumps_written(again)
        status, _, after = again.get("/dump.nt")
        assert status == 200 and after == whole
        assert "is not usable" not in again.log()  # the store was complete: reused, not rebuilt
        assert _temporaries(dumps, big.with_name(big.name + ".store")) == []
    finally:
        stop(again)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_missing_data_file_is_one_line_exit_2(tmp_path):
    result = run_serve("--graph", str(tmp_path / "nothing.ttl"))
    assert result.returncode == 2
    assert "nothing.ttl: no such file" in _one_line_error(result)
