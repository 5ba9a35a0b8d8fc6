"""The benchmark harness still runs end to end: the smoke configuration on the seed graph (slow: ~2 minutes).

No timing is asserted (machines differ); only that one run yields a table with every saved
query of the catalogue and a column for every engine, and load and start-up tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ofsted_kg.server.query import catalogue, paging

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_smoke_run_writes_every_query_and_engine(built, tmp_path):
    out, readme = tmp_path / "results.json", tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nProse kept.\n")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--scales", "seed", "--repeats", "3",
                           "--timeout", "10", "--load-requests", "20", "--load-seconds", "3", "--seed-graph", str(built[1]),
                           "--out", str(out), "--readme", str(readme)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    engines = results["scales"]["seed"]["engines"]
    assert set(engines) == {"store", "json", "ours", "ours-uncached", "ours-page", "oxigraph", "rdflib", "rdflib-endpoint"}
    names = set(catalogue.load())
    for key, record in engines.items():
        assert set(record["queries"]) == names, key
    # the floor answered everything, and every fast engine agrees with it on the number of rows
    for name, floor in engines["store"]["queries"].items():
        assert floor["rows"] is not None, name
        for key in ("json", "ours", "ours-uncached", "oxigraph"):
            assert engines[key]["queries"][name]["rows"] == floor["rows"], (key, name)
        # the first page a client gets by default: the answer's first PAGE_SIZE rows
        assert engines["ours-page"]["queries"][name]["rows"] == min(floor["rows"], paging.PAGE_SIZE), name
    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\nProse kept.\n")
    for label in ("store (floor)", "ours, cached", "ours, uncached", "ours, uncached, first page", "oxigraph server", "rdflib in memory", "rdflib-endpoint"):
        assert label in text
    for name in names:
        assert f"| `{name}` |" in text
    assert "1 client" in text and "### Start-up and memory" in text and "### Builds" in text
