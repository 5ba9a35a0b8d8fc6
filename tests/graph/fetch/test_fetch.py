"""`ofsted-kg fetch` against the fixture site: layout, catalogue, run record, incremental runs,
faults (429, 503, a dropped connection, HTML for a PDF, a changed layout) and the options."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ofsted_kg.graph.fetch import polite
from ofsted_kg.graph.fetch.mirror import CATALOGUE_FIELDS, RUN_FIELDS

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
STOKE = "80564_stoke-on-trent"
NEWEST = f"{STOKE}/children's services inspection - 25 november 2022.pdf"


def catalogue(out: Path) -> list[dict]:
    with open(out / "catalogue.csv", encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        assert tuple(reader.fieldnames) == CATALOGUE_FIELDS
        return list(reader)


def last_run(out: Path) -> list[dict]:
    runs = sorted((out / "runs").iterdir(), key=lambda p: p.stat().st_mtime_ns)
    with open(runs[-1], encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        assert tuple(reader.fieldnames) == RUN_FIELDS
        return list(reader)


def statuses(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def mirrored(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.glob("*/*.pdf") if p.is_file()}


def test_a_full_run_mirrors_every_listed_pdf_in_the_corpus_layout(fetch, site):
    code, stdout, stderr = fetch()
    out = fetch.out
    assert code == 3, stderr  # the 2012 Kensington file is an HTML page
    assert mirrored(out) == {
        NEWEST,
        f"{STOKE}/children's services inspection - 18 march 2019.pdf",
        f"{STOKE}/children's services inspection - 12 august 2015.pdf",
        "80445_cambridgeshire/children's services inspection - 9 october 2023.pdf",
        "80445_cambridgeshire/monitoring visit (50188810) - 22 june 2022.pdf",
        "80445_cambridgeshire/monitoring visit (50188811) - 22 june 2022.pdf",
        "80445_cambridgeshire/children's services inspection - 7 june 2017.pdf",
        "80449_bradford/children's services inspection - 15 january 2024.pdf",  # listing page 2
        "80544_kensington and chelsea/children's services inspection - 14 may 2019.pdf",
    }
    # The names the build already reads: Stoke-on-Trent's reports as in seeds/ and the corpus.
    assert {p.name for p in (out / STOKE).iterdir()} == {p.name for p in SEEDS.glob("children's*.pdf")}
    assert not (out / "80455_isles of scilly").exists()  # a council with no publications
    rows = catalogue(out)
    assert [r["path"] for r in rows] == sorted(mirrored(out))
    newest = next(r for r in rows if r["path"] == NEWEST)
    body = (out / NEWEST).read_bytes()
    assert newest["urn"] == "80564" and newest["council"] == "Stoke-on-Trent City Council"
    assert newest["title"] == "Children's services inspection" and newest["published"] == "2022-11-25"
    assert newest["type"] == "Inspection of local authority children's services"
    assert newest["url"] == f"{site.files_url}/v1/file/50202020"
    assert newest["bytes"] == str(len(body)) and body.startswith(b"%PDF-")
    import hashlib
    assert newest["sha256"] == hashlib.sha256(body).hexdigest()
    assert newest["etag"].startswith('"') and newest["last_modified"] == "Fri, 25 Nov 2022 09:30:00 GMT"
    assert len(newest["fetched"]) == 20 and newest["fetched"].endswith("Z")
    assert next(r for r in rows if r["path"].endswith("7 june 2017.pdf"))["type"] == ""
    raw = (out / "catalogue.csv").read_bytes()
    assert raw.startswith(b"path,urn,") and b"\r\n" in raw  # RFC 4180 line ends
    assert statuses(last_run(out)) == {"added": 9, "failed": 1}
    assert "9 added, 0 changed, 0 skipped, 1 failed" in stdout


def test_html_where_a_pdf_was_listed_is_refused_and_the_run_goes_on(fetch, site):
    code, stdout, stderr = fetch("--council", "80544")
    assert code == 3
    lines = stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{site.files_url}/v1/file/40000123: not a PDF" in lines[0] and "5 march 2012" in lines[0]
    folder = fetch.out / "80544_kensington and chelsea"
    assert [p.name for p in folder.iterdir()] == ["children's services inspection - 14 may 2019.pdf"]
    failed = [r for r in last_run(fetch.out) if r["status"] == "failed"]
    assert failed[0]["url"].endswith("/40000123") and "not a PDF" in failed[0]["detail"]


def test_a_second_run_with_nothing_new_asks_for_no_pdf(fetch, site):
    assert fetch("--council", "80564", "Cambridgeshire")[0] == 0
    (agent,) = site.agents  # every request, page or PDF, names the project and its address
    assert agent.startswith("ofsted-kg/") and "+https://w3id.org/ofsted-kg/" in agent
    before = site.pdf_requests()
    assert before == 7
    code, stdout, _ = fetch("--council", "80564", "Cambridgeshire")
    assert code == 0
    assert site.pdf_requests() == before
    assert statuses(last_run(fetch.out)) == {"skipped": 7}


def test_a_report_published_between_runs_is_the_only_one_downloaded(fetch, site):
    assert fetch("--council", "Stoke-on-Trent")[0] == 0
    site.later = True
    requested = dict(site.requests)
    assert fetch("--council", "Stoke-on-Trent")[0] == 0
    new_pdfs = {p for p, n in site.requests.items() if p.startswith("/v1/file/") and n != requested.get(p, 0)}
    assert new_pdfs == {"/v1/file/50265503"}
    assert (fetch.out / STOKE / "focused visit - 3 december 2024.pdf").is_file()
    assert statuses(last_run(fetch.out)) == {"added": 1, "skipped": 3}
    assert len(catalogue(fetch.out)) == 4


def test_429_is_retried_after_the_wait_the_server_asks(fetch, site, waits):
    site.fault("/v1/file/50202020", (429, {"Retry-After": "7"}))
    code, _, stderr = fetch("--council", "80564")
    assert code == 0, stderr
    assert site.requests["/v1/file/50202020"] == 2
    assert waits.waits == [7.0]
    assert (fetch.out / NEWEST).is_file()


def test_503_is_retried_with_backoff_on_pages_and_files(fetch, site, waits):
    site.fault("/provider/44/80564", (503,), (503,))
    site.fault("/v1/file/50070301", (503,))
    code, _, stderr = fetch("--council", "80564")
    assert code == 0, stderr
    assert site.requests["/provider/44/80564"] == 3 and site.requests["/v1/file/50070301"] == 2
    base = polite.BACKOFF_SECONDS
    assert waits.waits == [base, 2 * base, base]
    assert len(catalogue(fetch.out)) == 3


def test_a_retry_after_beyond_the_bound_fails_that_file_only(fetch, site, waits):
    site.fault("/v1/file/50202020", (429, {"Retry-After": "86400"}))
    code, _, stderr = fetch("--council", "80564")
    assert code == 3
    assert "asked to wait 86400 s (Retry-After)" in stderr and waits.waits == []
    assert len(catalogue(fetch.out)) == 2


def test_a_dropped_download_never_leaves_a_partial_file_and_the_next_run_completes_it(fetch, site):
    site.fault("/v1/file/50202020", *[("drop",)] * polite.MAX_ATTEMPTS)
    code, _, stderr = fetch("--council", "80564")
    assert code == 3
    assert stderr.count("\n") == 1 and "/v1/file/50202020" in stderr and "gave up after" in stderr
    assert not (fetch.out / NEWEST).exists()
    assert not [p for p in (fetch.out / STOKE).iterdir() if p.name.endswith(".part")]
    assert NEWEST not in {r["path"] for r in catalogue(fetch.out)}
    code, _, _ = fetch("--council", "80564")
    assert code == 0
    assert (fetch.out / NEWEST).read_bytes() == site.pdf("50202020")
    assert statuses(last_run(fetch.out)) == {"added": 1, "skipped": 2}


def test_an_interrupted_run_leaves_a_catalogue_matching_the_files_and_the_next_run_goes_on(fetch, site, monkeypatch):
    real = polite.PoliteClient.download
    calls = []

    def interrupted_on_the_third(self, url, part, *validators):
        calls.append(url)
        if len(calls) == 3:
            part.write_bytes(b"%PDF-1.7 half a file")
            raise KeyboardInterrupt
        return real(self, url, part, *validators)

    monkeypatch.setattr(polite.PoliteClient, "download", interrupted_on_the_third)
    code, _, stderr = fetch("--council", "80564", "80445")
    assert code == 130 and stderr.count("\n") == 1 and "run the same command again" in stderr
    monkeypatch.setattr(polite.PoliteClient, "download", real)
    assert {r["path"] for r in catalogue(fetch.out)} == mirrored(fetch.out)
    assert len(mirrored(fetch.out)) == 2
    before = site.pdf_requests()
    assert fetch("--council", "80564", "80445")[0] == 0
    assert site.pdf_requests() - before == 5
    assert {r["path"] for r in catalogue(fetch.out)} == mirrored(fetch.out) and len(mirrored(fetch.out)) == 7
    assert not list(fetch.out.rglob("*.part"))


def test_a_changed_listing_layout_stops_the_run_with_nothing_written(fetch, site):
    site.changed = "listing"
    code, stdout, stderr = fetch()
    assert code == 5
    assert stderr.count("\n") == 1
    assert f"{site.url}search?" in stderr and "no listing rows (ul.results-list > li)" in stderr
    assert not fetch.out.exists()


def test_a_changed_provider_page_stops_the_run_before_any_download(fetch, site):
    site.changed = "provider"
    code, _, stderr = fetch()
    assert code == 5
    assert stderr.count("\n") == 1 and "/provider/44/80445" in stderr and "ol.timeline" in stderr
    assert site.pdf_requests() == 0 and not fetch.out.exists()


def test_councils_chosen_by_urn_and_by_name(fetch, site):
    code, stdout, _ = fetch("--council", "80449", "--council", "Council of the Isles of Scilly", "stoke-on-trent")
    assert code == 0 and stdout.startswith("fetched 4 publications of 3 councils into ")
    assert {p.name for p in fetch.out.iterdir() if p.is_dir()} == {"80449_bradford", STOKE, "runs"}
    assert site.requests["/provider/44/80445"] == 0  # only the chosen councils' pages are read


def test_an_unknown_council_is_an_error_with_nothing_written(fetch, site):
    code, _, stderr = fetch("--council", "Atlantis")
    assert code == 2
    assert stderr.count("\n") == 1 and "'Atlantis'" in stderr and "5 councils listed" in stderr
    assert not fetch.out.exists()


def test_since_keeps_publications_from_that_date_on(fetch, site):
    code, stdout, _ = fetch("--council", "80564", "--since", "2019-03-18")
    assert code == 0 and stdout.startswith("fetched 2 publications of 1 council into ")
    assert {p.name for p in (fetch.out / STOKE).iterdir()} == {
        "children's services inspection - 25 november 2022.pdf", "children's services inspection - 18 march 2019.pdf"}


def test_recheck_asks_conditionally_and_takes_only_what_changed(fetch, site):
    assert fetch("--council", "80564")[0] == 0
    old = (fetch.out / NEWEST).read_bytes()
    site.versions["50202020"] += 1  # Ofsted replaced the file under the same address
    assert fetch("--council", "80564")[0] == 0
    assert (fetch.out / NEWEST).read_bytes() == old  # not asked for without --recheck
    assert fetch("--council", "80564", "--recheck")[0] == 0
    assert sorted(site.conditional) == ["/v1/file/50003412", "/v1/file/50070301", "/v1/file/50202020"]
    assert (fetch.out / NEWEST).read_bytes() == site.pdf("50202020") != old
    run = last_run(fetch.out)
    assert statuses(run) == {"changed": 1, "skipped": 2}
    assert {r["detail"] for r in run if r["status"] == "skipped"} == {"not modified"}
    import hashlib
    row = next(r for r in catalogue(fetch.out) if r["path"] == NEWEST)
    assert row["sha256"] == hashlib.sha256(site.pdf("50202020")).hexdigest()


def test_the_rate_spaces_requests(site, tmp_path, capsys, waits):
    from ofsted_kg.console import main

    assert main(["fetch", "--out", str(tmp_path), "--site", site.url, "--rate", "2", "--council", "80564"]) == 0
    requests = sum(site.requests.values())  # 3 listing pages, 1 provider page, 3 PDFs
    assert requests == 7
    assert waits.waits == [0.5] * (requests - 1)


def test_an_unreachable_site_is_one_line_naming_the_url(tmp_path, capsys):
    import socket

    from ofsted_kg.console import main

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = main(["fetch", "--out", str(tmp_path / "c"), "--site", f"http://127.0.0.1:{port}/", "--rate", "0"])
    err = capsys.readouterr().err
    assert code == 6
    assert err.count("\n") == 1 and f"http://127.0.0.1:{port}/search?" in err and "refused" in err.lower()
    assert not (tmp_path / "c").exists()


def test_a_mirror_folder_that_cannot_be_made_is_one_line(site, tmp_path, capsys):
    from ofsted_kg.console import main

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    code = main(["fetch", "--out", str(blocked), "--site", site.url, "--rate", "0", "--council", "80564"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and str(blocked) in err
    assert site.pdf_requests() == 0


def test_a_second_fetch_into_the_same_mirror_at_once_is_refused(fetch, site):
    import fcntl

    fetch.out.mkdir()
    with open(fetch.out / ".fetch.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _, stderr = fetch("--council", "80564")
    assert code == 2 and "another fetch is writing this mirror" in stderr
    assert site.pdf_requests() == 0 and not (fetch.out / "catalogue.csv").exists()


def test_a_damaged_catalogue_is_one_line_and_left_as_it_was(fetch, site):
    fetch.out.mkdir()
    (fetch.out / "catalogue.csv").write_text("file,hash\nx,y\n", encoding="utf-8")
    code, _, stderr = fetch("--council", "80564")
    assert code == 2 and stderr.count("\n") == 1 and "not a fetch catalogue" in stderr
    assert (fetch.out / "catalogue.csv").read_text(encoding="utf-8") == "file,hash\nx,y\n"
    assert sum(site.requests.values()) == 0


def test_a_fetch_that_ended_while_another_was_reading_pages_keeps_its_rows(fetch, site, monkeypatch):
    import ofsted_kg.graph.fetch as package

    real = package.read_councils
    other = []

    def another_fetch_meanwhile(*args, **kwargs):
        if not other:
            other.append("running")
            other.append(fetch("--council", "80449")[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(package, "read_councils", another_fetch_meanwhile)
    assert fetch("--council", "80564")[0] == 0 and other == ["running", 0]
    assert {r["urn"] for r in catalogue(fetch.out)} == {"80449", "80564"}


def test_a_fetch_killed_mid_download_leaves_no_partial_file_under_its_name(fetch, site, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    site.fault("/v1/file/50070301", ("stall",))  # the second of Stoke-on-Trent's files hangs half-sent
    command = [sys.executable, "-m", "ofsted_kg", "fetch", "--out", str(fetch.out), "--site", site.url,
               "--rate", "0", "--council", "80564"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        part = fetch.out / STOKE / ".children's services inspection - 18 march 2019.pdf.part"
        deadline = time.monotonic() + 60
        while not part.exists() and time.monotonic() < deadline:  # opened: the body is arriving
            time.sleep(0.05)
        assert part.exists(), "the download never started"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    site.released.set()
    assert mirrored(fetch.out) == {NEWEST}  # the whole first file; the half second one only as .part
    assert {r["path"] for r in catalogue(fetch.out)} == {NEWEST}
    assert fetch("--council", "80564")[0] == 0
    assert len(mirrored(fetch.out)) == 3 and not list(fetch.out.rglob("*.part"))
    assert statuses(last_run(fetch.out)) == {"skipped": 1, "added": 2}


@pytest.mark.parametrize("body", [b"", b"%PD", b"<html><body>Sorry</body></html>" * 5000])
def test_an_empty_short_or_large_non_pdf_is_refused(fetch, site, body):
    site.documents["50202020"] = body
    code, _, stderr = fetch("--council", "80564")
    assert code == 3 and stderr.count("\n") == 1 and "/v1/file/50202020: not a PDF" in stderr
    assert not (fetch.out / NEWEST).exists() and not list(fetch.out.rglob("*.part"))
    assert len(catalogue(fetch.out)) == 2
