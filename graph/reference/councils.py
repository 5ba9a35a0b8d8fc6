"""English councils with children's services, from la_lookup.csv, and how texts name them.

The lookup (seeds/la_lookup.csv, from the data-to-insight ofsted-ilacs-scrape-tool) gives
each council's Ofsted URN, DfE LA code, ONS/GSS code and region. Reports name councils as
"Stoke-on-Trent City Council", "Inspection of Stoke-on-Trent local authority children's
services", "London Borough of Barnet"; the resolver strips those forms and matches the rest
against the ONS name and the lookup's other names.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..model.keys import slug
from ..model.user_errors import DocumentError, OfstedKGError
from .tables import table

LOOKUP = table("la_lookup.csv")
# How printed names dress a council's ONS name: "London Borough of X", "Royal Borough of X",
# "City of X", "County Durham", "X City Council", "X Metropolitan Borough Council",
# "Wakefield District Metropolitan Council", "City of London Corporation"; and ONS's own
# inverted "Bristol, City of".
PREFIXES = re.compile(
    r"^(?:the\s+)?(?:council\s+of\s+(?:the\s+)?)?"
    r"(?:(?:(?:london|royal|metropolitan)\s+borough|city\s+and\s+county|city|county|borough)\s+of\s+(?:the\s+)?"
    r"|county\s+(?!council\b|of\b))?"
)
SUFFIXES = re.compile(
    r"(?:\s+(?:metropolitan|borough|district|city|county|unitary))*"
    r"(?:\s+(?:council|authority|corporation|safeguarding children board|children's services))?$"
)
INVERTED = re.compile(r",\s*(?:the\s+)?(?:(?:london|royal)\s+borough|city|county|borough)\s+of$")


@dataclass(frozen=True)
class Council:
    slug: str
    name: str
    urn: str
    la_code: str
    gss_code: str
    region: str
    ons_type: str = ""  # "Unitary Authority", "Metropolitan District", "London Borough", "County"
    neighbours: tuple[str, ...] = ()  # GSS codes of its statistical neighbours, in DfE's order


# OpenDataCommunities' local-authority IRIs by ONS type (docs/domain.md in the shared folder)
ODC_TYPES = {
    "Unitary Authority": "unitary-authority",
    "Metropolitan District": "metropolitan-district-council",
    "London Borough": "london-borough-council",
    "County": "county-council",
}


def name_key(name: str) -> str:
    """What is left of a printed name once its dressing is off, as a slug: "Stoke on Trent City
    Council", "stoke-on-trent" and "Stoke-on-Trent" are all "stoke-on-trent"; "&" reads "and"."""
    name = re.sub(r"[\s-]+", " ", name.replace("\u2019", "'")).strip().lower()  # hyphens are spaces: slug() joins both
    name = SUFFIXES.sub("", PREFIXES.sub("", INVERTED.sub("", name)))
    return slug(name)


class UnknownCouncil(OfstedKGError):
    """A printed council name that is no row, or more than one row, of la_lookup.csv."""


class CouncilIndex:
    def __init__(self, councils: list[Council], aliases: dict[str, str]):
        self.by_slug = {c.slug: c for c in councils}
        self.by_gss = {c.gss_code: c for c in councils}
        self.aliases = aliases

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({c.name for c in self.by_slug.values()}, key=lambda n: (-len(n), n)))

    def matches(self, printed: str) -> list[Council]:
        """Every council a printed name could mean: the one whose name (or other name) it is,
        else those whose name it starts ("Newcastle" for Newcastle upon Tyne)."""
        key = name_key(printed)
        if not key:
            return []
        if key in self.aliases:
            return [self.by_slug[self.aliases[key]]]
        starting = {slug_ for alias, slug_ in self.aliases.items() if alias.startswith(key + "-")}
        return sorted((self.by_slug[s] for s in starting), key=lambda c: c.name)

    def resolve(self, printed: str) -> Council | None:
        """The one council a printed name means, or None when it means none or several."""
        found = self.matches(printed)
        return found[0] if len(found) == 1 else None

    def identify(self, printed: str) -> Council:
        """The one council a printed name means; UnknownCouncil says why there is not one."""
        found = self.matches(printed)
        if len(found) == 1:
            return found[0]
        if found:
            raise UnknownCouncil(
                f"the council {printed!r} matches {len(found)} rows of la_lookup.csv: " + ", ".join(c.name for c in found)
            )
        raise UnknownCouncil(f"names the council {printed!r}, which la_lookup.csv does not know")


def read_councils(path: Path = LOOKUP) -> CouncilIndex:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise DocumentError(path, f"cannot be read ({error.strerror})") from None
    councils: list[Council] = []
    aliases: dict[str, str] = {}  # name key -> council slug
    lines: dict[str, int] = {}  # name key -> the row that has it
    for number, row in enumerate(rows, start=2):
        try:
            name = row["local_authority_ons_name"].strip()
            council = Council(
                slug(name),
                name,
                row["urn"].strip(),
                row["la_code"].strip(),
                row["la_code_new"].strip(),
                row["region_name"].strip(),
                (row.get("ons_la_type") or "").strip(),
                tuple(c.strip() for c in (row.get("stat_neighbours_la_code") or "").split(",") if c.strip()),
            )
        except (KeyError, AttributeError):
            raise DocumentError(
                path, f"line {number}: missing a column (urn, la_code, la_code_new, local_authority_ons_name, region_name)"
            ) from None
        councils.append(council)
        # the ONS name whole ("Bristol, City of"); also_known_as is a list, "[BCP, Bournemouth, ...]"
        others = (row.get("also_known_as") or "").strip().strip("[]").split(", ") + [row.get("ofsted_ilacs_scrape_la_name") or ""]
        for part in (name, *(p.strip() for p in others)):
            if part and not part.isdigit():
                key = name_key(part)
                if lines.setdefault(key, number) != number:  # one name, two rows: any document naming it would be a guess
                    raise DocumentError(path, f"line {number}: the name {part!r} is also the name of line {lines[key]}")
                aliases[key] = council.slug
    return CouncilIndex(councils, aliases)
