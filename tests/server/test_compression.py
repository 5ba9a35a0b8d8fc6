"""gzip for answers (server/web/compression.py): query answers, pages and descriptions come
gzipped to a client that asks, the same bytes once unzipped; ETags and 304s hold per encoding;
the dumps keep their own gzip copies, Content-Length and byte ranges; small bodies stay plain."""

from __future__ import annotations

import gzip
import urllib.request

from .downloads import dumps_ready

GZIP = {"Accept-Encoding": "gzip"}


def test_a_query_answer_is_gzipped_when_asked_and_the_same_bytes_unzipped(client):
    plain = client.get("/queries/findings.json")
    zipped = client.get("/queries/findings.json", headers=GZIP)
    assert plain.headers.get("Content-Encoding") is None and zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) * 3 < len(plain.data)
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    vary = {v.strip().lower() for v in zipped.headers["Vary"].split(",")}
    assert {"accept", "accept-encoding"} <= vary


def test_pages_sparql_and_descriptions_are_gzipped_too(client):
    # ordered: without ORDER BY, which rows a LIMIT keeps is the store's choice, and a worker on
    # its in-memory copy and one on the persisted store chose differently (a flaky failure); and
    # few: sorting every triple of the graph ran past the 10 s query limit on a machine busy with
    # the slow suite (503). The judgements' triples: 118 rows, over the 500 bytes gzip starts at.
    query = "SELECT ?s ?p ?o WHERE { ?s a <https://w3id.org/ofsted-kg/def#Judgement> ; ?p ?o } ORDER BY ?s ?p ?o"
    for path, args, headers in (("/sparql", {"query": query}, {}),
                                ("/sparql", {"query": query}, {"Accept": "text/csv"}),
                                ("/doc/council/stoke-on-trent", {}, {"Accept": "text/html"}),
                                ("/doc/council/stoke-on-trent.ttl", {}, {})):
        response = client.get(path, query_string=args, headers={**headers, **GZIP})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip", (path, headers)
        assert gzip.decompress(response.data) == client.get(path, query_string=args, headers=headers).data


def test_etags_and_304s_hold_for_each_encoding(client):
    plain = client.get("/queries/findings.json")
    zipped = client.get("/queries/findings.json", headers=GZIP)
    assert plain.headers["ETag"] != zipped.headers["ETag"]  # two representations, two validators
    again = client.get("/queries/findings.json", headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    plain_again = client.get("/queries/findings.json", headers={"If-None-Match": plain.headers["ETag"]})
    assert plain_again.status_code == 304
    # a validator of the other representation does not match: the client gets the body
    assert client.get("/queries/findings.json", headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 200


def test_dumps_keep_their_own_gzip_their_length_and_byte_ranges(client):
    dumps_ready(client.application)
    whole = client.get("/dump.nt")
    assert whole.status_code == 200, whole.data[:300]
    size = len(whole.data)
    for encoding in ("identity", "deflate", "br, zstd"):  # not gzip: the file itself, as it is
        response = client.get("/dump.nt", headers={"Accept-Encoding": encoding})
        assert response.headers.get("Content-Encoding") is None and int(response.headers["Content-Length"]) == size
        ranged = client.get("/dump.nt", headers={"Accept-Encoding": encoding, "Range": "bytes=100-199"})
        assert ranged.status_code == 206 and ranged.data == whole.data[100:200], encoding
        assert ranged.headers.get("Content-Encoding") is None
    zipped = client.get("/dump.nt", headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == whole.data
    assert zipped.headers["ETag"] != whole.headers["ETag"]
    assert client.get("/dump.nt", headers={**GZIP, "If-None-Match": zipped.headers["ETag"]}).status_code == 304


def test_small_answers_and_errors_stay_plain(client):
    error = client.get("/queries/nope.json", headers=GZIP)
    assert error.status_code == 404 and error.headers.get("Content-Encoding") is None and error.get_json()


def test_the_running_server_sends_gzip(server):
    request = urllib.request.Request(server.url + "/queries/findings.csv", headers=GZIP)
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        text = gzip.decompress(response.read()).decode()
    assert text.startswith("inspection,number,theme,polarity,text")
