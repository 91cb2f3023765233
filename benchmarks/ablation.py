"""What each feature family and the long-text rule bring, on our held-out split and on real text.

    python benchmarks/ablation.py

Trains our model on the corpus's training split with the default settings, then once
more with each family taken away (the guideline cues, the prefix-stripped words, the
word block, the log-ratio scaling), with the character block added (off by default), with long texts judged
otherwise and with their sentences judged one by one; measures each on the
held-out split and on the real sets of ../shared/corpora (read when present, measurement
only). Results go to stdout and between the ablation markers of benchmarks/README.md.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
from passage_setting import min_passage_words  # beside this script, which Python puts on sys.path
from readme_section import write_section  # beside this script, which Python puts on sys.path
from real_sets import RealSets, measure

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from classifier import Predictor, TrainConfig, train  # noqa: E402
from classifier.modeling.metrics import summarize  # noqa: E402
from classifier.text.passages import MIN_PASSAGE_WORDS  # noqa: E402
from classifier.workflows.corpus import load_corpus  # noqa: E402

VARIANTS: dict[str, TrainConfig] = {
    "default": TrainConfig(),
    "without guideline cues": TrainConfig(cues=False),
    "without log-ratio scaling": TrainConfig(scaling="none"),
    "without prefix-stripped words": TrainConfig(strip_prefixes=False),
    "without word n-grams": TrainConfig(word_ngrams=(0, 0)),
    "with character 1-4-grams": TrainConfig(char_ngrams=(1, 4)),
    "long texts judged whole": TrainConfig(aggregation="whole"),
    "long texts judged by the best passage": TrainConfig(aggregation="max"),
}
#: Variants of the passages of long texts (``classifier.text.passages.MIN_PASSAGE_WORDS``).
PASSAGE_VARIANTS: dict[str, int] = {"sentences and lines not gathered into passages": 0}


def main() -> None:
    train_posts, heldout = load_corpus("train"), load_corpus("heldout")
    real = RealSets()
    texts = real.texts()
    lines = [
        f"Measured {date.today()} on the corpus's training split ({len(train_posts):,} posts) "
        "and held-out split "
        f"({len(heldout):,}); real sets as in benchmarks/real_sets.py. "
        "Command: `python benchmarks/ablation.py`.",
        "",
        "| variant | held-out macro-F1 | held-out ROC-AUC | real web macro-F1 (text) "
        "| real web ROC-AUC (text) "
        "| real web ROC-AUC (all) | real social flagged | FB flagged |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    runs = [(name, config, None) for name, config in VARIANTS.items()]
    runs += [(name, TrainConfig(), size) for name, size in PASSAGE_VARIANTS.items()]

    def cell(value: float | None, spec: str = ".3f") -> str:
        return "n/a" if value is None else format(value, spec)

    for name, config, size in runs:
        print(f"training: {name}", file=sys.stderr, flush=True)
        with min_passage_words(MIN_PASSAGE_WORDS if size is None else size):
            model = train(train_posts, config)
            predictor = Predictor(model.model, model.card)
            held = predictor.score_many(heldout.texts)
            held = np.nan_to_num(held, nan=0.0)
            figures = summarize(heldout.labels, held, predictor.threshold)
            m = measure(real, predictor.score_many(texts), predictor.threshold)
        lines.append(
            f"| {name} | {cell(figures.macro_f1)} | {cell(figures.roc_auc)} "
            f"| {cell(m.get('web_text_evidence', {}).get('macro_f1'))} "
            f"| {cell(m.get('web_text_evidence', {}).get('roc_auc'))} "
            f"| {cell(m.get('web', {}).get('roc_auc'))} "
            f"| {cell(m.get('social', {}).get('false_positive_rate'), '.1%')} "
            f"| {cell(m.get('fb', {}).get('false_positive_rate'), '.1%')} |"
        )
    text = "\n".join(lines)
    print(text)
    write_section("ablation", text)


if __name__ == "__main__":
    main()
