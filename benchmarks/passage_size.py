"""Choose how many words a passage of a long text holds at least, by cross-validation.

A long text without paragraphs is split into lines or sentences, which are gathered into
passages of at least ``MIN_PASSAGE_WORDS`` words (:mod:`classifier.text.passages`). This
script trains the default configuration on the corpus's training split once per candidate
size and reads the 5-fold cross-validated figures that training reports (out-of-fold
ROC-AUC, macro-F1 at the chosen threshold, Brier score); the held-out split and the real
sets are never read. The rule: the highest out-of-fold ROC-AUC to three decimals, ties broken
by the lower Brier score.

    python benchmarks/passage_size.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from passage_setting import min_passage_words  # beside this script, which Python puts on sys.path
from readme_section import publish  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import TrainConfig, train  # noqa: E402
from classifier.text.passages import MIN_PASSAGE_WORDS  # noqa: E402
from classifier.workflows.corpus import load_corpus  # noqa: E402

CANDIDATES = (0, 20, 40, 60, 80, 120)


def main() -> None:
    posts = load_corpus("train")
    rows = []
    for size in CANDIDATES:
        print(f"training with passages of at least {size} words", file=sys.stderr, flush=True)
        with min_passage_words(size):
            card = train(posts, TrainConfig()).card
        cv, rule = card.cv_metrics, card.aggregation_cross_validated
        long_texts = rule.texts_of_several_passages if rule else 0
        rows.append((size, cv.roc_auc, cv.macro_f1, cv.brier, long_texts))
    best = max(rows, key=lambda row: (round(row[1], 3), -row[3]))
    lines = [
        f"Measured {date.today()} on the corpus's training split ({len(posts):,} posts), 5-fold "
        "cross-validation as in training. Command: `python benchmarks/passage_size.py`.",
        "",
        "| passage of at least (words) | out-of-fold ROC-AUC | macro-F1 | Brier "
        "| texts of several passages |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size, auc, macro_f1, brier, long_texts in rows:
        lines.append(f"| {size} | {auc:.4f} | {macro_f1:.4f} | {brier:.4f} | {long_texts:,} |")
    lines += [
        "",
        f"Chosen: {best[0]} words (the highest ROC-AUC to three decimals, then the lowest Brier score); "
        f"the package ships `MIN_PASSAGE_WORDS = {MIN_PASSAGE_WORDS}`.",
    ]
    publish("passage_size", "\n".join(lines))


if __name__ == "__main__":
    main()
