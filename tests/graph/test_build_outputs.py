"""Where the build writes (issue 10): every output checked before anything is replaced, one
line and exit 4 when one cannot be written, the graph and its report replaced together; a
document over the size limit refused unread; file names shown on one line."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from ofsted_kg.console import main
from ofsted_kg.graph.build import outputs as outputs_module
from ofsted_kg.graph.build.outputs import replace_together
from tests.conftest import seed


@pytest.fixture()
def read_only_folder(tmp_path):
    """A folder no file can be created in: a read-only tmpfs for root (who ignores modes), else mode 0555."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("root without permission to mount a read-only tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_out_in_a_read_only_folder_is_one_line_and_exit_4(read_only_folder, capsys):
    code = main(["build", "--input", str(seed("003")), "--out", str(read_only_folder / "g.ttl"), "--no-cache"])
    assert code == 4
    line = one_error_line(capsys)
    assert line.startswith(f"ofsted-kg: error: {read_only_folder}: cannot write here (")
    assert not list(read_only_folder.iterdir())


def test_a_read_only_cache_folder_is_found_before_anything_is_read(read_only_folder, tmp_path, capsys):
    out = tmp_path / "out" / "g.ttl"
    code = main(["build", "--input", str(seed("003")), "--out", str(out), "--cache", str(read_only_folder / "cache")])
    assert code == 4
    assert one_error_line(capsys).startswith(f"ofsted-kg: error: {read_only_folder}: cannot write here (")
    assert not out.parent.exists()


def test_a_file_named_text_beside_out_replaces_nothing(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    out.write_text("the previous graph")
    report = tmp_path / "extraction-report.json"
    report.write_text("the previous report")
    (tmp_path / "text").write_text("a file where the texts' folder goes")
    assert main(["build", "--input", str(seed("003")), "--out", str(out)]) == 4
    line = one_error_line(capsys)
    assert line == f"ofsted-kg: error: {tmp_path / 'text'}: is not a folder, and the folder of extracted texts beside the graph must be one"
    assert out.read_text() == "the previous graph" and report.read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extraction-report.json", "g.ttl", "text"]


def test_out_naming_a_folder_is_one_line(tmp_path, capsys):
    (tmp_path / "g.ttl").mkdir()
    assert main(["build", "--input", str(seed("003")), "--out", str(tmp_path / "g.ttl")]) == 4
    assert one_error_line(capsys) == f"ofsted-kg: error: {tmp_path / 'g.ttl'}: is a folder; the build writes a file here"


def test_the_graph_is_put_back_when_its_report_cannot_follow(tmp_path, monkeypatch):
    graph, report = tmp_path / "g.ttl", tmp_path / "extraction-report.json"
    graph.write_text("old graph")
    report.write_text("old report")
    real_replace = os.replace

    def refuse_the_report(source, target):
        if Path(target) == report:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(outputs_module.os, "replace", refuse_the_report)
    with pytest.raises(OSError):
        replace_together((graph, b"new graph"), (report, b"new report"))
    assert graph.read_text() == "old graph" and report.read_text() == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extraction-report.json", "g.ttl"], "no temporary file left"


def test_a_50_mb_text_file_is_refused_unread(tmp_path, capsys):
    big = tmp_path / "huge.txt"
    with big.open("w", encoding="utf-8") as handle:
        line = "An Ofsted inspection of the council's children's services found them inadequate. " * 10 + "\n"
        while handle.tell() < 50_000_000:
            handle.write(line)
    started = time.perf_counter()
    code = main(["build", "--input", str(big), "--out", str(tmp_path / "out" / "g.ttl"), "--no-cache"])
    elapsed = time.perf_counter() - started
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"ofsted-kg: error: {big}: is 50.0 MB, over the 10 MB limit for one document (--max-document-mb)"
    assert elapsed < 30, f"refusing took {elapsed:.1f} s: the file was read"  # parsing it took 140 s


def test_the_size_limit_is_an_option(tmp_path, capsys):
    letter = seed("003")
    code = main(["build", "--input", str(letter), "--out", str(tmp_path / "g.ttl"), "--max-document-mb", "0.005"])
    assert code == 2
    assert "over the 0.005 MB limit for one document" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--max-document-mb", "none"])


def test_a_file_name_with_control_characters_is_shown_on_one_line(tmp_path, capsys):
    odd = tmp_path / "an\nempty\tfile\x1b[31m.txt"
    odd.write_text("")
    assert main(["build", "--input", str(odd), "--out", str(tmp_path / "g.ttl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"ofsted-kg: error: {tmp_path}/an\\nempty\\tfile\\x1b[31m.txt: is empty"
    assert len(err) == 2  # the error, and the count of bad inputs


@pytest.fixture()
def small_disk(tmp_path):
    """A folder on a 64 KB tmpfs: room for a probe, not for a graph (root only, as in CI)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                                           capture_output=True).returncode:
        pytest.skip("needs permission to mount a tmpfs (root, as in CI)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_disk_that_fills_while_writing_is_one_line_and_leaves_the_previous_graph(small_disk, capsys):
    out = small_disk / "g.ttl"
    out.write_text("the previous graph")
    (small_disk / "extraction-report.json").write_text("the previous report")
    assert main(["build", "--input", str(seed("003")), "--out", str(out)]) == 4
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("ofsted-kg: error: ")]
    assert len(errors) == 1 and errors[0].endswith("No space left on device"), err
    assert out.read_text() == "the previous graph"
    assert (small_disk / "extraction-report.json").read_text() == "the previous report"
    leftovers = [p.name for p in small_disk.rglob(".*.tmp")]
    assert not leftovers, leftovers
