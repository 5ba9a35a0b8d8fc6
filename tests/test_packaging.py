"""The wheel, installed in a fresh virtual environment outside the checkout, builds the seed graph
and serves it: issue 10, finding 11 (the wheel read its tables from ../seeds, not shipped).

Slow: it builds the wheel (`pip wheel`), makes a venv and installs the wheel with its
dependencies (from pip's cache, else PyPI), then runs the installed `ofsted-kg` from a
temporary working directory, as a user who never cloned the repository would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from .server.downloads import check_dumps, end, launch

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(command: list, cwd: Path, env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, command))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


# No PYTHONPATH, no virtualenv of ours: the installed package must stand on its own.
CLEAN = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of the checkout's files as they are (tracked or new, not ignored), built from a
    copy: setuptools stages a build in build/lib and would pack whatever an earlier build left there."""
    source, dist = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():  # a file deleted but not yet committed is listed too
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", dist], cwd=dist, env=CLEAN)
    (built,) = dist.glob("ofsted_kg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """(the venv's bin folder, an environment that cannot see the checkout) with the wheel installed."""
    top, env = tmp_path_factory.mktemp("venv"), CLEAN
    run([sys.executable, "-m", "venv", top / "venv"], cwd=top, env=env)
    bin_dir = top / "venv" / "bin"
    run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=top, env=env)
    return bin_dir, {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(top / "venv")}


def test_the_wheel_holds_every_file_the_code_reads(wheel):
    """Each file git tracks in seeds/ (documents, manifest, tables) and ontology/, each saved
    query and page query, each template and static file, at its place in the installed package."""
    tracked = subprocess.run(["git", "ls-files", "seeds", "ontology", "queries", "server/templates", "server/static",
                              "server/linked_data/sparql"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    read = [f for f in tracked if not f.endswith((".py", ".md"))]
    assert any(f.endswith("la_lookup.csv") for f in read) and any(f.endswith(".rq") for f in read)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert [f for f in read if f"ofsted_kg/{f}" not in names] == []


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    bin_dir, env = installed
    done = run([bin_dir / "python", "-c", "import ofsted_kg.graph, ofsted_kg.seeds; print(ofsted_kg.graph.__file__)"],
               cwd=tmp_path, env=env)
    assert Path(done.stdout.strip()).is_relative_to(bin_dir.parent), done.stdout
    assert not Path(done.stdout.strip()).is_relative_to(ROOT)


def test_the_installed_wheel_builds_the_seed_graph_and_serves_it(installed, tmp_path, built):
    bin_dir, env = installed
    # The copy keeps the folder's name: the manifest's title in the graph names its folder.
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    done = run(["ofsted-kg", "build", "--input", "seeds", "--out", "build/ofsted-kg.ttl"], cwd=tmp_path, env=env)
    assert done.stdout.startswith("wrote build/ofsted-kg.ttl: "), done.stdout
    graph = tmp_path / "build" / "ofsted-kg.ttl"
    assert graph.read_bytes() == built[1].read_bytes(), "the wheel built another graph than the checkout"
    # With no --input, the seed documents the wheel ships: the same graph again.
    run(["ofsted-kg", "build", "--out", "again/ofsted-kg.ttl"], cwd=tmp_path, env=env)
    assert (tmp_path / "again" / "ofsted-kg.ttl").read_bytes() == graph.read_bytes()

    server, _ = launch(["ofsted-kg", "serve", "--port", "0", "--workers", "1", "--parent-pid", str(os.getpid())],
                       cwd=tmp_path, env=env, wait=300)
    try:
        check_dumps(server, graph)
        query = "/queries/inspections.csv?" + urllib.parse.urlencode({"la": "Stoke-on-Trent"})
        status, _, answer = server.get(query)
        assert status == 200, answer[:300]
    finally:
        end(server.process)
    printed = run(["ofsted-kg", "query", "inspections", "-p", "la=Stoke-on-Trent"], cwd=tmp_path, env=env)
    assert answer.decode().splitlines() == printed.stdout.splitlines()  # CSV: \r\n over HTTP
    assert len(printed.stdout.splitlines()) > 1, printed.stdout
