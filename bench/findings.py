"""How well the statements' polarity and themes agree with careful reading (issue 12).

    python bench/findings.py [--corpus ../shared/corpus/reports] [--json FILE] [--part held|train] [--rules-only]
    make bench-findings

The labelled sentences (tests/fixtures/findings/labels-*.yaml, LABELS.md's schema) were
written by reading, one sentence at a time. Each file names its held-apart documents, about a
fifth, drawn before labelling: the classifier's rules and model were never tuned or trained
on their sentences, and the figures printed are theirs (`--part train` prints the training
part's, to see how far the two differ).

A labelled sentence is looked up end to end, as a user of the graph meets it: the document is
read by the loader's statement reader (kinds/statement.py, the build's own path), and the
statement that overlaps the labelled words most gives the predicted polarity and themes. A
sentence no statement overlaps counts as missed (predicted polarity "none", no themes).
Printed: precision, recall and F1 per polarity class and per theme, and theme agreement (of
the sentences with a labelled theme, the share with at least one labelled theme among the
predicted ones). Exit code 0; 2 when a labelled document is not in the corpus.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LABELS = sorted((ROOT / "tests" / "fixtures" / "findings").glob("labels-*.yaml"))
POLARITIES = ("strength", "weakness", "mixed", "neutral")


def labelled(files: list[Path] = LABELS) -> list[dict]:
    """Every labelled sentence, with `held` saying whether its document is held apart."""
    out = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        held = set(data.get("held_apart_documents") or ())
        for s in data["sentences"]:
            out.append({**s, "held": s["document"] in held, "file": path.name})
    return out


def matched(sentences: list[dict], corpus: Path) -> list[tuple[dict, object]]:
    """Each labelled sentence with the sentence the loader's statement reader reads there (the
    one overlapping its words most; None where none does)."""
    from ofsted_kg.graph.input.documents import read_document
    from ofsted_kg.graph.parsers.sentences import document_sentences

    by_document: dict[str, list[dict]] = {}
    for s in sentences:
        by_document.setdefault(s["document"], []).append(s)
    out = []
    for name, group in sorted(by_document.items()):
        path = corpus / name
        if not path.is_file():
            print(f"bench-findings: {path}: labelled document not in the corpus", file=sys.stderr)
            raise SystemExit(2)
        doc = read_document(path)
        read = document_sentences(doc)
        for s in group:
            start = doc.text.find(s["text"])
            end = start + len(s["text"])
            best, overlap = None, 0
            for sentence in read:
                covered = sum(max(0, min(end, sp.end) - max(start, sp.start)) for sp in sentence.spans)
                if covered > overlap:
                    best, overlap = sentence, covered
            out.append((s, best))
    return out


def predictions(sentences: list[dict], corpus: Path) -> list[tuple[dict, str, tuple[str, ...]]]:
    """Each labelled sentence with the polarity and themes the build gives the statement there."""
    from ofsted_kg.graph.parsers import statement_classifier
    from ofsted_kg.graph.reference.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    out = []
    for s, sentence in matched(sentences, corpus):
        if sentence is None:
            out.append((s, "none", ()))
            continue
        polarity = statement_classifier.polarity(sentence.text, sentence.section, vocab)
        themes = statement_classifier.themes(sentence.text, sentence.section, vocab)
        out.append((s, polarity.removeprefix("polarity/"), tuple(t.removeprefix("theme/") for t in themes)))
    return out


def scores(pairs: list[tuple[str, str]] | list[tuple[set, set]], classes: list[str], multi: bool = False) -> dict[str, dict]:
    table = {}
    for c in classes:
        if multi:
            tp = sum(1 for truth, guess in pairs if c in truth and c in guess)
            fp = sum(1 for truth, guess in pairs if c not in truth and c in guess)
            fn = sum(1 for truth, guess in pairs if c in truth and c not in guess)
        else:
            tp = sum(1 for truth, guess in pairs if truth == c and guess == c)
            fp = sum(1 for truth, guess in pairs if truth != c and guess == c)
            fn = sum(1 for truth, guess in pairs if truth == c and guess != c)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[c] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp + fn}
    return table


def measure(results: list[tuple[dict, str, tuple[str, ...]]]) -> dict:
    polarity = scores([(s["polarity"], guess) for s, guess, _ in results], list(POLARITIES))
    theme_pairs = [(set(s.get("themes") or ()), set(themes)) for s, _, themes in results]
    names = sorted({t for truth, guess in theme_pairs for t in truth | guess})
    themed = [(truth, guess) for truth, guess in theme_pairs if truth]
    agreement = sum(1 for truth, guess in themed if truth & guess) / len(themed) if themed else 0.0
    return {
        "sentences": len(results),
        "found": sum(1 for _, guess, _ in results if guess != "none"),
        "accuracy": round(sum(1 for s, guess, _ in results if s["polarity"] == guess) / max(1, len(results)), 3),
        "polarity": polarity,
        "themes": scores(theme_pairs, names, multi=True),
        "theme_agreement": round(agreement, 3),
        "themed_sentences": len(themed),
    }


def show(figures: dict, part: str) -> None:
    print(f"{part}: {figures['sentences']} labelled sentences, {figures['found']} found as statements; "
          f"polarity accuracy {figures['accuracy']}")
    print(f"{'polarity':<48} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for name, row in figures["polarity"].items():
        print(f"{name:<48} {row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f} {row['support']:>5}")
    print(f"{'theme':<48} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
    for name, row in sorted(figures["themes"].items(), key=lambda kv: -kv[1]["support"]):
        print(f"{name:<48} {row['precision']:>6.3f} {row['recall']:>6.3f} {row['f1']:>6.3f} {row['support']:>5}")
    print(f"theme agreement (>= 1 labelled theme among predicted): {figures['theme_agreement']} "
          f"over {figures['themed_sentences']} sentences with a labelled theme")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "reports")
    parser.add_argument("--part", choices=("held", "train"), default="held")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--rules-only", action="store_true", help="without the trained models: the rules alone, to compare")
    args = parser.parse_args(argv)
    if args.rules_only:
        from ofsted_kg.graph.parsers import statement_model

        statement_model.load = lambda *_: {}  # the classifier falls back on its cue rules and keywords
    sentences = [s for s in labelled() if s["held"] == (args.part == "held")]
    figures = measure(predictions(sentences, args.corpus))
    figures["part"] = args.part
    figures["method"] = "rules" if args.rules_only else "rules and trained models"
    figures["labels"] = [p.name for p in LABELS]
    show(figures, ("held-apart part" if args.part == "held" else "training part") + f", {figures['method']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"date": datetime.date.today().isoformat(), **figures}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
