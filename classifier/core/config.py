"""The frozen training configuration, saved with every model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, ClassVar, Literal, get_args

from classifier.core.errors import ClassifierError

Calibration = Literal["auto", "none", "sigmoid", "isotonic", "length_sigmoid"]
Aggregation = Literal["auto", "whole", "max", "whole_capped"]
Scaling = Literal["log_ratio", "none"]
#: The fields of :class:`TrainConfig` that take one of a fixed set of words, and that set.
_CHOICES: dict[str, Any] = {"aggregation": Aggregation, "scaling": Scaling, "calibration": Calibration}


class Record:
    """A frozen dataclass whose fields are JSON values (tuples become lists): ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return plain_fields(self)


class CheckedRecord(Record):
    """A :class:`Record` read back from a model card by ``from_dict()``, which refuses unknown and
    missing keys, naming the record (:data:`WHERE`) in the message."""

    #: How a message names the record.
    WHERE: ClassVar[str] = "record"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str | None = None) -> Any:
        """Rebuild a record saved by :meth:`to_dict`; refuses unknown or missing keys."""
        return cls(**checked_fields(cls, data, where or cls.WHERE))


@dataclass(frozen=True)
class TrainConfig(Record):
    """Everything that decides how a model is built and trained.

    One instance crosses from the command line into :func:`classifier.train` and is
    stored in the model card, so a model can always be rebuilt the same way.

    Parameters
    ----------
    word_ngrams : tuple of int
        Smallest and largest word n-gram.
    char_ngrams : tuple of int
        Smallest and largest character n-gram inside words; ``(0, 0)``, the default, for none.
        On the corpus's own held-out split character 1-4-grams add about 0.006 macro-F1,
        but on real text they cost more than they bring (more real organic text flagged,
        lower ROC-AUC on real web pages: ``benchmarks/ablation.py``), so they are off unless
        asked for, e.g. ``TrainConfig(char_ngrams=(1, 4))``.
    min_df : int
        Ignore n-grams seen in fewer training posts than this.
    strip_prefixes : bool
        Also count each Hebrew word without its prefix letters (ו ה ב כ ל מ ש).
    cues : bool
        Add the block of guideline cues (a business speaking as "we", invitations to
        contact, contact details, titles and bylines, stock praise, offers).
    scaling : {"log_ratio", "none"}
        ``"log_ratio"`` multiplies each feature column by one plus the absolute log-ratio of
        the share of promotional training posts that contain it to the share of organic ones,
        before the logistic regression
        (:class:`classifier.featurize.scaling.LogRatioScaling`); ``"none"`` leaves the
        columns as they are. Chosen by cross-validation on the training split
        (``benchmarks/model_selection.py``: ROC-AUC 0.975 without, 0.979 with).
    hash_bits : int
        Each hashed block (words, characters) has ``2**hash_bits`` columns.
    C : float
        Inverse regularisation strength of the logistic regression.
    calibration : {"auto", "none", "sigmoid", "isotonic", "length_sigmoid"}
        How scores are calibrated; ``"auto"`` picks by cross-validated Brier score.
        ``"length_sigmoid"`` gives texts of more than 150 and more than 400 words their own
        offset and slope (:class:`classifier.modeling.model.Calibration`).
    aggregation : {"auto", "whole", "max", "whole_capped"}
        How a text of several passages is scored from them (see
        :data:`classifier.modeling.model.AGGREGATIONS`); ``"auto"`` picks ``max`` or
        ``whole_capped`` by out-of-fold ROC-AUC on such texts.
    prior : float or None
        The share of promotional posts the model's scores assume by default (adjusted
        by Bayes' rule from the training share); None keeps the training share. Chosen
        for the default model by ``benchmarks/prior.py``.
    target_precision : float or None
        Pick the lowest threshold whose cross-validated precision reaches this;
        ``None`` picks the threshold that maximises F1.
    cv_folds : int
        Folds of the cross-validation that reports metrics and picks the threshold.
    seed : int
        Seed of every random choice, so training is deterministic.

    Examples
    --------
    >>> TrainConfig(C=4.0).C
    4.0

    The defaults were chosen by cross-validation on the corpus's training split
    (``benchmarks/model_selection.py``).
    >>> TrainConfig.from_dict(TrainConfig().to_dict()) == TrainConfig()
    True
    """

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (0, 0)
    min_df: int = 2
    strip_prefixes: bool = True
    cues: bool = True
    scaling: Scaling = "log_ratio"
    hash_bits: int = 20
    C: float = 30.0
    calibration: Calibration = "auto"
    aggregation: Aggregation = "auto"
    prior: float | None = None
    target_precision: float | None = None
    cv_folds: int = 5
    seed: int = 0

    def __post_init__(self) -> None:
        if self.cv_folds < 2:
            raise ClassifierError(f"cv_folds is {self.cv_folds}; use 2 or more")
        if self.C <= 0:
            raise ClassifierError(f"C is {self.C}; use a positive number")
        if self.target_precision is not None and not 0 < self.target_precision <= 1:
            raise ClassifierError(
                f"target precision {self.target_precision} is outside (0, 1]; use e.g. 0.95"
            )
        if self.prior is not None and not 0 < self.prior < 1:
            raise ClassifierError(f"prior {self.prior} is outside (0, 1); use e.g. 0.1")
        if not 8 <= self.hash_bits <= 24:
            raise ClassifierError(f"hash_bits is {self.hash_bits}; use 8 to 24")
        for name, choices in _CHOICES.items():
            value, allowed = getattr(self, name), get_args(choices)
            if value not in allowed:
                *first, last = allowed
                raise ClassifierError(f"{name} {value!r} is unknown; use {', '.join(first)} or {last}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Rebuild a configuration saved by :meth:`to_dict`, ignoring unknown keys.

        A configuration saved before ``scaling`` existed was trained without it.
        """
        return cls(**{"scaling": "none", **known_fields(cls, data)})


def plain_fields(record: Any) -> dict[str, Any]:
    """The fields of a dataclass instance as JSON values: n-gram ranges and other tuples as lists.

    Examples
    --------
    >>> plain_fields(TrainConfig())["word_ngrams"]
    [1, 2]
    """
    return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(record).items()}


def known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The values of ``data`` that are fields of dataclass ``cls``, n-gram ranges back as tuples.

    JSON has no tuples, so settings saved as JSON come back with lists; this undoes that.

    Examples
    --------
    >>> known_fields(TrainConfig, {"char_ngrams": [2, 5], "unknown": 1})
    {'char_ngrams': (2, 5)}
    """
    known = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in known}
    for key in ("word_ngrams", "char_ngrams"):
        if key in values:
            values[key] = tuple(values[key])
    return values


def checked_fields(cls: type, data: object, where: str) -> dict[str, Any]:
    """The values of JSON object ``data`` for dataclass ``cls``, refusing unknown and missing keys.

    Records read back from a model card use it, so that a card a person edited is
    refused with the key named rather than misread. ``where`` names the record in
    the message.

    Examples
    --------
    >>> checked_fields(TrainConfig, {"min_df": 1}, "config")
    {'min_df': 1}
    >>> checked_fields(TrainConfig, {"colour": "red"}, "config")
    Traceback (most recent call last):
    ...
    classifier.core.errors.ClassifierError: config has an unknown key: colour
    """
    data = json_object(data, where)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ClassifierError(f"{where} has an unknown key: {', '.join(map(str, unknown))}")
    missing = [
        name
        for name, f in known.items()
        if name not in data and f.default is MISSING and f.default_factory is MISSING
    ]
    if missing:
        raise ClassifierError(f"{where} has no {', '.join(missing)}")
    return data


def json_object(data: object, where: str) -> dict[str, Any]:
    """``data`` as a dict, or a :class:`ClassifierError` saying that ``where`` is not a JSON object."""
    if not isinstance(data, Mapping):
        raise ClassifierError(f"{where} is not a JSON object")
    return dict(data)
