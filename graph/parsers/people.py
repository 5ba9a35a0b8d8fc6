"""People in posts, as prose names them.

Reports, letters, press releases and news all introduce people the same few ways:
"Council leader Ann James said", "Its current DfE-appointed commissioner, Paul Moffat,
said", "Janine Bridges, Stoke-on-Trent's cabinet member for education and economy",
a letter's addressee "Niki Clemo Interim Director of Children's Services", or a post with
no name: "The Acting Director of Children's Services has been in post since March 2015".
The role phrases are the ontology's role labels; which organisation a post sits in follows
from the role (a DfE commissioner's post is in the Department for Education, concerning
the council; a safeguarding board chair's is in the board).
"""

from __future__ import annotations

import re

from ..model.records import InspectionRef, OrgRef, Tenure
from ..reference.vocabulary import Vocabulary
from .dates import parse_date
from .evidence import match_span
from .patterns import APOS, NAME, NAME_SHORTEST

MONTH_YEAR = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:19|20)\d\d"
SAID = re.compile(r"\b(?:said|says|added|adds|commented)\b")


def organisation(role: str, council: str) -> tuple[OrgRef, str | None]:
    """The organisation a post is in, and the council it concerns when that is another body."""
    if role == "role/dfe-commissioner":
        return OrgRef("org", "department-for-education"), council
    if role == "role/lscb-chair":
        return OrgRef("lscb", council), council
    return OrgRef("council", council), None


def role_expression(vocab: Vocabulary) -> str:
    """A role phrase, matched without regard to case (names are matched with it)."""
    return rf"(?i:(?P<role>{vocab.label_pattern('role')}))(?:\s+for\s+(?P<portfolio>[a-z][a-z &'\u2019]*[a-z]))?"


def named_tenures(
    text: str, document: str, vocab: Vocabulary, council: str, dated: str | None, inspection: InspectionRef | None = None
) -> list[Tenure]:
    """Named holders of posts. `dated` is the document's own date: a holder quoted as speaking,
    or called "current", was in post then. `inspection` is the inspection the text is about,
    for "started on the first day of the inspection"."""
    role = role_expression(vocab)
    # Name first, then role first: a letter's addressee line "Niki Clemo Interim Director of
    # Children's Services Civic Centre" must give Niki Clemo, not "Civic Centre".
    forms = [
        # "Janine Bridges, Stoke-on-Trent's cabinet member for ...", "Niki Clemo Interim Director of ..."
        re.compile(rf"(?P<name>{NAME_SHORTEST}),?[ \t]+(?:[A-Z][\w-]+{APOS}s\s+)?{role}(?=[\s,.;:])"),
        # "Council leader Ann James said", "commissioner, Paul Moffat, said"
        re.compile(rf"(?<![\w-]){role},?[ \t]+(?P<name>{NAME})(?![\w-])"),
    ]
    tenures: list[Tenure] = []
    taken: list[tuple[int, int]] = []
    common = common_words(text)
    for form in forms:
        for m in form.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            key = vocab.concept("role", m["role"])
            name = without_title(m["name"])
            if key is None or name is None or not plausible_name(name, vocab, common):
                continue
            taken.append((m.start(), m.end()))
            sentence = text[m.start() : sentence_end(text, m.end())]
            org, concerns = organisation(key, council)
            current = bool(re.search(r"\bcurrent\b", text[max(0, m.start() - 40) : m.start() + 10], re.I))
            attested = dated if dated and (current or SAID.search(sentence) or form is forms[0]) else None
            begins_with = (
                inspection
                if re.match(
                    r",?\s*started\s+on\s+the\s+first\s+day\s+of\s+(?:the|this)\s+inspection", text[m.end() : m.end() + 60]
                )
                else None
            )
            held = {"person": name, "portfolio": portfolio(m["portfolio"]), "begins_with": begins_with}
            tenures.append(said(text, document, m, key, org, concerns, attested=None if begins_with else attested, **held))
    return tenures


def unnamed_tenures(
    text: str, document: str, vocab: Vocabulary, council: str, inspection: InspectionRef | None = None
) -> list[Tenure]:
    """Posts whose holder the text does not name, with the dates it gives."""
    role = rf"(?P<role>{vocab.label_pattern('role')})(?:\s*\([A-Z]+\))?"
    forms = [
        rf"\b(?:The|the)\s+(?:new\s+|recently\s+appointed\s+)?{role}\s+has\s+been\s+in\s+post\s+since\s+(?P<since>{MONTH_YEAR})",
        rf"\b(?:The|the)\s+(?:new\s+|recently\s+appointed\s+)?{role}\s+took\s+up\s+(?:the\s+)?post\s+in\s+(?P<since>{MONTH_YEAR})",
        rf"\b(?:A|An)\s+(?:new\s+)?{role}\s+started\s+on\s+the\s+first\s+day\s+of\s+(?:this|the)\s+inspection",
        # "The previous permanent DCS left the authority in May 2013": the end of a tenure
        rf"\b(?:The|the)\s+(?:previous|former)\s+(?:permanent\s+|interim\s+)?{role}\s+left\s+(?:the\s+)?(?:post|authority|council)\s+in\s+(?P<until>{MONTH_YEAR})",
    ]
    tenures: list[Tenure] = []
    for form in forms:
        for m in re.finditer(form, text, re.I):
            key = vocab.concept("role", m["role"])
            if key is None:
                continue
            org, concerns = organisation(key, council)
            since, until = m.groupdict().get("since"), m.groupdict().get("until")
            begin = parse_date(re.sub(r"\s+", " ", since)) if since else None
            end = parse_date(re.sub(r"\s+", " ", until)) if until else None
            tenures.append(
                said(
                    text,
                    document,
                    m,
                    key,
                    org,
                    concerns,
                    begin=begin,
                    end=end,
                    begins_with=None if since or until else inspection,
                )
            )
    return tenures


def said(text: str, document: str, m: re.Match, role: str, organisation: OrgRef, concerns, **held) -> Tenure:
    """A tenure of `role` in `organisation` as the match `m` states it: its words are its evidence."""
    return Tenure(role=role, organisation=organisation, evidence=(match_span(text, document, m),), concerns=concerns, **held)


def plausible_name(name: str, vocab: Vocabulary, common: frozenset[str] = frozenset()) -> bool:
    """Not a role, a place or an organisation that happens to be capitalised, nor words of the
    text around a post title ("Good Summary The", "Executive Director", "Enfield Council"):
    every word of a name is one the document never prints in lower case (`common`), so a
    heading's grade, a role's words and an organisation's nouns are not taken for a name."""
    words = name.split()
    first = words[0].lower()
    if first in {"the", "stoke", "department", "ofsted", "council", "his", "her", "its", "children", "local"}:
        return False
    if any(w.lower() in common for w in words if not re.fullmatch(r"[A-Z]\.?", w)):
        return False
    if any(w.lower() in role_words(vocab) for w in words):  # "Executive Director", "Chief Executive"
        return False
    return vocab.concept("role", name) is None


def role_words(vocab: Vocabulary) -> frozenset[str]:
    """The words of the ontology's role labels ("director", "executive", "chair", "leader")."""
    return frozenset(w for label in vocab.labels.get("role", {}) for w in re.findall(r"[a-z]{3,}", label))


def common_words(text: str) -> frozenset[str]:
    """The words a text prints in lower case mid-sentence: common words, never a person's name."""
    return frozenset(re.findall(r"(?<![\w'\u2019-])[a-z][a-z'\u2019]+(?![\w-])", text))


TITLES = {"councillor", "cllr", "dr", "mr", "mrs", "ms", "miss", "professor", "sir", "dame"}


def without_title(name: str) -> str | None:
    """ "Councillor Janine Bridges" -> "Janine Bridges"; None when only one word would be left."""
    words = name.split()
    while words and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return " ".join(words) if len(words) >= 2 else None


def portfolio(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text).strip() if text else None


def sentence_end(text: str, start: int) -> int:
    m = re.compile(r"[.!?](?:\s|$)|\n\n").search(text, start)
    return m.end() if m else len(text)
