"""The training side of the engine: its features as a scikit-learn transformer.

:class:`HashedFeatures` learns the idf of each hashed column and returns the sparse
matrix a scikit-learn classifier trains on. Its values are exactly those that
:class:`classifier.featurize.engine.LinearModel` computes while scoring, so a model trained on
this matrix scores the same through the engine (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from classifier.featurize.engine import CUE_NAMES, Batch, FeatureSettings, block_norms, cue_values, extract


class HashedFeatures(TransformerMixin, BaseEstimator):
    """Hashed word and character n-grams weighted by idf, and guideline cues.

    Parameters
    ----------
    char_ngrams, word_ngrams, strip_prefixes, cues, bits
        As in :class:`classifier.featurize.engine.FeatureSettings`.
    min_df : int
        A hashed column seen in fewer training posts than this gets idf 0: it is ignored.

    Examples
    --------
    >>> features = HashedFeatures(bits=10, min_df=1).fit(["מבצע ענק היום", "שלום לכולם"])
    >>> matrix = features.transform(["מבצע היום"])
    >>> matrix.shape == (1, 2 * 2**10 + len(CUE_NAMES))  # word and character buckets, then the cues
    True
    """

    def __init__(
        self,
        char_ngrams: tuple[int, int] = (1, 4),
        word_ngrams: tuple[int, int] = (1, 2),
        strip_prefixes: bool = True,
        cues: bool = True,
        bits: int = 20,
        min_df: int = 2,
    ) -> None:
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.strip_prefixes = strip_prefixes
        self.cues = cues
        self.bits = bits
        self.min_df = min_df

    def __sklearn_tags__(self) -> Any:
        """Text in, like scikit-learn's own vectorizers: the numeric-array checks do not apply."""
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    @property
    def settings(self) -> FeatureSettings:
        """The engine settings these parameters stand for."""
        return FeatureSettings(
            char_ngrams=tuple(self.char_ngrams),  # type: ignore[arg-type]
            word_ngrams=tuple(self.word_ngrams),  # type: ignore[arg-type]
            strip_prefixes=self.strip_prefixes,
            cues=self.cues,
            bits=self.bits,
        )

    def fit(self, X: Sequence[str], y: object = None) -> HashedFeatures:
        """Learn each hashed column's idf: ``ln((1 + n) / (1 + df)) + 1``, or 0 below ``min_df``."""
        self._fit_batch(_texts(X))
        return self

    def fit_transform(self, X: Sequence[str], y: object = None, **fit_params: Any) -> sp.csr_matrix:
        """:meth:`fit` then :meth:`transform`, extracting the texts once."""
        batch = self._fit_batch(_texts(X))
        return batch_matrix(batch, self.idf_, self.settings)

    def fit_rows(self, batch: Batch, rows: np.ndarray) -> HashedFeatures:
        """Learn the idf from the texts ``rows`` of a batch already extracted with :attr:`settings`.

        Training extracts its texts once and fits each cross-validation fold from its rows.
        """
        df = document_frequency(batch, rows, self.settings.width)
        self.idf_ = idf_of(df, len(rows), self.min_df)
        self.n_features_in_ = 1
        return self

    def _fit_batch(self, texts: list[str]) -> Batch:
        batch = extract(texts, self.settings)
        self.fit_rows(batch, np.arange(len(texts)))
        return batch

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        """The feature matrix: hashed columns first, then the cues."""
        check_is_fitted(self, "idf_")
        return batch_matrix(extract(_texts(X), self.settings), self.idf_, self.settings)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Column names: ``word:<bucket>``, ``char:<bucket>``, then the cue names."""
        check_is_fitted(self, "idf_")
        half = 1 << self.bits
        names = [f"word:{i}" for i in range(half)] + [f"char:{i}" for i in range(half)]
        if self.cues:
            names += [f"cue:{name}" for name in CUE_NAMES]
        return np.asarray(names, dtype=object)


def _texts(X: Sequence[str]) -> list[str]:
    texts = list(X)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"expected texts (str), got {type(text).__name__}")
    return texts


def batch_matrix(batch: Batch, idf: np.ndarray, settings: FeatureSettings) -> sp.csr_matrix:
    """The sparse matrix of an extracted batch, one row per text, with the values the engine scores with.

    A long text extracted as several pieces gets the union of their occurrences.
    """
    n = batch.texts
    squared = idf * idf
    rows, columns, values = [], [], []
    for post, bucket in ((batch.word_post, batch.word_bucket), (batch.char_post, batch.char_bucket)):
        if not len(post):
            continue
        text = batch.owner[post]
        norms = block_norms(text, bucket, squared, n)
        scale = np.divide(1.0, norms, out=np.zeros(n), where=norms > 0)
        value = idf[bucket] * scale[text]
        keep = value != 0
        rows.append(text[keep])
        columns.append(bucket[keep])
        values.append(value[keep])
    if settings.cues:
        counts = np.zeros((n, batch.cue_counts.shape[1]))
        np.add.at(counts, batch.owner, batch.cue_counts)
        cues = cue_values(counts)
        r, c = np.nonzero(cues)
        rows.append(r)
        columns.append(c + settings.width)
        values.append(cues[r, c])
    shape = (n, settings.n_columns)
    if not rows:
        return sp.csr_matrix(shape, dtype=np.float64)
    matrix = sp.coo_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))), shape=shape
    ).tocsr()
    matrix.sum_duplicates()
    return matrix


def document_frequency(batch: Batch, rows: np.ndarray, width: int) -> np.ndarray:
    """How many of the texts ``rows`` of a batch hold each hashed column."""
    wanted = np.zeros(batch.texts, dtype=bool)
    wanted[rows] = True
    texts, buckets = [], []
    for post, bucket in ((batch.word_post, batch.word_bucket), (batch.char_post, batch.char_bucket)):
        text = batch.owner[post]
        chosen = wanted[text]
        texts.append(text[chosen])
        buckets.append(bucket[chosen])
    row, column = np.concatenate(texts), np.concatenate(buckets)
    # a text-by-column matrix sums repeated occurrences into one entry per (text, column) pair
    present = sp.csr_matrix((np.ones(len(row), dtype=np.float32), (row, column)), shape=(batch.texts, width))
    present.sum_duplicates()
    return np.bincount(present.indices, minlength=width).astype(np.float64)


def idf_of(df: np.ndarray, n: int, min_df: int) -> np.ndarray:
    """Smoothed idf, ``ln((1 + n) / (1 + df)) + 1``, and 0 where ``df < min_df``."""
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    idf[df < max(min_df, 1)] = 0.0
    return idf


def subset_batch(batch: Batch, rows: np.ndarray) -> Batch:
    """The part of a batch that belongs to the texts ``rows`` (sorted), renumbered from 0."""
    new_text = np.full(batch.texts, -1, dtype=np.int64)
    new_text[rows] = np.arange(len(rows))
    kept_pieces = np.flatnonzero(new_text[batch.owner] >= 0)
    new_piece = np.full(batch.n, -1, dtype=np.int64)
    new_piece[kept_pieces] = np.arange(len(kept_pieces))

    def take(post: np.ndarray, bucket: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keep = new_piece[post] >= 0
        return new_piece[post[keep]], bucket[keep]

    word_post, word_bucket = take(batch.word_post, batch.word_bucket)
    char_post, char_bucket = take(batch.char_post, batch.char_bucket)
    return Batch(
        n=len(kept_pieces),
        joined="",
        starts=batch.starts[kept_pieces],
        owner=new_text[batch.owner[kept_pieces]],
        texts=len(rows),
        layout=[batch.layout[i] for i in rows],
        word_post=word_post,
        word_bucket=word_bucket,
        char_post=char_post,
        char_bucket=char_bucket,
        cue_counts=batch.cue_counts[kept_pieces],
    )
