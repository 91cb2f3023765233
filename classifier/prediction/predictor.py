"""The importable predictor: load a model, score posts. Imports NumPy and the standard library only."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from classifier.core.labels import label_of
from classifier.modeling.card import ModelCard
from classifier.modeling.model import Model, adjust_for_prior
from classifier.text.language import detect_languages
from classifier.text.passages import Passage

if TYPE_CHECKING:
    from classifier.prediction.explain import Explanation
    from classifier.text.disclosure import Disclosure

_CHUNK = 5_000  # posts scored together: bounds memory; larger chunks gain little speed
_PARALLEL_CHUNK = 1_000  # posts sent to a worker at a time: small enough to keep every worker busy
#: Why a post gets no score: it is empty, or it has too little Hebrew to judge.
EMPTY_REASON = "empty post; nothing to judge"
OTHER_LANGUAGE_REASON = "too little Hebrew to judge (language: other)"


def unjudgeable_reason(text: str) -> str | None:
    """Why a post cannot be scored (empty, or not Hebrew enough), or None when it can.

    Examples
    --------
    >>> unjudgeable_reason("   "), unjudgeable_reason("Hello world"), unjudgeable_reason("שלום לכולם")
    ('empty post; nothing to judge', 'too little Hebrew to judge (language: other)', None)
    """
    return unjudgeable_reasons([text])[0]


def unjudgeable_reasons(texts: Sequence[str]) -> list[str | None]:
    """:func:`unjudgeable_reason` of many posts, with the language check done for all at once."""
    languages = detect_languages(texts)
    return [
        EMPTY_REASON if not text.strip() else OTHER_LANGUAGE_REASON if language != "he" else None
        for text, language in zip(texts, languages, strict=True)
    ]


def languages_of_scored(texts: Sequence[str], scores: np.ndarray) -> list[str]:
    """The language of each post scored by :meth:`Predictor.score_many`, detecting it only where needed.

    A judged post (a score, not NaN) is Hebrew, since only Hebrew is judged; the language of
    the others is detected. Callers that report languages beside scores use this rather
    than detecting the language of every post a second time.

    Examples
    --------
    >>> languages_of_scored(["שלום לכולם", "Hello world"], np.array([0.2, np.nan]))
    ['he', 'other']
    """
    unjudged = [i for i, score in enumerate(scores.tolist()) if score != score]
    languages = ["he"] * len(texts)
    for i, language in zip(unjudged, detect_languages([texts[i] for i in unjudged]), strict=True):
        languages[i] = language
    return languages


def reasons_of_scored(texts: Sequence[str], scores: np.ndarray) -> list[str | None]:
    """:func:`unjudgeable_reasons` of posts scored by :meth:`Predictor.score_many` (NaN: not judged).

    Examples
    --------
    >>> reasons_of_scored(["", "Hello", "שלום"], np.array([np.nan, np.nan, 0.1]))[0::2]
    ['empty post; nothing to judge', None]
    """
    return [
        None if score == score else EMPTY_REASON if not text.strip() else OTHER_LANGUAGE_REASON
        for text, score in zip(texts, scores.tolist(), strict=True)
    ]


def _checked(texts: Iterable[str]) -> Iterator[str]:
    """The posts of an iterable, refusing a bare string and anything that is not a string."""
    if isinstance(texts, (str, bytes)):
        raise TypeError("score_many takes an iterable of posts, not one string; use score() for one post")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            shown = "NaN" if isinstance(text, float) and math.isnan(text) else type(text).__name__
            raise TypeError(f"post {i} is {shown}; every post must be a str")
        yield text


_worker_model: Predictor | None = None


def _score_in_worker(texts: list[str]) -> np.ndarray:
    assert _worker_model is not None
    return _worker_model._score_chunk(texts)


def _start_worker(predictor: Predictor) -> None:
    global _worker_model
    _worker_model = predictor


class Predictor:
    """Scores Hebrew posts with a trained model.

    Parameters
    ----------
    model : Model
        A trained model (from :func:`classifier.train` or a model file).
    card : ModelCard
        Its model card.
    prior : float or None
        The share of promotional posts in the texts to score; probabilities are
        adjusted from the training share by Bayes' rule. None takes the model's default
        (``card.default_prior``; when that is None too, the training share).

    Examples
    --------
    >>> predictor = Predictor.load()  # doctest: +SKIP
    >>> predictor.score("קוד הנחה DANA10 לכל האתר, רק עד מחר!")  # doctest: +SKIP
    0.97
    >>> predictor.predict(["קוד הנחה DANA10 לכל האתר", "בוקר טוב לכולם"])  # doctest: +SKIP
    ['promotional', 'organic']
    """

    def __init__(self, model: Model, card: ModelCard, prior: float | None = None) -> None:
        if prior is None:
            prior = card.default_prior
        if prior is not None:
            adjust_for_prior(np.array([0.5]), 0.5, prior)  # validates the prior
        self.model = model
        self.card = card
        self.prior: float | None = prior
        self._workers: tuple[int, ProcessPoolExecutor] | None = None

    @classmethod
    def load(cls, path: Path | str | None = None, prior: float | None = None) -> Predictor:
        """Load a model file, or the default model when ``path`` is None. Only reads.

        Raises
        ------
        ClassifierError
            When the file is missing, damaged, edited, or not a model of this package.
        """
        from classifier.modeling.storage import default_model_path, load_model

        return cls(*load_model(Path(path) if path is not None else default_model_path()), prior=prior)

    @property
    def threshold(self) -> float:
        """The decision threshold: a post scoring at or above it is promotional."""
        return self.model.threshold

    def score_many(self, texts: Iterable[str], n_jobs: int = 1) -> np.ndarray:
        """Score many posts: the probability that each is promotional.

        An empty post, or one with too little Hebrew to judge (:func:`unjudgeable_reason`),
        gets NaN. Posts are scored in chunks, so memory stays bounded for long iterables.

        Parameters
        ----------
        texts : iterable of str
            Not a bare string: use :meth:`score` for one post.
        n_jobs : int
            Processes to score with (-1 for one per core); the order of the results is
            the order of ``texts`` whatever the number.

        Returns
        -------
        numpy.ndarray of float, shape (n,)
            Scores in [0, 1] (or NaN), in input order.

        Raises
        ------
        TypeError
            For a bare string, or a post that is not a string (None, NaN, a number).
        """
        workers = (os.cpu_count() or 1) if n_jobs == -1 else max(1, n_jobs)
        if workers == 1:
            parts = [self._score_chunk(chunk) for chunk in self._chunks(_checked(texts), _CHUNK)]
        else:
            chunks = self._chunks(_checked(texts), _PARALLEL_CHUNK)
            parts = list(self._pool(workers).map(_score_in_worker, chunks))
        return np.concatenate(parts) if parts else np.zeros(0)

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        """Worker processes that hold this predictor, started once and kept until :meth:`close`."""
        if self._workers is None or self._workers[0] != workers:
            self.close()
            import multiprocessing

            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(self,))
            self._workers = (workers, pool)
        return self._workers[1]

    def close(self) -> None:
        """Stop the worker processes of parallel scoring, if any were started."""
        if self._workers is not None:
            self._workers[1].shutdown()
            self._workers = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_workers": None}  # the pool stays with the process that made it

    def _chunks(self, texts: Iterable[str], size: int) -> Iterator[list[str]]:
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _score_chunk(self, texts: Sequence[str]) -> np.ndarray:
        scores = np.full(len(texts), np.nan)
        judged = [i for i, reason in enumerate(unjudgeable_reasons(texts)) if reason is None]
        if judged:
            kept = [texts[i] for i in judged]
            scores[judged] = self.model.probability(self.model.decision(kept), kept, self.prior)
        return scores

    def score(self, text: str) -> float:
        """Score one post: the probability that it is promotional (NaN when it cannot be judged)."""
        if not isinstance(text, str):
            list(_checked([text]))
        return float(self.score_many([text])[0])

    def predict(self, texts: Iterable[str], threshold: float | None = None) -> list[str | None]:
        """Label posts ``"promotional"`` or ``"organic"`` at the threshold (None when not judged).

        Parameters
        ----------
        texts : iterable of str
        threshold : float or None
            None for the model's own :attr:`threshold`.
        """
        cut = self.threshold if threshold is None else threshold
        return [label_of(score, cut) for score in self.score_many(texts)]

    def explain(self, text: str) -> Explanation:
        """Why a post scored as it did: what in it pushed the score up and down.

        See :func:`classifier.prediction.explain.explain`; ``.top(8)`` gives the strongest items each way.
        """
        from classifier.prediction.explain import explain

        return explain(self.model, text, prior=self.prior)

    def passages(self, text: str) -> list[Passage]:
        """The passages a post is judged by, each with its score.

        They are the pieces the score itself is built from (:func:`classifier.text.passages.judged_passages`):
        a text of :data:`classifier.text.passages.LONG_TEXT_WORDS` words or more is split into
        paragraphs, else lines, else sentences, lines and sentences gathered into passages of at
        least :data:`classifier.text.passages.MIN_PASSAGE_WORDS` words; a shorter text, or one that
        does not split, is one passage. Each passage is scored as one piece, as in scoring, so the
        most promotional passage is the one that caps a long text's score. Offsets are into
        ``text``, stripped of white space; a blank text has none.
        """
        from classifier.featurize.engine import extract
        from classifier.text.passages import stripped_span

        if not text.strip():
            return []
        batch = extract([text], self.model.linear.settings)
        spans = batch.layout[0]
        if len(spans) == 1:  # judged whole: the text without its surrounding white space
            spans = [stripped_span(text)]
        pieces = [text[a:b] for a, b in spans]
        scores = self.model.probability(self.model.linear.piece_decisions(batch), pieces, self.prior)
        return [
            Passage(a, b, piece, float(s)) for (a, b), piece, s in zip(spans, pieces, scores, strict=True)
        ]

    def disclosure(self, text: str) -> Disclosure:
        """Whether the post says it is paid content: ``clear``, ``weak`` or ``none``.

        See :func:`classifier.text.disclosure.classify_disclosure`.
        """
        from classifier.text.disclosure import classify_disclosure

        return classify_disclosure(text)

    def is_undisclosed(self, text: str, threshold: float | None = None) -> bool:
        """True when the post scores promotional and its disclosure is ``none`` or ``weak``."""
        from classifier.text.disclosure import is_undisclosed

        cut = self.threshold if threshold is None else threshold
        return is_undisclosed(self.score(text) >= cut, self.disclosure(text))
