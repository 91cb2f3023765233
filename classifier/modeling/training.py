"""Training: cross-validate, choose calibration and threshold, fit, describe."""

from __future__ import annotations

import logging
import multiprocessing
import os
import platform
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy.special import expit
from sklearn.base import clone
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from classifier._version import __version__
from classifier.core.config import TrainConfig
from classifier.core.errors import ClassifierError
from classifier.featurize.engine import Batch, LinearModel, extract
from classifier.featurize.features import HashedFeatures, batch_matrix, subset_batch
from classifier.featurize.scaling import LogRatioScaling
from classifier.modeling.card import AggregationChoice, CalibrationChoice, ModelCard, TrainingData
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.metrics import choose_threshold, expected_calibration_error, summarize
from classifier.modeling.model import CALIBRATION_METHODS, Calibration, Model, aggregate
from classifier.modeling.pipeline import build_pipeline
from classifier.modeling.storage import save_model
from classifier.text.passages import length_buckets

logger = logging.getLogger(__name__)
MIN_PER_LABEL = 10
#: The fewest posts of your own that ``promo train --add`` learns from: fewer cannot be told from noise.
MIN_ADDED = 10
#: The word counts above which ``length_sigmoid`` gives texts their own offset and slope: the
#: issue's bands of long (over 150 words) and very long (over 400) texts, not tuned.
LENGTH_EDGES = (150, 400)
#: An edge is used only when at least this many training posts of each label are longer:
#: fewer cannot fit an offset and a slope of their own.
MIN_PER_LENGTH_BUCKET = 30


@dataclass
class TrainedModel:
    """A trained model with its card and the scikit-learn pipeline it was exported from.

    Attributes
    ----------
    model : Model
        The model as data: what is saved and what scores.
    card : ModelCard
        Versions, training data, configuration, calibration, aggregation, threshold
        and cross-validated metrics.
    cv_scores : numpy.ndarray
        Out-of-fold calibrated scores of the training posts, in their order.
    pipeline : sklearn.pipeline.Pipeline
        The fitted ``features`` + ``scaling`` + ``classifier`` pipeline (uncalibrated log-odds of
        whole texts), for use inside scikit-learn.
    """

    model: Model
    card: ModelCard
    cv_scores: np.ndarray
    pipeline: Pipeline

    def save(self, path: Path) -> None:
        """Write the model and its cards atomically (see :func:`classifier.modeling.storage.save_model`)."""
        save_model(self.model, self.card, Path(path))


def check_added(posts: LabelledPosts) -> None:
    """Refuse too few posts of the user's own to learn from (:data:`MIN_ADDED`).

    Examples
    --------
    >>> check_added(LabelledPosts(texts=["א"] * 3, labels=[0] * 3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    classifier.core.errors.ClassifierError: only 3 posts of yours (0 promotional, 3 organic); at least 10 ...
    """
    counts = posts.counts()
    if len(posts) < MIN_ADDED:
        raise ClassifierError(
            f"only {len(posts)} posts of yours ({counts['promotional']} promotional, "
            f"{counts['organic']} organic); "
            f"at least {MIN_ADDED} are needed to learn from them"
        )


def _check_trainable(posts: LabelledPosts, config: TrainConfig) -> None:
    counts = posts.counts()
    present = [name for name, n in counts.items() if n]
    if len(present) < 2:
        raise ClassifierError(
            f"the training data has only {' and '.join(present) or 'no'} posts; both labels are needed"
        )
    fewest = min(counts.values())
    if fewest < MIN_PER_LABEL:
        label = min(counts, key=lambda name: counts[name])
        raise ClassifierError(
            f"the training data has {fewest} {label} posts; at least {MIN_PER_LABEL} of each label are needed"
        )
    if fewest < config.cv_folds:
        raise ClassifierError(
            f"{config.cv_folds}-fold cross-validation needs {config.cv_folds} posts of each label"
        )


def _calibrated_out_of_fold(
    decision: np.ndarray, y: np.ndarray, method: str, folds: StratifiedKFold, lengths: _Lengths
) -> np.ndarray:
    """Out-of-fold calibrated probabilities from out-of-fold decision values."""
    if method == "none":
        return np.asarray(expit(decision))
    column = decision.reshape(-1, 1)
    if method == "sigmoid":
        platt = LogisticRegression(C=1e6, max_iter=1000)
        return np.asarray(cross_val_predict(platt, column, y, cv=folds, method="predict_proba")[:, 1])
    probabilities = np.empty_like(decision, dtype=float)
    for fit_rows, test_rows in folds.split(column, y):
        if method == "length_sigmoid":
            fitted = _fit_length_sigmoid(decision[fit_rows], y[fit_rows], lengths.subset(fit_rows))
            probabilities[test_rows] = fitted.apply(decision[test_rows], lengths.buckets[test_rows])
            continue
        xs, ys = centered_isotonic_points(decision[fit_rows], y[fit_rows])
        probabilities[test_rows] = np.interp(decision[test_rows], xs, ys)
    return probabilities


@dataclass(frozen=True)
class _Lengths:
    """The length buckets of the training posts under the edges that training uses."""

    edges: tuple[int, ...]
    buckets: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], y: np.ndarray) -> _Lengths:
        """The :data:`LENGTH_EDGES` that at least :data:`MIN_PER_LENGTH_BUCKET` posts of each label exceed."""
        counts = length_buckets(texts, LENGTH_EDGES)
        # the posts above an edge include those above every later one, so the edges kept are the first few
        kept = sum(
            min(int(np.sum((counts >= k) & (y == label))) for label in (0, 1)) >= MIN_PER_LENGTH_BUCKET
            for k in range(1, len(LENGTH_EDGES) + 1)
        )
        return cls(LENGTH_EDGES[:kept], np.minimum(counts, kept))

    def subset(self, rows: np.ndarray) -> _Lengths:
        """The buckets of ``rows`` only, under the same edges."""
        return _Lengths(self.edges, self.buckets[rows])


def _length_columns(decision: np.ndarray, buckets: np.ndarray, n_edges: int) -> np.ndarray:
    """The log-odds, then one indicator per edge, then the log-odds times each indicator."""
    above = np.stack([(buckets >= k).astype(float) for k in range(1, n_edges + 1)], axis=1)
    return np.c_[decision, above, decision[:, None] * above]


def _fit_length_sigmoid(decision: np.ndarray, y: np.ndarray, lengths: _Lengths) -> Calibration:
    """A sigmoid with its own offset and slope above each length edge (logistic regression)."""
    n = len(lengths.edges)
    fitted = LogisticRegression(C=1e6, max_iter=2000).fit(_length_columns(decision, lengths.buckets, n), y)
    coef = fitted.coef_[0]
    return Calibration(
        "length_sigmoid",
        slope=float(coef[0]),
        offset=float(fitted.intercept_[0]),
        length_edges=lengths.edges,
        length_offsets=tuple(float(v) for v in coef[1 : n + 1]),
        length_slopes=tuple(float(v) for v in coef[n + 1 :]),
    )


def _length_sigmoid_usable(decision: np.ndarray, y: np.ndarray, lengths: _Lengths) -> str | None:
    """Why a length-aware sigmoid cannot be fitted here (None when it can)."""
    if not lengths.edges:
        return (
            f"too few long texts for a length-aware calibration (it needs {MIN_PER_LENGTH_BUCKET} posts "
            f"of each label over {LENGTH_EDGES[0]} words)"
        )
    if not _fit_length_sigmoid(decision, y, lengths).keeps_order():
        return "a length-aware calibration would reverse the score order of some lengths on this data"
    return None


def centered_isotonic_points(decision: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points of a centred isotonic calibration: one per step of the isotonic fit.

    Isotonic regression fits a step function: every score on a step gets the same
    probability, so scores that the model ranks apart become ties, and a prior moves the
    threshold from step to step. Centred isotonic regression (Oron and Flournoy,
    *Statistics in Biopharmaceutical Research* 9(3), 2017) keeps each step's probability
    but places it at the mean score of the step's posts and interpolates linearly between
    steps, so the map is strictly increasing between the first and last point (clipped
    beyond them) and keeps the model's ranking.

    Parameters
    ----------
    decision : numpy.ndarray
        The model's log-odds of the posts.
    y : numpy.ndarray
        Their labels, 0 or 1.

    Returns
    -------
    tuple of numpy.ndarray
        Strictly increasing scores and strictly increasing probabilities, to interpolate
        between with :func:`numpy.interp`.

    Examples
    --------
    >>> xs, ys = centered_isotonic_points(np.array([0.0, 1.0, 2.0, 3.0]), np.array([0, 1, 0, 1]))
    >>> xs.tolist(), ys.tolist()
    ([0.0, 1.5, 3.0], [0.0, 0.5, 1.0])
    """
    decision = np.asarray(decision, dtype=np.float64)
    order = np.argsort(decision, kind="stable")
    scores = decision[order]
    fitted = IsotonicRegression(y_min=0.0, y_max=1.0).fit(scores, np.asarray(y)[order]).predict(scores)
    starts = np.flatnonzero(np.r_[True, np.diff(fitted) > 0])
    sizes = np.diff(np.r_[starts, len(scores)])
    return np.add.reduceat(scores, starts) / sizes, fitted[starts]


def _sigmoid_keeps_order(decision: np.ndarray, y: np.ndarray) -> bool:
    """Whether Platt scaling of these scores has a positive slope (weak data can invert it)."""
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(decision.reshape(-1, 1), y)
    return bool(platt.coef_[0, 0] > 0)


def _fit_calibration(decision: np.ndarray, y: np.ndarray, method: str, lengths: _Lengths) -> Calibration:
    """The calibration map fitted on all out-of-fold decision values."""
    if method == "sigmoid":
        platt = LogisticRegression(C=1e6, max_iter=1000).fit(decision.reshape(-1, 1), y)
        return Calibration("sigmoid", slope=float(platt.coef_[0, 0]), offset=float(platt.intercept_[0]))
    if method == "length_sigmoid":
        return _fit_length_sigmoid(decision, y, lengths)
    if method == "isotonic":
        xs, ys = centered_isotonic_points(decision, y)
        return Calibration("isotonic", x=xs, y=ys)
    return Calibration("none")


def export_linear(pipeline: Pipeline) -> LinearModel:
    """The engine's form of a fitted ``features`` + ``scaling`` + logistic-regression pipeline
    (the scaling's column factors multiplied into the coefficients).

    Examples
    --------
    >>> pipeline = build_pipeline(TrainConfig(min_df=1, hash_bits=10))
    >>> _ = pipeline.fit(["מבצע היום באתר", "שבת שלום", "הנחה ענקית", "יום יפה"], [1, 0, 1, 0])
    >>> linear = export_linear(pipeline)
    >>> bool(np.allclose(linear.decision(["מבצע"]), pipeline.decision_function(["מבצע"])))
    True
    """
    features: HashedFeatures = pipeline.named_steps["features"]
    scaling = pipeline.named_steps["scaling"]
    classifier = pipeline.named_steps["classifier"]
    return _linear_of(features.settings, features.idf_, _scale_of(scaling), classifier)


def _scale_of(scaling: LogRatioScaling | str) -> np.ndarray | None:
    """The column factors of a fitted scaling step; None for ``"passthrough"``."""
    return scaling.scale_ if isinstance(scaling, LogRatioScaling) else None


def _linear_of(
    settings: Any, idf: np.ndarray, scale: np.ndarray | None, classifier: LogisticRegression
) -> LinearModel:
    """The engine's model: the classifier's coefficients times the scaling's column factors."""
    coef = np.asarray(classifier.coef_, dtype=np.float64).ravel()
    if scale is not None:
        coef = coef * scale
    width = settings.width
    return LinearModel(
        settings=settings,
        coef=coef[:width].astype(np.float32),
        idf=idf.astype(np.float32),
        cue_coef=coef[width:],
        intercept=float(np.asarray(classifier.intercept_).ravel()[0]),
    )


#: Training sets smaller than this cross-validate in one process: forking costs more than it saves.
PARALLEL_FOLDS_MIN_POSTS = 2000


@dataclass(frozen=True)
class _FoldData:
    """What every fold reads: the extracted texts, their labels and weights, the unfitted steps."""

    batch: Batch
    y: np.ndarray
    weights: np.ndarray
    features: HashedFeatures
    scaling: LogRatioScaling | str
    classifier: LogisticRegression


#: The fold data a forked worker inherits from its parent (set just before the pool forks).
_FOLD_DATA: _FoldData | None = None


def _task(rows: tuple[np.ndarray, np.ndarray | None]) -> tuple[Any, ...]:
    """Fit the features, the scaling and the classifier on the rows ``rows[0]`` of the fold data; return the
    log-odds of the test rows ``rows[1]`` (whole and best passage), or, for the final fit (no test
    rows), the fitted steps."""
    data = _FOLD_DATA
    assert data is not None, "fold data not set"
    fit_rows, test_rows = rows
    features = clone(data.features).fit_rows(data.batch, fit_rows)
    classifier = clone(data.classifier)
    matrix = batch_matrix(subset_batch(data.batch, fit_rows), features.idf_, features.settings)
    y, weights = data.y[fit_rows], data.weights[fit_rows]
    scaling = data.scaling
    if isinstance(scaling, LogRatioScaling):
        scaling = clone(scaling).fit(matrix, y, sample_weight=weights)
        matrix = scaling.transform(matrix)
    classifier.fit(matrix, y, sample_weight=weights)
    if test_rows is None:
        return features, scaling, classifier
    linear = _linear_of(features.settings, features.idf_, _scale_of(scaling), classifier)
    return test_rows, linear.decide(subset_batch(data.batch, test_rows))


def _cross_validate_and_fit(
    texts: list[str], y: np.ndarray, config: TrainConfig, folds: StratifiedKFold, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, Pipeline]:
    """Out-of-fold log-odds of every text and of its best passage (NaN for one-passage texts), and
    the pipeline fitted on all texts.

    Each text is extracted once; each fold learns its own idf, column scale and classifier from its
    training rows only. The folds and the final fit run in forked processes, one per
    core, when there are enough texts: liblinear seeds one global generator per
    process, so processes (unlike threads) keep training deterministic.
    """
    global _FOLD_DATA
    pipeline = build_pipeline(config)
    features: HashedFeatures = pipeline.named_steps["features"]
    batch = extract(texts, features.settings)
    whole = np.zeros(len(texts))
    best = np.full(len(texts), np.nan)
    # the final fit first: it is the longest task
    tasks: list[tuple[np.ndarray, np.ndarray | None]] = [(np.arange(len(texts)), None)]
    tasks += list(folds.split(np.zeros(len(texts)), y))
    workers = min(len(tasks), os.cpu_count() or 1)
    steps = pipeline.named_steps
    _FOLD_DATA = _FoldData(batch, y, weights, features, steps["scaling"], steps["classifier"])
    try:
        if workers > 1 and len(texts) >= PARALLEL_FOLDS_MIN_POSTS and os.name == "posix":
            with ProcessPoolExecutor(workers, multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(_task, tasks))
        else:
            results = [_task(rows) for rows in tasks]
    finally:
        _FOLD_DATA = None
    (fitted_features, scaling, classifier), folds_done = results[0], results[1:]
    for test_rows, (fold_whole, fold_best) in folds_done:
        whole[test_rows], best[test_rows] = fold_whole, fold_best
    pipeline.steps = [("features", fitted_features), ("scaling", scaling), ("classifier", classifier)]
    return whole, best, pipeline


def _choose_aggregation(
    whole: np.ndarray, best: np.ndarray, y: np.ndarray, config: TrainConfig
) -> tuple[str, dict[str, float | None]]:
    """The aggregation rule with the highest out-of-fold ROC-AUC on the texts of several passages."""
    long_texts = ~np.isnan(best)
    rules = ("max", "whole_capped") if config.aggregation == "auto" else (config.aggregation,)
    measured: dict[str, float | None] = {}
    for rule in ("whole", "max", "whole_capped"):
        values = aggregate(whole, best, rule)[long_texts]
        labels = y[long_texts]
        measured[rule] = float(roc_auc_score(labels, values)) if len(set(labels.tolist())) == 2 else None
    chosen = max(rules, key=lambda rule: measured[rule] or 0.0)
    return chosen, measured


def train(posts: LabelledPosts, config: TrainConfig | None = None) -> TrainedModel:
    """Train a promotional-post model on labelled posts.

    Cross-validates (``config.cv_folds`` stratified folds, seeded) to get out-of-fold
    log-odds of every post and of its passages; chooses how a long text's score is
    built from its passages (``config.aggregation``; ``"auto"`` picks by out-of-fold
    ROC-AUC on the posts of several passages), the calibration (by cross-validated
    Brier score when ``config.calibration`` is ``"auto"``) and the decision threshold
    (max F1, or the lowest meeting ``config.target_precision``); then fits the
    pipeline on all posts. Deterministic: the same posts and configuration give the
    same model and scores.

    Parameters
    ----------
    posts : LabelledPosts
        From :func:`classifier.modeling.dataset.read_labelled` or
        :func:`classifier.workflows.corpus.load_corpus`.
    config : TrainConfig or None
        None for the defaults.

    Returns
    -------
    TrainedModel

    Raises
    ------
    ClassifierError
        With fewer than two labels, fewer than ten posts of a label, an unreachable
        target precision, or ``calibration="length_sigmoid"`` on too few long texts (fewer
        than :data:`MIN_PER_LENGTH_BUCKET` of each label over 150 words) or where it would
        reverse the score order.

    Examples
    --------
    >>> from classifier.modeling.dataset import LabelledPosts
    >>> ads = [f"מבצע {i} הנחה רק היום באתר שלנו" for i in range(12)]
    >>> chats = [f"מישהו ראה את המשחק אתמול {i}" for i in range(12)]
    >>> posts = LabelledPosts(texts=ads + chats, labels=[1] * 12 + [0] * 12)
    >>> model = train(posts, TrainConfig(min_df=1, cv_folds=3))
    >>> model.card.training_data.rows
    {'organic': 12, 'promotional': 12}
    """
    config = config or TrainConfig()
    _check_trainable(posts, config)
    texts, y = list(posts.texts), np.asarray(posts.labels, dtype=int)
    folds = StratifiedKFold(n_splits=config.cv_folds, shuffle=True, random_state=config.seed)

    logger.info("cross-validating on %d posts (%d folds) and fitting on all", len(texts), config.cv_folds)
    weights = np.asarray(posts.weights if posts.weights is not None else np.ones(len(texts)), dtype=float)
    whole, best, pipeline = _cross_validate_and_fit(texts, y, config, folds, weights)
    aggregation, by_rule = _choose_aggregation(whole, best, y, config)
    decision = aggregate(whole, best, aggregation)
    methods = CALIBRATION_METHODS if config.calibration == "auto" else (config.calibration,)
    candidates: dict[str, dict[str, float]] = {}
    calibrated: dict[str, np.ndarray] = {}
    lengths = _Lengths.of(texts, y)
    for method in methods:
        if method == "sigmoid" and config.calibration == "auto" and not _sigmoid_keeps_order(decision, y):
            logger.info("sigmoid calibration would reverse the score order on this data; not considered")
            continue
        if method == "length_sigmoid" and (why := _length_sigmoid_usable(decision, y, lengths)):
            if config.calibration == "auto":
                logger.info("%s; not considered", why)
                continue
            raise ClassifierError(f"{why}; choose another calibration")
        calibrated[method] = _calibrated_out_of_fold(decision, y, method, folds, lengths)
        candidates[method] = {
            "brier": float(np.mean((calibrated[method] - y) ** 2)),
            "ece": expected_calibration_error(y, calibrated[method]),
        }
    chosen = min(candidates, key=lambda m: (candidates[m]["brier"], candidates[m]["ece"]))
    scores = calibrated[chosen]
    try:
        threshold = choose_threshold(y, scores, config.target_precision)
    except ValueError:
        raise ClassifierError(
            f"no threshold reaches precision {config.target_precision} in cross-validation; "
            "lower --target-precision"
        ) from None
    cv_metrics = summarize(y, scores, threshold)
    logger.info("aggregation %s, calibration %s, threshold %.3f", aggregation, chosen, threshold)
    model = Model(
        linear=export_linear(pipeline),
        calibration=_fit_calibration(decision, y, chosen, lengths),
        threshold=threshold,
        aggregation=aggregation,
        trained_share=float(y.mean()),
    )
    aggregation_choice = AggregationChoice(
        rule=aggregation,
        roc_auc_on_texts_of_several_passages=by_rule,
        texts_of_several_passages=int((~np.isnan(best)).sum()),
    )
    card = ModelCard(
        name="promo-he",
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        package_version=__version__,
        sklearn_version=sklearn.__version__,
        python_version=platform.python_version(),
        training_data=training_data_of(posts),
        config=config,
        calibration=CalibrationChoice(chosen=chosen, cross_validated=candidates),
        threshold=threshold,
        threshold_rule=(
            "max F1"
            if config.target_precision is None
            else f"lowest with precision >= {config.target_precision}"
        ),
        cv_metrics=cv_metrics,
        default_prior=config.prior,
        aggregation_cross_validated=aggregation_choice,
    )
    return TrainedModel(model=model, card=card, cv_scores=scores, pipeline=pipeline)


def training_data_of(posts: LabelledPosts) -> TrainingData:
    """What a model card says about the posts a model was trained on.

    Examples
    --------
    >>> posts = LabelledPosts(texts=["א", "ב"], labels=[1, 0], sources=["a.csv:2", "b.csv:2"])
    >>> training_data_of(posts).files
    ('a.csv', 'b.csv')
    """
    return TrainingData(
        files=tuple(sorted({source.rsplit(":", 1)[0] for source in posts.sources})),
        sha256=posts.sha256,
        rows=posts.counts(),
        weighted=None if posts.weights is None else tuple(sorted(set(posts.weights))),
        skipped={reason: len(where) for reason, where in posts.skipped.items()},
    )
