"""`ofsted-kg update` end to end, on 127.0.0.1: a fetch from the fixture site adds a report,
the incremental build takes it in, and a server already serving the graph answers with it,
in its saved queries and its feed of what changed (read by a feed parser), without one
request failing while it swaps versions. Slow: real reports are read and a server started."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import feedparser
import pytest

from ofsted_kg.console import main
from tests.server.conftest import start_server, stop_server

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
STOKE_FILES = {"50202020": "25 november 2022", "50070301": "18 march 2019", "50003412": "12 august 2015"}
ADDED = "/inspection/stoke-on-trent/sif/2015-06-01"  # the 2015 report's inspection, held back by --since at first

pytestmark = pytest.mark.slow


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


class Hammer:
    """Asks the server for the feed's JSON, one request after another, until stopped; keeps
    every outcome: a status, or the error that stood for an answer (a dropped request)."""

    def __init__(self, url: str):
        self.url, self.outcomes, self.stopped = url, [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=30) as answer:
                    answer.read()
                    self.outcomes.append(answer.status)
            except urllib.error.HTTPError as error:
                self.outcomes.append(error.code)
            except OSError as error:  # refused, reset, timed out: a dropped request
                self.outcomes.append(repr(error))

    def stop(self) -> list:
        self.stopped.set()
        self.thread.join(60)
        return self.outcomes


def test_update_fetches_builds_and_the_running_server_answers_with_the_new_report(site, tmp_path, monkeypatch):
    for file_id, day in STOKE_FILES.items():
        site.documents[file_id] = (SEEDS / f"children's services inspection - {day}.pdf").read_bytes()
    mirror, graph = tmp_path / "corpus", tmp_path / "build" / "ofsted-kg.ttl"
    update = ["update", "--out", str(mirror), "--site", site.url, "--rate", "0", "--council", "80564", "--graph", str(graph)]
    assert main([*update, "--since", "2016-01-01"]) == 0
    monkeypatch.setenv("OFSTED_KG_RELOAD_POLL", "0.2")
    server = start_server("--graph", str(graph), "--workers", "1")
    try:
        feed = feedparser.parse(get(server.url + "/changes.atom?la=Stoke-on-Trent"))
        before = {entry.id for entry in feed.entries}
        assert not feed.bozo and before and not any(i.endswith(ADDED) for i in before)
        hammer = Hammer(server.url + "/changes.json?la=Stoke-on-Trent")

        assert main(update) == 0  # no --since: the 2015 report is fetched, read, and the graph replaced
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            entries = json.loads(get(server.url + "/changes.json?la=Stoke-on-Trent"))["entries"]
            if any(entry["inspection"].endswith(ADDED) for entry in entries):
                break
            time.sleep(0.2)
        else:
            pytest.fail("the server never served the updated graph")
        time.sleep(1)  # requests go on across and after the swap
        outcomes = hammer.stop()
        assert outcomes and set(outcomes) == {200}, f"requests failed during the swap: {[o for o in outcomes if o != 200][:5]}"

        feed = feedparser.parse(get(server.url + "/changes.atom?la=Stoke-on-Trent"))
        assert not feed.bozo, feed.get("bozo_exception")
        added = [entry for entry in feed.entries if entry.id.endswith(ADDED)]
        assert len(added) == 1 and {entry.id for entry in feed.entries} == before | {added[0].id}
        assert added[0].published.startswith("2015-08-10")  # as the report prints it (the listing says the 12th)
        original = f"{site.files_url}/v1/file/50003412"
        assert any(link.href == original for link in added[0].links), "the original report"
        entry = next(e for e in json.loads(get(server.url + "/changes.json?la=Stoke-on-Trent"))["entries"]
                     if e["inspection"].endswith(ADDED))
        page = get(entry["report_page"]).decode("utf-8")
        assert f'href="{original}"' in page, "the document's page links to where it was published"
    finally:
        stop_server(server)
