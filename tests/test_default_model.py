from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from classifier import Predictor, corpus, default_model, training
from tests.conftest import ORGANIC, PROMOTIONAL


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for data/posts.csv, with the bundled corpus's columns."""
    path = tmp_path / "posts.csv"
    lines = ["id,text,label,kind,domain,platform"]
    for i, text in enumerate(PROMOTIONAL + ORGANIC):
        label = 1 if i < len(PROMOTIONAL) else 0
        lines.append(f'{i},"{text.replace(chr(34), chr(34) * 2)}",{label},k,d{i % 2},facebook')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(corpus, "bundled_corpus_path", lambda: path)
    monkeypatch.setattr(default_model, "bundled_corpus_path", lambda: path)
    return path


def test_default_model_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_MODEL_DIR", str(tmp_path))
    assert default_model.default_model_path() == tmp_path / "promo-he.joblib"


def test_default_model_is_trained_once_on_the_training_split(
    bundled: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="classifier"):
        first = Predictor.load()
    assert "training the default model" in caplog.text and "does not exist yet" in caplog.text
    assert default_model.default_model_path().is_file()
    held_out = sum(corpus.heldout_mask(corpus.read_labelled([bundled])))
    assert sum(first.card["training_data"]["rows"].values()) == 48 - held_out

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("the current default model was retrained")

    monkeypatch.setattr(training, "train", no_training)
    again = Predictor.load()
    assert again.card == first.card


def test_default_model_is_rebuilt_when_the_corpus_changes(
    bundled: Path, caplog: pytest.LogCaptureFixture
) -> None:
    Predictor.load()
    with bundled.open("a", encoding="utf-8") as handle:
        handle.write("999,עוד פוסט חדש על הנחות באתר,1,k,d0,x\n")
    with caplog.at_level(logging.INFO, logger="classifier"):
        rebuilt = Predictor.load()
    assert "the bundled corpus has changed" in caplog.text
    assert rebuilt.card["training_data"]["rows"]["promotional"] >= 20


def test_default_model_is_rebuilt_when_unreadable(bundled: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = default_model.default_model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"broken")
    with caplog.at_level(logging.INFO, logger="classifier"):
        Predictor.load()
    assert "cannot be read" in caplog.text
    assert os.path.getsize(path) > 1000
