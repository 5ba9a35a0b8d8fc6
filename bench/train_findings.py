"""Train the statement classifier's models on the training part of the labelled set.

    python bench/train_findings.py [--corpus ../shared/corpus/reports] [--out graph/parsers/statement_model.json]
    make train-findings

Reads only the sentences of documents NOT held apart (tests/fixtures/findings/labels-*.yaml,
`held_apart_documents`), each as the loader's statement reader sees it (its words and section,
bench/findings.py), and fits with scikit-learn:
- polarity: a multinomial logistic regression over TF-IDF of words and word pairs, the
  section and the cue counts (statement_classifier.features), on the sentences the rules do
  not decide (not improvement items or judgement headings);
- themes: one logistic regression per theme with at least MIN_POSITIVES labelled sentences,
  consulted only for a sentence with no theme keyword (statement_classifier.themes).
The regularisation and the theme threshold are chosen by cross-validation grouped by document,
on the training part only; the chosen values and their cross-validated figures are printed.
The weights go to a JSON file the build applies in plain Python (statement_model.py), weights
under PRUNE dropped to keep it small. Deterministic: the same labels give the same file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from findings import ROOT, labelled, matched  # noqa: E402

PRUNE = 0.02  # weights smaller than this change no decision measurably; dropping them keeps the file small
MIN_POSITIVES = 3
MIN_PRECISION = 0.7  # of the themes the classifier gives, the share a labeller gave too (cross-validated)
OUT = ROOT / "graph" / "parsers" / "statement_model.json"
RULED = ("improve", "recommendation", "judgement")


def vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    # the settings statement_model.LinearModel reproduces
    return TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w\w+\b", ngram_range=(1, 2), sublinear_tf=True, min_df=2)


def export(vec, coef: np.ndarray, intercepts: np.ndarray, labels: list[str], threshold: float | None = None) -> dict:
    vocabulary = {term: int(column) for term, column in vec.vocabulary_.items()}
    weights = [{str(c): round(float(w), 4) for c, w in enumerate(row) if abs(w) >= PRUNE} for row in coef]
    used = {int(c) for row in weights for c in row}
    # only the terms some weight uses: renumber them densely
    keep = sorted(used)
    renumber = {old: new for new, old in enumerate(keep)}
    spec = {
        "vocabulary": {t: renumber[c] for t, c in sorted(vocabulary.items()) if c in renumber},
        "idf": [round(float(vec.idf_[c]), 5) for c in keep],
        "ngrams": 2,
        "labels": labels,
        "weights": [{str(renumber[int(c)]): w for c, w in row.items()} for row in weights],
        "intercepts": [round(float(b), 5) for b in intercepts],
    }
    if threshold is not None:
        spec["threshold"] = threshold
    return spec


def polarity_model(texts: list[str], labels: list[str], groups: list[str]) -> tuple[dict, str]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    best = None
    for c in (3.0, 10.0, 30.0, 100.0, 300.0):
        for weight in (None, "balanced"):
            guesses = [""] * len(texts)
            for train, test in GroupKFold(n_splits=5).split(texts, labels, groups):
                vec = vectorizer()
                x = vec.fit_transform([texts[i] for i in train])
                model = LogisticRegression(C=c, class_weight=weight, max_iter=2000).fit(x, [labels[i] for i in train])
                for i, guess in zip(test, model.predict(vec.transform([texts[i] for i in test])), strict=True):
                    guesses[i] = guess
            score = f1_score(labels, guesses, labels=["strength", "weakness"], average="macro")
            if best is None or score > best[0]:
                best = (score, c, weight)
    score, c, weight = best
    vec = vectorizer()
    x = vec.fit_transform(texts)
    model = LogisticRegression(C=c, class_weight=weight, max_iter=2000).fit(x, labels)
    note = f"polarity: C={c}, class_weight={weight}; cross-validated strength/weakness macro F1 {score:.3f} on {len(texts)} sentences"
    return export(vec, model.coef_, model.intercept_, [str(k) for k in model.classes_]), note


def themes_model(texts: list[str], themes: list[set[str]], groups: list[str], keywords: list[list[str]]) -> tuple[dict, str]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    names = sorted(t for t in {t for s in themes for t in s} if sum(t in s for s in themes) >= MIN_POSITIVES)
    y = np.array([[t in s for t in names] for s in themes], dtype=int)
    best = None
    for c in (3.0, 10.0, 30.0):
        decisions = np.zeros(y.shape)
        for train, test in GroupKFold(n_splits=5).split(texts, groups=groups):
            vec = vectorizer()
            x = vec.fit_transform([texts[i] for i in train])
            xt = vec.transform([texts[i] for i in test])
            for j in range(len(names)):
                if y[train, j].sum() == 0:
                    decisions[test, j] = -99
                    continue
                model = theme_regression(c).fit(x, y[train, j])
                decisions[test, j] = model.decision_function(xt)
        for threshold in (-4.0, -3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0):
            agree = total = right = predicted = 0
            for i, truth in enumerate(themes):
                # as statement_classifier.themes: keywords, else the model's best theme above the threshold
                best_theme = int(np.argmax(decisions[i]))
                found = set(keywords[i][:3]) or ({names[best_theme]} if decisions[i, best_theme] > threshold else set())
                right, predicted = right + len(truth & found), predicted + len(found)
                if truth:
                    total, agree = total + 1, agree + bool(truth & found)
            score, precision = agree / max(1, total), right / max(1, predicted)
            # the most agreement while at least MIN_PRECISION of the themes given are right: a
            # theme given on a guess would make recurring weaknesses out of nothing
            if precision >= MIN_PRECISION and (best is None or score > best[0]):
                best = (score, c, threshold, precision)
    assert best is not None, "no setting keeps theme precision at MIN_PRECISION"
    score, c, threshold, precision = best
    vec = vectorizer()
    x = vec.fit_transform(texts)
    coef, intercepts = [], []
    for j in range(len(names)):
        model = theme_regression(c).fit(x, y[:, j])
        coef.append(model.coef_[0])
        intercepts.append(model.intercept_[0])
    note = (
        f"themes: L1, C={c}, threshold {threshold}; cross-validated theme agreement {score:.3f}, "
        f"precision of the themes given {precision:.3f} ({len(names)} themes)"
    )
    return export(vec, np.array(coef), np.array(intercepts), names, threshold), note


def theme_regression(c: float):
    from sklearn.linear_model import LogisticRegression

    # L1: most weights exactly zero, so the stored model is small; liblinear is deterministic
    return LogisticRegression(C=c, l1_ratio=1.0, solver="liblinear", max_iter=3000)


def main(argv: list[str] | None = None) -> int:
    from ofsted_kg.graph.parsers import statement_classifier
    from ofsted_kg.graph.reference.vocabulary import load_vocabulary

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    vocab = load_vocabulary()
    training = [s for s in labelled() if not s["held"]]
    rows = [(s, statement) for s, statement in matched(training, args.corpus) if statement is not None]
    texts = [statement_classifier.features(st.text, st.section, vocab) for _, st in rows]
    groups = [s["document"] for s, _ in rows]
    free = [i for i, (_, st) in enumerate(rows) if st.section not in RULED]
    polarity, polarity_note = polarity_model([texts[i] for i in free], [rows[i][0]["polarity"] for i in free], [groups[i] for i in free])
    keywords = [statement_classifier.keyword_themes(st.text, vocab) for _, st in rows]
    themes, themes_note = themes_model(
        texts, [{f"theme/{t}" for t in s.get("themes") or ()} for s, _ in rows], groups, [[k for k in kw] for kw in keywords]
    )
    spec = {
        "trained_on": f"{len(rows)} labelled sentences of the training part ({len(set(groups))} documents); held-apart documents excluded",
        "notes": [polarity_note, themes_note],
        "models": {"polarity": polarity, "themes": themes},
    }
    args.out.write_text(json.dumps(spec, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(polarity_note)
    print(themes_note)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
