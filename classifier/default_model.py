"""The built-in default model: where it lives, and rebuilding it when missing or stale."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sklearn
from sklearn.pipeline import Pipeline

from classifier._version import __version__
from classifier.config import TrainConfig
from classifier.corpus import bundled_corpus_path, load_corpus
from classifier.errors import ClassifierError
from classifier.storage import load_model

if TYPE_CHECKING:
    from classifier.training import TrainedModel

logger = logging.getLogger(__name__)
MODEL_NAME = "promo-he.joblib"
#: Environment variable naming another folder for the default model.
MODEL_DIR_VARIABLE = "PROMO_MODEL_DIR"


def default_model_path() -> Path:
    """Where the default model is kept.

    ``$PROMO_MODEL_DIR/promo-he.joblib`` when that variable is set; otherwise
    ``models/promo-he.joblib`` of the source checkout the package runs from; otherwise
    ``promo-he/promo-he.joblib`` under the user's cache folder (``$XDG_CACHE_HOME`` or
    ``~/.cache``).
    """
    configured = os.environ.get(MODEL_DIR_VARIABLE)
    if configured:
        return Path(configured) / MODEL_NAME
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "models").is_dir():
        return checkout / "models" / MODEL_NAME
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "promo-he" / MODEL_NAME


def _stale_reason(card: dict[str, Any]) -> str | None:
    """Why a default model with this card must be rebuilt, or None when it is current."""
    corpus_hash = hashlib.sha256(bundled_corpus_path().read_bytes()).hexdigest()
    if card.get("training_data", {}).get("sha256") != corpus_hash:
        return "the bundled corpus has changed since it was trained"
    if card.get("package_version") != __version__ or card.get("sklearn_version") != sklearn.__version__:
        return "it was trained by another version of the package or of scikit-learn"
    return None


def load_default_model() -> tuple[Pipeline, dict[str, Any]]:
    """Load the default model, training it first from the bundled corpus if needed.

    The model is rebuilt when it is missing, unreadable, trained on another version
    of the bundled corpus (its card's data hash differs), or trained by another
    version of this package or scikit-learn. It learns from the corpus's training
    split only; the held-out split stays unseen. Progress goes to the log.

    Returns
    -------
    (Pipeline, dict)
        The fitted pipeline and its card.
    """
    path = default_model_path()
    if not path.is_file():
        reason: str | None = "it does not exist yet"
    else:
        try:
            pipeline, card = load_model(path)
            reason = _stale_reason(card)
        except ClassifierError:
            reason = "it cannot be read"
        if reason is None:
            return pipeline, card
    logger.info("training the default model at %s because %s (about a minute, once)", path, reason)
    model = train_default_model()
    model.save(path)
    logger.info("default model ready: %s", path)
    return model.pipeline, model.card


def train_default_model(config: TrainConfig | None = None) -> TrainedModel:
    """Train the default model on the bundled corpus's training split and measure it on the held-out split.

    The held-out figures (overall and per kind) are added to the card under ``"heldout"``.
    """
    from classifier.evaluation import evaluate
    from classifier.predictor import Predictor
    from classifier.training import train

    model = train(load_corpus("train"), config)
    model.card["training_data"]["split"] = "training split only; the fixed held-out split is excluded"
    heldout = load_corpus("heldout")
    figures = evaluate(Predictor(model.pipeline, model.card), heldout).figures
    model.card["heldout"] = {
        key: figures[key] for key in ("n", "overall", "per_class", "per_kind") if key in figures
    }
    return model
