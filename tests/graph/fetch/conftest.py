"""Fixtures of the fetch tests: the fixture site on 127.0.0.1, and waits recorded, not slept."""

from __future__ import annotations

import pytest

from ofsted_kg.console import main
from ofsted_kg.graph.fetch import polite

from .site import FixtureSite


@pytest.fixture
def site():
    running = FixtureSite()
    yield running
    running.close()


class FakeTime:
    """polite.py's clock and sleep: a wait is recorded and moves the clock, and takes no time."""

    def __init__(self):
        self.now, self.waits = 1000.0, []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def waits(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(polite, "sleep", fake.sleep)
    monkeypatch.setattr(polite, "clock", fake.clock)
    return fake


@pytest.fixture
def fetch(site, tmp_path, capsys):
    """Run `ofsted-kg fetch` against the fixture site into tmp_path/corpus: (exit code, stdout, stderr)."""
    out = tmp_path / "corpus"

    def run(*options: str):
        code = main(["fetch", "--out", str(out), "--site", site.url, "--rate", "0", *options])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.out = out
    return run
