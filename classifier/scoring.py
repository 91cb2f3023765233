"""Scoring a stream of inputs in chunks, keeping their order and their problems."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from classifier.inputs import InputProblem, Post
from classifier.output import ScoredPost
from classifier.predictor import Predictor, label_of

CHUNK = 5_000


def score_inputs(
    predictor: Predictor,
    items: Iterable[Post | InputProblem],
    threshold: float | None = None,
    chunk: int = CHUNK,
) -> Iterator[ScoredPost | InputProblem]:
    """Score posts as they come, in chunks, passing problems through in place.

    Parameters
    ----------
    predictor : Predictor
    items : iterable of Post or InputProblem
        From :func:`classifier.inputs.read_posts`.
    threshold : float or None
        None for the model's threshold.
    chunk : int
        Posts scored together; bounds memory on endless input.

    Yields
    ------
    ScoredPost or InputProblem
        In the order of ``items``.
    """
    cut = predictor.threshold if threshold is None else threshold
    pending: list[Post | InputProblem] = []

    def flush() -> Iterator[ScoredPost | InputProblem]:
        posts = [item for item in pending if isinstance(item, Post)]
        scores = iter(predictor.score_many([post.text for post in posts]))
        for item in pending:
            if isinstance(item, Post):
                score = float(next(scores))
                yield ScoredPost(item.source, score, label_of(score, cut))
            else:
                yield item
        pending.clear()

    for item in items:
        pending.append(item)
        if len(pending) >= chunk:
            yield from flush()
    yield from flush()
