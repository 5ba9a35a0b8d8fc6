"""Real SPARQL clients against the running server read what the CLI prints for the same query."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from ofsted_kg.server.query import catalogue


def cli(seed_ttl: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ofsted_kg", "query", *arguments, "--graph", str(seed_ttl)],
                          capture_output=True, text=True, timeout=60)


def test_sparqlwrapper_and_sparqlstore_read_what_the_cli_prints(server, seed_ttl, app):
    printed = cli(seed_ttl, "judgements", "-p", "la=Stoke-on-Trent", "--format", "csv")
    assert printed.returncode == 0, printed.stderr
    expected = [tuple(r.values()) for r in csv.DictReader(io.StringIO(printed.stdout))]
    query = catalogue.bind(app.extensions["ofsted_kg"].queries["judgements"], {"la": "Stoke-on-Trent"},
                           app.extensions["ofsted_kg"].names)

    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(JSON)
    result = wrapper.query().convert()
    names = result["head"]["vars"]
    got = [tuple(b.get(v, {}).get("value", "") for v in names) for b in result["results"]["bindings"]]
    assert got == expected and len(got) == 17

    wrapper.setReturnFormat(CSV)
    assert wrapper.query().convert().decode().replace("\r\n", "\n") == printed.stdout.replace("\r\n", "\n")

    store = Graph(SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    rows = [tuple("" if v is None else str(v) for v in row) for row in store.query(query)]
    assert rows == expected


def test_cli_exit_codes_and_formats(seed_ttl):
    assert cli(seed_ttl, "nope").returncode == 2
    bad = cli(seed_ttl, "who_held_post", "-p", "date=yesterday")
    assert bad.returncode == 2 and "date:" in bad.stderr
    assert cli(seed_ttl, "inspections", "--format", "ttl").returncode == 2  # a SELECT has no Turtle form
    out = cli(seed_ttl, "inspection_team", "-p", "inspection=stoke-on-trent/sif/2015-06-01", "--format", "tsv")
    assert out.returncode == 0 and out.stdout.splitlines()[1].startswith('"Peter McEntee"')
