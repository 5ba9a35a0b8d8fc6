"""One negotiation over one format registry (web/negotiation.py, web/formats.py), table-driven and
without a server: the names a `format=` value or suffix may take, and Accept with its q-values."""

import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ofsted_kg.server.web import formats, negotiation
from ofsted_kg.server.web.errors import NotAcceptable


def accept(header: str) -> MIMEAccept:
    return parse_accept_header(header, MIMEAccept)


@pytest.mark.parametrize("form,requested,key", [
    ("SELECT", "json", "json"), ("SELECT", "JSON", "json"), ("SELECT", "application/sparql-results+json", "json"),
    ("SELECT", "application/json", "json"), ("SELECT", "xml", "xml"), ("SELECT", "text/xml", "xml"),
    ("SELECT", "csv", "csv"), ("SELECT", "tsv", "tsv"), ("SELECT", "html", "html"),
    ("CONSTRUCT", "ttl", "ttl"), ("CONSTRUCT", "turtle", "ttl"), ("CONSTRUCT", "n3", "ttl"), ("CONSTRUCT", "text/n3", "ttl"),
    ("CONSTRUCT", "text/rdf+n3", "ttl"), ("CONSTRUCT", "application/x-turtle", "ttl"), ("CONSTRUCT", "nt", "nt"),
    ("CONSTRUCT", "n-triples", "nt"), ("CONSTRUCT", "text/plain", "nt"), ("CONSTRUCT", "jsonld", "jsonld"),
    ("CONSTRUCT", "json", "jsonld"), ("CONSTRUCT", "json-ld", "jsonld"), ("CONSTRUCT", "rdfxml", "rdfxml"),
    ("CONSTRUCT", "rdf", "rdfxml"), ("CONSTRUCT", "xml", "rdfxml"), ("DESCRIBE", " ttl ", "ttl"),
])
def test_a_format_by_any_of_its_names(form, requested, key):
    assert negotiation.negotiate(form, None, requested).key == key


@pytest.mark.parametrize("form,requested", [("CONSTRUCT", "csv"), ("SELECT", "ttl"), ("ASK", "nq"), ("SELECT", "x" * 300)])
def test_a_format_the_form_cannot_take_is_406(form, requested):
    with pytest.raises(NotAcceptable):
        negotiation.negotiate(form, None, requested)


@pytest.mark.parametrize("form,header,key", [
    ("SELECT", "*/*", "json"),
    ("CONSTRUCT", "*/*", "ttl"),
    ("SELECT", "application/json", "json"),
    ("CONSTRUCT", "application/json", "jsonld"),
    ("CONSTRUCT", "text/n3", "ttl"),
    ("SELECT", "text/csv;q=0.9, application/sparql-results+json;q=0.1", "csv"),
    ("SELECT", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("SELECT", "application/xml;q=0.9, */*;q=0.8", "xml"),  # an alias named counts with its own q
    ("SELECT", "text/html;q=0, */*", "json"),
])
def test_a_query_form_by_accept(form, header, key):
    assert negotiation.negotiate(form, accept(header)).key == key


@pytest.mark.parametrize("header,key", [
    ("text/html;q=0, */*", "ttl"),  # xhtml is an alias of the page, not matched through */*
    ("application/xhtml+xml", "html"),
    ("text/*", "html"),  # a tie: the page
    ("text/turtle;q=0.2, application/ld+json;q=0.9", "jsonld"),
    ("application/x-turtle", "ttl"),
])
def test_an_entity_representation_by_accept(header, key):
    assert negotiation.choose(accept(header)).key == key


def test_a_header_ruling_out_every_representation_is_406_unless_the_route_has_a_default():
    with pytest.raises(NotAcceptable):
        negotiation.choose(accept("image/png"))
    assert negotiation.choose(accept("image/png"), default=formats.HTML) is formats.HTML


@pytest.mark.parametrize("path,stem,key", [
    ("council/x.ttl", "council/x", "ttl"), ("council/x.rdf", "council/x", "rdfxml"), ("council/x.jsonld", "council/x", "jsonld"),
    ("council/x.html", "council/x", "html"), ("council/x.json", "council/x.json", None), ("a.b/c", "a.b/c", None),
])
def test_a_suffix_is_a_representation_s_file_extension(path, stem, key):
    found_stem, fmt = negotiation.split_suffix(path)
    assert found_stem == stem and (fmt.key if fmt else None) == key


@pytest.mark.parametrize("header,page", [("text/html", True), ("*/*", False), ("application/json", False),
                                         ("text/html;q=0.5, application/json", False), ("", False)])
def test_html_over_json_only_when_the_client_ranks_it_higher(header, page):
    assert negotiation.prefers(accept(header), formats.HTML, over=formats.JSON_DOCUMENT) is page
