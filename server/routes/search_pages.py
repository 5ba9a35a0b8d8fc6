"""/search?q= (HTML) and /search.json?q=: the search box's answers, from search_index.

Each hit links to its page and, for a text or a judgement, to the quoted words in their
document. `kind=` keeps one kind (council, person, theme, judgement, recommendation,
finding), `page=` pages through them 20 at a time. No words is 400 `bad-search`.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from ..linked_data import addresses, search_index
from ..linked_data.search_index import CLOSE, KINDS, OPEN
from ..web import render
from ..web.errors import BadParameter, ClientError, echo

blueprint = Blueprint("search", __name__)
PAGE_SIZE = 20
MAX_PAGE = 500  # 10,000 hits deep: past that, a narrower search serves better


class BadSearch(ClientError):
    error = "bad-search"


def marked(text: str) -> Markup:
    """Text with its matched words in <mark>: escaped first, so a document's text is never markup."""
    return Markup(str(escape(text)).replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def plain(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def _ask():
    query = request.args.get("q", "")
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise BadParameter(f"kind: {echo(kind)} is not one of {', '.join(KINDS)}", parameter="kind")
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        raise BadParameter(f"page: {echo(page)} is not a whole number from 1 to {MAX_PAGE}", parameter="page")
    page = int(page)
    if len(query) > 200:
        raise BadSearch("q: a search is at most 200 characters", parameter="q")
    index = search_index.for_service(current_app.extensions["ofsted_kg"])
    try:
        results = index.search(query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, kind=kind)
    except search_index.BadSearch as error:
        raise BadSearch(str(error), parameter="q") from None
    return results, kind, page


def _hit_links(hit) -> dict:
    evidence = None
    if hit.document and hit.start is not None:
        evidence = f"{addresses.local(hit.document)}#char={hit.start},{hit.end}"
    return {"page": addresses.local(hit.iri), "evidence": evidence}


@blueprint.route("/search.json")
def search_json():
    if not request.args.get("q", "").strip():
        raise BadSearch("q: give the words to search for, as /search.json?q=stoke", parameter="q")
    results, kind, page = _ask()
    return jsonify(
        {
            "query": results.query,
            "kind": kind,
            "page": page,
            "pageSize": PAGE_SIZE,
            "total": results.total,
            "hits": [
                {
                    "kind": h.kind,
                    "iri": h.iri,
                    "title": plain(h.title),
                    "text": plain(h.text),
                    "context": h.context,
                    **{k: (request.host_url.rstrip("/") + v if v and v.startswith("/") else v) for k, v in _hit_links(h).items()},
                }
                for h in results.hits
            ],
            "didYouMean": [{"label": label, "iri": iri} for label, iri in results.suggestions],
        }
    )


@blueprint.route("/search")
def search_html():
    if not request.args.get("q", "").strip():  # the empty search box: the page, with nothing found yet
        html = render_template("search.html", title="Search", results=None, kinds=KINDS, kind=None, page=1)
        return Response(html, mimetype="text/html")
    results, kind, page = _ask()
    hits = [{"hit": h, "title": marked(h.title), "text": marked(h.text), **_hit_links(h)} for h in results.hits]
    twin = url_for("search.search_json", _external=True, **request.args)
    pages = max(1, -(-results.total // PAGE_SIZE))
    html = render_template(
        "search.html",
        title=f"Search: {results.query}",
        results=results,
        hits=hits,
        kinds=KINDS,
        kind=kind,
        page=page,
        pages=min(pages, MAX_PAGE),
        page_size=PAGE_SIZE,
        twin=twin,
    )
    return render.twin_link(Response(html, mimetype="text/html"), twin)
