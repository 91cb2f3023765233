"""Evaluating a model on labelled posts: every figure, per kind, and the worst errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from classifier.core.config import Record
from classifier.core.labels import ORGANIC, PROMOTIONAL
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.metrics import ClassMetrics, DataSetMetrics, KindMetrics, summarize
from classifier.prediction.predictor import Predictor

N_ERRORS = 10
_EXCERPT = 120


@dataclass(frozen=True)
class ScoreDistribution:
    """How the scores of the posts of one label are spread.

    Parameters
    ----------
    n : int
        Posts of the label.
    mean : float or None
        None when there are none, as for the two fields below.
    min_q1_median_q3_max : tuple of float or None
        The quartiles, rounded to four decimals.
    histogram_10_bins : tuple of int or None
        Posts in ``[0, 0.1), [0.1, 0.2), ... [0.9, 1.0]``, the bins of the calibration error.

    Examples
    --------
    >>> ScoreDistribution(n=0).to_dict()
    {'n': 0}
    """

    n: int
    mean: float | None = None
    min_q1_median_q3_max: tuple[float, ...] | None = None
    histogram_10_bins: tuple[int, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures; only ``n`` when there are no posts."""
        if self.mean is None:
            return {"n": self.n}
        return {
            "n": self.n,
            "mean": self.mean,
            "min_q1_median_q3_max": list(self.min_q1_median_q3_max or ()),
            "histogram_10_bins": list(self.histogram_10_bins or ()),
        }


@dataclass(frozen=True)
class ConfidentError(Record):
    """A post the model got wrong with confidence: where it is, its score, kind and opening.

    Parameters
    ----------
    where : str
        ``id X`` when the posts have ids, else the file and line, else ``post N``.
    score : float
        The model's score, rounded to four decimals.
    kind : str
        The post's ``kind``, or empty.
    excerpt : str
        Its text on one line, cut at 120 characters.

    Examples
    --------
    >>> ConfidentError(where="id 7", score=0.97, kind="", excerpt="שבת שלום").to_dict()["where"]
    'id 7'
    """

    where: str
    score: float
    kind: str
    excerpt: str


@dataclass(frozen=True)
class EvaluationFigures:
    """Every figure of a model on labelled posts, JSON-ready with :meth:`to_dict`.

    Parameters
    ----------
    metrics : DataSetMetrics
        Overall (:func:`classifier.modeling.metrics.summarize`), per label and per kind.
    not_judged : int
        Posts the model gave no score (empty, or too little Hebrew), left out of every figure.
    score_distribution : mapping of str to ScoreDistribution
        By label name.
    false_positives, false_negatives : tuple of ConfidentError
        The most confident errors each way, at most :data:`N_ERRORS`.
    """

    metrics: DataSetMetrics
    not_judged: int
    score_distribution: Mapping[str, ScoreDistribution]
    false_positives: tuple[ConfidentError, ...]
    false_negatives: tuple[ConfidentError, ...]

    def to_dict(self) -> dict[str, Any]:
        """The figures as ``promo evaluate --format json`` prints them.

        Keys: ``n``, ``not_judged``, ``overall``, ``per_class``, ``score_distribution``,
        ``false_positives``, ``false_negatives`` and, when the posts have kinds, ``per_kind``.
        """
        metrics = self.metrics.to_dict()
        out: dict[str, Any] = {
            "n": metrics.pop("n"),
            "not_judged": self.not_judged,
            "overall": metrics.pop("overall"),
            "per_class": metrics.pop("per_class"),
            "score_distribution": {name: d.to_dict() for name, d in self.score_distribution.items()},
            "false_positives": [error.to_dict() for error in self.false_positives],
            "false_negatives": [error.to_dict() for error in self.false_negatives],
        }
        return {**out, **metrics}  # per_kind, when there is one, last


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The figures of a model on labelled posts, and the data behind them.

    Attributes
    ----------
    figures : EvaluationFigures
        Every figure, JSON-ready with ``figures.to_dict()``.
    labels, scores : numpy.ndarray
        The true labels and the model's scores, aligned with the judged posts.
    kinds : list of str or None
        The ``kind`` of each judged post, when known.
    """

    figures: EvaluationFigures
    labels: np.ndarray
    scores: np.ndarray
    kinds: list[str] | None = None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _distribution(scores: np.ndarray) -> ScoreDistribution:
    if scores.size == 0:
        return ScoreDistribution(n=0)
    # the same bins as the calibration error: [0, 0.1), ..., [0.9, 1.0]
    counts = np.bincount(np.minimum((scores * 10).astype(int), 9), minlength=10)
    quartiles = np.quantile(scores, [0.0, 0.25, 0.5, 0.75, 1.0])
    return ScoreDistribution(
        n=int(scores.size),
        mean=float(scores.mean()),
        min_q1_median_q3_max=tuple(round(float(q), 4) for q in quartiles),
        histogram_10_bins=tuple(int(c) for c in counts),
    )


def _per_kind(labels: np.ndarray, predicted: np.ndarray, kinds: list[str]) -> tuple[KindMetrics, ...]:
    rows = []
    kind_array = np.asarray(kinds)
    for kind in sorted(set(kinds)):
        inside = kind_array == kind
        label = 1 if labels[inside].mean() >= 0.5 else 0
        hits = predicted[inside] == 1
        rows.append(
            KindMetrics(
                kind=kind,
                label=PROMOTIONAL if label == 1 else ORGANIC,
                n=int(inside.sum()),
                # for promotional kinds the share caught; for organic kinds the share wrongly flagged
                metric="recall" if label == 1 else "false_positive_rate",
                value=float(hits.mean()),
                mixed_labels=len(set(labels[inside].tolist())) > 1,
            )
        )
    return tuple(rows)


def _errors(
    posts: LabelledPosts, scores: np.ndarray, wrong: np.ndarray, most_confident_first: np.ndarray
) -> tuple[ConfidentError, ...]:
    ids = posts.columns.get("id")
    picked = [i for i in most_confident_first if wrong[i]][:N_ERRORS]
    return tuple(
        ConfidentError(
            where=f"id {ids[i]}" if ids else posts.sources[i] if i < len(posts.sources) else f"post {i + 1}",
            score=round(float(scores[i]), 4),
            kind=posts.columns.get("kind", [""] * len(posts))[i],
            excerpt=_excerpt(posts.texts[i]),
        )
        for i in picked
    )


def evaluate(predictor: Predictor, posts: LabelledPosts, threshold: float | None = None) -> Evaluation:
    """Score labelled posts and compute every figure of the evaluation.

    Parameters
    ----------
    predictor : Predictor
    posts : LabelledPosts
        With a ``kind`` column, figures per kind are added.
    threshold : float or None
        None for the model's threshold.

    Returns
    -------
    Evaluation

    Examples
    --------
    >>> from classifier.modeling.dataset import LabelledPosts
    >>> class Fixed:  # a stand-in predictor with known scores
    ...     threshold = 0.5
    ...     def score_many(self, texts):
    ...         return np.array([0.9, 0.2, 0.7, 0.6])
    >>> posts = LabelledPosts(texts=["a", "b", "c", "d"], labels=[1, 0, 1, 0])
    >>> evaluate(Fixed(), posts).figures.metrics.overall.confusion
    ((1, 1), (0, 2))
    """
    cut = predictor.threshold if threshold is None else threshold
    labels = np.asarray(posts.labels, dtype=int)
    scores = np.asarray(predictor.score_many(posts.texts), dtype=float)
    judged = ~np.isnan(scores)  # empty posts and posts with too little Hebrew get no score
    if not judged.all():
        posts = posts.subset(judged.tolist())
        labels, scores = labels[judged], scores[judged]
    predicted = (scores >= cut).astype(int)
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=[0, 1], zero_division=0
    )
    per_class = {
        name: ClassMetrics(
            precision=float(precision[i]), recall=float(recall[i]), f1=float(f1[i]), n=int(support[i])
        )
        for i, name in enumerate((ORGANIC, PROMOTIONAL))
    }
    kinds = posts.columns.get("kind")
    known_kinds = kinds if kinds and any(kinds) else None
    figures = EvaluationFigures(
        metrics=DataSetMetrics(
            n=len(posts),
            overall=summarize(labels, scores, cut),
            per_class=per_class,
            per_kind=None if known_kinds is None else _per_kind(labels, predicted, known_kinds),
        ),
        not_judged=int((~judged).sum()),
        score_distribution={
            ORGANIC: _distribution(scores[labels == 0]),
            PROMOTIONAL: _distribution(scores[labels == 1]),
        },
        false_positives=_errors(
            posts, scores, (predicted == 1) & (labels == 0), np.argsort(-scores, kind="stable")
        ),
        false_negatives=_errors(
            posts, scores, (predicted == 0) & (labels == 1), np.argsort(scores, kind="stable")
        ),
    )
    return Evaluation(figures=figures, labels=labels, scores=scores, kinds=known_kinds)


def render_text(figures: EvaluationFigures) -> str:
    """The evaluation as text for a terminal."""
    o = figures.metrics.overall

    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"posts: {figures.metrics.n}   threshold: {o.threshold:.3f}",
        f"macro-F1 {fmt(o.macro_f1)}  ROC-AUC {fmt(o.roc_auc)}  PR-AUC {fmt(o.pr_auc)}  "
        f"Brier {fmt(o.brier)}  ECE {fmt(o.ece)}",
        "",
        "class         precision  recall  F1     n",
    ]
    for name, c in figures.metrics.per_class.items():
        lines.append(f"{name:<13} {c.precision:.3f}      {c.recall:.3f}   {c.f1:.3f}  {c.n}")
    (tn, fp), (fn, tp) = o.confusion
    lines += [
        "",
        "confusion matrix (rows: true, columns: predicted)",
        "              organic  promotional",
        f"organic       {tn:<8} {fp}",
        f"promotional   {fn:<8} {tp}",
        "",
        "score distribution (min, q1, median, q3, max)",
    ]
    for name, d in figures.score_distribution.items():
        quartiles = ", ".join(f"{q:.3f}" for q in d.min_q1_median_q3_max or ())
        lines.append(f"{name:<13} {quartiles}")
    if figures.metrics.per_kind is not None:
        lines += ["", "per kind: recall of promotional kinds, false-positive rate of organic kinds"]
        for row in sorted(figures.metrics.per_kind, key=lambda r: (r.label, r.kind)):
            name = "recall" if row.is_recall else "FP rate"
            lines.append(f"{row.label:<12} {row.kind:<24} {name:<7} {row.value:.3f}  (n={row.n})")
    for title, errors in (
        ("most confident false positives", figures.false_positives),
        ("most confident false negatives", figures.false_negatives),
    ):
        lines += ["", title]
        lines += [f"{e.score:.3f}  {e.where}  {e.excerpt}" for e in errors] or ["(none)"]
    return "\n".join(lines)
