"""Scoring a stream of inputs in chunks, keeping their order and their problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from classifier.core.labels import label_of
from classifier.prediction.predictor import Predictor, languages_of_scored, unjudgeable_reason
from classifier.text.disclosure import classify_disclosure, is_undisclosed
from classifier.text.language import detect_language
from classifier.text.passages import highlight, most_promotional
from classifier.workflows.inputs import InputProblem, Post
from classifier.workflows.output import ScoredPost

CHUNK = 5_000


@dataclass(frozen=True)
class Analyses:
    """What to add to each scored post besides its score, label and disclosure.

    Attributes
    ----------
    explain : bool
        The strongest contributions up and down (see :mod:`classifier.prediction.explain`).
    passages : bool
        The most promotional passage, with its score and offsets.
    highlight : bool
        The post with its promotional passages marked.
    color : bool
        Mark with terminal colour rather than with ⟦ ⟧.
    """

    explain: bool = False
    passages: bool = False
    highlight: bool = False
    color: bool = False


def analyse(
    predictor: Predictor,
    text: str,
    score: float,
    threshold: float,
    analyses: Analyses,
    language: str | None = None,
) -> dict[str, Any]:
    """The extra fields of one scored post: disclosure always, the rest as ``analyses`` asks.

    Examples
    --------
    >>> class Stub:
    ...     def score_many(self, texts):
    ...         import numpy as np
    ...         return np.zeros(len(texts))
    >>> analyse(Stub(), "בשיתוף עם @brand", 0.9, 0.5, Analyses())
    {'language': 'he', 'disclosure': 'weak', 'disclosure_reason': "partnership wording 'בשיתוף עם' without \
saying it is paid", 'undisclosed': True}
    """
    disclosure = classify_disclosure(text)
    judged = score == score  # NaN: the post was not judged
    extras: dict[str, Any] = {
        "language": language or detect_language(text),
        "disclosure": disclosure.level,
        "disclosure_reason": disclosure.reason,
        "undisclosed": is_undisclosed(judged and score >= threshold, disclosure) if judged else None,
    }
    if not judged:
        extras["reason"] = unjudgeable_reason(text)
        return extras
    if analyses.passages or analyses.highlight:
        passages = predictor.passages(text)
        top = most_promotional(passages)
        if analyses.passages:
            extras["top_passage"] = top.to_dict() if top else None
        if analyses.highlight:
            extras["highlighted"] = highlight(text, passages, threshold, analyses.color)
    if analyses.explain:
        extras["explanation"] = predictor.explain(text).to_dict()
    return extras


def score_inputs(
    predictor: Predictor,
    items: Iterable[Post | InputProblem],
    threshold: float | None = None,
    chunk: int = CHUNK,
    analyses: Analyses | None = None,
    n_jobs: int = 1,
) -> Iterator[ScoredPost | InputProblem]:
    """Score posts as they come, in chunks, passing problems through in place.

    Parameters
    ----------
    predictor : Predictor
    items : iterable of Post or InputProblem
        From :func:`classifier.workflows.inputs.read_posts`.
    threshold : float or None
        None for the model's threshold.
    chunk : int
        Posts scored together; bounds memory on endless input.
    analyses : Analyses or None
        Extra fields to compute per post (language and disclosure are always there).
    n_jobs : int
        Processes to score each chunk with (see :meth:`Predictor.score_many`).

    Yields
    ------
    ScoredPost or InputProblem
        In the order of ``items``.
    """
    cut = predictor.threshold if threshold is None else threshold
    wanted = analyses or Analyses()
    pending: list[Post | InputProblem] = []

    def flush() -> Iterator[ScoredPost | InputProblem]:
        posts = [item for item in pending if isinstance(item, Post)]
        texts = [post.text for post in posts]
        scored = predictor.score_many(texts, n_jobs=n_jobs)
        scores, languages = iter(scored), iter(languages_of_scored(texts, scored))
        for item in pending:
            if isinstance(item, Post):
                score = float(next(scores))
                extras = analyse(predictor, item.text, score, cut, wanted, next(languages))
                if item.truncated:
                    extras["truncated"] = True
                yield ScoredPost(
                    item.source,
                    None if score != score else score,
                    label_of(score, cut),
                    extras,
                    id=item.id,
                    columns=item.columns,
                )
            else:
                yield item
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) >= chunk:
            yield from flush()
    yield from flush()
