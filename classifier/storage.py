"""Saving and loading models: one joblib file with its card, written atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import joblib
import sklearn
from sklearn.pipeline import Pipeline

from classifier.card import render_markdown
from classifier.errors import ClassifierError

logger = logging.getLogger(__name__)
FORMAT_VERSION = 1


def card_path(model_path: Path) -> Path:
    """The JSON card beside a model: ``x.joblib`` -> ``x.card.json``."""
    return model_path.with_name(model_path.stem + ".card.json")


def markdown_card_path(model_path: Path) -> Path:
    """The Markdown card beside a model: ``x.joblib`` -> ``x.md``."""
    return model_path.with_name(model_path.stem + ".md")


def _umask() -> int:
    """The process's file-creation mask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for writing through a temporary file renamed over it on success.

    Readers see either the old file or the complete new one, never a partial file;
    the temporary file is removed if writing fails.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ClassifierError(
            f"{path.parent}: cannot create folder ({error.strerror}); choose another path"
        ) from None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes owner-only files; give the result the usual permissions instead
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_model(pipeline: Pipeline, card: dict[str, Any], path: Path) -> None:
    """Save a fitted pipeline and its card to ``path``, and the card as JSON and Markdown beside it.

    The model file is complete before it replaces any existing one; the JSON and
    Markdown cards are readable copies of the card stored inside the model file.
    """
    path = Path(path)
    with atomic_writer(path) as stream:
        joblib.dump({"format": FORMAT_VERSION, "pipeline": pipeline, "card": card}, stream)
    with atomic_writer(card_path(path)) as stream:
        stream.write((json.dumps(card, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    with atomic_writer(markdown_card_path(path)) as stream:
        stream.write(render_markdown(card).encode("utf-8"))


def load_model(path: Path) -> tuple[Pipeline, dict[str, Any]]:
    """Load a model saved by :func:`save_model`.

    Only load model files you trust: like any pickle, a model file can run code.

    Returns
    -------
    (Pipeline, dict)
        The fitted pipeline and its card.

    Raises
    ------
    ClassifierError
        When the file is missing, is not a model of this package, or cannot be unpickled.
    """
    path = Path(path)
    if not path.is_file():
        raise ClassifierError(f"{path}: no model there; train one with `promo train --out {path}`")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            stored = joblib.load(path)
    except Exception as error:  # unpickling can fail in many ways; all mean "not usable"
        raise ClassifierError(f"{path}: not a readable model ({type(error).__name__}); retrain it") from None
    if not (isinstance(stored, dict) and stored.get("format") == FORMAT_VERSION and "pipeline" in stored):
        raise ClassifierError(f"{path}: not a model written by this package; retrain it with `promo train`")
    card = stored.get("card", {})
    trained_with = card.get("sklearn_version")
    if (trained_with and trained_with != sklearn.__version__) or caught:
        logger.warning(
            "%s was trained with scikit-learn %s and is loaded with %s; retrain it to be safe",
            path,
            trained_with,
            sklearn.__version__,
        )
    return stored["pipeline"], card
