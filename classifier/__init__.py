"""Score how promotional a Hebrew social-media post is.

Examples
--------
>>> from classifier import Predictor, TrainConfig, train, __version__
>>> isinstance(__version__, str)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from classifier._version import __version__
from classifier.config import TrainConfig
from classifier.errors import ClassifierError
from classifier.predictor import Predictor

if TYPE_CHECKING:
    from classifier.training import TrainedModel, train

__all__ = ["ClassifierError", "Predictor", "TrainConfig", "TrainedModel", "__version__", "train"]


def __getattr__(name: str) -> Any:
    # training needs scikit-learn and SciPy; scoring must not import them, so load them on first use
    if name in ("train", "TrainedModel"):
        from classifier import training

        return getattr(training, name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
