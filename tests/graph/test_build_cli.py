"""The `ofsted-kg` command: exit codes, one-line messages, atomic output, bad input."""

from __future__ import annotations

import shutil

import pytest

from ofsted_kg.console import main
from tests.conftest import BAD, SEEDS, seed

BAD_FILES = {
    "empty.txt": "is empty",
    "not-utf8.txt": "is not UTF-8 text (byte 0xe9 at offset 33)",
    "recipe.txt": "is not an Ofsted report or letter",
    "scanned-no-text.pdf": "has no text layer",
    "encrypted.pdf": "is an encrypted PDF",
    "truncated.pdf": "is a damaged PDF",
}


def test_build_writes_the_graph_and_texts(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    assert main(["build", "--input", str(seed("003")), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# ofsted-kg")
    # the letter's text, and its folder's manifest: the catalogue whose lines date it
    assert len(list((tmp_path / "text").glob("*.txt"))) == 2
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, name):
    out = tmp_path / "g.ttl"
    assert main(["build", "--input", str(BAD / name), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"ofsted-kg: error: {BAD / name}: " + err[0].split(": ", 3)[-1]
    assert BAD_FILES[name] in err[0]
    assert "Traceback" not in "\n".join(err)
    assert not out.exists()


def test_all_problems_reported_together_and_the_old_graph_kept(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    out.write_text("previous graph")
    code = main(["build", "--input", str(SEEDS), "--input", str(BAD / "empty.txt"), "--input", str(BAD / "encrypted.pdf"),
                 "--input", str(tmp_path / "missing"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "empty.txt: is empty" in err and "encrypted.pdf: is an encrypted PDF" in err and "missing: no such file" in err
    assert "3 bad input(s); nothing written" in err
    assert out.read_text() == "previous graph"
    assert not list(tmp_path.glob(".g.ttl.*")), "no temporary file left behind"


def test_keep_going_builds_the_good_documents(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    code = main(["build", "--input", str(seed("003")), "--input", str(BAD / "truncated.pdf"), "--keep-going", "--out", str(out)])
    assert code == 3
    assert "truncated.pdf: is a damaged PDF" in capsys.readouterr().err
    assert "monitoring-visit/2021-07-29" in out.read_text(encoding="utf-8")


def test_a_broken_manifest_is_named(tmp_path, capsys):
    shutil.copy(seed("003"), tmp_path)
    (tmp_path / "manifest.yaml").write_text("documents:\n  - file: 003_65202a97c5066fad.txt\n    kind: memo\n    publisher: Ofsted\n    title: x\n")
    assert main(["build", "--input", str(tmp_path), "--out", str(tmp_path / "g.ttl")]) == 2
    assert "manifest.yaml: document 1 has kind 'memo'" in capsys.readouterr().err


def test_validate_exit_codes(built, tmp_path, capsys):
    _, good = built
    assert main(["validate", str(good)]) == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(good.read_text(encoding="utf-8").replace("okg:grade grade:good", "okg:grade role:council-leader", 1),
                      encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    assert "Not a grade" in capsys.readouterr().out
    (tmp_path / "bad.ttl").write_text("this is not turtle")
    assert main(["validate", str(tmp_path / "bad.ttl")]) == 2
    assert main(["validate", str(tmp_path / "none.ttl")]) == 2


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["build", "--no-such-option"])
    assert stop.value.code == 2
