"""Quality figures: classification metrics, calibration error and threshold choice."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
)


def expected_calibration_error(y_true: ArrayLike, scores: ArrayLike, n_bins: int = 10) -> float:
    """Expected calibration error over equal-width score bins.

    The weighted mean, over the bins ``[0, 0.1), [0.1, 0.2), ... [0.9, 1.0]``, of
    ``|fraction of positives - mean score|``, weighted by the share of posts in the bin.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        True labels.
    scores : array-like of float in [0, 1]
        Predicted probabilities of label 1.
    n_bins : int
        Number of equal-width bins.

    Returns
    -------
    float
        The error, between 0 (perfectly calibrated) and 1.

    Examples
    --------
    >>> expected_calibration_error([0, 1], [0.0, 1.0])
    0.0
    >>> round(expected_calibration_error([0, 0, 1, 1], [0.2, 0.2, 0.2, 0.2]), 3)
    0.3
    """
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(scores, dtype=float)
    if y.size == 0:
        return 0.0
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    error = 0.0
    for b in np.unique(bins):
        inside = bins == b
        error += inside.sum() / y.size * abs(y[inside].mean() - p[inside].mean())
    return float(error)


def choose_threshold(y_true: ArrayLike, scores: ArrayLike, target_precision: float | None = None) -> float:
    """Pick a decision threshold from scored, labelled posts.

    With ``target_precision`` None, the score threshold with the highest F1;
    otherwise the lowest threshold whose precision reaches the target (the one
    with the most recall). A post is promotional when ``score >= threshold``.

    Returns
    -------
    float
        The threshold, one of the observed scores (0.5 when the input has one class).

    Raises
    ------
    ValueError
        When no threshold reaches ``target_precision``.

    Examples
    --------
    >>> choose_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.35
    >>> choose_threshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], target_precision=1.0)
    0.8
    """
    y = np.asarray(y_true, dtype=int)
    p = np.asarray(scores, dtype=float)
    if len(np.unique(y)) < 2:
        return 0.5
    precision, recall, thresholds = precision_recall_curve(y, p)
    precision, recall = precision[:-1], recall[:-1]
    if target_precision is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        return float(thresholds[int(np.argmax(f1))])
    meeting = np.flatnonzero(precision >= target_precision - 1e-12)
    if meeting.size == 0:
        raise ValueError(f"no threshold reaches precision {target_precision}")
    return float(thresholds[meeting[0]])


def summarize(y_true: ArrayLike, scores: ArrayLike, threshold: float) -> dict[str, Any]:
    """Core figures of scored, labelled posts at a threshold.

    Returns precision, recall and F1 of the promotional class, macro-F1, ROC-AUC,
    PR-AUC (average precision), Brier score, expected calibration error and the
    confusion matrix ``[[tn, fp], [fn, tp]]``; AUCs are None when one class is absent.

    Examples
    --------
    >>> summarize([0, 1, 1], [0.2, 0.9, 0.4], threshold=0.5)["recall"]
    0.5
    """
    y = np.asarray(y_true, dtype=int)
    p = np.asarray(scores, dtype=float)
    predicted = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    tn = int(((predicted == 0) & (y == 0)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    tp = int(((predicted == 1) & (y == 1)).sum())
    return {
        "n": int(y.size),
        "threshold": float(threshold),
        "precision": float(precision_score(y, predicted, zero_division=0)),
        "recall": float(recall_score(y, predicted, zero_division=0)),
        "f1": float(f1_score(y, predicted, zero_division=0)),
        "macro_f1": float(f1_score(y, predicted, average="macro", zero_division=0)),
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "pr_auc": float(average_precision_score(y, p)) if both else None,
        "brier": float(brier_score_loss(y, p, pos_label=1)) if y.size else None,
        "ece": expected_calibration_error(y, p),
        "confusion": [[tn, fp], [fn, tp]],
    }
