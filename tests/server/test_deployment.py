"""docs/deployment.md's nginx configuration, run as written in front of a real server (skipped
where nginx is not installed): links name the public URL, CORS passes through, nginx's own
refusals are in the JSON error shape."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from .conftest import start_server, stop_server

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def documented_config() -> str:
    return re.search(r"<!-- nginx-config.*?```nginx\n(.*?)```", DOC.read_text(), re.S).group(1)


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def upstream_block() -> str:
    """The scale-out upstream of docs/deployment.md ("More than one server process")."""
    return re.search(r"<!-- nginx-upstream.*?```nginx\n(.*?)```", DOC.read_text(), re.S).group(1)


@contextlib.contextmanager
def nginx_in_front(tmp_path: Path, upstreams: list[str], scale_out: bool = False, port: int | None = None):
    """nginx on loopback (`port`, else a free one) with the documented site, its upstream the
    given servers (host:port): the one-server block, or the scale-out block. Yields the public URL."""
    port = port or free_port()
    tmp_path.mkdir(parents=True, exist_ok=True)
    public = f"http://127.0.0.1:{port}/ofsted-kg/"
    site = documented_config().replace("listen 80;", f"listen 127.0.0.1:{port};")
    if scale_out:
        block = upstream_block()
        documented = re.findall(r"server 127\.0\.0\.1:\d+", block)
        assert len(documented) == len(upstreams)
        for old, new in zip(documented, upstreams):
            block = block.replace(old + " ", f"server {new} ", 1)
        site = re.sub(r"upstream ofsted_kg \{.*?\n\}\n", lambda _: block, site, count=1, flags=re.S)
    else:
        site = site.replace("server 127.0.0.1:8000;", f"server {upstreams[0]};")
    temp = "\n".join(f"  {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{ worker_connections 256; }}\n"
        # The log names the upstream each request went to (the tests read it).
        f"http {{\n  log_format upstream '$upstream_addr $request';\n  access_log {tmp_path}/access.log upstream;\n"
        f"{temp}\n{site}\n}}\n")
    options = ["-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")]
    checked = subprocess.run([NGINX, "-t", *options], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.2)
        yield public
    finally:
        if nginx.poll() is None:
            os.kill(nginx.pid, signal.SIGQUIT)  # nginx's graceful stop
            try:
                nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(nginx.pid, signal.SIGKILL)
                nginx.wait()


@pytest.fixture()
def proxied(seed_ttl, tmp_path):
    """(public URL, server) with nginx on a free loopback port in front of `ofsted-kg serve`."""
    port = free_port()
    public = f"http://127.0.0.1:{port}/ofsted-kg/"
    server = start_server("--graph", str(seed_ttl), "--base-url", public)
    try:
        with nginx_in_front(tmp_path, [server.url.removeprefix("http://")], port=port) as proxied_url:
            yield proxied_url, server
    finally:
        stop_server(server)


def test_the_documented_nginx_configuration_proxies_the_server(proxied):
    public, _ = proxied
    status, _, body = fetch(public + "index.json", headers={"Host": "attacker.example"})
    assert status == 200 and json.loads(body)["sparql"] == public + "sparql"
    status, _, body = fetch(public + ".well-known/void")
    assert status == 200 and f"<{public}sparql>".encode() in body and b"attacker" not in body
    status, headers, body = fetch(public + "sparql?query=" + quote("ASK { ?s ?p ?o }"), headers={"Origin": "https://x.example"})
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers.get_all("Access-Control-Allow-Origin") == ["*"]  # the server's, not doubled by nginx
    status, headers, _ = fetch(public + "sparql", method="OPTIONS", headers={
        "Origin": "https://x.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


def test_nginx_refusals_are_in_the_json_error_shape(proxied):
    public, _ = proxied
    status, headers, body = fetch(public + "sparql", method="POST", data=b"x" * 1_000_000,
                                  headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["error"] == "too-large" and headers["Access-Control-Allow-Origin"] == "*"
    _, server = proxied
    stop_server(server)  # the upstream gone: nginx's 502 becomes the JSON 503 with Retry-After
    status, headers, body = fetch(public + "sparql")
    assert status == 503 and json.loads(body)["status"] == 503 and int(headers["Retry-After"]) > 0


def upstreams_logged(log: Path, word: str, expected: int, wait: float = 15.0) -> list[str]:
    """The upstream of each logged request naming `word`. nginx writes a request's line after
    its answer has gone, so the last may not be in the file yet when the client has it: wait."""
    deadline = time.monotonic() + wait
    while True:
        found = [line.split()[0] for line in log.read_text().splitlines() if word in line]
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_two_servers_behind_the_documented_upstream_share_the_load_and_survive_one_loss(seed_ttl, tmp_path):
    """docs/deployment.md, "More than one server process": two `serve` processes over one
    persisted store (the second reuses the store the first built), nginx's documented upstream
    in front. Requests reach both; with one stopped, the other answers every request."""
    store = tmp_path / "store"
    first = start_server("--graph", str(seed_ttl), "--store-dir", str(store))
    second = start_server("--graph", str(seed_ttl), "--store-dir", str(store))
    try:
        assert len([d for d in store.iterdir() if d.is_dir() and d.suffix != ".dumps"]) == 1  # one store, shared read-only
        upstreams = [s.url.removeprefix("http://") for s in (first, second)]
        with nginx_in_front(tmp_path / "nginx", upstreams, scale_out=True) as public:
            for _ in range(8):
                status, _, body = fetch(public + "queries/judgements.json?la=Stoke-on-Trent")
                assert status == 200 and b"Inadequate" in body, body
            log = upstreams_logged(tmp_path / "nginx" / "access.log", "judgements", 8)
            assert len(log) == 8 and set(log) == set(upstreams)  # both servers answered
            stop_server(first)
            for _ in range(6):  # nginx marks the stopped one failed and goes on with the other
                status, _, body = fetch(public + "queries/judgements.json?la=Stoke-on-Trent")
                assert status == 200 and b"Inadequate" in body
    finally:
        stop_server(first)
        stop_server(second)
