"""The model card: what a model is, what data it learnt from and how well it does.

:class:`ModelCard` is the typed, frozen record every model carries. It is stored as
JSON inside the model file and beside it (``x.card.json``, written by
:func:`classifier.modeling.storage.save_model`), and rendered as Markdown for people
(``x.md``, :func:`render_markdown`). ``to_dict()`` gives that JSON, key for key as
earlier releases wrote it, and ``from_dict()`` reads it back: keys that a card of an
earlier release lacks take their defaults, and keys this package does not know are
kept at the top level (in :attr:`ModelCard.extra`, written back after the known ones)
but refused inside its records (``training_data``, ``config``, the metrics and so on),
where a stray key would more likely be a mistake than a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from classifier.core.config import Record, TrainConfig, checked_fields, json_object
from classifier.core.errors import ClassifierError
from classifier.featurize.engine import FeatureSettings
from classifier.modeling.metrics import DataSetMetrics, Metrics
from classifier.text.passages import LONG_TEXT_WORDS, MIN_PASSAGE_WORDS

LABEL_DEFINITION = (
    "**Promotional (1)**: the post's purpose is to get readers to act for the commercial benefit of the "
    "author or of a sponsor: buy, order, book, sign up, download, follow a business or channel, click a "
    "commercial link, use a coupon or affiliate code, enter a brand giveaway, attend a paid event. "
    "Includes ads, paid influencer content (disclosed or not), affiliate and coupon posts, small-business "
    "self-promotion, courses and MLM, giveaways, advertorials, growth spam and scams.\n\n"
    "**Organic (0)**: personal or informational content with no commercial push: stories, opinions, "
    "humour, greetings, news, questions, requests for recommendations, complaints and genuine unpaid "
    "recommendations that name brands, writing about marketing, non-commercial community notices."
)
_N_WEAKEST = 5


@dataclass(frozen=True)
class TrainingData:
    """What data a model was trained on: its files, checksum, label counts and weights.

    Parameters
    ----------
    files : tuple of str
        The files the posts were read from, sorted (``posts.csv`` for the bundled corpus).
    sha256 : str
        The SHA-256 of the labelled posts as read (:attr:`classifier.modeling.dataset.LabelledPosts.sha256`).
    rows : mapping of str to int
        Posts per label name.
    weighted : tuple of float or None
        The distinct post weights when some posts counted more (``promo train --add``);
        None when all counted once.
    skipped : mapping of str to int
        Rows left out, per reason.
    split : str or None
        Which part of the files was used, when not all of them (the default model's training split).

    Examples
    --------
    >>> data = TrainingData(files=("mine.csv",), sha256="ab", rows={"organic": 3, "promotional": 4})
    >>> data.to_dict()["files"], data.to_dict()["weighted"]
    (['mine.csv'], None)
    >>> TrainingData.from_dict(data.to_dict()) == data
    True
    """

    files: tuple[str, ...]
    sha256: str
    rows: Mapping[str, int]
    weighted: tuple[float, ...] | None = None
    skipped: Mapping[str, int] = field(default_factory=dict)
    split: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``split`` only when there is one."""
        out: dict[str, Any] = {
            "files": list(self.files),
            "sha256": self.sha256,
            "rows": dict(self.rows),
            "weighted": None if self.weighted is None else list(self.weighted),
            "skipped": dict(self.skipped),
        }
        if self.split is not None:
            out["split"] = self.split
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrainingData:
        """Rebuild training data saved by :meth:`to_dict`; refuses unknown or missing keys."""
        values = checked_fields(cls, data, "training_data")
        weighted = values.get("weighted")
        return cls(
            files=tuple(values["files"]),
            sha256=values["sha256"],
            rows=json_object(values["rows"], "training_data.rows"),
            weighted=None if weighted is None else tuple(weighted),
            skipped=json_object(values.get("skipped", {}), "training_data.skipped"),
            split=values.get("split"),
        )


@dataclass(frozen=True)
class CalibrationChoice:
    """The calibration training chose, and the cross-validated figures of each candidate.

    Parameters
    ----------
    chosen : {"none", "sigmoid", "isotonic", "length_sigmoid"}
    cross_validated : mapping of str to mapping of str to float
        By candidate method: its out-of-fold ``brier`` score and ``ece``.

    Examples
    --------
    >>> CalibrationChoice("none", {"none": {"brier": 0.1, "ece": 0.02}}).to_dict()["chosen"]
    'none'
    """

    chosen: str
    cross_validated: Mapping[str, Mapping[str, float]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "chosen": self.chosen,
            "cross_validated": {name: dict(figures) for name, figures in self.cross_validated.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalibrationChoice:
        """Rebuild a choice saved by :meth:`to_dict`; refuses unknown or missing keys."""
        values = checked_fields(cls, data, "calibration")
        candidates = json_object(values["cross_validated"], "calibration.cross_validated")
        return cls(
            chosen=values["chosen"],
            cross_validated={
                name: json_object(figures, f"calibration.cross_validated.{name}")
                for name, figures in candidates.items()
            },
        )


@dataclass(frozen=True)
class AggregationChoice(Record):
    """How a long text's score is built from its passages, and the figures that chose the rule.

    Parameters
    ----------
    rule : {"whole", "max", "whole_capped"}
    roc_auc_on_texts_of_several_passages : mapping of str to float or None
        Out-of-fold ROC-AUC of every rule on the training texts of several passages
        (None when those texts had one label).
    texts_of_several_passages : int
        How many training texts that was.

    Examples
    --------
    >>> choice = AggregationChoice("max", {"max": 0.9}, 12)
    >>> AggregationChoice.from_dict(choice.to_dict()) == choice
    True
    """

    rule: str
    roc_auc_on_texts_of_several_passages: Mapping[str, float | None]
    texts_of_several_passages: int

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AggregationChoice:
        """Rebuild a choice saved by :meth:`to_dict`; refuses unknown or missing keys."""
        values = checked_fields(cls, data, "aggregation_cross_validated")
        by_rule = json_object(
            values["roc_auc_on_texts_of_several_passages"],
            "aggregation_cross_validated.roc_auc_on_texts_of_several_passages",
        )
        return cls(
            rule=values["rule"],
            roc_auc_on_texts_of_several_passages=by_rule,
            texts_of_several_passages=values["texts_of_several_passages"],
        )


@dataclass(frozen=True)
class ModelCard:
    """Everything said about a model: versions, training data, choices, figures, file format.

    Training writes the first part (:func:`classifier.train`); saving adds the fields
    that rebuild the model from its arrays (``format_version`` to ``arrays_sha256``,
    None until then). Every card says what data its model learnt from
    (:attr:`training_data`), whatever the model.

    Parameters
    ----------
    name : str
        ``promo-he`` for a trained model, ``promo-he (default model)`` for the shipped one.
    created : str
        When the model was trained, ISO 8601 in UTC.
    package_version, sklearn_version, python_version : str
        The versions that trained it.
    training_data : TrainingData
    config : TrainConfig
        How it was built.
    calibration : CalibrationChoice
    threshold : float
        A post scoring at or above it is promotional.
    threshold_rule : str
        How the threshold was chosen (``max F1`` or a target precision).
    cv_metrics : Metrics
        Cross-validated figures on the training data, at the threshold.
    default_prior : float or None
        The share of promotional posts scores assume unless told (None: the training share).
    aggregation_cross_validated : AggregationChoice or None
        How long texts are judged and why; None only in hand-made cards.
    heldout : DataSetMetrics or None
        Figures on data never trained on (the default model's held-out split).
    format_version : int or None
        The model file format; set when saved, as are the fields below.
    features : FeatureSettings or None
        How the engine turns text into features.
    calibration_map : mapping or None
        The calibration's parameters (:meth:`classifier.modeling.model.Calibration.describe`).
    aggregation : str or None
        The long-text rule the model applies.
    trained_share : float or None
        The share of promotional posts in the training data.
    cue_list : str or None
        The fingerprint of the cue wordings its cue columns learnt
        (:data:`classifier.featurize.engine.CUE_LIST`); None for a model without cues.
    engine : str or None
        The fingerprint of what the feature engine extracts under ``features`` from a fixed set
        of posts (:func:`classifier.featurize.engine.engine_fingerprint`), checked at load.
    arrays_sha256 : str or None
        The checksum of the model's arrays, checked at load.
    extra : mapping of str to object
        Top-level keys of a card file that this package does not know, kept as they were.

    Examples
    --------
    >>> card = ModelCard(
    ...     name="m", created="2026-01-01T00:00:00+00:00", package_version="0.1.0",
    ...     sklearn_version="1.5", python_version="3.11",
    ...     training_data=TrainingData(files=("mine.csv",), sha256="ab", rows={"organic": 12}),
    ...     config=TrainConfig(), calibration=CalibrationChoice("none", {}),
    ...     threshold=0.5, threshold_rule="max F1",
    ...     cv_metrics=Metrics(12, 0.5, 0.0, 0.0, 0.0, 0.5, None, None, 0.1, 0.05, ((12, 0), (0, 0))),
    ... )
    >>> card.training_data.files
    ('mine.csv',)
    >>> ModelCard.from_dict(card.to_dict()) == card
    True
    """

    name: str
    created: str
    package_version: str
    sklearn_version: str
    python_version: str
    training_data: TrainingData
    config: TrainConfig
    calibration: CalibrationChoice
    threshold: float
    threshold_rule: str
    cv_metrics: Metrics
    default_prior: float | None = None
    aggregation_cross_validated: AggregationChoice | None = None
    heldout: DataSetMetrics | None = None
    format_version: int | None = None
    features: FeatureSettings | None = None
    calibration_map: Mapping[str, Any] | None = None
    aggregation: str | None = None
    trained_share: float | None = None
    cue_list: str | None = None
    engine: str | None = None
    arrays_sha256: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clash = sorted(set(self.extra) & _CARD_KEYS)
        if clash:
            raise ClassifierError(f"extra keys of a model card may not be its own fields: {', '.join(clash)}")

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON-ready values, in the order and form the model files store it.

        Optional parts that are None are left out, except ``default_prior``, which is
        always written; :attr:`extra` comes last.
        """
        out: dict[str, Any] = {
            "name": self.name,
            "created": self.created,
            "package_version": self.package_version,
            "sklearn_version": self.sklearn_version,
            "python_version": self.python_version,
            "training_data": self.training_data.to_dict(),
            "config": self.config.to_dict(),
            "calibration": self.calibration.to_dict(),
            "threshold": self.threshold,
            "threshold_rule": self.threshold_rule,
            "cv_metrics": self.cv_metrics.to_dict(),
            "default_prior": self.default_prior,
        }
        optional = {
            "aggregation_cross_validated": self.aggregation_cross_validated,
            "heldout": self.heldout,
            "format_version": self.format_version,
            "features": self.features,
            "calibration_map": self.calibration_map,
            "aggregation": self.aggregation,
            "trained_share": self.trained_share,
            "cue_list": self.cue_list,
            "engine": self.engine,
            "arrays_sha256": self.arrays_sha256,
        }
        for key, value in optional.items():
            if isinstance(value, (AggregationChoice, DataSetMetrics, FeatureSettings)):
                out[key] = value.to_dict()
            elif isinstance(value, Mapping):
                out[key] = dict(value)
            elif value is not None:
                out[key] = value
        return {**out, **self.extra}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCard:
        """Read a card saved by :meth:`to_dict` (or by an earlier release).

        Raises
        ------
        ClassifierError
            When a required key is missing (the message names it), a record inside the
            card has a key this package does not know, or a value has the wrong shape.
        """
        card = json_object(data, "the card")
        known = {key: value for key, value in card.items() if key in _CARD_KEYS}
        extra = {key: value for key, value in card.items() if key not in _CARD_KEYS}
        values = checked_fields(cls, known, "the card")
        choice, heldout = values.get("aggregation_cross_validated"), values.get("heldout")
        features, mapping = values.get("features"), values.get("calibration_map")
        try:
            return cls(
                name=values["name"],
                created=values["created"],
                package_version=values["package_version"],
                sklearn_version=values["sklearn_version"],
                python_version=values["python_version"],
                training_data=TrainingData.from_dict(values["training_data"]),
                config=TrainConfig.from_dict(checked_fields(TrainConfig, values["config"], "config")),
                calibration=CalibrationChoice.from_dict(values["calibration"]),
                threshold=values["threshold"],
                threshold_rule=values["threshold_rule"],
                cv_metrics=Metrics.from_dict(values["cv_metrics"], "cv_metrics"),
                default_prior=values.get("default_prior"),
                aggregation_cross_validated=None if choice is None else AggregationChoice.from_dict(choice),
                heldout=None if heldout is None else DataSetMetrics.from_dict(heldout, "heldout"),
                format_version=values.get("format_version"),
                features=None
                if features is None
                else FeatureSettings.from_dict(checked_fields(FeatureSettings, features, "features")),
                calibration_map=None if mapping is None else json_object(mapping, "calibration_map"),
                aggregation=values.get("aggregation"),
                trained_share=values.get("trained_share"),
                cue_list=values.get("cue_list"),
                engine=values.get("engine"),
                arrays_sha256=values.get("arrays_sha256"),
                extra=extra,
            )
        except (TypeError, ValueError) as error:
            raise ClassifierError(f"the card has a value of the wrong shape ({error})") from None


#: The top-level keys of a card's JSON: its fields but ``extra``.
_CARD_KEYS = frozenset(f.name for f in fields(ModelCard)) - {"extra"}


def _fmt(value: object, digits: int = 3) -> str:
    """A float to ``digits`` decimals (Brier scores of rival calibrations differ in the fourth)."""
    return f"{value:.{digits}f}" if isinstance(value, float) else "n/a" if value is None else str(value)


def _metrics_table(named: list[tuple[str, Metrics]]) -> list[str]:
    keys = ("n", "precision", "recall", "f1", "macro_f1", "roc_auc", "pr_auc", "brier", "ece")
    lines = ["| data | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for name, metrics in named:
        lines.append(f"| {name} | " + " | ".join(_fmt(getattr(metrics, k)) for k in keys) + " |")
    return lines


def _provenance(data: TrainingData) -> list[str]:
    """Where the training data came from, as far as the card knows."""
    lines = []
    if any(Path(f).name == "posts.csv" for f in data.files):
        lines.append(
            "- posts.csv is the bundled corpus if it is data/posts.csv of promo-he: written post by post by "
            "the project, with fictional brands and people, following GUIDELINES.md (see data/README.md)."
        )
    others = [f for f in data.files if Path(f).name != "posts.csv"]
    if others:
        lines.append(f"- Your own data: {', '.join(others)}; its provenance is yours to record.")
    if data.weighted:
        lines.append(
            f"- Post weights in training: {list(data.weighted)} (posts added with `--add` count more)."
        )
    return lines


def _length_calibration(mapping: Mapping[str, Any] | None, aggregation: str | None) -> list[str]:
    """The card's line on a length-aware calibration (none for other maps)."""
    if not mapping or mapping.get("method") != "length_sigmoid":
        return []
    edges = mapping.get("length_edges", [])
    bands = ", ".join(f"over {edge} words" for edge in edges) or "none"
    capped = (
        ", so a long text never scores above its most promotional passage"
        if aggregation in ("max", "whole_capped")
        else ""
    )
    return [
        f"- Length: texts get their own offset and slope in bands of length ({bands}), fitted on "
        "cross-validated scores; at the same log-odds a longer text never scores above a shorter "
        f"one{capped}."
    ]


def render_markdown(card: ModelCard) -> str:
    """Render a model card as Markdown for people.

    Sections: intended use and users, the label definition, training data, metrics
    with the data they were measured on, the weakest kinds, limitations, and how to
    retrain.

    Examples
    --------
    >>> from classifier import Predictor
    >>> print(render_markdown(Predictor.load().card))  # doctest: +SKIP
    # Model card: promo-he (default model)
    ...
    """
    data = card.training_data
    aggregation = card.aggregation_cross_validated
    by_rule = {} if aggregation is None else aggregation.roc_auc_on_texts_of_several_passages
    features = "n/a" if card.features is None else asdict(card.features)  # n-gram ranges as (1, 4)
    lines = [
        f"# Model card: {card.name}",
        "",
        f"Created {card.created} by promo-he {card.package_version} "
        f"(scikit-learn {card.sklearn_version}, Python {card.python_version}).",
        "",
        "## Intended use",
        "",
        "Scores how promotional a Hebrew post, web page or article is, from 0 (organic) to 1 "
        "(promotional), for "
        "trust-and-safety teams, researchers, regulators and marketing analysts who measure, filter or "
        "label promotional content. Use the score to rank and triage posts for review and to measure "
        "the share of promotional content; do not use it as the sole basis of a legal or disciplinary "
        "decision about a person.",
        "",
        "## Label definition",
        "",
        LABEL_DEFINITION,
        "",
        "## Training data",
        "",
        f"- Files: {', '.join(data.files) or 'n/a'}" + (f" ({data.split})" if data.split else ""),
        f"- Rows: {data.rows.get('promotional', 0)} promotional, {data.rows.get('organic', 0)} organic; "
        f"skipped: {dict(data.skipped) or 'none'}",
        f"- SHA-256 of the data: `{data.sha256}`",
        *_provenance(data),
        "",
        "## Decision threshold and calibration",
        "",
        f"- Threshold: {_fmt(card.threshold)} ({card.threshold_rule}, chosen on cross-validated scores).",
        f"- Calibration: {card.calibration.chosen}; cross-validated candidates: "
        + ", ".join(
            f"{name} (Brier {_fmt(v.get('brier'), 4)}, ECE {_fmt(v.get('ece'))})"
            for name, v in card.calibration.cross_validated.items()
        ),
        *_length_calibration(card.calibration_map, card.aggregation),
        "",
        "## Long texts, base rate and file format",
        "",
        f"- Long texts: a text of {LONG_TEXT_WORDS} words or more with several passages (paragraphs, else "
        f"lines, else sentences, lines and sentences gathered into passages of at least "
        f"{MIN_PASSAGE_WORDS} words) is judged by the rule `{card.aggregation or 'n/a'}` "
        "(chosen by cross-validated ROC-AUC on such texts: "
        + ", ".join(f"{rule} {_fmt(auc)}" for rule, auc in by_rule.items())
        + "); `whole_capped` takes the whole text's log-odds but never more than its most promotional "
        "passage's, so length alone cannot make a text promotional.",
        (
            f"- Base rate: probabilities assume a share of promotional posts of {_fmt(card.default_prior)} "
            f"(the default prior; the training data's share is {_fmt(card.trained_share)})"
            if card.default_prior is not None
            else "- Base rate: probabilities assume the training data's share of promotional posts, "
            f"{_fmt(card.trained_share)}"
        )
        + "; for a feed with another share, pass `--prior` (`Predictor(prior=...)`) to adjust them "
        "by Bayes' rule.",
        "- Language: texts with too little Hebrew to judge get no score (language `other`).",
        f"- Format: version {_fmt(card.format_version)}, NumPy arrays in an `.npz` file read without "
        f"unpickling, checked against SHA-256 `{(card.arrays_sha256 or 'n/a')[:16]}…`; features "
        f"{features}.",
        "",
        "## Metrics",
        "",
    ]
    named = [("cross-validation on the training data", card.cv_metrics)]
    if card.heldout is not None:
        named.append(("held-out split (never trained on)", card.heldout.overall))
    lines += _metrics_table(named)
    per_kind = () if card.heldout is None or card.heldout.per_kind is None else card.heldout.per_kind
    if per_kind:
        promo = sorted((r for r in per_kind if r.is_recall), key=lambda r: r.value)
        organic = sorted((r for r in per_kind if not r.is_recall), key=lambda r: -r.value)
        lines += ["", "## Weakest kinds (held-out split)", ""]
        lines += [f"- promotional `{r.kind}`: recall {r.value:.3f} (n={r.n})" for r in promo[:_N_WEAKEST]]
        lines += [
            f"- organic `{r.kind}`: false-positive rate {r.value:.3f} (n={r.n})" for r in organic[:_N_WEAKEST]
        ]
    lines += [
        "",
        "## Limitations",
        "",
        "- Trained on a written corpus, not on sampled real posts: figures on it overstate quality on real "
        "feeds. Measure on your own labelled posts with `promo evaluate your.csv`.",
        "- Text only: it does not see images, video, link targets, the account or its history.",
        "- Undisclosed influencer posts and genuine recommendations can read the same; expect errors there.",
        "- Hebrew only: texts with too little Hebrew get no score rather than an unreliable one.",
        "",
        "## Retraining on your own labels",
        "",
        "```bash",
        "promo train your-posts.csv --out models/yours.npz      # columns text,label",
        "promo evaluate your-heldout.csv --model models/yours.npz --report reports/yours",
        "```",
        "",
    ]
    return "\n".join(lines)
