"""The model to train: one scikit-learn Pipeline built by one factory."""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from classifier.core.config import TrainConfig
from classifier.featurize.features import HashedFeatures
from classifier.featurize.scaling import LogRatioScaling


def build_pipeline(config: TrainConfig) -> Pipeline:
    """Build the unfitted model: ``features``, ``scaling`` then ``classifier``.

    The features are the engine's hashed n-grams and cues (:class:`HashedFeatures`);
    the scaling multiplies each column by how strongly it leans to one label
    (:class:`LogRatioScaling`, or ``"passthrough"`` when ``config.scaling`` is ``"none"``);
    the classifier an L2 logistic regression with balanced class weights.
    ``decision_function(texts)`` is the uncalibrated log-odds of whole texts; training
    (:func:`classifier.train`) adds passages, calibration and the threshold, and
    exports the result as a :class:`classifier.modeling.model.Model`.

    Examples
    --------
    >>> model = build_pipeline(TrainConfig(min_df=1))
    >>> [name for name, _ in model.steps]
    ['features', 'scaling', 'classifier']
    """
    features = HashedFeatures(
        char_ngrams=config.char_ngrams,
        word_ngrams=config.word_ngrams,
        strip_prefixes=config.strip_prefixes,
        cues=config.cues,
        bits=config.hash_bits,
        min_df=config.min_df,
    )
    # the dual problem is much faster to solve here: far more columns than posts
    linear = LogisticRegression(
        C=config.C,
        solver="liblinear",
        dual=True,
        class_weight="balanced",
        random_state=config.seed,
        max_iter=1000,
    )
    scaling = LogRatioScaling() if config.scaling == "log_ratio" else "passthrough"
    return Pipeline([("features", features), ("scaling", scaling), ("classifier", linear)])
