"""The length-aware calibration against the plain sigmoid, both as the package trains them.

    python benchmarks/length_calibration.py

Long organic texts were the corpus's commonest false positives. Since the 2026-12-05 release
the default model's calibration is chosen among ``none``, ``sigmoid``, ``isotonic`` and
``length_sigmoid`` by cross-validated Brier score (``TrainConfig(calibration="auto")``);
``length_sigmoid`` gives texts of more than 150 and more than 400 words their own offset and
slope, never scoring a longer text above a shorter one at the same log-odds. This script trains
the default configuration on the training split twice, with ``calibration="sigmoid"`` and with
``calibration="length_sigmoid"``, and reports for each: the cross-validated Brier score (from
the card), held-out macro-F1 at the corpus's share, the held-out texts of more than 150 words
flagged (organic) and caught (promotional), and, when ``../shared/corpora`` is present, the real
web pages' macro-F1 and the real organic social texts flagged at the default prior (read for
measurement only; skipped when absent). Results are printed and written between the
length-calibration markers of benchmarks/README.md.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
from readme_section import publish  # beside this script, which Python puts on sys.path
from real_sets import RealSets, measure

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import Predictor, TrainConfig, train  # noqa: E402
from classifier.modeling.metrics import summarize  # noqa: E402
from classifier.modeling.training import LENGTH_EDGES  # noqa: E402
from classifier.text.passages import length_buckets  # noqa: E402
from classifier.workflows.corpus import load_corpus  # noqa: E402
from classifier.workflows.default_model import DEFAULT_PRIOR, at_corpus_share, corpus_config  # noqa: E402

LONG = LENGTH_EDGES[0]


def main() -> None:
    training, heldout = load_corpus("train"), load_corpus("heldout")
    held_texts, held_y = list(heldout.texts), np.asarray(heldout.labels)
    long = length_buckets(held_texts, (LONG,)) > 0
    real = RealSets()
    real_texts = real.texts()
    rows = []
    for method in ("sigmoid", "length_sigmoid"):
        trained = train(training, corpus_config(TrainConfig(calibration=method)))  # type: ignore[arg-type]
        model, card = trained.model, trained.card
        threshold = model.threshold
        scores = at_corpus_share(Predictor(model, card)).score_many(held_texts)
        figures = summarize(held_y, scores, threshold)
        flagged = scores >= threshold
        organic, promotional = long & (held_y == 0), long & (held_y == 1)
        row = [
            method,
            f"{card.calibration.cross_validated[method]['brier']:.4f}",
            f"{figures.macro_f1:.3f}",
            f"{flagged[organic].mean():.1%} of {int(organic.sum())}",
            f"{flagged[promotional].mean():.1%} of {int(promotional.sum())}",
        ]
        if real_texts:
            real_scores = Predictor(model, card, prior=DEFAULT_PRIOR).score_many(real_texts)
            m = measure(real, real_scores, threshold)
            row += [
                f"{m['web_text_evidence']['macro_f1']:.3f}" if "web_text_evidence" in m else "n/a",
                f"{m['social']['false_positive_rate']:.1%}" if "social" in m else "n/a",
            ]
        else:
            row += ["n/a", "n/a"]
        rows.append(row)
    lines = [
        f"Measured {date.today()}: the default configuration trained on the training split "
        f"({len(training.texts):,} posts) with each calibration; held-out split {len(held_y):,} posts at "
        f"the corpus's share; real sets at the default prior {DEFAULT_PRIOR}. "
        "Command: `python benchmarks/length_calibration.py`.",
        "",
        "| calibration | cross-validated Brier | held-out macro-F1 | held-out organic texts over "
        f"{LONG} words flagged | held-out promotional texts over {LONG} words caught | "
        "real web macro-F1 (text shows purpose) | real organic social flagged |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    publish("length_calibration", "\n".join(lines))


if __name__ == "__main__":
    main()
