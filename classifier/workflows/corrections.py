"""Learning from corrections: how a model retrained with the user's posts does, beside the old one.

:func:`compare` trains a model on the bundled corpus's training split plus the user's labelled
posts (each counting ``weight`` times), and measures both models on the corpus's held-out split
and on the user's posts, where the new model is judged by cross-validation (each fifth of the
user's posts scored by a model that learnt from the other four fifths), so it is never asked
about a post it learnt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.core.config import Record, TrainConfig
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.metrics import summarize
from classifier.modeling.training import check_added, train
from classifier.prediction.predictor import Predictor
from classifier.workflows.corpus import load_corpus
from classifier.workflows.default_model import at_corpus_share, corpus_config

#: Cross-validation folds over the user's posts.
FOLDS = 5


@dataclass(frozen=True)
class Comparison(Record):
    """The old model and the one retrained with the user's posts, side by side.

    Attributes
    ----------
    posts : int
        The user's posts.
    old_right, new_right : int
        How many of them each model labels as the user did (the new one under cross-validation).
    fixed, broken : int
        Posts the old model got wrong and the new one right, and the other way round.
    old_heldout_f1, new_heldout_f1 : float
        Macro-F1 of each on the corpus's held-out split.
    """

    posts: int
    old_right: int
    new_right: int
    fixed: int
    broken: int
    old_heldout_f1: float
    new_heldout_f1: float

    def render(self) -> str:
        """A small table for people."""
        return "\n".join(
            [
                "                         old model   retrained with your posts",
                f"your posts labelled right  {self.old_right:>5} / {self.posts:<5} "
                f"{self.new_right:>5} / {self.posts} (5-fold cross-validation)",
                f"wrong before, right now: {self.fixed} of {self.posts - self.old_right}; "
                f"right before, wrong now: {self.broken}",
                f"held-out macro-F1          {self.old_heldout_f1:>8.3f}    {self.new_heldout_f1:>8.3f}",
            ]
        )


def _right(predictor: Predictor, posts: LabelledPosts) -> np.ndarray:
    scores = np.nan_to_num(predictor.score_many(posts.texts), nan=0.0)
    return (scores >= predictor.threshold).astype(int) == np.asarray(posts.labels)


def _heldout_f1(predictor: Predictor, heldout: LabelledPosts) -> float:
    scores = np.nan_to_num(at_corpus_share(predictor).score_many(heldout.texts), nan=0.0)
    return float(summarize(heldout.labels, scores, predictor.threshold).macro_f1)


def compare(
    old: Predictor, added: LabelledPosts, weight: float, config: TrainConfig | None = None
) -> Comparison:
    """Retrain with ``added`` and measure the old and the new model (see the module's text).

    Raises
    ------
    ClassifierError
        With too few posts to learn from (:data:`classifier.modeling.training.MIN_ADDED`).
    """
    check_added(added)
    config = corpus_config(config)
    base, heldout = load_corpus("train"), load_corpus("heldout")
    fold_of = np.random.default_rng(config.seed).permutation(len(added)) % FOLDS
    new_right = np.zeros(len(added), dtype=bool)
    for fold in range(FOLDS):
        model = train(base.plus(added.subset((fold_of != fold).tolist()), weight), config)
        test = added.subset((fold_of == fold).tolist())
        new_right[fold_of == fold] = _right(Predictor(model.model, model.card), test)
    full = train(base.plus(added, weight), config)
    old_right = _right(old, added)
    return Comparison(
        posts=len(added),
        old_right=int(old_right.sum()),
        new_right=int(new_right.sum()),
        fixed=int((new_right & ~old_right).sum()),
        broken=int((old_right & ~new_right).sum()),
        old_heldout_f1=_heldout_f1(old, heldout),
        new_heldout_f1=_heldout_f1(Predictor(full.model, full.card), heldout),
    )
