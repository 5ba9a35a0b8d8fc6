"""The trained part of the statement classifier: linear models over a sentence's words.

`make train-findings` (bench/train_findings.py) fits them with scikit-learn on the training
part of the labelled set (tests/fixtures/findings/, never its held-apart documents) and writes
their weights to statement_model.json beside this module. Here they are applied in plain
Python, the way scikit-learn's TfidfVectorizer and LogisticRegression compute a decision, so
the build needs neither scikit-learn nor anything downloaded: the same tokens (runs of two or
more word characters, lower case), word pairs, sublinear term frequency times the stored
inverse document frequency, an L2-normalised vector, and per class a dot product plus the
intercept. tests/graph/test_statement_model.py checks the two agree.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

MODEL = Path(__file__).with_name("statement_model.json")
TOKEN = re.compile(r"(?u)\b\w\w+\b")


class LinearModel:
    """Weights fitted elsewhere: vocabulary (term -> column), idf, and per label a sparse weight row and intercept."""

    def __init__(self, spec: dict):
        self.vocabulary: dict[str, int] = spec["vocabulary"]
        self.idf: list[float] = spec["idf"]
        self.ngrams: int = spec.get("ngrams", 2)
        self.labels: list[str] = spec["labels"]
        self.weights: list[dict[int, float]] = [{int(k): v for k, v in row.items()} for row in spec["weights"]]
        self.intercepts: list[float] = spec["intercepts"]
        self.threshold: float = spec.get("threshold", 0.0)  # one-versus-rest: the decision value a label needs
        # each column's weights for every label: one lookup per word of a sentence, not one per word and label
        columns = {c for row in self.weights for c in row}
        self.columns: dict[int, tuple[float, ...]] = {c: tuple(row.get(c, 0.0) for row in self.weights) for c in columns}
        if len(self.intercepts) != len(self.weights) or len(self.labels) != len(self.weights):
            raise ValueError("a linear model needs one weight row and one intercept per label")

    def vector(self, text: str) -> dict[int, float]:
        words = TOKEN.findall(text.lower())
        counts: dict[int, int] = {}
        for n in range(1, self.ngrams + 1):
            for i in range(len(words) - n + 1):
                column = self.vocabulary.get(" ".join(words[i : i + n]))
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
        weighted = {c: (1 + math.log(k)) * self.idf[c] for c, k in counts.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        return {c: v / norm for c, v in weighted.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Each label's decision value (log-odds for one-versus-rest models)."""
        totals = list(self.intercepts)
        for c, v in self.vector(text).items():
            weights = self.columns.get(c)
            if weights is not None:
                totals = [t + v * w for t, w in zip(totals, weights, strict=False)]  # lengths checked in __init__
        return dict(zip(self.labels, totals, strict=True))


@lru_cache(maxsize=2)
def load(path: Path = MODEL) -> dict[str, LinearModel]:
    """The models by name ("polarity", "themes"); none when no model file has been trained."""
    if not path.is_file():
        return {}
    spec = json.loads(path.read_text(encoding="utf-8"))
    return {name: LinearModel(part) for name, part in spec["models"].items()}
