"""A trained model as data: the linear model's arrays, its calibration, and how long texts are judged.

Everything here is NumPy and the standard library, so loading and scoring stay light.
The model scores a post in four steps:

1. the engine's log-odds of the whole post (:class:`classifier.featurize.engine.LinearModel`);
2. for a long post (:data:`LONG_TEXT_WORDS` words or more) of several passages
   (:func:`classifier.text.passages.split_passages`), the log-odds of each passage, combined
   with the whole by the model's :data:`AGGREGATIONS` rule, so that length alone cannot
   make a text promotional;
3. calibration of that log-odds into a probability (none, sigmoid, isotonic, or a sigmoid
   with its own offset and slope for long texts, never above a shorter text's);
4. optionally, Bayes' rule for another share of promotional posts (the *prior*).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from classifier.core.config import Calibration as CalibrationName
from classifier.core.errors import ClassifierError
from classifier.featurize.engine import LinearModel
from classifier.text.passages import length_buckets

Aggregation = Literal["whole", "max", "whole_capped"]
#: How a long text's log-odds is built from the whole text and its passages:
#: ``whole`` ignores passages; ``max`` takes the most promotional passage (or the
#: whole, for a text of one passage); ``whole_capped`` takes the whole text's log-odds but
#: never more than its most promotional passage's.
AGGREGATIONS: tuple[str, ...] = ("whole", "max", "whole_capped")


#: The calibration maps (the configuration's choices but ``auto``): ``length_sigmoid`` is a
#: sigmoid with its own offset and slope for long texts.
CALIBRATION_METHODS: tuple[str, ...] = tuple(m for m in get_args(CalibrationName) if m != "auto")


@dataclass(frozen=True)
class Calibration:
    """The map from log-odds (and, for ``length_sigmoid``, length) to probability.

    Attributes
    ----------
    method : {"none", "sigmoid", "isotonic", "length_sigmoid"}
    slope, offset : float
        For ``sigmoid``: ``p = 1 / (1 + exp(-(slope * d + offset)))``; for ``length_sigmoid``,
        the map of texts of at most ``length_edges[0]`` words.
    x, y : numpy.ndarray
        For ``isotonic``: ``p`` is interpolated linearly between these points (clipped at the ends).
    length_edges : tuple of int
        For ``length_sigmoid``: increasing word counts. A text of more than ``length_edges[k]``
        words adds ``length_slopes[k] * d + length_offsets[k]`` to the log-odds of the map
        below it, but never gets more than that map gives: at the same log-odds a longer text
        is never more promotional than a shorter one. So a long text capped at its best
        passage's log-odds (:func:`aggregate`) never scores above that passage.
    length_slopes, length_offsets : tuple of float
        One per edge.

    Examples
    --------
    >>> Calibration("sigmoid", slope=2.0, offset=0.0).apply(np.array([0.0])).tolist()
    [0.5]
    >>> long = Calibration(
    ...     "length_sigmoid", length_edges=(150,), length_slopes=(0.5,), length_offsets=(-1.0,)
    ... )
    >>> long.apply(np.array([0.0, 0.0, 4.0]), np.array([0, 1, 1])).round(3).tolist()
    [0.5, 0.269, 0.982]
    """

    method: str = "none"
    slope: float = 1.0
    offset: float = 0.0
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    length_edges: tuple[int, ...] = ()
    length_slopes: tuple[float, ...] = ()
    length_offsets: tuple[float, ...] = ()

    def keeps_order(self) -> bool:
        """Whether the map rises with the log-odds in every length band (true of the others)."""
        if self.method != "length_sigmoid":
            return True
        return bool(np.all(np.cumsum((self.slope, *self.length_slopes)) > 0))

    def buckets(self, texts: Sequence[str]) -> np.ndarray:
        """How many of :attr:`length_edges` each text is longer than (all 0 for other methods)."""
        edges = self.length_edges if self.method == "length_sigmoid" else ()
        return length_buckets(texts, edges)

    def apply(self, decision: np.ndarray, buckets: np.ndarray | None = None) -> np.ndarray:
        """Probabilities of ``decision`` log-odds; ``buckets`` from :meth:`buckets` (needed by
        ``length_sigmoid``, ignored by the others)."""
        decision = np.asarray(decision, dtype=np.float64)
        if self.method == "isotonic":
            if self.x is None or self.y is None:
                raise ClassifierError("isotonic calibration without its points; retrain the model")
            return np.interp(decision, self.x, self.y)
        if self.method == "length_sigmoid" and buckets is None:
            raise ClassifierError("a length-aware calibration needs the texts' length buckets (buckets())")
        if self.method in ("sigmoid", "length_sigmoid"):
            below = self.slope * decision + self.offset
            mapped = below
            if buckets is not None:
                steps = zip(self.length_slopes, self.length_offsets, strict=True)
                for k, (slope, offset) in enumerate(steps, start=1):
                    below = below + slope * decision + offset
                    mapped = np.where(np.asarray(buckets) >= k, np.minimum(mapped, below), mapped)
            decision = mapped
        return 1.0 / (1.0 + np.exp(-np.clip(decision, -500, 500)))

    def describe(self) -> dict[str, Any]:
        """JSON-ready form (the isotonic points stay in the model's arrays)."""
        out: dict[str, Any] = {"method": self.method}
        if self.method in ("sigmoid", "length_sigmoid"):
            out.update(slope=self.slope, offset=self.offset)
        if self.method == "length_sigmoid":
            out.update(
                length_edges=list(self.length_edges),
                length_slopes=list(self.length_slopes),
                length_offsets=list(self.length_offsets),
            )
        return out

    @classmethod
    def from_description(cls, mapping: Mapping[str, Any], x: np.ndarray, y: np.ndarray) -> Calibration:
        """Rebuild a calibration from :meth:`describe` and, for isotonic, its points.

        Raises ``ValueError`` for an unknown method or length buckets that do not fit together.

        Examples
        --------
        >>> none = np.zeros(0)
        >>> Calibration.from_description({"method": "sigmoid", "slope": 2.0}, none, none).slope
        2.0
        """
        method = mapping["method"]
        if method not in CALIBRATION_METHODS:
            raise ValueError(f"unknown calibration {method!r}")
        isotonic = method == "isotonic"
        edges = tuple(_whole_numbers(mapping.get("length_edges", []), "length_edges"))
        slopes = tuple(_finite(mapping.get("length_slopes", []), "length_slopes"))
        offsets = tuple(_finite(mapping.get("length_offsets", []), "length_offsets"))
        slope, offset = _finite([mapping.get("slope", 1.0), mapping.get("offset", 0.0)], "slope and offset")
        if not len(edges) == len(slopes) == len(offsets) or list(edges) != sorted(set(edges)):
            raise ValueError("length buckets need increasing edges with one slope and one offset each")
        if edges and (method != "length_sigmoid" or edges[0] < 1):
            raise ValueError("length buckets belong to a length_sigmoid map, with edges of 1 word or more")
        calibration = cls(
            method=method,
            slope=slope,
            offset=offset,
            x=x if isotonic else None,
            y=y if isotonic else None,
            length_edges=edges,
            length_slopes=slopes,
            length_offsets=offsets,
        )
        if not calibration.keeps_order():
            raise ValueError("a length band whose slope is not positive would reverse the score order")
        return calibration


def _whole_numbers(values: object, name: str) -> list[int]:
    """``values`` if it is a JSON list of whole numbers (not booleans), else ValueError."""
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        raise ValueError(f"{name} must be a list of whole numbers")
    return [int(v) for v in values]


def _finite(values: object, name: str) -> list[float]:
    """``values`` as floats if it is a JSON list of finite numbers, else ValueError."""
    if not isinstance(values, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) for v in values
    ):
        raise ValueError(f"{name} must be finite numbers")
    return [float(v) for v in values]


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

    def probability(
        self, decision: np.ndarray, texts: Sequence[str], prior: float | None = None
    ) -> np.ndarray:
        """Calibrated probabilities of the log-odds ``decision`` of ``texts``, for the training
        share or for ``prior`` (the texts' lengths matter to a ``length_sigmoid`` calibration)."""
        decision = np.asarray(decision, dtype=np.float64)
        if isinstance(texts, str) or len(texts) != len(decision):
            raise ClassifierError("probability() needs one text for each log-odds, in the same order")
        p = self.calibration.apply(decision, self.calibration.buckets(texts))
        return p if prior is None else adjust_for_prior(p, self.trained_share, prior)
