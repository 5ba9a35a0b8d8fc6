"""The application factory has no side effects: `create_app` reads and checks settings and
registers routes; `start` (what `serve` and the tests call) opens the data, starts the
workers and writes the store and dumps."""

import multiprocessing
import shutil

from ofsted_kg.server.app import create_app, start


def test_an_app_is_made_without_a_process_or_a_file_and_answers_503_until_started(seed_ttl, tmp_path):
    data = tmp_path / "graph.ttl"
    shutil.copy(seed_ttl, data)
    store, dumps = tmp_path / "store", tmp_path / "dumps"
    before = set(multiprocessing.active_children())
    app = create_app({"DATA": [str(data)], "STORE_DIR": str(store), "DUMP_DIR": str(dumps), "TESTING": True,
                      "WORKERS": 1, "SAVED_WORKERS": 1})
    assert set(multiprocessing.active_children()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    assert "ofsted_kg" not in app.extensions
    waiting = app.test_client().get("/queries/inspections.json")
    assert waiting.status_code == 503 and waiting.get_json()["error"] == "unavailable"
    assert "Retry-After" in waiting.headers

    start(app)
    try:
        assert set(multiprocessing.active_children()) - before  # the query workers
        assert store.is_dir() and dumps.is_dir()
        assert app.test_client().get("/queries/inspections.json").status_code == 200
    finally:
        app.extensions["ofsted_kg"].close()
