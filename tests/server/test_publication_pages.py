"""Pages show a document's publication date and link to the original where a catalogue gives
its URL: the document page (with the catalogue row quoted) and its inspection's page."""

from __future__ import annotations

import re
import shutil

import pytest

from ofsted_kg.graph.build.pipeline import build
from ofsted_kg.server.app import create_app, start
from tests.conftest import seed
from tests.graph.test_publication import REPORT, URL, row, write_catalogue


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fetched")
    shutil.copy(seed(REPORT[:40]), folder / REPORT)
    write_catalogue(folder, row(REPORT))
    out = tmp_path_factory.mktemp("build") / "ofsted-kg.ttl"
    assert build([folder], out).written
    app = start(create_app({"DATA": [str(out)], "TESTING": True, "WORKERS": 1, "QUERY_TIMEOUT": 10,
                            "DUMP_DIR": str(tmp_path_factory.mktemp("dumps"))}))
    yield app.test_client()
    app.extensions["ofsted_kg"].close()


def test_the_document_page_links_to_the_original_and_quotes_the_catalogue(client):
    inspection = client.get("/doc/inspection/stoke-on-trent/ilacs/2022-10-03").get_data(as_text=True)
    key = re.search(r'href="/doc/document/([0-9a-f]{16})">Inspection of Stoke', inspection)[1]
    page = client.get(f"/doc/document/{key}").get_data(as_text=True)
    assert f'<a id="original" href="{URL}">' in page
    according = re.search(r'issued</th><td>2022-11-26 <span class="according">\(according to <a href="(/doc/document/[0-9a-f]{16}#char=\d+,\d+)">', page)
    assert according, "the date links to the catalogue row that states it"
    catalogue = client.get(according[1].split("#")[0]).get_data(as_text=True)
    assert "2022-11-26,https://files.ofsted.gov.uk" in catalogue, "the catalogue's text is shown"


def test_the_inspection_page_shows_the_publication_date_and_the_original(client):
    page = client.get("/doc/inspection/stoke-on-trent/ilacs/2022-10-03").get_data(as_text=True)
    assert re.search(rf'published</th><td>2022-11-26: <a id="original" href="{re.escape(URL)}">the original report</a>', page)


    assert re.search(r"children’s services</a>, Ofsted, 2022-11-26 \(reports this inspection\) \(<a class=\"original\"", page), \
        "the report is marked as the inspection's, whichever of its rows comes first"


@pytest.fixture(scope="module")
def seed_client(built, tmp_path_factory):
    app = start(create_app({"DATA": [str(built[1])], "TESTING": True, "WORKERS": 1, "QUERY_TIMEOUT": 10,
                            "DUMP_DIR": str(tmp_path_factory.mktemp("dumps"))}))
    yield app.test_client()
    app.extensions["ofsted_kg"].close()


def test_without_a_url_the_date_is_there_and_no_link(seed_client):
    """The seeds' manifest gives the reports' dates but no URLs."""
    page = seed_client.get("/doc/document/d7768b1803baa4f8").get_data(as_text=True)
    assert re.search(r'issued</th><td>2022-11-25 <span class="according">\(according to <a href="/doc/document/[0-9a-f]{16}#char=\d+,\d+">'
                     r"The manifest of seeds/", page)
    assert 'id="original"' not in page
    inspection = seed_client.get("/doc/inspection/stoke-on-trent/ilacs/2022-10-03").get_data(as_text=True)
    assert 'published</th><td>2022-11-25</td>' in inspection and 'id="original"' not in inspection
