"""Byte-identical output across processes with different hash seeds (slow: two full builds)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import SEEDS


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path):
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / seed / "g.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "ofsted_kg", "build", "--input", str(SEEDS), "--out", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(out)
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    texts = [sorted((p.name, p.read_bytes()) for p in (o.parent / "text").iterdir()) for o in outputs]
    assert texts[0] == texts[1]
