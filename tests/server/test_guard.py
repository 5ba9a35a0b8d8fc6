"""The early check (server/query/guard.py): SERVICE and updates refused, depth limited, and nothing it
is sent makes it fail or take long. It is a courtesy; tests/server/test_isolation.py proves the
guarantee without it."""

from __future__ import annotations

import pytest

from ofsted_kg.server.query import guard
from ofsted_kg.server.web.errors import BadQuery, ClientError, Refused

SERVICE = [
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * {\n  service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { SERVICE\n# a comment\n<http://127.0.0.1:9/> { ?s ?p ?o } }",
    "PREFIX l: <http://127.0.0.1:9/> SELECT * { SERVICE l:x { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o .SERVICE ?u { ?s ?p ?o } }",
    "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * { \\U00000053ervice <http://127.0.0.1:9/> { ?s ?p ?o } }",
    # issue 10: the old tokenizer took these for a comment, a string, a string's end
    "PREFIX ex: <http://ex/> SELECT * WHERE { VALUES ?v { ex:a\\# } SERVICE <http://127.0.0.1:9998/x> { ?s ?p ?o } }",
    "PREFIX ex: <http://ex/> SELECT * WHERE { VALUES ?v { ex:a\\' } SERVICE <http://127.0.0.1:9998/x> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?v { 'a\\u0027b' } SERVICE <http://127.0.0.1:9998/y> { ?s ?p ?o } FILTER(?v != 'c') }",
    # found by the generated family (tests/reliability/test_hostile.py): the old search allowed only
    # spaces and tabs between the keyword and its IRI, so where the tokenizer was misled, a new line hid it
    "PREFIX ex: <http://ex/> SELECT * WHERE { VALUES ?v { ex:a\\' } SERVICE\n<http://127.0.0.1:9998/a> { ?s ?p ?o } }",
    "PREFIX ex: <http://ex/> SELECT * WHERE { VALUES ?v { ex:a\\' } SERVICE # c\n\r\n SILENT <http://127.0.0.1:9/> { } }",
    "PREFIX ex: <http://ex/> SELECT * WHERE { VALUES ?v { ex:a\\' } SERVICE\n\tl:x { ?s ?p ?o } }",
    # found by the generated family: a prefixed name glued to the keyword, which the engine reads
    # as SERVICE l:b (the query then ran to its time limit: 503, where 403 was due)
    "PREFIX l: <http://127.0.0.1:9/> SELECT * WHERE { OPTIONAL { ?s ?p ?o } SERVICEl:b { ?s ?p ?o } }",
    "PREFIX l: <http://127.0.0.1:9/> SELECT * WHERE { SERVICESILENT l:b { ?s ?p ?o } }",
    "PREFIX l: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE :b { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICE)
def test_service_is_refused(query):
    with pytest.raises(Refused, match="SERVICE is not allowed"):
        guard.inspect(query)


@pytest.mark.parametrize("query, form", [
    ("SELECT ?service { ?s ?service <http://x/o> }", "SELECT"),
    ("PREFIX service: <http://x/> CONSTRUCT WHERE { ?s service:p ?o }", "CONSTRUCT"),
    ("# every children's service\nASK { ?s ?p \"the service for\" }", "ASK"),
    ("DESCRIBE <http://x/service>", "DESCRIBE"),
    ("PREFIX ex: <http://ex/> BASE <http://b/> select * { ?s ex:services ?o }", "SELECT"),
])
def test_the_word_service_elsewhere_is_not_refused(query, form):
    assert guard.inspect(query) == form


@pytest.mark.parametrize("query", ["INSERT DATA { <a:b> <a:c> <a:d> }", "PREFIX x: <a:> drop graph <a:g>",
                                   "\\u0049NSERT DATA { <a:b> <a:c> <a:d> }"])
def test_updates_are_refused(query):
    with pytest.raises(Refused, match="read-only"):
        guard.inspect(query)


@pytest.mark.parametrize("query", [
    "ASK {} # \\UFFFFFFFF", "ASK { FILTER('\\U00110000' = '\\uD800') }", "SELECT * { ?s ?p '\\uDFFF\\U0010FFFF' }",
    "\\UFFFFFFFFSERVICE", "'''", '"""\\', "<", "#", "\\", "\\u", "\\U0011", "",
])
def test_escapes_and_fragments_never_raise_anything_but_a_client_error(query):
    try:
        guard.inspect(query)
    except ClientError:
        pass


def test_escapes_naming_no_character_decode_to_the_replacement_character():
    assert guard.decoded("a\\U00110000b\\uD800c\\u0041") == "a\ufffdb\ufffdcA"


@pytest.mark.parametrize("opener, closer", [("{", "}"), ("(", ")"), ("[", "]")])
def test_nesting_past_the_limit_is_400_naming_where(opener, closer):
    query = "SELECT * WHERE {\n" + opener * guard.MAX_DEPTH + closer * guard.MAX_DEPTH + "}"
    with pytest.raises(BadQuery) as raised:
        guard.check_depth(query)
    assert raised.value.detail.startswith(f"the query nests {{ ( [ more than {guard.MAX_DEPTH} deep (line 2, column 200, ")
    guard.check_depth(query.replace(opener, "", 1).replace(closer, "", 1))  # one level less is accepted


def test_brackets_in_strings_iris_and_comments_do_not_count():
    inside = "{" * (guard.MAX_DEPTH + 1)
    guard.check_depth(f"SELECT * {{ ?s ?p '{inside}', \"\"\"{inside}\"\"\", <http://x/{'(' * 300}> }} # {inside}")


def test_twenty_thousand_nested_sub_selects_are_refused():
    query = "SELECT * WHERE " + "{ SELECT * WHERE " * 20_000 + "{}" + " }" * 20_000
    with pytest.raises(BadQuery, match="more than 200 deep"):
        guard.inspect(query)


def test_a_language_tag_is_not_a_keyword():
    # "x"@from is a literal: counting FROM there made a store URL's dataset go unused (remote.py)
    assert "FROM" not in guard.keywords('SELECT * { ?s ?p "x"@from }')
    assert "FROM" in guard.keywords("SELECT * FROM <http://example.org/g> { ?s ?p ?o }")
    assert "FROM" not in guard.keywords('SELECT * { ?s ?p "x"@en-from }')
