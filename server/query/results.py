"""Write SELECT and ASK results: SPARQL 1.1 Query Results JSON, XML, CSV and TSV.

pyoxigraph can serialise a whole result iterator, but the endpoint caps rows, so it writes
from the list of rows it kept. Specs: https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/rdf-sparql-XMLres/, https://www.w3.org/TR/sparql11-results-csv-tsv/.
"""

from __future__ import annotations

import csv
import io
import json
from json.encoder import encode_basestring as _quoted  # a JSON string, non-ASCII kept (ensure_ascii=False)
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _json_fragment(term) -> str:
    """A term's SPARQL JSON object as text, as json.dumps(_json_term(term), ensure_ascii=False) writes it."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _quoted(term.value) + "}"
    if isinstance(term, ox.Literal):
        if term.language:
            return '{"type":"literal","value":' + _quoted(term.value) + ',"xml:lang":' + _quoted(term.language) + "}"
        if term.datatype.value != XSD_STRING:
            return '{"type":"literal","value":' + _quoted(term.value) + ',"datatype":' + _quoted(term.datatype.value) + "}"
        return '{"type":"literal","value":' + _quoted(term.value) + "}"
    return json.dumps(_json_term(term), ensure_ascii=False)


def to_json(variables: list[str], rows: list[list], boolean: bool | None = None) -> bytes:
    if boolean is not None:
        return json.dumps({"head": {}, "boolean": boolean}).encode()
    # Written as text, each distinct term's JSON made once: an answer names the same IRIs and
    # labels in many rows, and building a dict per cell for json.dumps cost as much again as
    # the query on large answers (bench/README.md, "store + our JSON writer").
    fragments: dict = {}
    keys = [json.dumps(v, ensure_ascii=False) + ":" for v in variables]
    out = []
    for row in rows:
        cells = []
        for key, term in zip(keys, row, strict=True):
            if term is None:
                continue
            fragment = fragments.get(term)
            if fragment is None:
                fragment = fragments[term] = _json_fragment(term)
            cells.append(key + fragment)
        out.append("{" + ",".join(cells) + "}")
    head = json.dumps({"vars": variables}, ensure_ascii=False)
    return ('{"head":' + head + ',"results":{"bindings":[' + ",".join(out) + "]}}").encode()


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(variables: list[str], rows: list[list], boolean: bool | None = None) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n")
    if boolean is not None:
        out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>\n")
    else:
        out.append("<results>\n")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.append(f"<result>{cells}</result>\n")
        out.append("</results>\n")
    out.append("</sparql>\n")
    return "".join(out).encode()


def plain(term) -> str:
    """A term as CSV shows it: the lexical form, no quotes or brackets."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if hasattr(term, "value") else str(term)


def to_csv(variables: list[str], rows: list[list], boolean: bool | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if boolean is not None:
        writer.writerows([["boolean"], ["true" if boolean else "false"]])
    else:
        writer.writerow(variables)
        writer.writerows([plain(t) for t in row] for row in rows)
    return buffer.getvalue().encode()


def to_tsv(variables: list[str], rows: list[list], boolean: bool | None = None) -> bytes:
    if boolean is not None:
        return f"?boolean\n{'true' if boolean else 'false'}\n".encode()
    # TSV keeps terms in their Turtle / N-Triples form, which pyoxigraph's str() gives.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
