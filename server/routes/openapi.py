"""The OpenAPI 3 document at /openapi.json, generated from the saved queries' headers.

One path a saved query, its parameters typed as the header declares them, then `limit` and
`offset` (paging.py); every error is
the one JSON shape ({status, error, detail}). https://spec.openapis.org/oas/v3.0.3
"""

from __future__ import annotations

from ..query import paging
from ..query.catalogue import SavedQuery

SCHEMAS: dict[str, dict[str, object]] = {
    "iri": {"type": "string", "format": "uri"},
    "string": {"type": "string", "maxLength": 1000},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer"},
    "year": {"type": "string", "pattern": "^[0-9]{4}$"},
}
RESULTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/html",
]
ERRORS = {
    "400": "a parameter is missing or not of its type",
    "404": "no such saved query",
    "406": "no acceptable format",
    "503": "over the time limit, every worker busy, or the query ended its worker",
}


def _parameter(param) -> dict:
    schema = dict(SCHEMAS[param.type])
    if param.within:  # names are accepted as well as IRIs
        schema = {"type": "string"}
    if param.default is not None:
        schema["default"] = param.default
    out = {"name": param.name, "in": "query", "required": param.required, "schema": schema, "description": param.description}
    if param.example is not None:
        out["example"] = param.example
    return out


def _paging(max_rows: int) -> list[dict]:
    return [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": max_rows},
            "description": f"rows a page holds (JSON, XML and TSV: {paging.PAGE_SIZE} unless given; CSV: the whole answer unless given)",
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "maximum": paging.MAX_OFFSET, "default": 0},
            "description": "rows skipped before the page; the Link header gives the next page's address",
        },
    ]


LINK = {
    "Link": {
        "description": 'RFC 8288 links to the next, previous and first page (rel="next", "prev", "first") of a paged answer',
        "schema": {"type": "string"},
    }
}


def document(queries, server: str, max_rows: int = 10_000) -> dict:
    paths = {}
    query: SavedQuery
    for query in queries:
        paths[f"/queries/{query.name}"] = {
            "get": {
                "operationId": query.name,
                "summary": query.title,
                "description": query.description,
                "tags": list(query.tags),
                "parameters": [_parameter(p) for p in query.params] + _paging(max_rows),
                "responses": {
                    "200": {"description": "the rows, or one page of them", "headers": LINK, "content": {m: {} for m in RESULTS}},
                    **{
                        code: {
                            "description": why,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        }
                        for code, why in ERRORS.items()
                    },
                },
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Ofsted children's services knowledge graph: saved queries",
            "version": "1",
            "license": {
                "name": "OGL v3.0 (data); MIT (code)",
                "url": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            },
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["status", "error", "detail"],
                    "properties": {
                        "status": {"type": "integer"},
                        "error": {"type": "string"},
                        "detail": {"type": "string"},
                        "parameter": {"type": "string"},
                    },
                }
            }
        },
    }
