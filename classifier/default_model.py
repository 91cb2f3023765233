"""Building the default model that ships with the package.

The default model is trained by ``promo train`` (no DATA) from the bundled corpus's
training split, measured on its held-out split, and committed as
``models/promo-he.npz``. Loading it only reads (:meth:`classifier.Predictor.load`);
a test rebuilds it and checks that the committed file is current.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from classifier.config import TrainConfig
from classifier.corpus import bundled_corpus_path, load_corpus
from classifier.evaluation import evaluate
from classifier.predictor import Predictor
from classifier.training import TrainedModel, train

logger = logging.getLogger(__name__)


def corpus_sha256() -> str:
    """The SHA-256 of the bundled corpus file, which the default model's card records."""
    return hashlib.sha256(bundled_corpus_path().read_bytes()).hexdigest()


def train_default_model(config: TrainConfig | None = None) -> TrainedModel:
    """Train the default model on the bundled corpus's training split and measure it on the held-out split.

    The held-out figures (overall, per class and per kind) are added to the card as ``heldout``.
    """
    model = train(load_corpus("train"), config)
    heldout = load_corpus("heldout")
    figures = evaluate(Predictor(model.model, model.card), heldout).figures
    model.card = replace(
        model.card,
        name="promo-he (default model)",
        training_data=replace(
            model.card.training_data, split="training split only; the fixed held-out split is excluded"
        ),
        heldout=figures.metrics,
    )
    return model
