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
from sklearn.preprocessing import normalize as normalize_rows
from sklearn.utils.validation import check_is_fitted

from classifier.config import TrainConfig
from classifier.normalize import EMOJI_CLASS, PLACEHOLDERS, normalize_many, tokenize

_EMOJI = re.compile(EMOJI_CLASS)

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


def _word_boundary_ngrams(word: str, low: int, high: int) -> list[str]:
    """The ``char_wb`` n-grams of one word, exactly as scikit-learn makes them."""
    padded = f" {word} "
    length = len(padded)
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < length:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a word shorter than n is counted once
            break
    return grams


class CharNgramTfidf(TransformerMixin, BaseEstimator):
    """Character n-gram TF-IDF over word boundaries, computed once per distinct word.

    Learns the same vocabulary and idf as scikit-learn's ``TfidfVectorizer(analyzer="char_wb",
    lowercase=False, sublinear_tf=True)`` and returns the same matrix, but maps each distinct
    word of a batch to its columns only once: posts repeat words, so scoring is several
    times faster.

    Parameters
    ----------
    ngram_range : tuple of int
        Smallest and largest n.
    min_df : int
        Ignore n-grams seen in fewer training posts than this.
    max_features : int or None
        Keep only the most frequent n-grams.

    Examples
    --------
    >>> tfidf = CharNgramTfidf(ngram_range=(1, 3), min_df=1).fit(["שלום עולם", "שלום"])
    >>> tfidf.transform(["שלום שלום"]).shape
    (1, 23)
    """

    def __init__(
        self, ngram_range: tuple[int, int] = (1, 4), min_df: int = 1, max_features: int | None = None
    ) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features

    def fit(self, X: Sequence[str], y: object = None) -> CharNgramTfidf:
        """Learn the vocabulary and idf with scikit-learn's own vectorizer."""
        reference = TfidfVectorizer(
            analyzer="char_wb",
            lowercase=False,
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        ).fit(X)
        self.vocabulary_: dict[str, int] = reference.vocabulary_
        self.idf_ = reference.idf_.astype(np.float32)
        return self

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        """Return the l2-normalised sublinear TF-IDF rows of ``X``."""
        check_is_fitted(self, "vocabulary_")
        low, high = self.ngram_range
        vocabulary = self.vocabulary_
        columns_of: dict[str, list[int]] = {}
        indices: list[int] = []
        indptr = [0]
        for text in X:
            for word in text.split():
                columns = columns_of.get(word)
                if columns is None:
                    grams = _word_boundary_ngrams(word, low, high)
                    columns = [vocabulary[g] for g in grams if g in vocabulary]
                    columns_of[word] = columns
                indices.extend(columns)
            indptr.append(len(indices))
        counts = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr),
            ),
            shape=(len(indptr) - 1, len(self.idf_)),
        )
        counts.sum_duplicates()
        counts.data = np.log(counts.data) + 1.0
        weighted = sp.csr_matrix(counts.multiply(self.idf_), dtype=np.float32)
        return normalize_rows(weighted, norm="l2", copy=False)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The n-grams, in column order."""
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for gram, column in self.vocabulary_.items():
            names[column] = gram
        return names


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
    char = CharNgramTfidf(
        ngram_range=config.char_ngrams, min_df=config.min_df, max_features=config.max_char_features
    )
    blocks: list[tuple[str, TransformerMixin]] = [("word", word), ("char", char)]
    if config.structural_cues:
        blocks.append(("cues", StructuralCues()))
    return Pipeline([("normalize", FunctionTransformer(normalize_many)), ("union", FeatureUnion(blocks))])


def feature_names(features: Pipeline) -> np.ndarray:
    """Names of the fitted extractor's columns, prefixed by block: ``word__``, ``char__``, ``cues__``."""
    return np.asarray(features.named_steps["union"].get_feature_names_out(), dtype=object)
