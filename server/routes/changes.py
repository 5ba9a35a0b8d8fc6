"""/changes.atom and /changes.json: the feed of newly published inspections and visits.

Journalists and council analysts subscribe to exactly this: each entry is an inspection or
visit whose report or letter has a publication date, newest first, with its overall grade,
a link to its page here and one to the original report where the catalogue gives its
address. The rows are the saved query `changes` (queries/changes.rq), so the feed, its JSON
twin, `/queries/changes` and `ofsted-kg query changes` can never disagree; `?la=` and
`?region=` are that query's parameters, checked and bound the same way (400 naming the
parameter for a council nobody knows).

Atom is RFC 4287 (https://www.rfc-editor.org/rfc/rfc4287): a feed id, title and `updated`,
and per entry an id (the inspection's IRI, stable for ever), a title, `updated` and
`published` (the publication date), links and a summary. Written with the standard
library's ElementTree, which escapes every value.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from ..linked_data import addresses
from ..web import render

blueprint = Blueprint("changes", __name__)
ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ENTRIES = 100  # a feed carries the newest entries; the whole history is the saved query
MAX_AGE = 300
FILTERS = ("la", "region")

ET.register_namespace("", ATOM)


def rows(values: dict[str, str]) -> tuple[list[dict[str, str]], str]:
    """The saved query's rows (plain strings by column) and the answer's ETag."""
    service = current_app.extensions["ofsted_kg"]
    entry, _, _ = service.saved_entry("changes", values, requested="json")
    data = json.loads(entry.answer.body)
    table = [{name: cell["value"] for name, cell in binding.items()} for binding in data["results"]["bindings"]]
    return table[:ENTRIES], entry.etag


def _values() -> dict[str, str]:
    # Unknown parameters are 400 through the saved query's own check, as on /queries/changes.
    return dict(request.args.items())


def _entry(row: dict[str, str]) -> dict[str, str | None]:
    """One row as the feed tells it: the council, the kind, the grade, the links."""
    report = row.get("report")
    return {
        "inspection": row["inspection"],
        "page": _external(addresses.local(row["inspection"])),
        "council": row["name"],
        "la": row["la"],
        "region": row.get("region"),
        "kind": row["kind"],
        "start": row.get("start"),
        "end": row.get("end"),
        "published": row["published"],
        "overall": row.get("overall") or None,
        "report": report,
        "report_page": _external(addresses.local(report)) if report else None,
        "source": row.get("source"),
    }


def _external(path: str | None) -> str | None:
    if path and path.startswith("/"):
        return request.host_url.rstrip("/") + path
    return path


def _title(entry: dict) -> str:
    grade = f": {entry['overall']}" if entry["overall"] else ""
    return f"{entry['council']}, {entry['kind']}{grade}"


def _summary(entry: dict) -> str:
    when = " to ".join(d for d in (entry["start"], entry["end"]) if d)
    where = f"{entry['council']}" + (f" ({entry['region']})" if entry["region"] else "")
    text = f"{where}: {entry['kind']}" + (f", {when}" if when else "") + f"; published {entry['published']}."
    return text + (f" Overall effectiveness: {entry['overall']}." if entry["overall"] else "")


def _timestamp(date: str) -> str:
    """An RFC 3339 date-time for an ISO date (YYYY-MM-DD, or YYYY-MM: the first of the month)."""
    if len(date) == 7:
        date += "-01"
    return f"{date[:10]}T00:00:00Z"


def atom(entries: list[dict], self_url: str, alternate: str) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", self_url)
    sub(feed, "title", "Ofsted inspections of councils' children's services: newly published")
    sub(
        feed,
        "subtitle",
        "Inspections and visits of English councils' children's services, newest publication first, "
        "from the ofsted-kg knowledge graph",
    )
    # The newest publication date: the feed changes exactly when an entry is added.
    sub(feed, "updated", _timestamp(entries[0]["published"]) if entries else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type=MEDIA_TYPE, href=self_url)
    sub(feed, "link", rel="alternate", type="application/json", href=alternate)
    author = sub(feed, "author")
    sub(author, "name", "ofsted-kg")
    sub(feed, "rights", "Contains public sector information licensed under the Open Government Licence v3.0")
    for entry in entries:
        item = sub(feed, "entry")
        sub(item, "id", entry["inspection"])
        sub(item, "title", _title(entry))
        sub(item, "published", _timestamp(entry["published"]))
        sub(item, "updated", _timestamp(entry["published"]))
        if entry["page"]:
            sub(item, "link", rel="alternate", type="text/html", href=entry["page"])
        if entry["source"]:
            sub(item, "link", rel="related", type="application/pdf", href=entry["source"], title="the report as published")
        elif entry["report_page"]:
            sub(item, "link", rel="related", type="text/html", href=entry["report_page"], title="the report's text")
        sub(item, "category", term=entry["kind"])
        if entry["region"]:
            sub(item, "category", term=entry["region"], label=f"Region: {entry['region']}")
        sub(item, "summary", _summary(entry))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _respond(response: Response, etag: str) -> Response:
    # The data cannot change under a running server: the saved query's ETag is the feed's,
    # with the format folded in so the two twins never share one.
    response.set_etag(f"{etag}-{request.path.rsplit('.', 1)[-1]}")
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.make_conditional(request)  # in place: a 304 where the client holds this version
    return response


@blueprint.route("/changes.atom")
def feed():
    table, etag = rows(_values())
    entries = [_entry(row) for row in table]
    twin = url_for("changes.feed_json", _external=True, **request.args)
    body = atom(entries, request.url, twin)
    response = render.twin_link(Response(body, mimetype=MEDIA_TYPE), twin)
    response.charset = "utf-8"
    return _respond(response, etag)


@blueprint.route("/changes.json")
def feed_json():
    table, etag = rows(_values())
    feed_url = url_for("changes.feed", _external=True, **request.args)
    response = jsonify(
        {
            "title": "Ofsted inspections of councils' children's services: newly published",
            "feed": feed_url,
            "entries": [_entry(row) for row in table],
        }
    )
    return _respond(render.twin_link(response, feed_url, MEDIA_TYPE), etag)
