"""Feature extraction: the one seam between raw posts and the classifier.

:func:`build_features` returns a scikit-learn transformer that takes raw post
texts and returns a sparse matrix. Training, scoring and the command line only
ever see it as the ``"features"`` step of the model pipeline, so a faster
extractor can replace it without touching them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from classifier.config import TrainConfig
from classifier.normalize import PLACEHOLDERS, normalize_many, tokenize

_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")

#: Names of the structural cues, in column order, as a reader would say them.
CUE_NAMES: tuple[str, ...] = (
    *(f"{name} count" for name in PLACEHOLDERS.values()),
    "emoji count",
    "exclamation marks",
    "question marks",
    "length in words",
    "line breaks",
)


def count_cues(texts: Sequence[str]) -> np.ndarray:
    """Count the structural cues of normalised texts, one row per text.

    Examples
    --------
    >>> count_cues(["_price_ _price_ !! 🔥"])[0][:7].tolist()
    [0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
    """
    rows = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float64)
    for i, text in enumerate(texts):
        tokens = text.split()
        for j, placeholder in enumerate(PLACEHOLDERS):
            rows[i, j] = tokens.count(placeholder)
        base = len(PLACEHOLDERS)
        rows[i, base] = len(_EMOJI.findall(text))
        rows[i, base + 1] = text.count("!")
        rows[i, base + 2] = text.count("?")
        rows[i, base + 3] = len(tokens)
        rows[i, base + 4] = text.count("\n")
    return rows


class StructuralCues(TransformerMixin, BaseEstimator):
    """Log-scaled counts of placeholders, emojis, punctuation and length.

    Each count ``c`` becomes ``log1p(c) / log1p(max c in training)`` so that the
    block sits on the same scale as the TF-IDF columns.

    Examples
    --------
    >>> cues = StructuralCues().fit(["_price_ !", "שלום"])
    >>> cues.transform(["_price_ _price_"]).shape
    (1, 12)
    """

    def fit(self, X: Sequence[str], y: object = None) -> StructuralCues:
        """Learn the largest log-count of each cue."""
        top = np.log1p(count_cues(X)).max(axis=0)
        self.scale_ = np.where(top > 0, top, 1.0)
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        """Return the scaled cue counts as a sparse matrix."""
        check_is_fitted(self, "scale_")
        return sp.csr_matrix(np.log1p(count_cues(X)) / self.scale_)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Name each column after its cue."""
        return np.asarray(CUE_NAMES, dtype=object)


def build_features(config: TrainConfig) -> Pipeline:
    """Build the unfitted feature extractor: raw texts in, sparse matrix out.

    Normalisation, then word TF-IDF (``config.word_ngrams``, sublinear tf), character
    TF-IDF over word boundaries (``config.char_ngrams``) and, with
    ``config.structural_cues``, :class:`StructuralCues`.

    Examples
    --------
    >>> features = build_features(TrainConfig(min_df=1))
    >>> features.fit_transform(["קנו עכשיו ב 99 ₪", "איזה יום יפה"]).shape[0]
    2
    """
    word = TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        ngram_range=config.word_ngrams,
        min_df=config.min_df,
        sublinear_tf=True,
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=config.char_ngrams,
        min_df=config.min_df,
        max_features=config.max_char_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    blocks: list[tuple[str, TransformerMixin]] = [("word", word), ("char", char)]
    if config.structural_cues:
        blocks.append(("cues", StructuralCues()))
    return Pipeline([("normalize", FunctionTransformer(normalize_many)), ("union", FeatureUnion(blocks))])


def feature_names(features: Pipeline) -> np.ndarray:
    """Names of the fitted extractor's columns, prefixed by block: ``word__``, ``char__``, ``cues__``."""
    return np.asarray(features.named_steps["union"].get_feature_names_out(), dtype=object)
