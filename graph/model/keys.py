"""Stable keys from names: the parts of IRIs that come from text (docs/data-model.md, "IRIs").

Pure functions, shared by the resolver (which merges records with equal keys) and iris.py
(which mints IRIs from them), so the two always agree.
"""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """ "Stoke-on-Trent" -> "stoke-on-trent"; "Bristol, City of" -> "bristol-city-of"."""
    text = text.replace("&", " and ").replace("\u2019", "").replace("'", "")
    # letters with diacritics transliterated, not dropped: "Máire" -> "maire", never "m-ire"
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def person_key(name: str) -> str:
    """A person's key: the slug of their name without middle initials, so "Fiona J Millns" and
    "Fiona Millns", one inspector printed two ways, are one person."""
    words = [w for i, w in enumerate(name.split()) if not (0 < i < len(name.split()) - 1 and re.fullmatch(r"[A-Z]\.?", w))]
    return slug(" ".join(words))
