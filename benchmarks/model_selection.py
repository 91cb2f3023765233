"""Choose the classifier and its hyper-parameters by cross-validation on the corpus's training split.

Every candidate is scored by 5-fold cross-validation (stratified, seed 0) on the
training split of data/posts.csv only; the held-out split is never read here.
For each candidate: ROC-AUC of the out-of-fold decision values and macro-F1 at
the threshold that maximises F1 on them, and the wall time.

    python benchmarks/model_selection.py            # prints a Markdown table
    python benchmarks/model_selection.py --quick    # fewer candidates
"""

from __future__ import annotations

import argparse
import platform
import time
from dataclasses import replace
from datetime import date

import numpy as np
from readme_section import write_section  # beside this script, which Python puts on sys.path
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from classifier.config import TrainConfig
from classifier.corpus import load_corpus
from classifier.metrics import choose_threshold
from classifier.pipeline import build_pipeline


def _candidates(quick: bool) -> list[tuple[str, TrainConfig, object | None]]:
    # The starting point is the pipeline as first specified (C=10, char_wb 2-5, with the
    # structural-cue block); each candidate names every setting it changes from there.
    start = TrainConfig(C=10.0, char_ngrams=(2, 5), structural_cues=True)
    grid: list[tuple[str, TrainConfig, object | None]] = [
        (f"logreg C={c:g}, char 2-5, cues", replace(start, C=c), None)
        for c in ((3.0, 10.0, 30.0) if quick else (1.0, 3.0, 10.0, 30.0, 100.0))
    ]
    if quick:
        return grid
    settings = [
        (10.0, (1, 4), True, (1, 2), 2),
        (10.0, (3, 6), True, (1, 2), 2),
        (10.0, (2, 5), True, (1, 1), 2),
        (10.0, (2, 5), True, (1, 2), 1),
        (10.0, (2, 5), False, (1, 2), 2),
        (30.0, (1, 4), True, (1, 2), 2),
        (30.0, (1, 4), False, (1, 2), 2),
        (100.0, (1, 4), False, (1, 2), 2),
        (30.0, (1, 5), False, (1, 2), 2),
        (30.0, (2, 4), False, (1, 2), 2),
        (30.0, (1, 4), False, (1, 2), 1),
    ]
    for c, chars, cues, words, min_df in settings:
        name = (
            f"logreg C={c:g}, char {chars[0]}-{chars[1]}, {'cues' if cues else 'no cues'}"
            + (", words 1-1" if words == (1, 1) else "")
            + (f", min_df={min_df}" if min_df != 2 else "")
        )
        config = replace(
            start, C=c, char_ngrams=chars, structural_cues=cues, word_ngrams=words, min_df=min_df
        )
        grid.append((name, config, None))
    grid += [
        ("linear SVM C=1, char 2-5, cues", start, LinearSVC(C=1.0, class_weight="balanced", random_state=0)),
        (
            "SGD modified Huber, char 2-5, cues",
            start,
            SGDClassifier(loss="modified_huber", alpha=1e-5, class_weight="balanced", random_state=0),
        ),
    ]
    return grid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()
    posts = load_corpus("train")
    texts, y = posts.texts, np.asarray(posts.labels)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    lines = [
        f"Cross-validation (5 folds) on the training split ({len(texts)} posts), {date.today()}, "
        f"{platform.machine()}, Python {platform.python_version()}. "
        f"Command: `python benchmarks/model_selection.py{' --quick' if args.quick else ''}`.",
        "",
        "| candidate | ROC-AUC | macro-F1 | seconds |",
        "|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    for name, config, classifier in _candidates(args.quick):
        pipeline = build_pipeline(config, "none")
        if classifier is not None:
            pipeline.set_params(classifier=classifier)
        start = time.perf_counter()
        decision = cross_val_predict(pipeline, texts, y, cv=folds, method="decision_function")
        seconds = time.perf_counter() - start
        threshold = choose_threshold(y, decision)
        macro = f1_score(y, decision >= threshold, average="macro")
        lines.append(f"| {name} | {roc_auc_score(y, decision):.4f} | {macro:.4f} | {seconds:.0f} |")
        print(lines[-1], flush=True)
    if not args.no_write:
        write_section("selection", "\n".join(lines))


if __name__ == "__main__":
    main()
