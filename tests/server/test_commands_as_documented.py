"""The server started the way the README tells a user: from a working directory, with the
relative paths the Commands and Make targets sections write; then every dump it lists.

Issue 10, finding 7: with a relative data path Flask's send_file resolved the dumps against
server/, so under `make run`, `make serve` and a plain `ofsted-kg serve` every /dump.* was a 500.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from ofsted_kg.server.app import create_app, start
from ofsted_kg.server.settings import PATHS, SETTINGS, absolute_paths

from .downloads import check_dumps, dumps_ready, end, launch

ROOT = Path(__file__).resolve().parents[2]
OFSTED_KG = str(Path(sys.executable).with_name("ofsted-kg"))  # the command pip installed beside this Python


def test_path_settings_are_made_absolute_against_the_working_directory(tmp_path):
    config = {"DATA": ["build/ofsted-kg.ttl", "/elsewhere/more.nq"], "STORE_DIR": "stores/../store",
              "DUMP_DIR": Path("dumps"), "TEXT_DIR": None, "STORE": "http://127.0.0.1:7878/query"}
    assert absolute_paths(config, cwd=tmp_path) == {
        "DATA": [str(tmp_path / "build" / "ofsted-kg.ttl"), "/elsewhere/more.nq"],
        "STORE_DIR": str(tmp_path / "store"), "DUMP_DIR": str(tmp_path / "dumps")}


def test_every_setting_that_names_a_file_or_folder_is_resolved():
    """A new path setting left out of PATHS would be resolved wherever its reader happens to be."""
    named = {s.name for s in SETTINGS if any(word in s.help.split() for word in ("file", "files", "folder"))}
    assert named == set(PATHS)


@pytest.fixture()
def user_folder(tmp_path, seed_ttl) -> Path:
    """A folder as `ofsted-kg build` leaves it: build/ofsted-kg.ttl and build/text/."""
    (tmp_path / "build").mkdir()
    shutil.copy(seed_ttl, tmp_path / "build" / "ofsted-kg.ttl")
    shutil.copytree(seed_ttl.parent / "text", tmp_path / "build" / "text")
    return tmp_path


def test_relative_settings_serve_the_dumps_in_process(user_folder, monkeypatch):
    monkeypatch.chdir(user_folder)
    monkeypatch.setenv("OFSTED_KG_DATA", "build/ofsted-kg.ttl")  # the environment's settings too
    monkeypatch.setenv("OFSTED_KG_TEXT_DIR", "build/text")
    app = start(create_app({"STORE_DIR": "build/store", "DUMP_DIR": "build/dumps", "TESTING": True, "WORKERS": 1,
                            "SAVED_WORKERS": 1}))
    try:
        assert app.config["DATA"] == [str(user_folder / "build" / "ofsted-kg.ttl")]
        assert app.config["TEXT_DIR"] == str(user_folder / "build" / "text")
        monkeypatch.chdir(ROOT)  # nothing may depend on where the process is later
        dumps_ready(app)  # written in the background, at the lowest priority: a busy machine outlasts a download's 10 s wait
        client = app.test_client()
        answer = client.get("/dump.ttl")
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        assert answer.get_data() == (user_folder / "build" / "ofsted-kg.ttl").read_bytes()
        assert (user_folder / "build" / "dumps" / "ofsted-kg.nq").is_file()
        assert (user_folder / "build" / "store").is_dir()
    finally:
        app.extensions["ofsted_kg"].close()


def test_ofsted_kg_serve_with_its_default_graph_serves_every_dump(user_folder):
    """`ofsted-kg serve` as the Commands section writes it, from the folder the build wrote into."""
    server, _ = launch([OFSTED_KG, "serve", "--port", "0", "--workers", "1", "--parent-pid", str(os.getpid())],
                       cwd=user_folder, wait=120)
    try:
        check_dumps(server, user_folder / "build" / "ofsted-kg.ttl")
    finally:
        end(server.process)


def make(*arguments: str) -> list[str]:
    return ["make", "--no-print-directory", "-C", ".", *arguments]


@pytest.mark.slow
@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_target_from_the_repository_root_serves_every_dump(target, tmp_path):
    """`make run` and `make serve` in the checkout, with the Makefile's relative OUT; only the port
    (0: any free one) and the output folder (so a user's build/ofsted-kg.ttl is left alone) differ."""
    out = f"build/test-make-{target}-{os.getpid()}/ofsted-kg.ttl"
    try:
        # As a user's shell would start it: not as a sub-make of `make test-slow` (no -j, no jobserver).
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        server, printed = launch(make(target, "PORT=0", f"OUT={out}", f"SERVE_OPTIONS=--parent-pid {os.getpid()}"),
                                 cwd=ROOT, env=env)
        try:
            assert any(line.startswith(f"wrote {out}: ") for line in printed), printed
            check_dumps(server, ROOT / out)
        finally:
            end(server.process)
    finally:
        shutil.rmtree(ROOT / Path(out).parent, ignore_errors=True)
