"""The England corpus built from its extraction cache after one report is touched, one added
and one removed writes the bytes a build without the cache writes (slow: three corpus builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ofsted_kg.graph.build.pipeline import build
from tests.graph.test_incremental_build import outputs

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "reports"

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the corpus (../shared/corpus/reports) is not there")
def test_the_england_graph_from_the_cache_is_the_clean_build(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    pdfs = sorted(corpus.rglob("*.pdf"))
    held_back, touched, removed = pdfs[-1], pdfs[len(pdfs) // 2], pdfs[0]
    kept = tmp_path / "held-back.pdf"
    shutil.move(held_back, kept)
    out = tmp_path / "incremental" / "ofsted-kg.ttl"
    first = build([corpus], out, keep_going=True, jobs=2)
    assert first.written and first.cache["misses"] == len(pdfs) - 1

    with touched.open("ab") as pdf:
        pdf.write(b"\n% touched\n")
    shutil.move(kept, held_back)
    removed.unlink()
    again = build([corpus], out, keep_going=True, jobs=2)
    # Exactly the touched and the added report are read again: the others' lines in the listing
    # of published file names (their dates' evidence) moved, but the offsets are joined after the
    # cache (reading.with_catalogue), so their entries still serve.
    assert again.cache == {"hits": len(pdfs) - 3, "misses": 2}

    reference = tmp_path / "clean" / "ofsted-kg.ttl"
    build([corpus], reference, keep_going=True, jobs=2, cache=False)
    assert outputs(out) == outputs(reference)
