"""The model: one scikit-learn Pipeline built by one factory."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from classifier.config import TrainConfig
from classifier.features import build_features


def build_pipeline(config: TrainConfig, calibration: str | None = None) -> Pipeline:
    """Build the unfitted model: ``features`` then ``classifier``.

    The classifier is an L2 logistic regression on the features; with a
    ``calibration`` of ``"sigmoid"`` or ``"isotonic"`` it is wrapped in a
    :class:`~sklearn.calibration.CalibratedClassifierCV` whose calibrator learns from
    cross-validated scores and whose single regression is fitted on all rows.
    ``predict_proba(texts)[:, 1]`` is the promotional score.

    Parameters
    ----------
    config : TrainConfig
        Feature and classifier settings.
    calibration : str or None
        ``"none"``, ``"sigmoid"`` or ``"isotonic"``; None takes ``config.calibration``
        (where ``"auto"`` means ``"none"``: training resolves ``"auto"`` first).

    Examples
    --------
    >>> model = build_pipeline(TrainConfig(min_df=1))
    >>> [name for name, _ in model.steps]
    ['features', 'classifier']
    """
    method = config.calibration if calibration is None else calibration
    linear = LogisticRegression(
        C=config.C, solver="liblinear", class_weight="balanced", random_state=config.seed, max_iter=1000
    )
    classifier: LogisticRegression | CalibratedClassifierCV = linear
    if method in ("sigmoid", "isotonic"):
        folds = StratifiedKFold(n_splits=config.cv_folds, shuffle=True, random_state=config.seed)
        classifier = CalibratedClassifierCV(linear, method=method, cv=folds, ensemble=False)
    return Pipeline([("features", build_features(config)), ("classifier", classifier)])
