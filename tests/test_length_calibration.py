"""The length-aware calibration: its map, its fit in training, and its storage."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifier import Predictor, TrainConfig, train
from classifier.core.errors import ClassifierError
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.model import Calibration
from classifier.modeling.storage import load_model, markdown_card_path, save_model
from classifier.modeling.training import LENGTH_EDGES, MIN_PER_LENGTH_BUCKET
from classifier.text.passages import length_buckets
from tests.conftest import ORGANIC, PROMOTIONAL

finite = st.floats(-20, 20, allow_nan=False)


@given(
    st.lists(st.text(alphabet="אב \n\t.\x1c\x85\u2028\xa0\x00", max_size=40), max_size=8),
    st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True),
)
def test_length_buckets_count_the_edges_a_texts_word_count_is_above(
    texts: list[str], edges: list[int]
) -> None:
    edges = sorted(edges)
    expected = [sum(len(t.split()) > e for e in edges) for t in texts]
    assert length_buckets(texts, edges).tolist() == expected


def _bands(slope: float, offset: float, steps: list[tuple[float, float]]) -> Calibration:
    """A length-aware map with one band every 100 words, of the given (slope, offset) steps."""
    return Calibration(
        "length_sigmoid",
        slope=slope,
        offset=offset,
        length_edges=tuple(100 * (k + 1) for k in range(len(steps))),
        length_slopes=tuple(s for s, _ in steps),
        length_offsets=tuple(o for _, o in steps),
    )


@given(finite, finite, st.lists(st.tuples(finite, finite), min_size=1, max_size=3), finite)
def test_at_the_same_log_odds_a_longer_text_never_scores_higher(
    slope: float, offset: float, steps: list[tuple[float, float]], decision: float
) -> None:
    calibration = _bands(slope, offset, steps)
    buckets = np.arange(len(steps) + 1)
    scores = calibration.apply(np.full(len(buckets), decision), buckets)
    assert np.all(np.diff(scores) <= 0), scores


def test_a_long_text_gets_its_own_offset_and_slope_only_where_that_lowers_its_score() -> None:
    calibration = Calibration(
        "length_sigmoid",
        slope=1.0,
        offset=0.0,
        length_edges=(150,),
        length_slopes=(0.5,),
        length_offsets=(-2.0,),
    )
    short, long = "מילה " * 10, "מילה " * 151
    # below log-odds 4 the long map is lower; above it the short map's score is kept
    probability = calibration.apply(np.array([1.0, 1.0, 6.0, 6.0]), calibration.buckets([short, long] * 2))
    assert probability[1] == pytest.approx(1 / (1 + np.exp(-(1.5 - 2.0))))
    assert probability[0] == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert probability[3] == pytest.approx(probability[2])
    # other maps ignore length
    assert Calibration("sigmoid").buckets([long]).tolist() == [0]


BAND = {"method": "length_sigmoid", "slope": 1.0, "offset": 0.0}


@pytest.mark.parametrize(
    ("mapping", "reason"),
    [
        ({"method": "platt"}, "unknown calibration"),
        ({**BAND, "length_edges": [150, 400], "length_slopes": [0.1], "length_offsets": [0.1]}, "increasing"),
        (
            {**BAND, "length_edges": [400, 150], "length_slopes": [0, 0], "length_offsets": [0, 0]},
            "increasing",
        ),
        (
            {"method": "sigmoid", "length_edges": [150], "length_slopes": [0.1], "length_offsets": [0.1]},
            "belong",
        ),
        ({**BAND, "length_edges": [0], "length_slopes": [0.1], "length_offsets": [0.1]}, "1 word or more"),
        ({**BAND, "length_edges": "15", "length_slopes": [0.1], "length_offsets": [0.1]}, "whole numbers"),
        ({**BAND, "length_edges": [150.9], "length_slopes": [0.1], "length_offsets": [0.1]}, "whole numbers"),
        ({**BAND, "length_edges": [True], "length_slopes": [0.1], "length_offsets": [0.1]}, "whole numbers"),
        ({**BAND, "length_edges": [150], "length_slopes": [float("nan")], "length_offsets": [0.1]}, "finite"),
        ({**BAND, "slope": float("inf")}, "finite"),
        ({**BAND, "length_edges": [150], "length_slopes": [-1.5], "length_offsets": [0.0]}, "reverse"),
    ],
)
def test_a_calibration_that_does_not_fit_together_is_refused(mapping: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Calibration.from_description(mapping, np.zeros(0), np.zeros(0))


@pytest.mark.parametrize(
    "edits",
    [
        {"length_edges": [float("inf"), 400]},
        {"length_slopes": [float("nan"), 0.1]},
        {"length_slopes": [-5.0, 0.1]},
    ],
    ids=["infinite edge", "nan slope", "falling band"],
)
def test_a_model_file_with_a_broken_length_calibration_is_refused_in_one_line(
    length_model: tuple[Path, LabelledPosts], tmp_path: Path, edits: dict[str, object]
) -> None:
    path, _ = length_model
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    card = json.loads(bytes(arrays["card"]).decode("utf-8"))
    card["calibration_map"].update(edits)
    broken = dict(arrays, card=np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8))
    np.savez_compressed(tmp_path / "broken.npz", **broken)
    with pytest.raises(ClassifierError, match=r"broken\.npz: its card does not describe its arrays"):
        load_model(tmp_path / "broken.npz")


@given(
    finite, finite, st.lists(st.tuples(st.floats(0.01, 5), finite), min_size=1, max_size=3), finite, finite
)
def test_within_a_band_the_score_rises_with_the_log_odds(
    slope: float, offset: float, steps: list[tuple[float, float]], low: float, high: float
) -> None:
    slope = abs(slope) + 0.01  # every band's slope positive: the training's condition
    calibration = _bands(slope, offset, steps)
    low, high = sorted((low, high))
    for bucket in range(len(steps) + 1):
        scores = calibration.apply(np.array([low, high]), np.array([bucket, bucket]))
        assert scores[0] <= scores[1]


def test_probability_needs_one_text_for_each_log_odds(length_model: tuple[Path, LabelledPosts]) -> None:
    model, _ = load_model(length_model[0])
    with pytest.raises(ClassifierError, match="one text for each log-odds"):
        model.probability(np.zeros(3), ["שלום"])
    with pytest.raises(ClassifierError, match="one text for each log-odds"):
        model.probability(np.zeros(4), "שלום")
    with pytest.raises(ClassifierError, match="length buckets"):
        model.calibration.apply(np.zeros(1))


def _with_long_texts(n_long: int) -> LabelledPosts:
    """The tiny corpus plus ``n_long`` long texts of each label, each joined from its label's posts."""
    rng = random.Random(0)
    texts, labels = PROMOTIONAL + ORGANIC, [1] * len(PROMOTIONAL) + [0] * len(ORGANIC)
    for label, pool in ((1, PROMOTIONAL), (0, ORGANIC)):
        for i in range(n_long):
            # 24 to 53 posts of 9-15 words: over 150 words, and often over 400, so both edges are used
            texts.append("\n\n".join(rng.choice(pool) for _ in range(24 + i % 30)))
            labels.append(label)
    return LabelledPosts(texts=texts, labels=labels)


@pytest.fixture(scope="module")
def length_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LabelledPosts]:
    """A model with a length-aware calibration, saved, and the posts it was trained on."""
    posts = _with_long_texts(3 * MIN_PER_LENGTH_BUCKET)
    trained = train(posts, TrainConfig(min_df=1, cv_folds=4, calibration="length_sigmoid"))
    path = tmp_path_factory.mktemp("length") / "long.npz"
    save_model(trained.model, trained.card, path)
    return path, posts


def test_a_long_text_never_scores_above_its_best_passage(length_model: tuple[Path, LabelledPosts]) -> None:
    predictor = Predictor(*load_model(length_model[0]))
    long = [t for t in length_model[1].texts if len(t.split()) > LENGTH_EDGES[0]]
    scores = predictor.score_many(long)
    for text, score in zip(long[:40], scores[:40], strict=False):
        passages = predictor.passages(text)
        assert len(passages) > 1
        assert score <= max(p.score for p in passages) + 1e-12
        assert predictor.explain(text).score == pytest.approx(score)


def test_only_the_edges_with_enough_long_texts_of_each_label_are_used() -> None:
    rng = random.Random(1)
    texts, labels = PROMOTIONAL + ORGANIC, [1] * len(PROMOTIONAL) + [0] * len(ORGANIC)
    for label, pool in ((1, PROMOTIONAL), (0, ORGANIC)):
        for _ in range(MIN_PER_LENGTH_BUCKET + 5):  # 20 posts: about 240 words, under 400
            texts.append("\n\n".join(rng.choice(pool) for _ in range(20)))
            labels.append(label)
    assert max(len(t.split()) for t in texts) <= LENGTH_EDGES[1]
    posts = LabelledPosts(texts=texts, labels=labels)
    assert (
        "length_sigmoid" in train(posts, TrainConfig(min_df=1, cv_folds=4)).card.calibration.cross_validated
    )
    chosen = train(posts, TrainConfig(min_df=1, cv_folds=4, calibration="length_sigmoid")).model.calibration
    assert chosen.length_edges == LENGTH_EDGES[:1]


def test_training_fits_and_stores_a_length_aware_calibration(tmp_path: Path) -> None:
    posts = _with_long_texts(3 * MIN_PER_LENGTH_BUCKET)
    trained = train(posts, TrainConfig(min_df=1, cv_folds=4, calibration="length_sigmoid"))
    calibration = trained.model.calibration
    assert calibration.method == "length_sigmoid" and calibration.length_edges == LENGTH_EDGES
    assert trained.card.calibration.chosen == "length_sigmoid"
    assert np.all(np.cumsum((calibration.slope, *calibration.length_slopes)) > 0)
    path = tmp_path / "long.npz"
    save_model(trained.model, trained.card, path)
    model, card = load_model(path)
    assert model.calibration.describe() == calibration.describe()
    assert "over 150 words, over 400 words" in markdown_card_path(path).read_text(encoding="utf-8")
    texts = list(posts.texts)
    before = Predictor(trained.model, trained.card).score_many(texts)
    assert np.allclose(Predictor(model, card).score_many(texts), before)


def test_without_enough_long_texts_the_length_aware_calibration_is_not_used(
    tiny_posts: LabelledPosts,
) -> None:
    with pytest.raises(ClassifierError, match=r"too few long texts.*choose another calibration"):
        train(tiny_posts, TrainConfig(min_df=1, cv_folds=4, calibration="length_sigmoid"))
    automatic = train(tiny_posts, TrainConfig(min_df=1, cv_folds=4))
    assert "length_sigmoid" not in automatic.card.calibration.cross_validated


def test_a_model_of_the_previous_format_still_loads(model_file: Path, tmp_path: Path) -> None:
    with np.load(model_file, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    for version, loads in ((2, True), (1, False)):
        card = json.loads(bytes(arrays["card"]).decode("utf-8"))
        card["format_version"] = version
        older = dict(arrays, card=np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8))
        path = tmp_path / f"v{version}.npz"
        np.savez_compressed(path, **older)
        if loads:
            assert load_model(path)[0].calibration.method == card["calibration_map"]["method"]
        else:
            with pytest.raises(ClassifierError, match="old model format 1"):
                load_model(path)
