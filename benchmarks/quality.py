"""Quality side by side: five promotional-post models, one run, the same data.

Every model learns from the training split of the bundled corpus
(``load_corpus("train")``) and is measured on its held-out split
(``load_corpus("heldout")``), which none of them sees while training, and on real
Hebrew Facebook comments (``../shared/corpora/hebrew-fb-comments/comments.csv``
beside the repository; nearly all organic, read for evaluation only, never trained on).

The models:

(a) keyword rules: weighted hand-written Hebrew cues (``benchmarks/keyword_baseline.py``),
    score ``1 - exp(-summed weight)``; only the threshold is learnt (max F1 on the
    training split);
(b) word TF-IDF (the project's tokens, uni- and bigrams) + logistic regression;
(c) character TF-IDF (``char_wb`` 2-5) + logistic regression;
(d) ours: :func:`classifier.train` with the default :class:`classifier.TrainConfig`;
(e) fastText supervised (optional: ``pip install fasttext-wheel``).

(b), (c) and (e) pick their threshold as (d) does: max F1 over 5-fold cross-validated
out-of-fold scores of the training split (stratified, seed 0), then fit on all of it.
All models see raw text and normalise it themselves with :func:`classifier.text.normalize.normalize`.

For each model: macro-F1, ROC-AUC and expected calibration error on the held-out
split (:func:`classifier.modeling.metrics.summarize`); the share of Facebook comments scored
at or above the model's threshold (its false-positive rate on real organic text, an
upper bound: a handful of the comments are real page-promotion spam);
training wall time, including threshold selection; scoring throughput, single
process, best of three runs over the held-out texts plus the comments (repeated to
at least 5,000 texts without the comments); and the size of the saved model (joblib
file, or fastText's ``.bin``).

Below the table, a paragraph generated from the figures names the winners and sets
ours against each other model with 95% paired-bootstrap intervals of the differences
(the same held-out posts, the same comments), so "beats" means beyond noise.

Run from the repository root; takes about two minutes on two cores::

    python benchmarks/quality.py                 # all five models, rewrites the README section
    python benchmarks/quality.py --no-fasttext   # leave fastText out
    python benchmarks/quality.py --skip-fb       # leave the Facebook comments out

The report goes to stdout and between ``<!-- quality:start -->`` and
``<!-- quality:end -->`` in ``benchmarks/README.md``; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib.metadata
import itertools
import os
import platform
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from keyword_baseline import KeywordRules  # beside this script, which Python puts on sys.path
from readme_section import write_section
from real_sets import RealSets, markdown, measure
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifier.core.config import TrainConfig
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.metrics import choose_threshold, summarize
from classifier.modeling.training import train
from classifier.prediction.predictor import Predictor
from classifier.text.normalize import normalize, normalize_many, tokenize
from classifier.workflows.corpus import load_corpus

REPO = Path(__file__).resolve().parent.parent
FB_COMMENTS = REPO.parent / "shared" / "corpora" / "hebrew-fb-comments" / "comments.csv"
README = REPO / "benchmarks" / "README.md"
START, END = "<!-- quality:start -->", "<!-- quality:end -->"
SEED = 0
FOLDS = 5
TIMING_RUNS = 3
MIN_TIMED_TEXTS = 5_000
FASTTEXT_PARAMS: dict[str, Any] = {
    "epoch": 25,
    "lr": 0.5,
    "wordNgrams": 2,
    "minn": 2,
    "maxn": 5,
    "dim": 50,
    # fastText's default of 2M hashing buckets makes a 405 MB model with no gain in
    # quality on a corpus this small; 200k buckets give 45 MB.
    "bucket": 200_000,
    "thread": 1,  # one thread makes training deterministic
    "seed": SEED,
    "verbose": 0,
}

#: Paired-bootstrap resamples behind the 95% intervals of the differences in the summary.
RESAMPLES = 2_000
#: The models by key, as the table and the summary name them.
MODELS: dict[str, str] = {
    "a": "keyword rules",
    "b": "word TF-IDF + LR",
    "c": "char TF-IDF + LR",
    "d": "ours",
    "e": "fastText",
}

Scorer = Callable[[Sequence[str]], np.ndarray]


@dataclass
class FittedModel:
    """A model trained on the training split, ready to score raw texts."""

    key: str
    score: Scorer
    threshold: float
    train_seconds: float
    size_mb: float


@dataclass(frozen=True)
class ResultRow:
    """One model's figures; None where not measured."""

    key: str
    macro_f1: float | None = None
    roc_auc: float | None = None
    ece: float | None = None
    fb_flagged: int | None = None
    fb_total: int | None = None
    real: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    threshold: float | None = None
    train_seconds: float | None = None
    posts_per_second: float | None = None
    size_mb: float | None = None
    skipped: str | None = None
    #: Labels predicted at the threshold, kept for the paired comparisons.
    heldout_flags: np.ndarray | None = field(default=None, repr=False, compare=False)
    fb_flags: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The model's name."""
        return MODELS[self.key]

    @property
    def fb_fp_rate(self) -> float | None:
        """Share of the Facebook comments flagged promotional."""
        if self.fb_flagged is None or not self.fb_total:
            return None
        return self.fb_flagged / self.fb_total


# --- The models ---------------------------------------------------------------------------


def _file_mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def _joblib_mb(obj: object, workdir: Path, name: str) -> float:
    """Size of ``obj`` pickled with joblib, uncompressed, as the project saves models."""
    path = workdir / f"{name}.joblib"
    joblib.dump(obj, path)
    return _file_mb(path)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fit_keyword_rules(posts: LabelledPosts, workdir: Path) -> FittedModel:
    """(a) Keyword rules: nothing to fit but the max-F1 threshold on the training split."""
    start = time.perf_counter()
    rules = KeywordRules()
    threshold = choose_threshold(posts.labels, rules.score(posts.texts))
    seconds = time.perf_counter() - start
    return FittedModel("a", rules.score, threshold, seconds, _joblib_mb(rules, workdir, "keywords"))


def _logistic_regression() -> LogisticRegression:
    return LogisticRegression(
        C=10.0, solver="liblinear", class_weight="balanced", random_state=SEED, max_iter=1000
    )


def _tfidf_pipeline(vectorizer: TfidfVectorizer) -> Pipeline:
    return Pipeline(
        [
            ("normalize", FunctionTransformer(normalize_many)),
            ("tfidf", vectorizer),
            ("classifier", _logistic_regression()),
        ]
    )


def _pipeline_scores(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    return np.asarray(pipeline.predict_proba(list(texts))[:, 1], dtype=float)


def _folds() -> StratifiedKFold:
    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)


def _fit_tfidf(key: str, vectorizer: TfidfVectorizer, posts: LabelledPosts, workdir: Path) -> FittedModel:
    """Threshold from cross-validated out-of-fold scores, then one fit on the whole split."""
    y = np.asarray(posts.labels, dtype=int)
    start = time.perf_counter()
    pipeline = _tfidf_pipeline(vectorizer)
    out_of_fold = cross_val_predict(pipeline, posts.texts, y, cv=_folds(), method="predict_proba")[:, 1]
    threshold = choose_threshold(y, out_of_fold)
    pipeline.fit(posts.texts, y)
    seconds = time.perf_counter() - start
    scorer = functools.partial(_pipeline_scores, pipeline)
    return FittedModel(key, scorer, threshold, seconds, _joblib_mb(pipeline, workdir, key))


def fit_word_tfidf(posts: LabelledPosts, workdir: Path) -> FittedModel:
    """(b) Word uni- and bigram TF-IDF on the project's tokens + logistic regression."""
    vectorizer = TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    return _fit_tfidf("b", vectorizer, posts, workdir)


def fit_char_tfidf(posts: LabelledPosts, workdir: Path) -> FittedModel:
    """(c) Character 2-5-gram TF-IDF within word boundaries + logistic regression."""
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=(2, 5),
        min_df=2,
        max_features=300_000,
        sublinear_tf=True,
        dtype=np.float32,
    )
    return _fit_tfidf("c", vectorizer, posts, workdir)


def fit_ours(posts: LabelledPosts, workdir: Path) -> FittedModel:
    """(d) The project's model, trained as ``promo train`` does, saved as the project saves it."""
    start = time.perf_counter()
    model = train(posts, TrainConfig())
    seconds = time.perf_counter() - start
    predictor = Predictor(model.model, model.card)
    path = workdir / "ours.npz"
    model.save(path)
    return FittedModel("d", predictor.score_many, predictor.threshold, seconds, _file_mb(path))


def _fasttext_line(text: str) -> str:
    # fastText reads one post per line, so line breaks inside a post become spaces.
    return " ".join(normalize(text).split())


class FastTextScorer:
    """Probability of ``__label__1`` from a fastText model, one text at a time.

    The list form of ``model.predict`` (``multilinePredict``) of fasttext-wheel 0.9.2
    returns wrong probabilities, and its one-text form fails under NumPy 2
    (``np.array(copy=False)``), so this calls the binding's one-line ``predict``.
    """

    def __init__(self, model: Any) -> None:
        self.model = model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of raw texts."""
        predict = self.model.f.predict
        scores = np.empty(len(texts), dtype=float)
        for i, text in enumerate(texts):
            labels = predict(_fasttext_line(text) + "\n", -1, 0.0, "replace")
            scores[i] = next((p for p, label in labels if label == "__label__1"), 0.0)
        # fastText adds 1e-5 to each probability before its log, so scores can reach 1.00001.
        return np.clip(scores, 0.0, 1.0)


def _train_fasttext(fasttext: Any, texts: Sequence[str], labels: Sequence[int], path: Path) -> FastTextScorer:
    with path.open("w", encoding="utf-8") as stream:
        for text, label in zip(texts, labels, strict=True):
            stream.write(f"__label__{label} {_fasttext_line(text)}\n")
    return FastTextScorer(fasttext.train_supervised(input=str(path), **FASTTEXT_PARAMS))


def fit_fasttext(fasttext: Any, posts: LabelledPosts, workdir: Path) -> FittedModel:
    """(e) fastText supervised on normalised text, threshold chosen as for (b) and (c)."""
    texts, y = posts.texts, np.asarray(posts.labels, dtype=int)
    start = time.perf_counter()
    out_of_fold = np.empty(len(texts), dtype=float)
    for fold, (fit_rows, test_rows) in enumerate(_folds().split(texts, y)):
        scorer = _train_fasttext(
            fasttext, [texts[i] for i in fit_rows], y[fit_rows].tolist(), workdir / f"fold{fold}.txt"
        )
        out_of_fold[test_rows] = scorer([texts[i] for i in test_rows])
    threshold = choose_threshold(y, out_of_fold)
    scorer = _train_fasttext(fasttext, texts, y.tolist(), workdir / "fasttext.txt")
    seconds = time.perf_counter() - start
    path = workdir / "fasttext.bin"
    scorer.model.save_model(str(path))
    return FittedModel("e", scorer, threshold, seconds, _file_mb(path))


def import_fasttext() -> Any | None:
    """The fasttext module, or None (with a message on stderr) when it is not installed."""
    try:
        import fasttext
    except ImportError:
        _log("fastText not installed (pip install fasttext-wheel); skipped")
        return None
    return fasttext


# --- Measuring ----------------------------------------------------------------------------


def read_fb_comments(path: Path) -> list[str] | None:
    """The non-empty ``text`` cells of the comments file, or None when it is absent."""
    if not path.is_file():
        _log(f"Facebook comments not found at {path}; the FB column will read n/a")
        return None
    with path.open(encoding="utf-8", newline="") as stream:
        return [row["text"] for row in csv.DictReader(stream) if row["text"].strip()]


def _timed_texts(texts: list[str]) -> list[str]:
    """The texts, repeated whole until there are at least :data:`MIN_TIMED_TEXTS`."""
    repeats = max(1, -(-MIN_TIMED_TEXTS // len(texts)))
    return list(itertools.chain.from_iterable(itertools.repeat(texts, repeats)))


def evaluate(
    model: FittedModel, heldout: LabelledPosts, fb_texts: list[str] | None, real: RealSets
) -> ResultRow:
    """Score the held-out posts, the comments and the real sets, timing the best of :data:`TIMING_RUNS` runs.

    A text that a model does not judge (ours: too little Hebrew, NaN) counts as organic with score 0.
    """
    fb = fb_texts or []
    timed = _timed_texts(heldout.texts + fb)
    best = float("inf")
    scores = np.empty(0)
    for _ in range(TIMING_RUNS):
        start = time.perf_counter()
        scores = np.nan_to_num(np.asarray(model.score(timed), dtype=float), nan=0.0)
        best = min(best, time.perf_counter() - start)
    real_figures = measure(real, np.asarray(model.score(real.texts()), dtype=float), model.threshold)
    held_scores = scores[: len(heldout)]
    fb_scores = scores[len(heldout) : len(heldout) + len(fb)]
    figures = summarize(heldout.labels, held_scores, model.threshold)
    held_flags = held_scores >= model.threshold
    fb_flags = fb_scores >= model.threshold if fb_texts is not None else None
    return ResultRow(
        key=model.key,
        macro_f1=figures.macro_f1,
        roc_auc=figures.roc_auc,
        ece=figures.ece,
        fb_flagged=None if fb_flags is None else int(fb_flags.sum()),
        fb_total=len(fb) if fb_texts is not None else None,
        real=real_figures,
        threshold=model.threshold,
        train_seconds=model.train_seconds,
        posts_per_second=len(timed) / best,
        size_mb=model.size_mb,
        heldout_flags=held_flags,
        fb_flags=fb_flags,
    )


# --- Reporting ----------------------------------------------------------------------------


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (AttributeError, OSError, ValueError):
        return None


def _fasttext_version() -> str | None:
    for distribution in ("fasttext-wheel", "fasttext", "fasttext-numpy2-wheel", "fasttext-numpy2"):
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def header(heldout: LabelledPosts, fb_texts: list[str] | None, with_fasttext: bool, load: float) -> str:
    """The line saying when, where, with what, on what and how the figures were measured."""
    ram = _ram_gib()
    versions = f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}"
    if with_fasttext:
        versions += f", fastText {_fasttext_version() or '(unknown version)'}"
    counts = heldout.counts()
    fb = (
        f"{len(fb_texts):,} Facebook comments (FB false positives: those scored at or above the "
        "model's threshold; a few are real spam, so this is an upper bound)"
        if fb_texts is not None
        else "no Facebook comments"
    )
    command = shlex.join(["python", "benchmarks/quality.py", *sys.argv[1:]])
    return (
        f"Measured {date.today().isoformat()} on {_cpu_name()} ({os.cpu_count()} cores"
        f"{f', {ram:.0f} GiB RAM' if ram else ''}; 1-minute load average {load:.1f} at the start), "
        f"{versions}. Corpus sha256 {heldout.sha256[:12]}; held-out split: {len(heldout)} posts "
        f"({counts['organic']} organic, "
        f"{counts['promotional']} promotional); {fb}. Command: `{command}`."
    )


def _cell(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def table(rows: Sequence[ResultRow]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| model | held-out macro-F1 | held-out ROC-AUC | ECE | real web macro-F1 (text shows purpose) "
        "| real web ROC-AUC (text / all) | real organic social flagged | FB false positives "
        "| threshold | train s | posts/s | size MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = f"({row.key}) {row.name}"
        if row.skipped:
            lines.append(f"| {name} | {row.skipped} |" + "  |" * 11)
            continue
        rate = row.fb_fp_rate
        fb = "n/a" if rate is None else f"{rate:.1%} ({row.fb_flagged})"
        real = row.real or {}
        text, web = real.get("web_text_evidence", {}), real.get("web", {})
        social = real.get("social", {}).get("false_positive_rate")
        lines.append(
            f"| {name} | {_cell(row.macro_f1, '.3f')} | {_cell(row.roc_auc, '.3f')} "
            f"| {_cell(row.ece, '.3f')} | {_cell(text.get('macro_f1'), '.3f')} "
            f"| {_cell(text.get('roc_auc'), '.3f')} / {_cell(web.get('roc_auc'), '.3f')} "
            f"| {_cell(social, '.1%')} | {fb} | {_cell(row.threshold, '.3f')} "
            f"| {_cell(row.train_seconds, '.1f')} | {_cell(row.posts_per_second, ',.0f')} "
            f"| {_cell(row.size_mb, '.1f')} |"
        )
    ours = next((r for r in rows if r.key == "d" and r.real), None)
    if ours is not None:
        lines += ["", "Ours on the real sets, per genre:", "", markdown([("ours", ours.real or {})])]
    return "\n".join(lines)


def _macro_f1_rows(y: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Macro-F1 of each row of a matrix of predicted labels against the same rows of labels."""
    per_class = []
    for positive in (True, False):
        truth, said = y == positive, flags == positive
        tp = (truth & said).sum(axis=1)
        wrong = (truth ^ said).sum(axis=1)
        per_class.append(np.where(2 * tp + wrong > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0))
    return np.asarray((per_class[0] + per_class[1]) / 2)


def macro_f1_gap(y: np.ndarray, ours: np.ndarray, other: np.ndarray) -> tuple[float, float, float]:
    """Macro-F1 of ``ours`` minus that of ``other`` (labels predicted for the same posts),
    with a 95% paired-bootstrap interval of :data:`RESAMPLES` resamples.

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0])
    >>> macro_f1_gap(y, y.astype(bool), y.astype(bool))
    (0.0, 0.0, 0.0)
    """
    labels = y.astype(bool)
    rows = np.random.default_rng(SEED).integers(0, len(y), size=(RESAMPLES, len(y)))
    whole = _macro_f1_rows(labels[None, :], ours[None, :]) - _macro_f1_rows(labels[None, :], other[None, :])
    gaps = _macro_f1_rows(labels[rows], ours[rows]) - _macro_f1_rows(labels[rows], other[rows])
    low, high = np.quantile(gaps, [0.025, 0.975])
    return float(whole[0]), float(low), float(high)


def flagged_gap(ours: np.ndarray, other: np.ndarray) -> tuple[float, float, float]:
    """Share flagged by ``ours`` minus share flagged by ``other`` (the same texts), with a
    95% paired-bootstrap interval; only the texts where the two disagree move it.
    """
    n = len(ours)
    only_ours, only_other = int((ours & ~other).sum()), int((other & ~ours).sum())
    counts = np.random.default_rng(SEED).multinomial(
        n, [only_ours / n, only_other / n, 1 - (only_ours + only_other) / n], size=RESAMPLES
    )
    low, high = np.quantile((counts[:, 0] - counts[:, 1]) / n, [0.025, 0.975])
    return (only_ours - only_other) / n, float(low), float(high)


def _side(gap: tuple[float, float, float], percent: bool = False) -> tuple[str, str]:
    """("above" | "level" | "below", the gap and its interval as text)."""
    # Adding 0.0 after rounding turns a negative zero into a positive one for display.
    point, low, high = (round(value, 3) + 0.0 for value in gap)
    text = (
        f"{point:+.1%}, 95% CI {low:+.1%} to {high:+.1%}"
        if percent
        else f"{point:+.3f}, 95% CI {low:+.3f} to {high:+.3f}"
    )
    return ("above" if low > 0 else "below" if high < 0 else "level"), text


def _listing(items: Sequence[str], conjunction: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def verdict(rows: Sequence[ResultRow], heldout: LabelledPosts) -> str:
    """A paragraph read off the figures: who wins, and how ours compares, with paired intervals."""
    measured = {r.key: r for r in rows if not r.skipped and r.heldout_flags is not None}
    if not measured:
        return "No model was measured."
    by_f1 = sorted(measured.values(), key=lambda r: -(r.macro_f1 or 0.0))
    sentences = [
        f"Highest held-out macro-F1: {by_f1[0].name} at {by_f1[0].macro_f1:.3f}"
        + (f", then {by_f1[1].name} at {by_f1[1].macro_f1:.3f}." if len(by_f1) > 1 else ".")
    ]
    with_fb = [r for r in measured.values() if r.fb_fp_rate is not None]
    with_fb.sort(key=lambda r: r.fb_fp_rate or 0.0)
    if with_fb:
        low = with_fb[0]
        sentences.append(
            f"Fewest Facebook comments flagged promotional: {low.name}, {low.fb_flagged:,} of "
            f"{low.fb_total:,} ({low.fb_fp_rate:.1%})"
            + (f", then {with_fb[1].name} at {with_fb[1].fb_fp_rate:.1%}." if len(with_fb) > 1 else ".")
        )
    calibrated = sorted(measured.values(), key=lambda r: r.ece if r.ece is not None else 1.0)
    sentences.append(f"Best calibrated (lowest ECE): {calibrated[0].name} at {calibrated[0].ece:.3f}.")
    ours = measured.get("d")
    if ours is None or ours.heldout_flags is None:
        return " ".join(sentences)
    y = np.asarray(heldout.labels, dtype=int)
    f1_side: dict[str, str] = {}
    phrases = []
    for key, other in measured.items():
        if key == "d" or other.heldout_flags is None:
            continue
        f1_side[key], text = _side(macro_f1_gap(y, ours.heldout_flags, other.heldout_flags))
        clause = {"above": "beats", "level": "is level with", "below": "trails"}[f1_side[key]]
        phrase = f"{clause} {other.name} on macro-F1 ({text})"
        if ours.fb_flags is not None and other.fb_flags is not None:
            fb_side, fb_text = _side(flagged_gap(ours.fb_flags, other.fb_flags), percent=True)
            fb_clause = {"above": "more", "level": "about as many", "below": "fewer"}[fb_side]
            phrase += f" and flags {fb_clause} Facebook comments ({fb_text})"
        phrases.append(phrase)
    sentences.append(
        f"Ours, against each other model on the same posts (paired bootstrap): {'; '.join(phrases)}."
    )
    beaten = [MODELS[k] for k in "abc" if f1_side.get(k) == "above"]
    unbeaten = [MODELS[k] for k in "abc" if k in f1_side and f1_side[k] != "above"]
    summary = []
    if beaten:
        summary.append(f"ours beats {_listing(beaten)} on held-out macro-F1")
    if unbeaten:
        summary.append(f"it does not beat {_listing(unbeaten, 'or')} beyond noise")
    if "e" in f1_side:
        relation = {"above": "beats", "level": "matches", "below": "falls short of"}[f1_side["e"]]
        summary.append(f"it {relation} fastText")
    else:
        summary.append("fastText was not measured, so there is no comparison with it")
    sentences.append(f"In short: {'; '.join(summary)}.")
    return " ".join(sentences)


def main() -> None:
    """Train the five models, measure them, print the report and write it to the README."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-fasttext", action="store_true", help="leave fastText out")
    parser.add_argument("--skip-fb", action="store_true", help="leave the Facebook comments out")
    args = parser.parse_args()

    load = os.getloadavg()[0]
    train_posts, heldout = load_corpus("train"), load_corpus("heldout")
    fb_texts = None if args.skip_fb else read_fb_comments(FB_COMMENTS)
    fasttext = None if args.no_fasttext else import_fasttext()
    real = RealSets()
    fitters: dict[str, Callable[[LabelledPosts, Path], FittedModel] | None] = {
        "a": fit_keyword_rules,
        "b": fit_word_tfidf,
        "c": fit_char_tfidf,
        "d": fit_ours,
        "e": functools.partial(fit_fasttext, fasttext) if fasttext else None,
    }
    rows: list[ResultRow] = []
    with tempfile.TemporaryDirectory() as folder:
        for key, fit in fitters.items():
            if fit is None:
                reason = "skipped (--no-fasttext)" if args.no_fasttext else "skipped (not installed)"
                rows.append(ResultRow(key=key, skipped=reason))
                continue
            _log(f"({key}) {MODELS[key]}: training on {len(train_posts)} posts")
            model = fit(train_posts, Path(folder))
            _log(f"({key}) {MODELS[key]}: trained in {model.train_seconds:.1f} s; scoring")
            rows.append(evaluate(model, heldout, fb_texts, real))

    report = "\n\n".join(
        [header(heldout, fb_texts, fasttext is not None, load), table(rows), verdict(rows, heldout)]
    )
    print(report)
    write_section("quality", report)
    _log(f"wrote the report to {README.relative_to(REPO)}")


if __name__ == "__main__":
    main()
