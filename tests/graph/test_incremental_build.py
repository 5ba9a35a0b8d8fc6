"""The incremental build: a rebuild from the extraction cache writes the bytes a clean build
writes, re-reading only what changed; the cache is keyed by content, loaders' version and
metadata; a corrupt entry is read again, never trusted."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from ofsted_kg.graph.build import extraction_cache
from ofsted_kg.graph.build.extraction_cache import Extracted, ExtractionCache, loader_version
from ofsted_kg.graph.build.pipeline import build, report_path
from tests.conftest import SEEDS, seed

SMALL = ("001", "002", "003")  # a press release, a news article and a monitoring letter: quick to read


def corpus(folder: Path, names=SMALL) -> Path:
    """A folder of a few seed documents with their manifest entries."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((SEEDS / "manifest.yaml").read_text(encoding="utf-8"))
    files = [seed(name).name for name in names]
    for name in files:
        shutil.copy(SEEDS / name, folder / name)
    entries = [e for e in manifest["documents"] if e["file"] in files]
    (folder / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True), encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    """Everything a build wrote that a reader sees: the graph, the report, the texts."""
    files = {"graph": out.read_bytes(), "report": report_path(out).read_bytes()}
    files.update({f"text/{p.name}": p.read_bytes() for p in sorted((out.parent / "text").iterdir())})
    return files


def clean(inputs: Path, out: Path) -> dict[str, bytes]:
    result = build([inputs], out, cache=False)
    assert result.written and not result.cache
    return outputs(out)


def test_rebuilds_from_the_cache_write_what_a_clean_build_writes(tmp_path):
    docs = corpus(tmp_path / "docs")
    out = tmp_path / "incremental" / "g.ttl"

    first = build([docs], out)
    assert first.cache == {"hits": 0, "misses": 3}
    assert outputs(out) == clean(docs, tmp_path / "clean-1" / "g.ttl")

    warm = build([docs], out)
    assert warm.cache == {"hits": 3, "misses": 0} and "unchanged" in warm.timings, "nothing changed: nothing to do"
    assert outputs(out) == clean(docs, tmp_path / "clean-1" / "g.ttl")

    letter = docs / seed("003").name
    os.utime(letter, (1, 1))  # touched, not changed: the content decides
    assert "unchanged" in build([docs], out).timings

    report_path(out).write_text("edited by hand")  # what is on disk is no longer what the last build wrote
    rewritten = build([docs], out)
    assert rewritten.cache == {"hits": 3, "misses": 0} and "unchanged" not in rewritten.timings
    assert outputs(out) == clean(docs, tmp_path / "clean-1" / "g.ttl")

    letter.write_text(letter.read_text(encoding="utf-8") + "\nA line added to the letter.\n", encoding="utf-8")
    changed = build([docs], out)
    assert changed.cache == {"hits": 2, "misses": 1}
    assert outputs(out) == clean(docs, tmp_path / "clean-2" / "g.ttl")

    removed = docs / seed("002").name
    removed.unlink()
    manifest = yaml.safe_load((docs / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["documents"] = [e for e in manifest["documents"] if e["file"] != removed.name]
    (docs / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    fewer = build([docs], out)
    # The manifest lost a line, so the other documents' manifest quotes (the evidence of their
    # dates) moved; their entries still serve: the offsets are joined after the cache.
    assert fewer.cache == {"hits": 2, "misses": 0}
    assert outputs(out) == clean(docs, tmp_path / "clean-3" / "g.ttl")
    assert len(list((out.parent / ".cache").glob("*/[0-9a-f]*"))) == 2, "entries of documents gone are pruned"


def test_a_file_added_to_a_listed_folder_reads_that_file_alone(tmp_path):
    """Files named with their publication date are dated by the listing of the folder's file
    names; a file added before them moves their lines, and their evidence with it, yet only
    the new file is read, and the build is a clean build's byte for byte."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, dated in (("003", "b letter - 14 july 2021"), ("001", "c release - 2 august 2021")):
        shutil.copy(seed(name), docs / f"{dated}{seed(name).suffix}")
    out = tmp_path / "incremental" / "g.ttl"
    assert build([docs], out).cache == {"hits": 0, "misses": 2}
    shutil.copy(seed("002"), docs / f"a news - 1 march 2019{seed('002').suffix}")  # sorts first: every line moves
    again = build([docs], out)
    assert again.cache == {"hits": 2, "misses": 1}
    assert outputs(out) == clean(docs, tmp_path / "clean" / "g.ttl")
    text = out.read_text(encoding="utf-8")
    assert '"2021-07-14"^^xsd:date' in text and '"2019-03-01"^^xsd:date' in text


def test_a_changed_catalogue_entry_reads_the_document_again(tmp_path):
    docs = corpus(tmp_path / "docs", ("003",))
    out = tmp_path / "g.ttl"
    build([docs], out)
    manifest = docs / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("Monitoring visit of", "Second monitoring visit of"),
                        encoding="utf-8")
    again = build([docs], out)
    assert again.cache == {"hits": 0, "misses": 1}
    assert "Second monitoring visit of Stoke-on-Trent" in out.read_text(encoding="utf-8")


def test_another_loaders_version_reads_every_document_again(tmp_path, monkeypatch):
    docs = corpus(tmp_path / "docs", ("001", "003"))
    out = tmp_path / "g.ttl"
    build([docs], out)
    before = outputs(out)
    monkeypatch.setattr(extraction_cache, "loader_version", lambda: "0" * 16)
    again = build([docs], out)
    assert again.cache == {"hits": 0, "misses": 2}
    assert outputs(out) == before
    assert [p.name for p in (out.parent / ".cache").iterdir()] == ["0" * 16], "the old version's entries are dropped"


def test_the_loaders_version_follows_the_code_and_the_reference_tables(tmp_path):
    names = {p.name for p in extraction_cache.reference_files()}
    assert {"la_lookup.csv", "legislation.csv", "concepts.ttl", "shapes.ttl"} <= names
    copy = tmp_path / "graph"
    shutil.copytree(extraction_cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = loader_version(copy)
    assert before == loader_version(copy)
    parser = copy / "parsers" / "judgements.py"
    parser.write_text(parser.read_text(encoding="utf-8") + "\n# a changed parser\n", encoding="utf-8")
    assert loader_version(copy) != before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "another checksum"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(tmp_path, damage):
    docs = corpus(tmp_path / "docs", ("001", "003"))
    out = tmp_path / "g.ttl"
    build([docs], out)
    before = outputs(out)
    entry = sorted((out.parent / ".cache").glob("*/[0-9a-f]*"))[0]
    raw = entry.read_bytes()
    entry.write_bytes({"garbage": b"\x00\xffnot an entry", "truncated": raw[: len(raw) // 2], "empty": b"",
                       "another checksum": raw.replace(raw[30:40], b"0" * 10, 1)}[damage])
    out.unlink()  # so the build cannot find its last output intact, and reads its entries
    again = build([docs], out)
    assert again.cache == {"hits": 1, "misses": 1}
    assert outputs(out) == before
    out.unlink()
    assert build([docs], out).cache == {"hits": 2, "misses": 0}, "the entry was written again"


def test_an_entry_is_read_back_as_it_was_put(tmp_path):
    cache = ExtractionCache(tmp_path, version="v1")
    key = cache.key(b"bytes", "a.txt", None)
    assert key != cache.key(b"bytes", "b.txt", None) != cache.key(b"other", "a.txt", None)
    assert cache.get(key) is None
    cache.put(key, Extracted(problem="is empty"))
    assert cache.get(key) == Extracted(problem="is empty")
    assert ExtractionCache(tmp_path, version="v2").get(key) is None


def test_a_rebuild_drops_the_weakness_raising_of_a_sentence_taken_out(tmp_path):
    # A raising is counted from its inspection's statements (kinds/statement.py): a rebuild that
    # re-reads only the letter must drop the raising whose one statement left, as a clean build does.
    docs = corpus(tmp_path / "docs")
    out = tmp_path / "incremental" / "g.ttl"
    build([docs], out)
    raising = b"/weakness/life-story-work>"
    assert raising in out.read_bytes()
    letter = docs / seed("003").name
    text = letter.read_text(encoding="utf-8")
    start = text.index("While managers focus their discussions")  # the letter's only sentence raising it
    letter.write_text(text[:start] + text[text.index(".", start) + 1 :], encoding="utf-8")
    rebuilt = build([docs], out)
    assert rebuilt.cache == {"hits": 2, "misses": 1}
    assert raising not in out.read_bytes()
    assert outputs(out) == clean(docs, tmp_path / "clean" / "g.ttl")
