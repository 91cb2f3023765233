from __future__ import annotations

import os
from pathlib import Path

import joblib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier import ClassifierError, Predictor, TrainConfig, train, training
from classifier.dataset import LabelledPosts
from classifier.features import CharNgramTfidf
from classifier.storage import card_path, load_model, markdown_card_path
from classifier.training import TrainedModel


def test_train_is_deterministic(
    tiny_posts: LabelledPosts, tiny_config: TrainConfig, tiny_model: TrainedModel
) -> None:
    again = train(tiny_posts, tiny_config)
    texts = ["מבצע חדש באתר", "שבת שלום חברים", "קוד הנחה 10%"]
    first = Predictor(tiny_model.pipeline, tiny_model.card).score_many(texts)
    second = Predictor(again.pipeline, again.card).score_many(texts)
    assert np.array_equal(first, second)
    assert again.card["threshold"] == tiny_model.card["threshold"]
    assert again.card["cv_metrics"] == tiny_model.card["cv_metrics"]


def test_train_card_describes_data_config_and_metrics(tiny_model: TrainedModel) -> None:
    card = tiny_model.card
    assert card["training_data"]["rows"] == {"organic": 24, "promotional": 24}
    assert card["config"]["min_df"] == 1
    assert card["calibration"]["chosen"] in {"none", "sigmoid", "isotonic"}
    assert set(card["calibration"]["cross_validated"]) == {"none", "sigmoid", "isotonic"}
    assert 0 < card["threshold"] < 1
    assert {"precision", "recall", "f1", "roc_auc"} <= set(card["cv_metrics"])
    assert card["sklearn_version"] and card["package_version"]


def test_train_cross_validated_scores_separate_the_labels(
    tiny_model: TrainedModel, tiny_posts: LabelledPosts
) -> None:
    labels = np.asarray(tiny_posts.labels)
    assert tiny_model.cv_scores[labels == 1].mean() > tiny_model.cv_scores[labels == 0].mean()


def test_train_rejects_one_label(tiny_posts: LabelledPosts) -> None:
    only_ads = tiny_posts.subset([label == 1 for label in tiny_posts.labels])
    with pytest.raises(ClassifierError, match="only promotional posts; both labels are needed"):
        train(only_ads)


def test_train_rejects_fewer_than_ten_of_a_label(tiny_posts: LabelledPosts) -> None:
    keep = [label == 1 or i < 28 for i, label in enumerate(tiny_posts.labels)]
    few = tiny_posts.subset(keep)
    assert few.counts()["organic"] == 4
    with pytest.raises(ClassifierError, match="has 4 organic posts; at least 10"):
        train(few)


def test_train_target_precision_is_met_in_cross_validation(tiny_posts: LabelledPosts) -> None:
    strict = train(tiny_posts, TrainConfig(min_df=1, cv_folds=4, target_precision=0.75))
    assert strict.card["cv_metrics"]["precision"] >= 0.75
    assert strict.card["threshold_rule"] == "lowest with precision >= 0.75"


def test_train_unreachable_target_precision_is_a_clear_error(
    tiny_posts: LabelledPosts, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> float:
        raise ValueError("no threshold reaches precision 0.99")

    monkeypatch.setattr(training, "choose_threshold", unreachable)
    with pytest.raises(
        ClassifierError, match=r"no threshold reaches precision 0\.99.*lower --target-precision"
    ):
        train(tiny_posts, TrainConfig(min_df=1, cv_folds=4, target_precision=0.99))


def test_save_writes_model_and_card_and_round_trips(tiny_model: TrainedModel, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "m.joblib"
    tiny_model.save(path)
    _, card = load_model(path)
    assert card == tiny_model.card
    assert card_path(path).read_text(encoding="utf-8").startswith("{")
    markdown = markdown_card_path(path).read_text(encoding="utf-8")
    for heading in (
        "## Intended use",
        "## Label definition",
        "## Training data",
        "## Metrics",
        "## Limitations",
    ):
        assert heading in markdown
    assert "24 promotional, 24 organic" in markdown
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_save_keeps_the_old_model_when_writing_fails(
    tiny_model: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "m.joblib"
    path.write_bytes(b"old model")

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(joblib, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        tiny_model.save(path)
    assert path.read_bytes() == b"old model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib"]


def test_load_model_rejects_files_that_are_not_models(tmp_path: Path) -> None:
    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"not a pickle")
    with pytest.raises(ClassifierError, match=r"junk\.joblib: not a readable model"):
        load_model(junk)
    other = tmp_path / "other.joblib"
    joblib.dump({"something": 1}, other)
    with pytest.raises(ClassifierError, match="not a model written by this package"):
        load_model(other)
    with pytest.raises(ClassifierError, match="no model there"):
        load_model(tmp_path / "absent.joblib")


def test_save_gives_files_the_permissions_of_the_umask(tiny_model: TrainedModel, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    old = os.umask(0o022)
    try:
        tiny_model.save(path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


@settings(max_examples=30, derandomize=True, deadline=None)
@given(st.lists(st.text(alphabet="אבגדהו זח!.,🔥ab\n", max_size=40), min_size=1, max_size=8))
def test_char_ngram_tfidf_matches_scikit_learn(texts: list[str]) -> None:
    fitted_on = [*texts, "אבג דה", "זח ab!"]
    reference = TfidfVectorizer(
        analyzer="char_wb", lowercase=False, ngram_range=(1, 4), min_df=1, sublinear_tf=True, dtype=np.float32
    ).fit(fitted_on)
    ours = CharNgramTfidf(ngram_range=(1, 4), min_df=1).fit(fitted_on)
    assert list(ours.get_feature_names_out()) == list(reference.get_feature_names_out())
    difference = reference.transform(texts) - ours.transform(texts)
    assert difference.nnz == 0 or abs(difference).max() < 1e-6
