"""Whole-graph checks of the facts issue 16 names, counted over a built graph (the England one).

    python bench/england_checks.py build/england/ofsted-kg.ttl [--examples N]
    make england-checks                      (builds build/england/ first when it is missing)

Counts, each with up to N examples:
1. SIF recommendations that do not read as recommendations: neither an instruction (the
   first word, after leading adverbs such as "Urgently" and an opening clause ending in a
   comma such as "When children go missing,", is a verb in its base form, per lemminflect's
   English lexicon, and the word after it is not a finite verb, so "Case files demonstrate"
   is no instruction) nor a sentence with "should", "must" or "need(s) to".
2. People named from non-name words: a person whose name has a word that is a word of the
   ontology's labels for posts and grades (roles, team roles, grades: "Director", "Good",
   "Executive", "Council"), a function word ("The", "Of"), or whose given name is a common
   English word that no given-name list knows (lemminflect's lexicon against the `nicknames`
   dataset's given names: "Summary", "Corporate").
3. Pairs of person nodes that are variants of one name: the same surname and the same or a
   nickname-related given name once case and diacritics are set aside (name_variants.py's
   rule, without its conditions on roles and years: every such pair counts).
4. Recommendations or findings that run on into the closing boilerplate ("Any complaints
   about the inspection", the grade descriptors "An outstanding LSCB is ...").
Exit code 0; 2 when the graph cannot be read.
"""

from __future__ import annotations

import argparse
import re
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OKG = "https://w3id.org/ofsted-kg/def#"
FOAF = "http://xmlns.com/foaf/0.1/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

OBLIGATION = re.compile(r"\b(?:should|must|needs?\s+to)\b", re.I)
#: an opening phrase before the instruction: "When children go missing, ensure ...", "Working
#: through the board, ensure ...", "Prior to cases being closed, ensure ..."
OPENING_CLAUSE = re.compile(r"^(?:and\s+)?(?:When|Where|Until|If|With|In|For|As|To|Through|Alongside|Together\s+with|Prior|Before"
                            r"|After|Once|Following|Having|[A-Za-z][a-z]+ing)\b[^,]{0,160},\s*")
FINITE = {"is", "are", "was", "were", "has", "have", "had", "will", "can", "does", "do"}
FUNCTION_WORDS = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "is", "are", "this", "that", "its"}
BOILERPLATE = re.compile(r"Any complaints about the inspection|An outstanding LSCB is|What the inspection judge?ments mean"
                         r"|A good local authority leads effective services", re.I)


def lemmas(word: str) -> dict:
    from lemminflect import getAllLemmas

    return getAllLemmas(word.lower())


def is_instruction(text: str) -> bool:
    rest = OPENING_CLAUSE.sub("", OPENING_CLAUSE.sub("", text.strip()))
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", rest)
    while words and set(lemmas(words[0])) == {"ADV"}:  # "Urgently review ...", "Swiftly ..."
        words = words[1:]
    if not words:
        return False
    first = words[0].lower()
    verb = lemmas(first).get("VERB", ())
    if first not in verb:
        return False
    if len(words) < 2:
        return True
    if words[1].lower() in FINITE:
        return False
    if words[1].lower() in ("and", "or"):  # "Monitor and evaluate", "Review and strengthen"
        return True
    # a noun, then its verb: "Case files demonstrate", "Support workers provide" (the third word
    # a verb's base form that is no noun), not "Take steps to", "Review partners' approach"
    third = lemmas(words[2]) if len(words) > 2 else {}
    second = words[1].lower()
    return not ("NOUN" in lemmas(first) and second.endswith("s") and "NOUN" in lemmas(second)
                and words[2].lower() in third.get("VERB", ()) and "NOUN" not in third)


def reads_as_recommendation(text: str) -> bool:
    return is_instruction(text) or bool(OBLIGATION.search(text))


def label_words() -> set[str]:
    """Words of the ontology's labels for roles, team roles, grades and judgement areas."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(ROOT / "ontology" / "concepts.ttl")
    words = set()
    # the schemes of posts and grades: the words a post title or a grade lends a bad name
    # ("Director", "Executive", "Good"); judgement areas are left out, whose words ("young",
    # "care") are surnames too
    for scheme in ("role", "team-role", "grade", "legacy-grade"):
        query = f"""SELECT ?l WHERE {{ ?c <{SKOS}inScheme> <https://w3id.org/ofsted-kg/def/{scheme}> ;
                     <{SKOS}prefLabel>|<{SKOS}altLabel> ?l }}"""
        for (label,) in graph.query(query):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", str(label)) if len(w) > 2)
    return words


def given_names() -> set[str]:
    import nicknames

    namer = nicknames.NickNamer()
    return set(namer.canonical_lookup) | set(namer.nickname_lookup)


def non_name(name: str, labels: set[str], given: set[str]) -> str | None:
    """Why a person's name is made of non-name words, or None."""
    words = name.split()
    for w in words:
        if w.lower() in FUNCTION_WORDS:
            return f"function word {w!r}"
        if w.lower() in labels:
            return f"label word {w!r}"
    first = words[0].lower()
    if first not in given and lemmas(first) and re.fullmatch(r"[a-z]+", first):
        return f"given name {words[0]!r} is an English word no given-name list knows"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path)
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args(argv)
    import pyoxigraph

    store = pyoxigraph.Store()
    try:
        with args.graph.open("rb") as f:
            store.bulk_load(f, pyoxigraph.RdfFormat.TURTLE)
    except (OSError, SyntaxError, ValueError) as error:
        print(f"error: {args.graph}: cannot be read ({error})", file=sys.stderr)
        return 2

    def rows(query: str):
        return [[t.value for t in row] for row in store.query(query)]

    sif = rows(f"""SELECT ?r ?text WHERE {{ ?r a <{OKG}Recommendation> ; <{OKG}text> ?text ; <{OKG}inspection> ?i .
        ?i <{OKG}inspectionKind> ?k . FILTER(CONTAINS(STR(?k), "inspection-kind/sif")) }}""")
    bad = [(r, t) for r, t in sif if not reads_as_recommendation(t)]
    print(f"1. SIF recommendations: {len(sif)}; not reading as a recommendation: {len(bad)}")
    for r, t in bad[: args.examples]:
        print(f"     {r}: {t[:110]!r}")

    people = rows(f"SELECT ?p ?name WHERE {{ ?p a <{FOAF}Person> ; <{FOAF}name> ?name }}")
    labels, given = label_words(), given_names()
    wrong = [(p, n, why) for p, n in people if (why := non_name(n, labels, given))]
    print(f"2. people: {len(people)}; named from non-name words: {len(wrong)}")
    for p, n, why in wrong[: args.examples]:
        print(f"     {n!r} ({why})")

    sys.path.insert(0, str(ROOT.parent))
    from ofsted_kg.graph.resolve.name_variants import given_names_match, parts

    by_surname: dict[str, list[str]] = {}
    for _, name in people:
        by_surname.setdefault(parts(name)[1], []).append(name)
    pairs = [(a, b) for names in by_surname.values() for a, b in combinations(sorted(set(names)), 2)
             if given_names_match(parts(a)[0], parts(b)[0])]
    print(f"3. pairs of person nodes that are variants of one name: {len(pairs)}")
    for a, b in pairs[: args.examples]:
        print(f"     {a!r} ~ {b!r}")

    texts = rows(f"""SELECT ?n ?text WHERE {{ VALUES ?c {{ <{OKG}Recommendation> <{OKG}Finding> }}
        ?n a ?c ; <{OKG}text> ?text }}""")
    runs = [(n, t) for n, t in texts if BOILERPLATE.search(t)]
    print(f"4. recommendations and findings: {len(texts)}; running on into boilerplate: {len(runs)}")
    for n, t in runs[: args.examples]:
        print(f"     {n}: ...{t[BOILERPLATE.search(t).start() - 60 :][:120]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
