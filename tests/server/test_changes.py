"""/changes.atom and /changes.json: the feed of newly published inspections and visits.

Read by feedparser (the feed reader most Python tools use) and checked against RFC 4287's
required elements, on both backends; its entries must be exactly the saved query's rows.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


def saved_rows(client, **params) -> list[dict]:
    response = client.get("/queries/changes.json", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def test_the_feed_is_atom_a_reader_reads(client):
    response = client.get("/changes.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    rows = saved_rows(client)
    assert rows, "the seed graph has published inspections"
    assert [e.id for e in parsed.entries] == [r["inspection"] for r in rows]
    published = [e.published for e in parsed.entries]
    assert published == sorted(published, reverse=True)
    assert parsed.feed.updated == parsed.entries[0].updated


def test_every_element_rfc_4287_requires(client):
    root = ET.fromstring(client.get("/changes.atom").data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), tag


def test_entries_say_grade_and_link_to_pages_that_answer(client):
    parsed = feedparser.parse(client.get("/changes.atom").data)
    stoke_2019 = next(e for e in parsed.entries if e.id.endswith("/stoke-on-trent/ilacs/2019-02-04"))
    assert stoke_2019.title == "Stoke-on-Trent, Inspection of local authority children's services: Inadequate"
    assert stoke_2019.published.startswith("2019-03-18")
    assert "Overall effectiveness: Inadequate." in stoke_2019.summary
    for link in stoke_2019.links:
        path = link.href.split("://", 1)[1].split("/", 1)[1]
        assert client.get("/" + path).status_code == 200, link.href


@pytest.mark.parametrize("params, expected", [
    ({"la": "stoke-on-trent"}, "all"),
    ({"region": "west midlands"}, "all"),
    ({"region": "North East"}, "none"),
])
def test_filters(client, params, expected):
    everything = saved_rows(client)
    parsed = feedparser.parse(client.get("/changes.atom", query_string=params).data)
    assert not parsed.bozo
    assert len(parsed.entries) == (len(everything) if expected == "all" else 0)


def test_an_unknown_council_is_400_naming_the_parameter(client):
    response = client.get("/changes.atom?la=Atlantis")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "la"


def test_json_twin_says_the_same(client):
    atom = client.get("/changes.atom")
    twin = client.get("/changes.json")
    assert twin.status_code == 200
    assert 'rel="alternate"' in atom.headers["Link"] and "/changes.json" in atom.headers["Link"]
    body = json.loads(twin.data)
    parsed = feedparser.parse(atom.data)
    assert [e["inspection"] for e in body["entries"]] == [e.id for e in parsed.entries]
    assert all(e["published"] for e in body["entries"])


def test_revalidation_is_304(client):
    first = client.get("/changes.atom")
    again = client.get("/changes.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/changes.json").headers["ETag"] != first.headers["ETag"]
