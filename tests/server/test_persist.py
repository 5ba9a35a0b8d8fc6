"""The persisted store (server/disk_store.py) and atomic dump publishing: quick checks on small data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from ofsted_kg.server.routes import dumps
from ofsted_kg.server.store import disk_store, rdf_files
from ofsted_kg.server.store.rdf_files import DataError

DATA = """@prefix ex: <http://example.org/> .
ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:name "c" .
"""


@pytest.fixture()
def data(tmp_path) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text(DATA)
    return path


def _count(path: Path) -> int:
    return len(disk_store.open_read_only(path))


def _largest_file(folder: Path) -> Path:
    return max((p for p in folder.iterdir() if p.suffix == ".sst"), key=lambda p: p.stat().st_size)


def test_built_once_then_reused(data):
    first = disk_store.ensure([data])
    assert first.built and first.path.parent == data.with_name("data.ttl.store")
    second = disk_store.ensure([data])
    assert not second.built and second.path == first.path
    assert _count(second.path) == len(rdf_files.load([data])) == 3
    first.close(), second.close()


def test_new_data_gets_a_new_store_and_the_old_one_goes_once_released(data):
    old = disk_store.ensure([data])
    data.write_text(DATA + "<http://example.org/d> <http://example.org/p> <http://example.org/e> .\n")
    held = disk_store.ensure([data])
    assert held.built and held.path != old.path and _count(held.path) == 4
    assert old.path.exists(), "a version a running server holds must stay"
    old.close()
    data.write_text(DATA)
    again = disk_store.ensure([data])  # back to the first data: its store is still there, reused
    assert again.path == old.path and _count(again.path) == 3
    held.close()
    disk_store.ensure([data]).close()
    assert not held.path.exists(), "an old version nobody holds is removed"
    again.close()


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete-file", "delete-stamp", "garble-stamp"])
def test_a_damaged_store_is_detected_and_rebuilt(data, damage, capsys):
    built = disk_store.ensure([data])
    built.close()
    victim = _largest_file(built.path)
    if damage == "truncate":
        os.truncate(victim, victim.stat().st_size // 2)
    elif damage == "flip":
        raw = bytearray(victim.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        victim.write_bytes(bytes(raw))
    elif damage == "delete-file":
        victim.unlink()
    elif damage == "delete-stamp":
        (built.path / disk_store.STAMP).unlink()
    else:
        (built.path / disk_store.STAMP).write_text("{not json")
    again = disk_store.ensure([data])
    assert again.built and again.path == built.path and _count(again.path) == 3
    assert "is not usable" in capsys.readouterr().err
    again.close()


def test_missing_folder_is_rebuilt(data):
    built = disk_store.ensure([data])
    built.close()
    shutil.rmtree(built.path.parent)
    again = disk_store.ensure([data])
    assert again.built and _count(again.path) == 3
    again.close()


def test_bad_data_is_one_line_naming_the_file_and_leaves_no_store(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> .\n")
    with pytest.raises(DataError, match=r"bad\.ttl: not valid Turtle"):
        disk_store.ensure([bad])
    leftovers = list((tmp_path / "bad.ttl.store").iterdir()) if (tmp_path / "bad.ttl.store").exists() else []
    assert leftovers == []


def test_leftovers_of_a_killed_build_are_swept(data):
    root = data.with_name("data.ttl.store")
    (root / ".building-0123456789abcdef-999999999").mkdir(parents=True)
    disk_store.ensure([data]).close()
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def test_a_failed_dump_write_keeps_the_previous_dumps_and_leaves_no_temporary(tmp_path, monkeypatch, seed_ttl):
    from ofsted_kg.server.service import Service

    service = Service.open([seed_ttl])
    before = dumps.prepare(service, str(tmp_path))
    published = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert len(published) == 8 and before["nt"].path.stat().st_size > 0

    def full_disk(source, target):  # the first gzip: the new Turtle is staged by then
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(dumps, "_gzip", full_disk)
    with pytest.raises(disk_store.DiskStoreError, match="cannot write the dumps .the disk is full."):
        dumps.prepare(service, str(tmp_path))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == published


def test_reasons_read_rocksdb_messages():
    assert disk_store.reason(OSError("IO error: No space left on device")) == "the disk is full"
    assert disk_store.reason(OSError(28, "No space left on device")) == "the disk is full"
    assert disk_store.reason(OSError("IO error: While open a file for appending: x/LOG: Read-only file system")) \
        == "the file system is read-only"


def test_read_only_store_answers_like_the_in_memory_one(data):
    held = disk_store.ensure([data])
    query = "SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"
    on_disk = [str(s["o"]) for s in disk_store.open_read_only(held.path).query(query)]
    in_memory = [str(s["o"]) for s in rdf_files.load([data]).query(query)]
    assert on_disk == in_memory and len(on_disk) == 2
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only: nothing can change it
        disk_store.open_read_only(held.path).add(ox.Quad(ox.NamedNode("http://example.org/x"),
                                                      ox.NamedNode("http://example.org/p"), ox.Literal("x")))
    held.close()


def test_a_restart_on_the_same_data_reuses_its_dumps_and_new_data_writes_new_ones(tmp_path, seed_ttl):
    from ofsted_kg.server.service import Service
    from ofsted_kg.server.store import disk_store

    def start(data):
        held = disk_store.ensure([data], tmp_path / "stores")
        service = Service.open([data], store_path=held.path)
        return held, dumps.prepare(service, disk_store.dump_dir(held), version=held.path.name)

    first_store, first = start(seed_ttl)
    written = {k: d.path.stat().st_mtime_ns for k, d in first.items()}
    first_store.close()
    again_store, again = start(seed_ttl)
    assert {k: d.path.stat().st_mtime_ns for k, d in again.items()} == written  # not rewritten
    assert {k: d.etag for k, d in again.items()} == {k: d.etag for k, d in first.items()}
    again_store.close()

    damaged = first["nt"].path
    size = damaged.stat().st_size
    damaged.write_bytes(damaged.read_bytes()[:100])  # a size the manifest does not list: written anew
    repaired_store, repaired = start(seed_ttl)
    assert repaired["nt"].path.stat().st_size == size
    assert repaired["nt"].etag == first["nt"].etag
    repaired_store.close()

    other = tmp_path / "other.ttl"
    other.write_text(seed_ttl.read_text() + "\n<urn:x> <urn:y> <urn:z> .\n")
    other_store, others = start(other)
    assert others["nt"].etag != first["nt"].etag
    assert disk_store.dump_dir(other_store) != disk_store.dump_dir(repaired_store)
    other_store.close()


def test_dumps_are_written_in_the_background_and_answer_503_until_then(tmp_path, monkeypatch, data):
    import threading

    from ofsted_kg.server.app import create_app
    from ofsted_kg.server.app import start as start_app  # this module has its own start()

    release = threading.Event()
    original = dumps.prepare

    def slow(*args, **kwargs):
        release.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(dumps, "prepare", slow)
    monkeypatch.setattr(dumps, "WAIT", 0.1)
    app = start_app(create_app({"DATA": [str(data)], "TESTING": True, "WORKERS": 1, "SAVED_WORKERS": 1,
                                "QUERY_ISOLATION": "off", "STORE_DIR": str(tmp_path / "store"), "DUMP_DIR": str(tmp_path / "dumps")}))
    try:
        client = app.test_client()
        waiting = client.get("/dump.nt")
        assert waiting.status_code == 503 and waiting.headers["Retry-After"]
        assert waiting.get_json()["error"] == "dumps-not-ready" and "being written" in waiting.get_json()["detail"]
        assert client.get("/sparql?query=ASK{?s ?p ?o}").status_code == 200  # queries do not wait for the dumps
        release.set()
        app.extensions["ofsted_kg"].dumps.done.wait(60)
        answer = client.get("/dump.nt")
        assert answer.status_code == 200 and answer.data.count(b"\n") == 3
    finally:
        release.set()
        app.extensions["ofsted_kg"].close()
