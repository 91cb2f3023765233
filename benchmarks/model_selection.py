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

from classifier.core.config import TrainConfig
from classifier.modeling.metrics import choose_threshold
from classifier.modeling.pipeline import build_pipeline
from classifier.workflows.corpus import load_corpus


def _candidates(quick: bool) -> list[tuple[str, TrainConfig, object | None]]:
    # The starting point is the defaults (C=30, words 1-2, prefix-stripped words, guideline cues,
    # log-ratio scaling, no characters); each candidate names the one setting it changes from there.
    start = TrainConfig()
    grid: list[tuple[str, TrainConfig, object | None]] = [
        (f"logreg C={c:g}", replace(start, C=c), None)
        for c in ((10.0, 30.0) if quick else (3.0, 10.0, 30.0, 100.0))
    ]
    if quick:
        return grid
    grid += [
        ("no log-ratio scaling", replace(start, scaling="none"), None),
        ("no log-ratio scaling, C=10", replace(start, scaling="none", C=10.0), None),
        ("characters 1-4", replace(start, char_ngrams=(1, 4)), None),
        ("characters 2-5", replace(start, char_ngrams=(2, 5)), None),
        ("words 1-1", replace(start, word_ngrams=(1, 1)), None),
        ("no prefix-stripped words", replace(start, strip_prefixes=False), None),
        ("no guideline cues", replace(start, cues=False), None),
        ("min_df=1", replace(start, min_df=1), None),
        ("2^18 buckets per block", replace(start, hash_bits=18), None),
        ("2^21 buckets per block", replace(start, hash_bits=21), None),
        ("linear SVM C=1", start, LinearSVC(C=1.0, class_weight="balanced", random_state=0)),
        (
            "SGD modified Huber",
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
        pipeline = build_pipeline(config)
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
