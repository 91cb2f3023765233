"""Learning from corrections: does ``promo train --add`` fix what reviewers corrected, and at what cost?

    python benchmarks/corrections.py [FILE] [--weight 3]

FILE holds reviewers' corrections of one kind (default:
``benchmarks/data/corrections-comments.jsonl``: 200 short comments that speak to people in the
second person or as "we", written by the project and kept out of the corpus, all organic: the
kind the model tends to flag on real social text). The script measures:

- the default model: how many of the corrections it gets wrong;
- under 5-fold cross-validation over the corrections: a model trained on the corpus's training
  split plus four fifths of them (each counting ``--weight`` times) is asked about the fifth it
  did not see; how many it now gets right;
- the held-out split's macro-F1 of the default model and of a model trained with all the
  corrections.

Results go to stdout and between the corrections markers of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np
from readme_section import write_section  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import Predictor, TrainConfig, train  # noqa: E402
from classifier.corpus import load_corpus  # noqa: E402
from classifier.dataset import read_labelled  # noqa: E402
from classifier.metrics import summarize  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "data" / "corrections-comments.jsonl"


def _right(predictor: Predictor, texts: list[str], labels: np.ndarray) -> np.ndarray:
    scores = np.nan_to_num(predictor.score_many(texts), nan=0.0)
    return (scores >= predictor.threshold).astype(int) == labels


def main() -> None:
    parser = argparse.ArgumentParser(description="Learning from corrections.")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--weight", type=float, default=3.0)
    args = parser.parse_args()
    corrections = read_labelled([args.file])
    labels = np.asarray(corrections.labels)
    base, heldout = load_corpus("train"), load_corpus("heldout")
    old = Predictor.load()
    old_right = _right(old, corrections.texts, labels)
    rng = np.random.default_rng(0)
    fold_of = rng.permutation(len(corrections)) % 5
    now_right = np.zeros(len(corrections), dtype=bool)
    for fold in range(5):
        print(f"fold {fold + 1} of 5", file=sys.stderr, flush=True)
        learn = corrections.subset((fold_of != fold).tolist())
        model = train(base.plus(learn, args.weight), TrainConfig())
        test = fold_of == fold
        predictor = Predictor(model.model, model.card)
        now_right[test] = _right(
            predictor, [t for t, k in zip(corrections.texts, test, strict=True) if k], labels[test]
        )
    full = train(base.plus(corrections, args.weight), TrainConfig())
    new = Predictor(full.model, full.card)

    def heldout_f1(predictor: Predictor) -> float:
        scores = np.nan_to_num(predictor.score_many(heldout.texts), nan=0.0)
        return float(summarize(heldout.labels, scores, predictor.threshold)["macro_f1"])

    wrong_before = int((~old_right).sum())
    fixed = int((~old_right & now_right).sum())
    lines = [
        f"Measured {date.today()}: {len(corrections)} corrections from `{args.file.relative_to(REPO)}` "
        f"({corrections.counts()['organic']} organic, {corrections.counts()['promotional']} promotional), "
        f"weight {args.weight:g}. Command: `python benchmarks/corrections.py`.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| corrections the default model gets wrong | {wrong_before} of {len(corrections)} |",
        "| of those, right after learning from the other four fifths (5-fold CV) "
        f"| {fixed} of {wrong_before} "
        f"({fixed / max(wrong_before, 1):.0%}) |",
        f"| all corrections right under the same CV | {int(now_right.sum())} of {len(corrections)} |",
        f"| held-out macro-F1, default model | {heldout_f1(old):.3f} |",
        f"| held-out macro-F1, trained with all the corrections | {heldout_f1(new):.3f} |",
    ]
    text = "\n".join(lines)
    print(text)
    write_section("corrections", text)


if __name__ == "__main__":
    main()
