"""Statements (issue 12): the sentences of reports and letters, their sections, evidence,
polarity and themes, and the models' plain-Python scoring."""

from __future__ import annotations

import json
import math

import pytest

from ofsted_kg.graph.kinds.statement import read
from ofsted_kg.graph.parsers import statement_classifier, statement_model
from ofsted_kg.graph.parsers.sentences import SECTIONS, document_sentences

from ..conftest import seed

SIF_2015 = "children's services inspection - 12 august 2015"
ILACS_2019 = "children's services inspection - 18 march 2019"
LETTER_2021 = "003"


@pytest.fixture(scope="module")
def statements(text_of):
    return {name: read(text_of(name)) for name in (SIF_2015, ILACS_2019, LETTER_2021)}


def test_every_statement_quotes_its_document(text_of, statements):
    for name, found in statements.items():
        text = text_of(name).text
        assert found, name
        for statement in found:
            assert statement.section in SECTIONS
            for span in statement.evidence:
                assert text[span.start : span.end] == span.exact
            assert 1 <= len(statement.evidence) <= 3
            assert len(statement.themes) <= 3


def test_paragraph_48_of_2015_is_a_weakness(statements):
    poor = [s for s in statements[SIF_2015] if s.text == "Arrangements to safeguard privately fostered children are poor."]
    assert len(poor) == 1
    assert poor[0].polarity == "polarity/weakness" and "theme/private-fostering" in poor[0].themes


def test_a_sentence_broken_by_a_page_break_has_a_span_each_side(text_of, statements):
    # spans of one sentence part only where page furniture (running header, page number) was left out
    crossing = [s for s in statements[ILACS_2019] if len(s.evidence) > 1]
    assert crossing
    text = text_of(ILACS_2019).text
    for statement in crossing:
        for before, after in zip(statement.evidence, statement.evidence[1:]):
            furniture = text[before.end : after.start]
            assert furniture.strip() and "\f" in furniture
            assert statement.text.startswith(" ".join(before.exact.split())[:20])


def test_improvement_items_are_weaknesses_and_the_summary_is_read(statements):
    found = statements[ILACS_2019]
    improve = [s for s in found if s.section == "improve"]
    assert len(improve) >= 15  # the 2019 report's "What needs to improve" list, one sentence or two an item
    assert all(s.polarity == "polarity/weakness" for s in improve)
    assert any(s.text.startswith("Management oversight, direction and challenge") for s in improve)
    summary = [s for s in found if s.section == "summary"]
    assert summary[0].text.startswith("Children are not being protected")
    judgement = [s for s in found if s.section == "judgement"]
    assert judgement and all(s.polarity == "polarity/weakness" for s in judgement)  # all inadequate


def test_letters_read_their_paragraphs_until_the_closing(text_of, statements):
    found = statements[LETTER_2021]
    assert {s.section for s in found} <= {"letter", "improve"}
    assert not any("Yours sincerely" in s.text or "copying this letter" in s.text for s in found)
    assert any(s.text.startswith("Most care leavers live in suitable accommodation") for s in found)


def test_no_statements_from_the_press(text_of):
    assert document_sentences(text_of("001")) == []


def test_rules_decide_improvement_items_and_judgement_headings(vocab):
    assert statement_classifier.polarity("The quality of assessments.", "improve", vocab) == "polarity/weakness"
    assert statement_classifier.polarity("Overall effectiveness is: good", "judgement", vocab) == "polarity/strength"
    heading = "The experiences and progress of children in care is: requires improvement to be good"
    assert statement_classifier.polarity(heading, "judgement", vocab) == "polarity/weakness"


def test_themes_keywords_first_at_most_three(vocab):
    text = "Supervision, case recording, private fostering and the virtual school are all weak."
    found = statement_classifier.themes(text, "summary", vocab)
    assert found[:3] == ("theme/supervision", "theme/case-recording", "theme/private-fostering")
    assert len(found) == 3


def test_linear_model_scores_as_tfidf_and_logistic_regression(tmp_path):
    # a hand-made model: two terms, one word pair; scores worked out by hand below
    spec = {
        "models": {
            "polarity": {
                "vocabulary": {"poor": 0, "good": 1, "not good": 2},
                "idf": [2.0, 1.0, 3.0],
                "labels": ["strength", "weakness"],
                "weights": [{"1": 2.0, "2": -1.0}, {"0": 1.5, "2": 2.0}],
                "intercepts": [0.1, -0.1],
            }
        }
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps(spec))
    model = statement_model.load(path)["polarity"]
    # "Not good, not GOOD at all": not(2) good(2) "not good"(2) -> sublinear tf 1+ln 2 for each
    tf = 1 + math.log(2)
    good, pair = tf * 1.0, tf * 3.0
    norm = math.hypot(good, pair)
    scores = model.scores("Not good, not GOOD at all")
    assert scores["strength"] == pytest.approx(0.1 + 2.0 * good / norm - 1.0 * pair / norm)
    assert scores["weakness"] == pytest.approx(-0.1 + 2.0 * pair / norm)
    assert model.scores("nothing known here") == {"strength": 0.1, "weakness": -0.1}


def test_linear_model_agrees_with_scikit_learn():
    sklearn = pytest.importorskip("sklearn")  # the `findings` extra: only training needs it
    assert sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["care is good", "care is poor", "not good at all", "good and timely", "poor and late", "late but good"]
    labels = ["strength", "weakness", "weakness", "strength", "weakness", "mixed"]
    vec = TfidfVectorizer(token_pattern=r"(?u)\b\w\w+\b", ngram_range=(1, 2), sublinear_tf=True)
    fitted = LogisticRegression(C=10).fit(vec.fit_transform(texts), labels)
    spec = {
        "vocabulary": {t: int(c) for t, c in vec.vocabulary_.items()},
        "idf": [float(v) for v in vec.idf_],
        "labels": [str(c) for c in fitted.classes_],
        "weights": [{str(c): float(w) for c, w in enumerate(row)} for row in fitted.coef_],
        "intercepts": [float(b) for b in fitted.intercept_],
    }
    ours = statement_model.LinearModel(spec)
    probe = ["good care is good", "poor but timely", "unknown words only"]
    theirs = fitted.decision_function(vec.transform(probe))
    for text, row in zip(probe, theirs, strict=True):
        scores = ours.scores(text)
        assert [scores[label] for label in spec["labels"]] == pytest.approx(list(row), abs=1e-9)


def test_the_committed_model_is_the_build_s(vocab):
    # the build applies the committed weights: a sentence the rules cannot decide gets the
    # model's answer, and the answer is one of the four polarities
    assert statement_model.load(), "graph/parsers/statement_model.json missing: run make train-findings"
    said = statement_classifier.polarity("Social workers know their children well.", "paragraph", vocab)
    assert said in {"polarity/strength", "polarity/weakness", "polarity/mixed", "polarity/neutral"}


def test_seed_report_has_statements_in_every_section_it_prints(text_of):
    sections = {s.section for s in document_sentences(text_of(SIF_2015))}
    assert {"summary", "paragraph", "recommendation", "judgement"} <= sections
    assert seed(SIF_2015).suffix == ".pdf"


WEAKNESS_STATEMENTS = """
    SELECT DISTINCT ?i ?t ?s WHERE {
      ?s a okg:Statement ; okg:polarity ?p ; okg:inspection ?i ; okg:theme ?t .
      VALUES ?p { polarity:weakness polarity:mixed }
    }"""


def test_a_weakness_raising_per_inspection_and_theme_derived_from_its_statements(select):
    # the raisings are the weakness and mixed statements counted once (issue 15): exactly one per
    # inspection and theme they are about, derived from each of them and from nothing else
    statements = {(str(i), str(t), str(s)) for i, t, s in select(WEAKNESS_STATEMENTS)}
    raisings = select("""SELECT ?r ?i ?t ?s WHERE {
        ?r a okg:WeaknessRaising ; okg:raisedIn ?i ; okg:raisedTheme ?t ; prov:wasDerivedFrom ?s }""")
    assert {(str(i), str(t), str(s)) for _, i, t, s in raisings} == statements
    pairs = {(i, t) for i, t, _ in statements}
    assert len({str(r) for r, *_ in raisings}) == len(pairs) > 50
    assert all(str(r) == f"{i}/weakness/{t.rsplit('/', 1)[1]}" for r, i, t, _ in raisings)


def test_a_weakness_raising_quotes_the_words_of_its_statements(select):
    quoted = select("""SELECT ?r ?e WHERE { ?r a okg:WeaknessRaising ; okg:evidence ?e }""")
    derived = select("""SELECT ?r ?e WHERE { ?r a okg:WeaknessRaising ; prov:wasDerivedFrom/okg:evidence ?e }""")
    assert quoted and {tuple(map(str, row)) for row in quoted} == {tuple(map(str, row)) for row in derived}
    # and each annotation names the raising as a body, as every fact's evidence does
    assert not select("""SELECT ?r WHERE { ?r a okg:WeaknessRaising ; okg:evidence ?e FILTER NOT EXISTS { ?e oa:hasBody ?r } }""")
