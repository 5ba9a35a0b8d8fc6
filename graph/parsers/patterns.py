"""Text patterns shared by the parsers: names, inspector grades, numbers in words.

Only the shapes of prose live here; what the words mean (grades, areas, roles) comes from
the ontology's labels through the Vocabulary.
"""

from __future__ import annotations

import re

APOS = "['\u2019]"
#: a council's name as prose prints it, in any of its forms ("Brighton & Hove", "St. Helens",
#: "Kingston upon Hull, City of", a line break inside); councils.py decides which council it is
COUNCIL = r"[A-Z][\w'\u2019&.,\s-]{0,80}?"
#: a person's name as printed: two or three capitalised words, perhaps a middle initial, and a
#: line break between two of them in PDF text ("Kathryn Grindrod", "Cath McEvoy", "Máire
#: Atherton", "Paula Thomson-Jones", "Fiona J Millns", "Simon\nRushall")
UPPER, LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
WORD = rf"(?:[OD]['\u2019](?=[{UPPER}]))?[{UPPER}][{LOWER}]*(?:Mc|Mac)?[{UPPER}]?[{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
GAP = r"(?:[ ]+|[ ]*\n[ ]*)"
NAME = rf"{WORD}(?:{GAP}[{UPPER}]\.?)?(?:{GAP}{WORD}){{1,2}}"
#: the fewest words that make a name, so "Niki Clemo Interim Director" leaves "Interim" to the
#: role and "John Gregg Senior Her Majesty's Inspector" leaves "Senior" to the grade
NAME_SHORTEST = NAME.replace("{1,2}", "{1,2}?")
#: how an inspector's grade is printed after their name, bare or in brackets
#: ("Acting Senior HMI", "HMI (designate)", "(associate inspector)": the words as printed, in
#: either case, an acting post and a designate note belonging to the grade, never to the name)
INSPECTOR_GRADE = (
    rf"\(?\s*(?:Acting\s+)?(?:Senior\s+(?:Her|His)\s+Majesty{APOS}s\s+Inspector|(?:Her|His)\s+Majesty{APOS}s\s+Inspector(?:\s*\(HMI\))?"
    r"|Senior\s+HMI|SHMI|HMI|(?i:associate\s+inspector)|AI|(?i:ofsted\s+inspector)|OI|(?i:contracted\s+inspector)"
    r"|(?i:seconded\s+inspector)|(?i:additional\s+inspector)|(?i:(?:social\s+care\s+)?regulatory\s+inspector))"
    r"(?:\s*\(?designate\)?)?\s*\)?"
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
#: a count as printed: digits with thousands separators, a decimal, or a number word
COUNT = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"


def number_value(text: str) -> str:
    """'1,766' -> '1766', 'nine' -> '9', '110.6' -> '110.6'."""
    word = text.strip().lower()
    if word in NUMBER_WORDS:
        return str(NUMBER_WORDS[word])
    return word.replace(",", "")


def words(phrase: str) -> str:
    """A literal phrase as a regex that lets any white space (line breaks included) separate its words."""
    return r"\s+".join(re.escape(w).replace("'", APOS) for w in phrase.split())
