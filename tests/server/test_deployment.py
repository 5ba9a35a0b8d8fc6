"""docs/deployment.md's nginx configuration, run as written in front of a real server (skipped
where nginx is not installed): links name the public URL, CORS passes through, nginx's own
refusals are in the JSON error shape."""

from __future__ import annotations

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


@pytest.fixture()
def proxied(seed_ttl, tmp_path):
    """(public URL, server) with nginx on a free loopback port in front of `ofsted-kg serve`."""
    port = free_port()
    public = f"http://127.0.0.1:{port}/ofsted-kg/"
    server = start_server("--graph", str(seed_ttl), "--base-url", public)
    upstream = server.url.removeprefix("http://")
    site = documented_config().replace("server 127.0.0.1:8000;", f"server {upstream};").replace(
        "listen 80;", f"listen 127.0.0.1:{port};")
    temp = "\n".join(f"  {kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n{temp}\n{site}\n}}\n")
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
        yield public, server
    finally:
        if nginx.poll() is None:
            os.kill(nginx.pid, signal.SIGQUIT)  # nginx's graceful stop
            try:
                nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(nginx.pid, signal.SIGKILL)
                nginx.wait()
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
