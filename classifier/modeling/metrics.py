"""Quality figures: classification metrics, calibration error and threshold choice.

The figures are typed, frozen records with ``to_dict()`` (and ``from_dict()``, since
the model card stores them): :class:`Metrics` at a threshold, :class:`ClassMetrics`
per label, :class:`KindMetrics` per kind of post, and :class:`DataSetMetrics`
gathering them for one data set. The records need NumPy only; scikit-learn is
imported by the functions that compute figures, so reading a model card stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from classifier.core.config import CheckedRecord, checked_fields, json_object, plain_fields
from classifier.core.errors import ClassifierError


@dataclass(frozen=True)
class Metrics:
    """The core figures of scored, labelled posts at a decision threshold.

    Parameters
    ----------
    n : int
        Posts measured.
    threshold : float
        A post is promotional when its score is at or above it.
    precision, recall, f1 : float
        Of the promotional class.
    macro_f1 : float
        The mean F1 of the two classes.
    roc_auc, pr_auc : float or None
        Area under the ROC curve and average precision; None when one class is absent.
    brier : float or None
        Brier score; None for no posts.
    ece : float
        Expected calibration error over 10 equal-width bins.
    confusion : tuple of two (int, int)
        ``((tn, fp), (fn, tp))``: rows true label, columns predicted.

    Examples
    --------
    >>> metrics = summarize([0, 1, 1], [0.2, 0.9, 0.4], threshold=0.5)
    >>> metrics.recall, metrics.confusion
    (0.5, ((1, 0), (1, 1)))
    >>> Metrics.from_dict(metrics.to_dict()) == metrics
    True
    """

    n: int
    threshold: float
    precision: float
    recall: float
    f1: float
    macro_f1: float
    roc_auc: float | None
    pr_auc: float | None
    brier: float | None
    ece: float
    confusion: tuple[tuple[int, int], tuple[int, int]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures, in the order the model card stores them."""
        return {**plain_fields(self), "confusion": [list(row) for row in self.confusion]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "metrics") -> Metrics:
        """Rebuild figures saved by :meth:`to_dict`; refuses unknown or missing keys."""
        values = checked_fields(cls, data, where)
        (tn, fp), (fn, tp) = values["confusion"]
        values["confusion"] = ((tn, fp), (fn, tp))
        return cls(**values)

    def describe(self) -> str:
        """One line of the headline figures, for people.

        Examples
        --------
        >>> summarize([0, 1, 1], [0.2, 0.9, 0.4], threshold=0.5).describe()
        'precision 1.000  recall 0.500  F1 0.667  ROC-AUC 1.000'
        """
        auc = "n/a" if self.roc_auc is None else f"{self.roc_auc:.3f}"
        return f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  ROC-AUC {auc}"


@dataclass(frozen=True)
class ClassMetrics(CheckedRecord):
    """Precision, recall and F1 of one label, and how many posts have it.

    Parameters
    ----------
    precision, recall, f1 : float
        Of the label, as if it were the positive class.
    n : int
        Posts that truly have the label.

    Examples
    --------
    >>> ClassMetrics(precision=1.0, recall=0.5, f1=0.667, n=2).to_dict()
    {'precision': 1.0, 'recall': 0.5, 'f1': 0.667, 'n': 2}
    """

    precision: float
    recall: float
    f1: float
    n: int

    WHERE = "per_class"


@dataclass(frozen=True)
class KindMetrics(CheckedRecord):
    """How a model does on one kind of post (the corpus's ``kind`` column).

    Parameters
    ----------
    kind : str
    label : {"promotional", "organic"}
        The kind's label (its majority, when ``mixed_labels``).
    n : int
        Posts of the kind.
    metric : {"recall", "false_positive_rate"}
        Recall for a promotional kind (the share caught), false-positive rate for an
        organic kind (the share wrongly flagged).
    value : float
    mixed_labels : bool
        Whether posts of the kind carry both labels.

    Examples
    --------
    >>> KindMetrics("greeting", "organic", 4, "false_positive_rate", 0.25, False).is_recall
    False
    """

    kind: str
    label: str
    n: int
    metric: str
    value: float
    mixed_labels: bool

    @property
    def is_recall(self) -> bool:
        """Whether the figure is a recall (a promotional kind), not a false-positive rate."""
        return self.metric == "recall"

    WHERE = "per_kind"


@dataclass(frozen=True)
class DataSetMetrics:
    """The figures of a model on one labelled data set: overall, per label and per kind.

    What :func:`classifier.workflows.evaluation.evaluate` measures, without its score
    distributions and example errors; the default model's card keeps these for the
    held-out split.

    Parameters
    ----------
    n : int
        Posts judged.
    overall : Metrics
    per_class : mapping of str to ClassMetrics
        By label name, ``organic`` first.
    per_kind : tuple of KindMetrics or None
        By kind, sorted; None when the posts have no ``kind`` column.

    Examples
    --------
    >>> overall = summarize([0, 1], [0.2, 0.9], threshold=0.5)
    >>> figures = DataSetMetrics(n=2, overall=overall, per_class={})
    >>> sorted(figures.to_dict())
    ['n', 'overall', 'per_class']
    >>> DataSetMetrics.from_dict(figures.to_dict()) == figures
    True
    """

    n: int
    overall: Metrics
    per_class: Mapping[str, ClassMetrics]
    per_kind: tuple[KindMetrics, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready figures; ``per_kind`` only when known."""
        out: dict[str, Any] = {
            "n": self.n,
            "overall": self.overall.to_dict(),
            "per_class": {name: figures.to_dict() for name, figures in self.per_class.items()},
        }
        if self.per_kind is not None:
            out["per_kind"] = [row.to_dict() for row in self.per_kind]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "figures") -> DataSetMetrics:
        """Rebuild figures saved by :meth:`to_dict`; refuses unknown or missing keys."""
        values = checked_fields(cls, data, where)
        per_class = json_object(values["per_class"], f"{where}.per_class")
        per_kind = values.get("per_kind")
        if per_kind is not None and not isinstance(per_kind, list):
            raise ClassifierError(f"{where}.per_kind is not a list")
        return cls(
            n=values["n"],
            overall=Metrics.from_dict(values["overall"], f"{where}.overall"),
            per_class={
                name: ClassMetrics.from_dict(row, f"{where}.per_class.{name}")
                for name, row in per_class.items()
            },
            per_kind=None
            if per_kind is None
            else tuple(KindMetrics.from_dict(row, f"{where}.per_kind") for row in per_kind),
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
    from sklearn.metrics import precision_recall_curve

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


def summarize(y_true: ArrayLike, scores: ArrayLike, threshold: float) -> Metrics:
    """Core figures of scored, labelled posts at a threshold.

    Returns precision, recall and F1 of the promotional class, macro-F1, ROC-AUC,
    PR-AUC (average precision), Brier score, expected calibration error and the
    confusion matrix ``((tn, fp), (fn, tp))``; AUCs are None when one class is absent.

    Examples
    --------
    >>> summarize([0, 1, 1], [0.2, 0.9, 0.4], threshold=0.5).recall
    0.5
    """
    from sklearn.metrics import (
        average_precision_score,
        brier_score_loss,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    y = np.asarray(y_true, dtype=int)
    p = np.asarray(scores, dtype=float)
    predicted = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    tn = int(((predicted == 0) & (y == 0)).sum())
    fp = int(((predicted == 1) & (y == 0)).sum())
    fn = int(((predicted == 0) & (y == 1)).sum())
    tp = int(((predicted == 1) & (y == 1)).sum())
    return Metrics(
        n=int(y.size),
        threshold=float(threshold),
        precision=float(precision_score(y, predicted, zero_division=0)),
        recall=float(recall_score(y, predicted, zero_division=0)),
        f1=float(f1_score(y, predicted, zero_division=0)),
        macro_f1=float(f1_score(y, predicted, average="macro", zero_division=0)),
        roc_auc=float(roc_auc_score(y, p)) if both else None,
        pr_auc=float(average_precision_score(y, p)) if both else None,
        brier=float(brier_score_loss(y, p, pos_label=1)) if y.size else None,
        ece=expected_calibration_error(y, p),
        confusion=((tn, fp), (fn, tp)),
    )
