"""Each document's own evidence check (build/evidence_checks.py), made after reading, in a
forked process when the build has several jobs: a document whose evidence does not conform
still fails the build with its message, and a rebuild checks only the documents read again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ofsted_kg.graph.build import reading
from ofsted_kg.graph.build.evidence_checks import EvidenceChecks
from ofsted_kg.graph.build.pipeline import build
from tests.conftest import seed
from tests.graph.test_incremental_build import corpus
from tests.graph.test_validation_split import damaged

EMPTY_SPAN = "oa:start must be less than oa:end"  # the shape's message for the span damaged() makes


@pytest.mark.parametrize("jobs", [1, 2], ids=["in the build's process", "in a forked process"])
def test_a_document_whose_evidence_does_not_conform_fails_the_build_with_its_message(tmp_path, monkeypatch, jobs):
    read = reading.read_extracted

    def read_damaged(*args):
        entry = read(*args)
        return replace(entry, extraction=damaged(entry.extraction))

    monkeypatch.setattr(reading, "read_extracted", read_damaged)  # one document: read in this process
    out = tmp_path / "g.ttl"
    result = build([seed("003")], out, jobs=jobs)
    assert result.validation is not None and not result.validation.conforms
    assert any(EMPTY_SPAN in message for _, _, message in result.validation.results)
    assert EMPTY_SPAN in result.validation.report
    assert not result.written and not out.exists()


def test_a_rebuild_checks_only_the_documents_read_again(tmp_path, monkeypatch):
    made: list[list[str]] = []  # the document keys of each build's new checks
    checked = EvidenceChecks.checked
    monkeypatch.setattr(EvidenceChecks, "checked", lambda self, new: made.append(sorted(new)) or checked(self, new))
    docs = corpus(tmp_path / "docs")
    out = tmp_path / "out" / "g.ttl"
    texts = out.parent / "text"

    assert build([docs], out).written
    first = {p.stem for p in texts.iterdir()}  # the three documents' texts and their manifest's
    assert len(made) == 1 and len(made[0]) == 3 and set(made[0]) < first

    out.unlink()  # the graph is gone: built again, every document and its check from the cache
    again = build([docs], out)
    assert again.written and again.cache == {"hits": 3, "misses": 0} and "unchanged" not in again.timings
    assert made[-1] == []

    letter = docs / seed("003").name
    letter.write_text(letter.read_text(encoding="utf-8") + "\nA line added to the letter.\n", encoding="utf-8")
    assert build([docs], out).written
    assert made[-1] == sorted({p.stem for p in texts.iterdir()} - first), "the changed letter's check alone"

    for kept in (out.parent / ".cache").glob("*/of-document-*"):  # as a build stopped before keeping them
        kept.unlink()
    out.unlink()
    assert build([docs], out).written
    assert len(made[-1]) == 3, "a check the cache lacks is made again"
