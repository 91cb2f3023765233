"""A trained model as data: the linear model's arrays, its calibration, and how long texts are judged.

Everything here is NumPy and the standard library, so loading and scoring stay light.
The model scores a post in four steps:

1. the engine's log-odds of the whole post (:class:`classifier.featurize.engine.LinearModel`);
2. for a long post (:data:`LONG_TEXT_WORDS` words or more) of several passages
   (:func:`classifier.text.passages.split_passages`), the log-odds of each passage, combined
   with the whole by the model's :data:`AGGREGATIONS` rule, so that length alone cannot
   make a text promotional;
3. calibration of that log-odds into a probability (none, sigmoid or isotonic);
4. optionally, Bayes' rule for another share of promotional posts (the *prior*).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from classifier.core.errors import ClassifierError
from classifier.featurize.engine import LinearModel

Aggregation = Literal["whole", "max", "whole_capped"]
#: How a long text's log-odds is built from the whole text and its passages:
#: ``whole`` ignores passages; ``max`` takes the most promotional passage (or the
#: whole, for a text of one passage); ``whole_capped`` takes the whole text's log-odds but
#: never more than its most promotional passage's.
AGGREGATIONS: tuple[str, ...] = ("whole", "max", "whole_capped")


@dataclass(frozen=True)
class Calibration:
    """The map from log-odds to probability.

    Attributes
    ----------
    method : {"none", "sigmoid", "isotonic"}
    slope, offset : float
        For ``sigmoid``: ``p = 1 / (1 + exp(-(slope * d + offset)))``.
    x, y : numpy.ndarray
        For ``isotonic``: ``p`` is interpolated linearly between these points (clipped at the ends).

    Examples
    --------
    >>> Calibration("sigmoid", slope=2.0, offset=0.0).apply(np.array([0.0])).tolist()
    [0.5]
    """

    method: str = "none"
    slope: float = 1.0
    offset: float = 0.0
    x: np.ndarray | None = None
    y: np.ndarray | None = None

    def apply(self, decision: np.ndarray) -> np.ndarray:
        """Probabilities of ``decision`` log-odds."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.method == "isotonic":
            if self.x is None or self.y is None:
                raise ClassifierError("isotonic calibration without its points; retrain the model")
            return np.interp(decision, self.x, self.y)
        if self.method == "sigmoid":
            decision = self.slope * decision + self.offset
        return 1.0 / (1.0 + np.exp(-np.clip(decision, -500, 500)))

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (the isotonic points stay in the model's arrays)."""
        out: dict[str, Any] = {"method": self.method}
        if self.method == "sigmoid":
            out.update(slope=self.slope, offset=self.offset)
        return out

    @classmethod
    def from_description(cls, mapping: Mapping[str, Any], x: np.ndarray, y: np.ndarray) -> Calibration:
        """Rebuild a calibration from :meth:`describe` and, for isotonic, its points.

        Examples
        --------
        >>> none = np.zeros(0)
        >>> Calibration.from_description({"method": "sigmoid", "slope": 2.0}, none, none).slope
        2.0
        """
        isotonic = mapping["method"] == "isotonic"
        return cls(
            method=mapping["method"],
            slope=float(mapping.get("slope", 1.0)),
            offset=float(mapping.get("offset", 0.0)),
            x=x if isotonic else None,
            y=y if isotonic else None,
        )


def adjust_for_prior(probability: np.ndarray, trained_share: float, prior: float) -> np.ndarray:
    """Bayes' rule: probabilities for a population whose promotional share is ``prior``.

    A model's calibrated probability assumes the share of promotional posts it was
    trained on (``trained_share``); for a feed where the share is ``prior``, the odds
    are multiplied by ``(prior / (1 - prior)) / (trained / (1 - trained))``.

    Examples
    --------
    >>> adjust_for_prior(np.array([0.5, 0.9]), 0.5, 0.1).round(3).tolist()
    [0.1, 0.5]
    """
    if not 0 < prior < 1:
        raise ClassifierError(
            f"prior {prior} is outside (0, 1); give the share of promotional posts, e.g. 0.05"
        )
    p = np.clip(np.asarray(probability, dtype=np.float64), 0.0, 1.0)
    ratio = (prior / (1 - prior)) / (trained_share / (1 - trained_share))
    return p * ratio / (p * ratio + (1 - p))


def aggregate(whole: np.ndarray, passage_max: np.ndarray, rule: str) -> np.ndarray:
    """Combine the whole texts' log-odds with their best passages' by ``rule`` (:data:`AGGREGATIONS`).

    ``passage_max`` is NaN for a text of one passage: its whole log-odds is kept.

    Examples
    --------
    >>> aggregate(np.array([2.0, -1.0, 0.5]), np.array([1.0, 3.0, np.nan]), "whole_capped").tolist()
    [1.0, -1.0, 0.5]
    >>> aggregate(np.array([2.0, -1.0, 0.5]), np.array([1.0, 3.0, np.nan]), "max").tolist()
    [1.0, 3.0, 0.5]
    """
    if rule == "whole":
        return whole
    single = np.isnan(passage_max)
    best = np.where(single, whole, passage_max)
    if rule == "max":
        return best
    if rule == "whole_capped":
        return np.minimum(whole, best)
    raise ClassifierError(f"unknown aggregation {rule!r}; use one of {', '.join(AGGREGATIONS)}")


@dataclass(frozen=True)
class Model:
    """A trained model: arrays, calibration, threshold and aggregation.

    Attributes
    ----------
    linear : LinearModel
    calibration : Calibration
    threshold : float
        A probability at or above it is promotional.
    aggregation : str
        One of :data:`AGGREGATIONS`.
    trained_share : float
        The share of promotional posts in the training data (what probabilities assume).
    """

    linear: LinearModel
    calibration: Calibration
    threshold: float
    aggregation: str = "whole"
    trained_share: float = 0.5

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """The log-odds of each text after combining it with its passages."""
        whole, best = self.linear.decisions(texts)
        return aggregate(whole, best, self.aggregation)

    def probability(self, decision: np.ndarray, prior: float | None = None) -> np.ndarray:
        """Calibrated probabilities of log-odds, for the training share or for ``prior``."""
        p = self.calibration.apply(decision)
        return p if prior is None else adjust_for_prior(p, self.trained_share, prior)
