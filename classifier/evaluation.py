"""Evaluating a model on labelled posts: every figure, per kind, and the worst errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from classifier.dataset import LabelledPosts
from classifier.labels import ORGANIC, PROMOTIONAL
from classifier.metrics import summarize
from classifier.predictor import Predictor

N_ERRORS = 10
_EXCERPT = 120


@dataclass
class Evaluation:
    """The figures of a model on labelled posts, and the data behind them.

    Attributes
    ----------
    figures : dict
        JSON-ready: ``overall`` (see :func:`classifier.metrics.summarize`), ``per_class``,
        ``score_distribution``, ``per_kind`` (when the posts have a ``kind`` column),
        ``false_positives`` and ``false_negatives`` (the most confident errors).
    labels, scores : numpy.ndarray
        The true labels and the model's scores, aligned with the posts.
    kinds : list of str or None
        The ``kind`` of each post, when known.
    """

    figures: dict[str, Any]
    labels: np.ndarray
    scores: np.ndarray
    kinds: list[str] | None = field(default=None)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _distribution(scores: np.ndarray) -> dict[str, Any]:
    if scores.size == 0:
        return {"n": 0}
    # the same bins as the calibration error: [0, 0.1), ..., [0.9, 1.0]
    counts = np.bincount(np.minimum((scores * 10).astype(int), 9), minlength=10)
    quartiles = np.quantile(scores, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        "n": int(scores.size),
        "mean": float(scores.mean()),
        "min_q1_median_q3_max": [round(float(q), 4) for q in quartiles],
        "histogram_10_bins": counts.tolist(),
    }


def _per_kind(labels: np.ndarray, predicted: np.ndarray, kinds: list[str]) -> list[dict[str, Any]]:
    rows = []
    kind_array = np.asarray(kinds)
    for kind in sorted(set(kinds)):
        inside = kind_array == kind
        label = 1 if labels[inside].mean() >= 0.5 else 0
        mixed = len(set(labels[inside].tolist())) > 1
        hits = predicted[inside] == 1
        rows.append(
            {
                "kind": kind,
                "label": PROMOTIONAL if label == 1 else ORGANIC,
                "n": int(inside.sum()),
                # for promotional kinds the share caught; for organic kinds the share wrongly flagged
                "metric": "recall" if label == 1 else "false_positive_rate",
                "value": float(hits.mean()),
                "mixed_labels": mixed,
            }
        )
    return rows


def _errors(
    posts: LabelledPosts, scores: np.ndarray, wrong: np.ndarray, most_confident_first: np.ndarray
) -> list[dict[str, Any]]:
    ids = posts.columns.get("id")
    picked = [i for i in most_confident_first if wrong[i]][:N_ERRORS]
    return [
        {
            "where": f"id {ids[i]}"
            if ids
            else posts.sources[i]
            if i < len(posts.sources)
            else f"post {i + 1}",
            "score": round(float(scores[i]), 4),
            "kind": posts.columns.get("kind", [""] * len(posts))[i],
            "excerpt": _excerpt(posts.texts[i]),
        }
        for i in picked
    ]


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
    >>> from classifier.dataset import LabelledPosts
    >>> class Fixed:  # a stand-in predictor with known scores
    ...     threshold = 0.5
    ...     def score_many(self, texts):
    ...         return np.array([0.9, 0.2, 0.7, 0.6])
    >>> posts = LabelledPosts(texts=["a", "b", "c", "d"], labels=[1, 0, 1, 0])
    >>> evaluate(Fixed(), posts).figures["overall"]["confusion"]
    [[1, 1], [0, 2]]
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
        name: {
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "n": int(support[i]),
        }
        for i, name in enumerate((ORGANIC, PROMOTIONAL))
    }
    kinds = posts.columns.get("kind")
    figures: dict[str, Any] = {
        "n": len(posts),
        "not_judged": int((~judged).sum()),
        "overall": summarize(labels, scores, cut),
        "per_class": per_class,
        "score_distribution": {
            ORGANIC: _distribution(scores[labels == 0]),
            PROMOTIONAL: _distribution(scores[labels == 1]),
        },
        "false_positives": _errors(
            posts, scores, (predicted == 1) & (labels == 0), np.argsort(-scores, kind="stable")
        ),
        "false_negatives": _errors(
            posts, scores, (predicted == 0) & (labels == 1), np.argsort(scores, kind="stable")
        ),
    }
    if kinds and any(kinds):
        figures["per_kind"] = _per_kind(labels, predicted, kinds)
    return Evaluation(
        figures=figures, labels=labels, scores=scores, kinds=kinds if kinds and any(kinds) else None
    )


def render_text(figures: dict[str, Any]) -> str:
    """The evaluation as text for a terminal."""
    o = figures["overall"]

    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    lines = [
        f"posts: {figures['n']}   threshold: {o['threshold']:.3f}",
        f"macro-F1 {fmt(o['macro_f1'])}  ROC-AUC {fmt(o['roc_auc'])}  PR-AUC {fmt(o['pr_auc'])}  "
        f"Brier {fmt(o['brier'])}  ECE {fmt(o['ece'])}",
        "",
        "class         precision  recall  F1     n",
    ]
    for name, c in figures["per_class"].items():
        lines.append(f"{name:<13} {c['precision']:.3f}      {c['recall']:.3f}   {c['f1']:.3f}  {c['n']}")
    (tn, fp), (fn, tp) = o["confusion"]
    lines += [
        "",
        "confusion matrix (rows: true, columns: predicted)",
        "              organic  promotional",
        f"organic       {tn:<8} {fp}",
        f"promotional   {fn:<8} {tp}",
        "",
        "score distribution (min, q1, median, q3, max)",
    ]
    for name, d in figures["score_distribution"].items():
        quartiles = ", ".join(f"{q:.3f}" for q in d.get("min_q1_median_q3_max", []))
        lines.append(f"{name:<13} {quartiles}")
    if "per_kind" in figures:
        lines += ["", "per kind: recall of promotional kinds, false-positive rate of organic kinds"]
        for row in sorted(figures["per_kind"], key=lambda r: (r["label"], r["kind"])):
            name = "recall" if row["metric"] == "recall" else "FP rate"
            lines.append(f"{row['label']:<12} {row['kind']:<24} {name:<7} {row['value']:.3f}  (n={row['n']})")
    for title, key in (
        ("most confident false positives", "false_positives"),
        ("most confident false negatives", "false_negatives"),
    ):
        lines += ["", title]
        lines += [f"{e['score']:.3f}  {e['where']}  {e['excerpt']}" for e in figures[key]] or ["(none)"]
    return "\n".join(lines)
