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
from classifier.core.config import TrainConfig
from classifier.core.errors import ClassifierError
from classifier.prediction.predictor import Predictor

if TYPE_CHECKING:
    from classifier.modeling.training import TrainedModel, train

__all__ = ["ClassifierError", "Predictor", "TrainConfig", "TrainedModel", "__version__", "train"]


def __getattr__(name: str) -> Any:
    # training needs scikit-learn and SciPy; scoring must not import them, so load them on first use
    if name in ("train", "TrainedModel"):
        from classifier.modeling import training

        return getattr(training, name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
