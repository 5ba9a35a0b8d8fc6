"""Read served HTML in tests as a browser would see it: links, and the text inside an element."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Every <a> (its attributes and text), and the text of every element that has an id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.texts: dict[str, str] = {}
        self.ids: dict[str, dict] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of the elements we are inside
        self._collecting: dict[str, list[str]] = {}
        self._link: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        ident = attributes.get("id")
        if ident is not None:
            self.ids[ident] = {"tag": tag, **attributes}
        if tag == "a":
            self._link = {**attributes, "text": ""}
            self.links.append(self._link)
        if tag in VOID:
            return
        self._open.append((tag, ident))
        if ident is not None:
            self._collecting[ident] = []

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        while self._open:
            open_tag, ident = self._open.pop()
            if ident is not None:
                self.texts[ident] = "".join(self._collecting.pop(ident))
            if open_tag == tag:
                break

    def handle_data(self, data):
        for parts in self._collecting.values():
            parts.append(data)
        if self._link is not None:
            self._link["text"] += data

    def hrefs(self, cls: str | None = None) -> list[str]:
        return [a["href"] for a in self.links if "href" in a and (cls is None or cls in a.get("class", "").split())]
