"""The importable predictor: load a model, score posts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.storage import load_model

if TYPE_CHECKING:
    from classifier.disclosure import Disclosure
    from classifier.explain import Explanation
    from classifier.passages import Passage

PROMOTIONAL = "promotional"
ORGANIC = "organic"
_CHUNK = 5_000  # posts scored together: bounds memory; larger chunks gain little speed


class Predictor:
    """Scores Hebrew posts with a trained model.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        A fitted model from :func:`classifier.train`.
    card : dict
        Its model card; ``card["threshold"]`` is the decision threshold.

    Examples
    --------
    >>> predictor = Predictor.load()  # doctest: +SKIP
    >>> predictor.score("קוד הנחה DANA10 לכל האתר, רק עד מחר!")  # doctest: +SKIP
    0.97
    >>> predictor.predict(["קוד הנחה DANA10 לכל האתר", "בוקר טוב לכולם"])  # doctest: +SKIP
    ['promotional', 'organic']
    """

    def __init__(self, pipeline: Pipeline, card: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.card = card

    @classmethod
    def load(cls, path: Path | str | None = None) -> Predictor:
        """Load a model file, or the default model when ``path`` is None.

        The default model is trained from the bundled corpus on first use, and
        again whenever the corpus or the package changes (see
        :func:`classifier.default_model.load_default_model`).

        Raises
        ------
        ClassifierError
            When the file is missing or is not a usable model.
        """
        if path is None:
            from classifier.default_model import load_default_model

            return cls(*load_default_model())
        return cls(*load_model(Path(path)))

    @property
    def threshold(self) -> float:
        """The decision threshold: a post scoring at or above it is promotional."""
        return float(self.card.get("threshold", 0.5))

    def score_many(self, texts: Iterable[str]) -> np.ndarray:
        """Score many posts; returns the probability of "promotional" for each.

        Posts are scored in chunks, so memory stays bounded for long iterables.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        numpy.ndarray of float, shape (n,)
            Scores in [0, 1], in input order.
        """
        parts: list[np.ndarray] = []
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == _CHUNK:
                parts.append(self._score_chunk(chunk))
                chunk = []
        if chunk or not parts:
            parts.append(self._score_chunk(chunk))
        return np.concatenate(parts)

    def _score_chunk(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.empty(0, dtype=float)
        return np.asarray(self.pipeline.predict_proba(list(texts))[:, 1], dtype=float)

    def score(self, text: str) -> float:
        """Score one post: the probability that it is promotional."""
        return float(self.score_many([text])[0])

    def predict(self, texts: Iterable[str], threshold: float | None = None) -> list[str]:
        """Label posts ``"promotional"`` or ``"organic"`` at the threshold.

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

        See :func:`classifier.explain.explain`; ``.top(8)`` gives the strongest items each way.
        """
        from classifier.explain import explain

        return explain(self.pipeline, text)

    def passages(self, text: str) -> list[Passage]:
        """Split a long post into passages (paragraphs, lines or sentences) and score each.

        A post of fewer than three sentences is one passage. See :mod:`classifier.passages`.
        """
        from classifier.passages import score_passages

        return score_passages(text, self.score_many)

    def disclosure(self, text: str) -> Disclosure:
        """Whether the post says it is paid content: ``clear``, ``weak`` or ``none``.

        See :func:`classifier.disclosure.classify_disclosure`.
        """
        from classifier.disclosure import classify_disclosure

        return classify_disclosure(text)

    def is_undisclosed(self, text: str, threshold: float | None = None) -> bool:
        """True when the post scores promotional and its disclosure is ``none`` or ``weak``."""
        from classifier.disclosure import is_undisclosed

        cut = self.threshold if threshold is None else threshold
        return is_undisclosed(self.score(text) >= cut, self.disclosure(text))


def label_of(score: float, threshold: float) -> str:
    """The label name of a score at a threshold.

    Examples
    --------
    >>> label_of(0.7, 0.5), label_of(0.2, 0.5)
    ('promotional', 'organic')
    """
    return PROMOTIONAL if score >= threshold else ORGANIC
