"""A length-aware calibration, tried against the shipped one (not in the package).

    python benchmarks/length_calibration.py

Long organic texts are the corpus's commonest false positives. This script asks whether a
calibration that knows a text's length would do better: besides the log-odds, its own offset
and slope for texts of more than 150 and more than 400 words (split on white space). Both maps
are logistic regressions on the training split's out-of-fold scores of the default
configuration (``TrainedModel.cv_scores``, as log-odds), compared by 5-fold cross-validated
Brier score there; each is then fitted on all of them, its threshold chosen by maximum F1 on
its out-of-fold scores, and measured on the held-out split (at the corpus's share) and on the
real web pages and organic texts of ``../shared/corpora`` (at the default prior; read for
measurement only, skipped when absent). Results are printed and written between the
length-calibration markers of benchmarks/README.md.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
from readme_section import publish  # beside this script, which Python puts on sys.path
from real_sets import RealSets, measure
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import Predictor, TrainConfig, train  # noqa: E402
from classifier.modeling.metrics import choose_threshold, summarize  # noqa: E402
from classifier.modeling.model import adjust_for_prior  # noqa: E402
from classifier.workflows.corpus import load_corpus  # noqa: E402
from classifier.workflows.default_model import DEFAULT_PRIOR, corpus_config  # noqa: E402

#: Word counts above which a text gets its own offset and slope.
LONG, VERY_LONG = 150, 400


def _columns(log_odds: np.ndarray, words: np.ndarray, length_aware: bool) -> np.ndarray:
    if not length_aware:
        return log_odds[:, None]
    long, very = (words > LONG).astype(float), (words > VERY_LONG).astype(float)
    return np.c_[log_odds, long, very, log_odds * long, log_odds * very]


def _log_odds(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def _words(texts: list[str]) -> np.ndarray:
    return np.array([len(t.split()) for t in texts])


def main() -> None:
    training, heldout = load_corpus("train"), load_corpus("heldout")
    trained = train(training, corpus_config(TrainConfig()))
    model = trained.model
    y = np.asarray(training.labels)
    oof, words = _log_odds(trained.cv_scores), _words(list(training.texts))
    held_texts = list(heldout.texts)
    held_y = np.asarray(heldout.labels)
    held = _log_odds(model.probability(model.decision(held_texts)))
    held_words = _words(held_texts)
    real = RealSets()
    real_texts = real.texts()
    real_scores = _log_odds(model.probability(model.decision(real_texts))) if real_texts else None
    real_words = _words(real_texts)
    judged = ~np.isnan(Predictor(model, trained.card).score_many(real_texts)) if real_texts else None
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    rows = []
    for name, aware in (("shipped (log-odds only)", False), ("length-aware", True)):
        columns = _columns(oof, words, aware)
        out_of_fold = cross_val_predict(
            LogisticRegression(C=1e6, max_iter=2000), columns, y, cv=folds, method="predict_proba"
        )[:, 1]
        threshold = choose_threshold(y, out_of_fold, None)
        fitted = LogisticRegression(C=1e6, max_iter=2000).fit(columns, y)
        scores = fitted.predict_proba(_columns(held, held_words, aware))[:, 1]
        figures = summarize(held_y, scores, threshold)
        long_organic = (held_words > LONG) & (held_y == 0)
        row = [
            name,
            f"{np.mean((out_of_fold - y) ** 2):.4f}",
            f"{figures.macro_f1:.3f}",
            f"{np.mean(scores[long_organic] >= threshold):.1%} of {int(long_organic.sum())}",
        ]
        if real_scores is not None:
            probability = fitted.predict_proba(_columns(real_scores, real_words, aware))[:, 1]
            # as the predictor does: scores adjusted to the prior, the threshold kept, unjudged texts NaN
            adjusted = adjust_for_prior(probability, float(y.mean()), DEFAULT_PRIOR)
            m = measure(real, np.where(judged, adjusted, np.nan), threshold)
            row += [
                f"{m['web_text_evidence']['macro_f1']:.3f}" if "web_text_evidence" in m else "n/a",
                f"{m['social']['false_positive_rate']:.1%}" if "social" in m else "n/a",
            ]
        else:
            row += ["n/a", "n/a"]
        rows.append(row)
    lines = [
        f"Measured {date.today()}: the default configuration trained on the training split "
        f"({len(y):,} posts); held-out split {len(held_y):,} posts at the corpus's share; real sets at "
        f"the default prior {DEFAULT_PRIOR}. Command: `python benchmarks/length_calibration.py`.",
        "",
        "| calibration | cross-validated Brier | held-out macro-F1 | held-out organic texts over "
        f"{LONG} words flagged | real web macro-F1 (text shows purpose) | real organic social flagged |",
        "|---|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    publish("length_calibration", "\n".join(lines))


if __name__ == "__main__":
    main()
