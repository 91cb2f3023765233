from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from classifier.interfaces.cli import main
from classifier.modeling.dataset import LabelledPosts
from classifier.workflows.evaluation import evaluate, render_text


class FixedScores:
    """A stand-in predictor whose scores are known."""

    def __init__(self, scores: list[float], threshold: float = 0.5) -> None:
        self.scores = np.asarray(scores)
        self.threshold = threshold

    def score_many(self, texts: list[str]) -> np.ndarray:
        return self.scores[: len(texts)]


@pytest.fixture
def posts() -> LabelledPosts:
    return LabelledPosts(
        texts=["מבצע", "קוד הנחה", "הגרלה", "שבת שלום", "אבד כלב 050-1234567", "מה נשמע"],
        labels=[1, 1, 1, 0, 0, 0],
        columns={
            "id": ["1", "2", "3", "4", "5", "6"],
            "kind": ["ad", "ad", "giveaway", "greeting", "notice", "greeting"],
        },
        sources=[f"f.csv:{i}" for i in range(2, 8)],
    )


def test_evaluate_figures_match_hand_computed(posts: LabelledPosts) -> None:
    result = evaluate(FixedScores([0.9, 0.4, 0.8, 0.1, 0.7, 0.2]), posts)  # type: ignore[arg-type]
    f = result.figures
    assert f.metrics.overall.confusion == ((2, 1), (1, 2))
    promotional = f.metrics.per_class["promotional"]
    assert (promotional.precision, promotional.recall, promotional.n) == (2 / 3, 2 / 3, 3)
    assert promotional.f1 == pytest.approx(2 / 3)
    assert f.metrics.per_kind is not None
    kinds = {row.kind: row for row in f.metrics.per_kind}
    assert kinds["ad"].metric == "recall" and kinds["ad"].value == 0.5
    assert kinds["notice"].metric == "false_positive_rate" and kinds["notice"].value == 1.0
    assert kinds["greeting"].value == 0.0
    assert [e.where for e in f.false_positives] == ["id 5"]
    assert [e.where for e in f.false_negatives] == ["id 2"]
    histogram = f.score_distribution["organic"].histogram_10_bins
    assert histogram is not None and histogram[7] == 1
    assert list(f.to_dict()) == [
        "n",
        "not_judged",
        "overall",
        "per_class",
        "score_distribution",
        "false_positives",
        "false_negatives",
        "per_kind",
    ]
    assert f.to_dict()["per_class"]["promotional"]["n"] == 3


def test_evaluate_threshold_override_and_errors_without_ids(posts: LabelledPosts) -> None:
    bare = LabelledPosts(texts=posts.texts, labels=posts.labels, sources=posts.sources)
    result = evaluate(FixedScores([0.9, 0.4, 0.8, 0.1, 0.7, 0.2]), bare, threshold=0.95)  # type: ignore[arg-type]
    assert result.figures.metrics.overall.confusion == ((3, 0), (3, 0))
    assert result.figures.metrics.per_kind is None and "per_kind" not in result.figures.to_dict()
    assert result.figures.false_negatives[0].where == "f.csv:3"


def test_render_text_names_every_section(posts: LabelledPosts) -> None:
    text = render_text(evaluate(FixedScores([0.9, 0.4, 0.8, 0.1, 0.7, 0.2]), posts).figures)  # type: ignore[arg-type]
    for heading in (
        "macro-F1",
        "confusion matrix",
        "score distribution",
        "per kind",
        "most confident false positives",
    ):
        assert heading in text


def test_cli_evaluate_text_and_json(model_file: Path, corpus_file: Path) -> None:
    runner = CliRunner()
    as_text = runner.invoke(main, ["evaluate", str(corpus_file), "--model", str(model_file)])
    assert as_text.exit_code == 0, as_text.output
    assert "macro-F1" in as_text.stdout
    as_json = runner.invoke(
        main, ["evaluate", str(corpus_file), "--model", str(model_file), "--format", "json"]
    )
    figures = json.loads(as_json.stdout)
    assert figures["n"] == 48
    assert 0 <= figures["overall"]["ece"] <= 1
    assert set(figures["per_class"]) == {"organic", "promotional"}


def test_cli_evaluate_reports_unusable_data(model_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("text,label\n,1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(empty), "--model", str(model_file)])
    assert result.exit_code == 1
    assert "error: no labelled posts to evaluate" in result.stderr


def test_cli_evaluate_report_writes_a_page_with_its_images(
    model_file: Path, corpus_file: Path, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    folder = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["evaluate", str(corpus_file), "--model", str(model_file), "--report", str(folder)]
    )
    assert result.exit_code == 0, result.output
    page = (folder / "index.html").read_text(encoding="utf-8")
    for image in ("roc.png", "precision_recall.png", "reliability.png", "score_histograms.png"):
        assert (folder / image).read_bytes().startswith(b"\x89PNG")
        assert f'src="{image}"' in page
    assert f"report written: {folder / 'index.html'}" in result.stderr
