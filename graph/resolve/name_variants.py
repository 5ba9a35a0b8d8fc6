"""One person, one name: printed variants of a name across documents merged before resolving.

Reports print the same inspector as "Sue Myers" and "Susan Myers", "Cath McEvoy" and
"Catherine McEvoy", "Brenda McLaughlin" and "Brenda Mclaughlin", "Máire Atherton" and
"Maire Atherton". Two printed names are taken for one person when all of these hold:
- the surnames are equal once case and diacritics are set aside;
- the given names are equal the same way, or one is a nickname of the other in the
  `nicknames` dataset (a hand-curated list of English given names and their short forms:
  Sue/Susan, Mike/Michael, Pete/Peter, Nick/Nicholas), or one is a clipped form of at least
  four letters of the other (Cath/Catherine, which the dataset lacks), or a spelling with one
  letter more (Clare/Claire, Dean/Deane; never a letter changed, so Mark and Mary stay apart);
- both appear in the same family of roles (an inspection team, or a post in an
  organisation), in years that overlap or lie at most `YEARS_APART` (5) apart;
- the match is unambiguous: a short form that fits two different full names ("Chris" with
  both a Christine and a Christopher of that surname) is merged with neither.
Never merely the same surname. The merged person keeps the form printed most often (ties:
the longest), and every other printed form is kept as an alternative label; each claim keeps
its evidence exactly as printed.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import replace
from functools import lru_cache

from ..model.records import Extraction

YEARS_APART = 5  # an inspector's years in the inspectorate: "Robert Pyner" in 2014, "Rob Pyner" in 2018


def folded(word: str) -> str:
    """ "Máire" -> "maire", "Mclaughlin" -> "mclaughlin": case and diacritics set aside."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("\u2019", "'")


def parts(name: str) -> tuple[str, str]:
    """(given name, surname), folded; middle names and initials are left out."""
    words = name.split()
    return folded(words[0]), folded(words[-1])


@lru_cache(maxsize=1)
def _namer():
    from nicknames import NickNamer

    return NickNamer()


def given_names_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return True
    if len(short) >= 4 and len(long_) == len(short) + 1 and any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_))):
        return True  # one letter more: Clare/Claire, Dean/Deane, Steve/Steven (never a letter changed: Mark/Mary)
    namer = _namer()
    return long_ in namer.canonicals_of(short) or short in namer.canonicals_of(long_)


def merge(extractions: list[Extraction]) -> tuple[list[Extraction], dict[str, tuple[str, ...]]]:
    """The extractions with each variant of a person's name replaced by the merged form, and
    merged form -> the other forms printed."""
    seen: dict[tuple[str, str], Counter] = defaultdict(Counter)  # (family, name) -> years
    for e in extractions:
        for t in e.team:
            seen[("team", t.person)][year(t.inspection.start)] += 1
        for tenure in e.tenures:
            if tenure.person:
                seen[("post", tenure.person)][year(tenure.attested or tenure.begin or e.document.issued)] += 1
    by_surname: dict[tuple[str, str], list[str]] = defaultdict(list)
    for family, name in seen:
        by_surname[(family, parts(name)[1])].append(name)
    rename: dict[tuple[str, str], str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for (family, _), names in by_surname.items():
        for group in groups(family, names, seen):
            canonical = max(group, key=lambda n: (sum(seen[(family, n)].values()), len(n), n))
            for name in group:
                if name != canonical:
                    rename[(family, name)] = canonical
                    aliases[canonical].add(name)
    if not rename:
        return extractions, {}
    out = []
    for e in extractions:
        out.append(
            replace(
                e,
                team=tuple(replace(t, person=rename.get(("team", t.person), t.person)) for t in e.team),
                tenures=tuple(replace(t, person=rename.get(("post", t.person), t.person)) if t.person else t for t in e.tenures),
            )
        )
    return out, {name: tuple(sorted(forms)) for name, forms in aliases.items()}


def groups(family: str, names: list[str], seen: dict) -> list[set[str]]:
    """Sets of names (same surname, same family) that are one person, each of two or more."""

    def years(name: str) -> tuple[int, int]:
        known = [y for y in seen[(family, name)] if y]
        return (min(known), max(known)) if known else (0, 9999)

    def close(a: str, b: str) -> bool:
        (a0, a1), (b0, b1) = years(a), years(b)
        return a0 <= b1 + YEARS_APART and b0 <= a1 + YEARS_APART

    given = {name: parts(name)[0] for name in names}
    partners = {a: {b for b in names if b != a and given_names_match(given[a], given[b]) and close(a, b)} for a in names}
    parent = {name: name for name in names}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    # ambiguous: a name whose partners' given names differ ("Chris" ~ Christine and Christopher)
    # is merged with none of them
    ambiguous = {
        a
        for a in names
        if len({given[b] for b in partners[a]} - {given[a]}) > 1
        and not all(given_names_match(given[x], given[y]) for x in partners[a] for y in partners[a])
    }
    for a in names:
        for b in partners[a]:
            if a not in ambiguous and b not in ambiguous:
                parent[find(a)] = find(b)
    clusters: dict[str, set[str]] = defaultdict(set)
    for name in names:
        clusters[find(name)].add(name)
    return [c for c in clusters.values() if len(c) > 1]


def year(date: str | None) -> int:
    return int(date[:4]) if date and date[:4].isdigit() else 0
