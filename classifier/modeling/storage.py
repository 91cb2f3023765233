"""Saving and loading models as data: NumPy arrays and a JSON card in one ``.npz`` file.

A model file is a zip of ``.npy`` arrays (``numpy.savez_compressed``) read with
``allow_pickle=False``: loading it never runs code. It holds the linear model's
nonzero columns (their index, idf and coefficient), the cue coefficients, the
intercept, the isotonic calibration points, and the model card as UTF-8 JSON. The
card records the format version and the SHA-256 of the arrays, checked at load: a
file that was truncated, edited or written by a newer version is refused with a
message that says so. Writes are atomic. The card is also written beside the model
as JSON (``x.card.json``) and Markdown (``x.md``) for people.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from classifier.core.errors import ClassifierError
from classifier.featurize.engine import CUE_LIST, LinearModel, engine_fingerprint
from classifier.modeling.card import ModelCard, render_markdown
from classifier.modeling.model import Calibration, Model

logger = logging.getLogger(__name__)
#: The version of the model file format this package writes and reads.
FORMAT_VERSION = 3
#: The oldest format this package still reads: format 3 added the length-aware calibration,
#: which format-2 files never use, so they load as they are; models without it are still
#: written as format 2 (:func:`format_version_of`).
OLDEST_FORMAT_VERSION = 2
#: The suffix of model files.
MODEL_SUFFIX = ".npz"
_ARRAYS = ("columns", "idf", "coef", "cue_coef", "intercept", "isotonic_x", "isotonic_y")
_PICKLE_HINT = "retrain it with `promo train` (models of promo-he 0.x were pickles, which are never loaded)"


#: The default model's file name.
DEFAULT_MODEL_NAME = "promo-he" + MODEL_SUFFIX
#: Environment variable naming another folder for the default model.
MODEL_DIR_VARIABLE = "PROMO_MODEL_DIR"


def default_model_path() -> Path:
    """Where the default model is read from.

    ``$PROMO_MODEL_DIR/promo-he.npz`` when that variable is set; otherwise
    ``models/promo-he.npz`` of the source checkout the package runs from; otherwise the
    copy installed with the package (``classifier/_model/promo-he.npz``).
    """
    configured = os.environ.get(MODEL_DIR_VARIABLE)
    if configured:
        return Path(configured) / DEFAULT_MODEL_NAME
    package = Path(__file__).resolve().parent.parent  # classifier/, above this layer's subpackage
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "models").is_dir():
        return checkout / "models" / DEFAULT_MODEL_NAME
    return package / "_model" / DEFAULT_MODEL_NAME


def card_path(model_path: Path) -> Path:
    """The JSON card beside a model: ``x.npz`` -> ``x.card.json``."""
    return model_path.with_name(model_path.stem + ".card.json")


def markdown_card_path(model_path: Path) -> Path:
    """The Markdown card beside a model: ``x.npz`` -> ``x.md``."""
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
    if path.exists() and not path.is_file():
        # renaming over a device (/dev/full, /dev/stdout) or a folder would replace it, not write to it
        raise ClassifierError(f"{path}: not a regular file; write to a file path instead")
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


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over every array's name, dtype, shape and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for name in _ARRAYS:
        array = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def model_arrays(model: Model) -> dict[str, np.ndarray]:
    """The arrays that store a model: only the hashed columns seen in training."""
    linear = model.linear
    columns = np.flatnonzero(linear.idf).astype(np.int32)
    idf = linear.idf[columns]
    coef = linear.coef[columns]
    calibration = model.calibration
    empty = np.zeros(0, dtype=np.float64)
    return {
        "columns": columns,
        "idf": idf.astype(np.float32),
        "coef": coef.astype(np.float32),
        "cue_coef": np.asarray(linear.cue_coef, dtype=np.float64),
        "intercept": np.asarray([linear.intercept], dtype=np.float64),
        "isotonic_x": empty if calibration.x is None else np.asarray(calibration.x, dtype=np.float64),
        "isotonic_y": empty if calibration.y is None else np.asarray(calibration.y, dtype=np.float64),
    }


def format_version_of(model: Model) -> int:
    """The oldest format that holds ``model``: :data:`FORMAT_VERSION` only for a length-aware
    calibration, so that packages reading format 2 still load every other model."""
    return FORMAT_VERSION if model.calibration.method == "length_sigmoid" else OLDEST_FORMAT_VERSION


def model_card_fields(model: Model) -> dict[str, Any]:
    """What the card must say for a model to be rebuilt from its arrays (fields of :class:`ModelCard`)."""
    return {
        "format_version": format_version_of(model),
        "features": model.linear.settings,
        "threshold": model.threshold,
        "calibration_map": model.calibration.describe(),
        "aggregation": model.aggregation,
        "trained_share": model.trained_share,
        "cue_list": CUE_LIST if model.linear.settings.cues else None,
        "engine": engine_fingerprint(model.linear.settings),
    }


def save_model(model: Model, card: ModelCard, path: Path) -> None:
    """Save a model and its card to ``path`` (an ``.npz`` file), with JSON and Markdown cards beside it.

    The arrays' checksum and the fields needed to rebuild the model are added to the
    card. Every file is complete before it replaces an existing one.
    """
    path = Path(path)
    arrays = model_arrays(model)
    card = replace(card, **model_card_fields(model), arrays_sha256=_checksum(arrays))
    card_bytes = json.dumps(card.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.BytesIO()
    stored: dict[str, Any] = {"card": np.frombuffer(card_bytes, dtype=np.uint8), **arrays}
    np.savez_compressed(buffer, **stored)
    with atomic_writer(path) as stream:
        stream.write(buffer.getvalue())
    with atomic_writer(card_path(path)) as stream:
        stream.write(card_bytes + b"\n")
    with atomic_writer(markdown_card_path(path)) as stream:
        stream.write(render_markdown(card).encode("utf-8"))


def _refuse(path: Path, why: str) -> ClassifierError:
    return ClassifierError(f"{path}: {why}")


def load_model_bytes(data: bytes, name: str = "<model>") -> tuple[Model, ModelCard]:
    """Load a model from the bytes of a model file (as shipped to Spark executors); see :func:`load_model`."""
    return _load(io.BytesIO(data), Path(name), data[:4])


def load_model(path: Path) -> tuple[Model, ModelCard]:
    """Load a model saved by :func:`save_model`; never unpickles, never writes.

    Returns
    -------
    (Model, ModelCard)
        The model and its card.

    Raises
    ------
    ClassifierError
        When the file is missing, is a pickle or not a model, is damaged or edited
        (checksum mismatch), was written by a newer format version, or its card
        lacks a field or has an unknown key inside one of its records (unknown
        top-level keys are kept: :class:`classifier.modeling.card.ModelCard`).
    """
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, f"no model there; train one with `promo train DATA --out {path}`")
    try:
        with path.open("rb") as stream:
            return _load(stream, path, stream.read(4))
    except OSError as error:
        raise _refuse(path, f"cannot read ({error.strerror})") from None


def _load(stream: BinaryIO, path: Path, head: bytes) -> tuple[Model, ModelCard]:
    """Check and read a model from an open binary stream (``head``: its first four bytes)."""
    if head[:1] == b"\x80" or head[:2] in (b"}q", b"]q"):
        raise _refuse(path, f"a pickle, not a model file of this package; {_PICKLE_HINT}")
    if head != b"PK\x03\x04":
        raise _refuse(path, f"not a model file of this package (an .npz archive is expected); {_PICKLE_HINT}")
    try:
        stream.seek(0)
        with np.load(stream, allow_pickle=False) as stored:
            names = set(stored.files)
            missing = [name for name in ("card", *_ARRAYS) if name not in names]
            if missing:
                raise _refuse(path, f"not a complete model (no {', '.join(missing)}); retrain it")
            raw = json.loads(bytes(stored["card"]).decode("utf-8"))
            arrays = {name: stored[name] for name in _ARRAYS}
    except ClassifierError:
        raise
    except (
        OSError,
        ValueError,
        EOFError,
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        UnicodeDecodeError,
    ) as error:
        raise _refuse(
            path, f"damaged or not a model ({type(error).__name__}); retrain or copy it again"
        ) from None
    if not isinstance(raw, dict):
        raise _refuse(path, "its card is not a JSON object; retrain it")
    # the version first, from the raw JSON: a newer card may not read as this package's card
    version = raw.get("format_version")
    if not isinstance(version, int):
        raise _refuse(path, "its card has no format version; retrain it")
    if version > FORMAT_VERSION:
        raise _refuse(
            path,
            f"written in model format {version}, newer than this package reads ({FORMAT_VERSION}); "
            "upgrade promo-he",
        )
    if version < OLDEST_FORMAT_VERSION:
        raise _refuse(path, f"written in the old model format {version}; {_PICKLE_HINT}")
    try:
        card = ModelCard.from_dict(raw)
    except ClassifierError as error:
        raise _refuse(path, f"its card is not valid: {error}; restore its card or retrain it") from None
    if card.arrays_sha256 != _checksum(arrays):
        raise _refuse(
            path, "its arrays do not match their checksum (edited or damaged); retrain or copy it again"
        )
    if card.features is not None and card.features.cues and card.cue_list != CUE_LIST:
        raise _refuse_other_version(
            path,
            "its cue columns were learnt from another list of guideline cues than this package's",
            "cue list",
            card.cue_list,
            CUE_LIST,
        )
    try:
        engine = None if card.features is None else engine_fingerprint(card.features)
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as error:
        raise _refuse(path, f"its feature settings cannot be used ({error}); retrain it") from None
    if engine is not None and card.engine != engine:
        raise _refuse_other_version(
            path,
            "its columns were learnt from features that this package's engine no longer extracts "
            "the same way",
            "engine",
            card.engine,
            engine,
        )
    try:
        return _model_of(arrays, card), card
    except (KeyError, TypeError, ValueError, IndexError, OverflowError) as error:
        raise _refuse(path, f"its card does not describe its arrays ({error}); retrain it") from None


def _refuse_other_version(
    path: Path, why: str, name: str, recorded: str | None, ours: str
) -> ClassifierError:
    """The refusal of a model learnt from another version of a feature (cue list, engine)."""
    return _refuse(
        path,
        f"{why} ({name} {recorded or 'not recorded'}, this package's {ours}); retrain it with `promo train`",
    )


def _model_of(arrays: dict[str, np.ndarray], card: ModelCard) -> Model:
    settings, mapping = card.features, card.calibration_map
    if settings is None or mapping is None or card.aggregation is None or card.trained_share is None:
        raise ValueError("no features, calibration map, aggregation or trained share")
    width = settings.width
    columns = arrays["columns"].astype(np.int64)
    if len(columns) and (columns.min() < 0 or columns.max() >= width):
        raise ValueError("column outside the hashed blocks")
    idf = np.zeros(width, dtype=np.float32)
    coef = np.zeros(width, dtype=np.float32)
    idf[columns] = arrays["idf"]
    coef[columns] = arrays["coef"]
    cue_coef = arrays["cue_coef"].astype(np.float64)
    if len(cue_coef) != settings.n_columns - width:
        raise ValueError("cue coefficients do not match the settings")
    calibration = Calibration.from_description(mapping, arrays["isotonic_x"], arrays["isotonic_y"])
    linear = LinearModel(settings, coef, idf, cue_coef, float(arrays["intercept"][0]))
    return Model(
        linear=linear,
        calibration=calibration,
        threshold=float(card.threshold),
        aggregation=str(card.aggregation),
        trained_share=float(card.trained_share),
    )
