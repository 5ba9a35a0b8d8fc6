"""Every council of la_lookup.csv, under every form of its name a document may print.

The variants are generated from each row's own name, so a council the corpus lacks (the
corpus is a deliberate subset) is checked as much as one it has.
"""

from __future__ import annotations

import csv
import re

import pytest

from ofsted_kg.graph.model.user_errors import DocumentError
from ofsted_kg.graph.reference.councils import LOOKUP, CouncilIndex, UnknownCouncil, read_councils

with LOOKUP.open(encoding="utf-8-sig", newline="") as _handle:
    ROWS = [row["local_authority_ons_name"].strip() for row in csv.DictReader(_handle)]


def plain(name: str) -> str:
    """The name without "City of", ONS's inverted one too ("Bristol, City of" -> "Bristol",
    "City of London" -> "London"), for the variants to dress it again."""
    return re.sub(r"^City of |,\s*City of$", "", name)


def swap_and(name: str) -> str:
    return name.replace(" and ", " & ") if " and " in name else name.replace(" & ", " and ")


VARIANTS = {
    "as in the lookup": lambda n: n,
    "& for and": lambda n: swap_and(plain(n)),
    "City of X": lambda n: f"City of {plain(n)}",
    "X, City of": lambda n: f"{plain(n)}, City of",
    "X Council": lambda n: f"{plain(n)} Council",
    "X City Council": lambda n: f"{plain(n)} City Council",
    "Royal Borough of X": lambda n: f"Royal Borough of {plain(n)}",
    "London Borough of X": lambda n: f"London Borough of {plain(n)}",
    "X County Council": lambda n: f"{plain(n)} County Council",
    "X Metropolitan Borough": lambda n: f"{plain(n)} Metropolitan Borough",
    "X Metropolitan Borough Council": lambda n: f"{plain(n)} Metropolitan Borough Council",
    "X Borough Council": lambda n: f"{plain(n)} Borough Council",
    "hyphens as spaces": lambda n: plain(n).replace("-", " "),
    "spaces as hyphens": lambda n: plain(n).replace(" ", "-"),
    "St. as St": lambda n: plain(n).replace("St. ", "St "),
    "upper case": lambda n: plain(n).upper(),
    "lower case": lambda n: plain(n).lower(),
    "the London Borough of X & Y Council": lambda n: f"the London Borough of {swap_and(plain(n))} Council",
}


@pytest.fixture(scope="module")
def index() -> CouncilIndex:
    return read_councils()


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", ROWS)
def test_every_row_resolves_under_every_variant(index, name, variant):
    printed = VARIANTS[variant](name)
    matches = index.matches(printed)
    assert [c.name for c in matches] == [name], f"{printed!r} matched {[c.name for c in matches]}"
    assert index.identify(printed).name == name


@pytest.mark.parametrize("printed, name", [
    ("the Isle of Wight", "Isle of Wight"),
    ("Council of the Isles of Scilly", "Isles of Scilly"),
    ("County Durham", "Durham"),
    ("Durham County Council", "Durham"),
    ("City of Bradford Metropolitan District Council", "Bradford"),
    ("Wakefield District Metropolitan Council", "Wakefield"),
    ("Kingston upon Hull City Council", "Kingston Upon Hull, City of"),
    ("Hull", "Kingston Upon Hull, City of"),
    ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
    ("Brighton & Hove City Council", "Brighton and Hove"),
    ("Bournemouth, Christchurch and Poole Council", "Bournemouth, Christchurch and Poole"),
    ("BCP Council", "Bournemouth, Christchurch and Poole"),
    ("Poole", "Poole"),
    ("Newcastle", "Newcastle upon Tyne"),
    ("City of London Corporation", "City of London"),
    ("St Helens Council", "St. Helens"),
    ("Leeds City Council", "Leeds"),
    ("Telford & Wrekin Council", "Telford and Wrekin"),
    ("Bedford Borough Council", "Bedford Borough"),
    ("Bedford", "Bedford Borough"),
])
def test_forms_reports_print(index, printed, name):
    assert index.identify(printed).name == name


@pytest.mark.parametrize("printed", ["Kingston", "North", "Kingston upon"])
def test_a_name_matching_two_rows_is_an_error_that_says_so(index, printed):
    assert len(index.matches(printed)) >= 2
    assert index.resolve(printed) is None
    with pytest.raises(UnknownCouncil, match=r"matches \d+ rows of la_lookup.csv: .*Kingston|matches \d+ rows"):
        index.identify(printed)


def test_an_unknown_name_says_the_lookup_does_not_know_it(index):
    with pytest.raises(UnknownCouncil, match="la_lookup.csv does not know"):
        index.identify("Gotham City Council")


def test_a_lookup_where_two_rows_share_a_name_is_refused(tmp_path):
    with LOOKUP.open(encoding="utf-8-sig", newline="") as handle:
        lines = handle.read().splitlines()
    york = next(line for line in lines if ",York," in line)
    table = tmp_path / "la_lookup.csv"
    # a second row for York under another URN and codes: "City of York" would mean either
    table.write_text("\n".join([*lines, york.replace("80", "99", 1).replace("816", "999").replace("E06000014", "E06999999")])
                     + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"line \d+: the name 'York' is also the name of line \d+"):
        read_councils(table)


@pytest.mark.parametrize("printed", ["Brighton & Hove", "St. Helens", "Bath and North East\nSomerset",
                                     "Telford & Wrekin", "Kingston upon Hull, City of", "Stoke-on-Trent"])
def test_a_letter_names_any_council_in_its_opening(index, printed):
    """Monitoring and focused visit letters open "This letter summarises the findings of the
    monitoring visit to X children's services on ...": X in any form a council's name takes."""
    from ofsted_kg.graph.parsers.letter import OPENING

    text = (f"This letter summarises the findings of the monitoring visit to {printed} children\u2019s services "
            "on 3 and 4 May 2022. This was the second monitoring visit")
    m = OPENING.search(text)
    assert m is not None and index.identify(m["council"]) == index.identify(printed.replace("\n", " "))


@pytest.mark.parametrize("printed", ["Brighton & Hove", "St. Helens", "Telford & Wrekin"])
def test_a_report_names_any_council_in_its_overall_sentence(printed):
    from ofsted_kg.graph.parsers.report import council_name

    assert council_name(f"Children's services in {printed} require improvement to be good") == printed
