from __future__ import annotations

import json
import os
import pickle
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.isotonic import IsotonicRegression

import classifier.featurize.engine as engine_module
from classifier import ClassifierError, Predictor, TrainConfig, train
from classifier.featurize.engine import CUE_LIST, engine_fingerprint
from classifier.modeling import training
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.storage import (
    OLDEST_FORMAT_VERSION,
    card_path,
    load_model,
    markdown_card_path,
    save_model,
)
from classifier.modeling.training import TrainedModel

#: The card fields that saving adds (what rebuilds the model from its arrays).
STORED_FIELDS = (
    "format_version",
    "features",
    "calibration_map",
    "aggregation",
    "trained_share",
    "cue_list",
    "engine",
    "arrays_sha256",
)


def test_train_is_deterministic(
    tiny_posts: LabelledPosts, tiny_config: TrainConfig, tiny_model: TrainedModel
) -> None:
    again = train(tiny_posts, tiny_config)
    texts = ["מבצע חדש באתר", "שבת שלום חברים", "קוד הנחה 10%"]
    first = Predictor(tiny_model.model, tiny_model.card).score_many(texts)
    second = Predictor(again.model, again.card).score_many(texts)
    assert np.array_equal(first, second)
    assert again.card.threshold == tiny_model.card.threshold
    assert again.card.cv_metrics == tiny_model.card.cv_metrics


def test_folds_in_processes_train_the_same_model_as_folds_in_turn(
    tiny_posts: LabelledPosts,
    tiny_config: TrainConfig,
    tiny_model: TrainedModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if (os.cpu_count() or 1) < 2 or os.name != "posix":
        pytest.skip("folds run in processes only with two or more cores on POSIX")
    monkeypatch.setattr(training, "PARALLEL_FOLDS_MIN_POSTS", 1)
    forked = train(tiny_posts, tiny_config)
    assert forked.card.cv_metrics == tiny_model.card.cv_metrics
    assert forked.card.threshold == tiny_model.card.threshold
    assert np.array_equal(forked.model.linear.coef, tiny_model.model.linear.coef)


def test_train_card_describes_data_config_and_metrics(tiny_model: TrainedModel) -> None:
    card = tiny_model.card
    assert card.training_data.rows == {"organic": 24, "promotional": 24}
    assert card.config.min_df == 1
    assert card.calibration.chosen in {"none", "sigmoid", "isotonic"}
    assert set(card.calibration.cross_validated) == {"none", "sigmoid", "isotonic"}
    assert 0 < card.threshold < 1
    assert card.cv_metrics.roc_auc is not None and 0 < card.cv_metrics.f1 <= 1
    assert card.sklearn_version and card.package_version


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
    assert strict.card.cv_metrics.precision >= 0.75
    assert strict.card.threshold_rule == "lowest with precision >= 0.75"


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
    path = tmp_path / "sub" / "m.npz"
    tiny_model.save(path)
    model, card = load_model(path)
    assert replace(card, **dict.fromkeys(STORED_FIELDS)) == tiny_model.card
    assert card.format_version == OLDEST_FORMAT_VERSION and card.threshold == model.threshold
    assert card.features == tiny_model.model.linear.settings and card.cue_list == CUE_LIST
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
    path = tmp_path / "m.npz"
    path.write_bytes(b"old model")

    def broken_save(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", broken_save)
    with pytest.raises(OSError, match="disk full"):
        tiny_model.save(path)
    assert path.read_bytes() == b"old model"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]


class _RunsCode:
    """Unpickling this writes a file: proof that a loader ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.marker), "code ran"))  # type: ignore[return-value]


def test_load_model_refuses_pickles_and_joblib_files_without_running_them(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    crafted = tmp_path / "crafted.npz"
    crafted.write_bytes(pickle.dumps(_RunsCode(marker)))
    with pytest.raises(ClassifierError, match=r"crafted\.npz: a pickle, not a model file.*promo train"):
        load_model(crafted)
    joblib = pytest.importorskip("joblib")
    old = tmp_path / "old.joblib"
    joblib.dump({"format": 1, "pipeline": _RunsCode(marker)}, old)
    with pytest.raises(ClassifierError, match=r"old\.joblib: a pickle"):
        load_model(old)
    assert not marker.exists()
    pickle.loads(crafted.read_bytes())  # the crafted file really runs code when unpickled
    assert marker.exists()


def test_load_model_refuses_damaged_edited_and_future_files(tiny_model: TrainedModel, tmp_path: Path) -> None:
    good = tmp_path / "good.npz"
    tiny_model.save(good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ClassifierError, match=r"truncated\.npz: damaged or not a model"):
        load_model(truncated)
    with np.load(good, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    edited = dict(arrays, coef=arrays["coef"] * 2)
    np.savez_compressed(tmp_path / "edited.npz", **edited)
    with pytest.raises(ClassifierError, match="do not match their checksum"):
        load_model(tmp_path / "edited.npz")
    card = json.loads(bytes(arrays["card"]).decode("utf-8"))
    card["format_version"] = 99
    future = dict(arrays, card=np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8))
    np.savez_compressed(tmp_path / "future.npz", **future)
    with pytest.raises(ClassifierError, match="model format 99, newer than this package reads"):
        load_model(tmp_path / "future.npz")
    fingerprints = {
        "cue_list": (CUE_LIST, "another list of guideline cues"),
        "engine": (
            engine_fingerprint(tiny_model.model.linear.settings),
            "engine no longer extracts the same way",
        ),
    }
    for key, (current, reason) in fingerprints.items():
        for value in ("0123456789abcdef", None):  # another fingerprint, and a card from before it
            card = json.loads(bytes(arrays["card"]).decode("utf-8"))
            assert card[key] == current
            if value is None:
                del card[key]
            else:
                card[key] = value
            other = dict(arrays, card=np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8))
            np.savez_compressed(tmp_path / "other.npz", **other)
            with pytest.raises(ClassifierError, match=rf"other\.npz: .*{reason}.*promo train"):
                load_model(tmp_path / "other.npz")
    for key, value in (("bits", "20"), ("bits", 70), ("char_ngrams", [[0], 0])):  # hand-edited settings
        card = json.loads(bytes(arrays["card"]).decode("utf-8"))
        card["features"][key] = value
        other = dict(arrays, card=np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8))
        np.savez_compressed(tmp_path / "edited_card.npz", **other)
        with pytest.raises(ClassifierError, match=r"edited_card\.npz: .*retrain it"):
            load_model(tmp_path / "edited_card.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a model at all")
    with pytest.raises(ClassifierError, match=r"junk\.npz: not a model file of this package"):
        load_model(junk)
    with pytest.raises(ClassifierError, match="no model there"):
        load_model(tmp_path / "absent.npz")


def test_save_gives_files_the_permissions_of_the_umask(tiny_model: TrainedModel, tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    old = os.umask(0o022)
    try:
        tiny_model.save(path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


@settings(max_examples=30, derandomize=True, deadline=None)
@given(st.lists(st.text(alphabet="אבגדהו זח!.,🔥ab\n", max_size=40), min_size=1, max_size=8))
def test_engine_scores_equal_the_trained_pipeline(tiny_model: TrainedModel, texts: list[str]) -> None:
    engine = tiny_model.model.linear.decision(texts)
    pipeline = tiny_model.pipeline.decision_function(texts)
    assert np.allclose(engine, pipeline, atol=1e-6)


@settings(max_examples=60, derandomize=True, deadline=None)
# decisions on a grid of 1e-6 (ties included): on 0 and 1e-140 side by side, scikit-learn's
# IsotonicRegression, the reference here, predicts NaN
@given(
    st.lists(
        st.tuples(st.floats(-8, 8, allow_nan=False).map(lambda v: round(v, 6)), st.integers(0, 1)),
        min_size=2,
        max_size=60,
    )
)
def test_centered_isotonic_calibration_keeps_each_steps_probability_and_the_ranking(
    rows: list[tuple[float, int]],
) -> None:
    decision = np.array([d for d, _ in rows])
    labels = np.array([label for _, label in rows])
    xs, ys = training.centered_isotonic_points(decision, labels)
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) > 0)
    steps = IsotonicRegression(y_min=0.0, y_max=1.0).fit(decision, labels).predict(decision)
    assert set(np.round(ys, 9)) == set(np.round(steps, 9))  # the same probabilities as the steps
    inside = np.linspace(xs[0], xs[-1], 50)
    mapped = np.interp(inside, xs, ys)
    assert np.all(np.diff(mapped) > 0) or len(xs) == 1  # no ties between the ends
    for x, y in zip(xs, ys, strict=True):  # each step's probability sits at the mean score of its posts
        members = np.isclose(steps, y)
        assert np.isclose(decision[members].mean(), x)


def test_a_model_is_refused_once_the_engine_extracts_otherwise(
    tiny_model: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine fingerprint follows what the engine does, not a version number kept by hand."""
    path = tmp_path / "model.npz"
    save_model(tiny_model.model, tiny_model.card, path)
    assert load_model(path)[1].engine == engine_fingerprint(tiny_model.model.linear.settings)
    # as if a release hashed words otherwise: the same settings now give other columns
    monkeypatch.setitem(engine_module._SALTS, "word", engine_module._SALTS["word"] + 1)
    engine_module._fingerprint.cache_clear()
    try:
        with pytest.raises(ClassifierError, match=r"model\.npz: .*engine no longer extracts"):
            load_model(path)
    finally:
        monkeypatch.undo()
        engine_module._fingerprint.cache_clear()
    assert load_model(path)[1].engine == engine_fingerprint(tiny_model.model.linear.settings)
