"""Tests of the HTML evaluation report."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from classifier.core.errors import ClassifierError
from classifier.modeling.card import CalibrationChoice, TrainingData
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.training import TrainedModel
from classifier.workflows.evaluation import Evaluation, evaluate
from classifier.workflows.report import IMAGES, write_report
from tests.conftest import ORGANIC, PROMOTIONAL

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCRIPT_TEXT = "קוד הנחה <script>alert(1)</script> בקישור"


class FixedScores:
    """A stand-in predictor returning known scores."""

    threshold = 0.5

    def __init__(self, scores: Sequence[float]) -> None:
        self.scores = np.asarray(scores, dtype=float)

    def score_many(self, texts: Sequence[str]) -> np.ndarray:
        """The fixed scores, one per text."""
        assert len(texts) == self.scores.size
        return self.scores


def _evaluation(texts: list[str], labels: list[int], scores: list[float]) -> Evaluation:
    """Evaluate fixed scores on posts with a ``kind`` column."""
    kinds = ["ad" if label else "chat" for label in labels]
    posts = LabelledPosts(texts=texts, labels=labels, columns={"kind": kinds})
    return evaluate(FixedScores(scores), posts)


@pytest.fixture
def evaluation() -> Evaluation:
    """Six promotional and six organic posts, with one error of each kind."""
    texts = [*PROMOTIONAL[:5], SCRIPT_TEXT, *ORGANIC[:6]]
    scores = [0.95, 0.9, 0.8, 0.7, 0.6, 0.3, 0.1, 0.15, 0.2, 0.25, 0.3, 0.85]
    return _evaluation(texts, [1] * 6 + [0] * 6, scores)


def test_report_writes_page_and_images(evaluation: Evaluation, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    index = write_report(evaluation, tmp_path / "new" / "report")
    assert index == tmp_path / "new" / "report" / "index.html"
    assert sorted(p.name for p in index.parent.iterdir()) == sorted(["index.html", *IMAGES])
    for name in IMAGES:
        data = (index.parent / name).read_bytes()
        assert len(data) > len(PNG_SIGNATURE)
        assert data.startswith(PNG_SIGNATURE)


def test_report_page_references_images_and_figures(evaluation: Evaluation, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page = write_report(evaluation, tmp_path, title="My <eval>").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert '<meta charset="utf-8">' in page
    for name in IMAGES:
        assert f'<img src="{name}" alt="' in page
    assert f"{evaluation.figures.metrics.overall.macro_f1:.3f}" in page
    assert "<title>My &lt;eval&gt;</title>" in page
    assert "Per kind" in page


def test_report_hebrew_excerpts_are_right_to_left(evaluation: Evaluation, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page = write_report(evaluation, tmp_path).read_text(encoding="utf-8")
    false_positive = evaluation.figures.false_positives[0].excerpt
    assert false_positive == ORGANIC[5]
    assert f'<td dir="rtl" class="text">{false_positive}</td>' in page


def test_report_escapes_post_text(evaluation: Evaluation, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    page = write_report(evaluation, tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "קוד הנחה &lt;script&gt;alert(1)&lt;/script&gt; בקישור" in page


def test_report_summarises_model_card(
    evaluation: Evaluation, tiny_model: TrainedModel, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    card = replace(
        tiny_model.card,
        created="2025-01-01T10:00:00+00:00",
        package_version="9.9.9",
        sklearn_version="1.2.3",
        training_data=TrainingData(files=("mine.csv",), sha256="ab", rows={"organic": 11, "promotional": 13}),
        calibration=CalibrationChoice("isotonic", {}),
        threshold=0.4321,
        threshold_rule="max F1",
    )
    page = write_report(evaluation, tmp_path, model_card=card).read_text(encoding="utf-8")
    facts = ("2025-01-01T10:00:00+00:00", "9.9.9", "1.2.3", "organic 11, promotional 13")
    for text in (*facts, "isotonic", "mine.csv"):
        assert text in page
    assert "0.432 (max F1)" in page


def test_report_with_one_label_skips_curves(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    evaluation = _evaluation(ORGANIC[:4], [0] * 4, [0.1, 0.2, 0.6, 0.3])
    index = write_report(evaluation, tmp_path)
    page = index.read_text(encoding="utf-8")
    assert "curves are unavailable" in page
    assert "roc.png" not in page and "precision_recall.png" not in page
    assert '<img src="reliability.png"' in page and '<img src="score_histograms.png"' in page
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["index.html", "reliability.png", "score_histograms.png"]


def test_report_without_matplotlib_raises(
    evaluation: Evaluation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [name for name in sys.modules if name == "matplotlib" or name.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ClassifierError, match=r"needs matplotlib: pip install 'promo-he\[report\]'"):
        write_report(evaluation, tmp_path / "report")
    assert not (tmp_path / "report").exists()
