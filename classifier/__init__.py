"""Score how promotional a Hebrew social-media post is.

Examples
--------
>>> from classifier import Predictor, TrainConfig, train, __version__
>>> isinstance(__version__, str)
True
"""

from __future__ import annotations

from classifier._version import __version__
from classifier.config import TrainConfig
from classifier.errors import ClassifierError
from classifier.predictor import Predictor
from classifier.training import TrainedModel, train

__all__ = ["ClassifierError", "Predictor", "TrainConfig", "TrainedModel", "__version__", "train"]
