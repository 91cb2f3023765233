from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import Predictor
from classifier.prediction.predictor import unjudgeable_reason


def test_predictor_scores_ads_above_chat(predictor: Predictor) -> None:
    ad = predictor.score("מבצע ענק! קוד הנחה 20% לכל האתר, הלינק בביו")
    chat = predictor.score("מישהו יודע אם יש גשם מחר בצפון?")
    assert 0 <= chat < ad <= 1


def test_predictor_score_many_matches_score_and_predict_uses_threshold(predictor: Predictor) -> None:
    texts = ["הגרלה! עקבו ותייגו חברים", "שבת שלום לכולם", "אבד כלב ליד הפארק"]
    many = predictor.score_many(texts)
    assert many.shape == (3,)
    assert [predictor.score(t) for t in texts] == many.tolist()
    assert predictor.predict(texts, threshold=0.0) == ["promotional"] * 3
    assert predictor.predict(texts, threshold=1.01) == ["organic"] * 3
    expected = ["promotional" if s >= predictor.threshold else "organic" for s in many]
    assert predictor.predict(texts) == expected


def test_predictor_score_many_accepts_empty_and_generators(predictor: Predictor) -> None:
    assert predictor.score_many([]).shape == (0,)
    assert predictor.score_many(t for t in ["שלום"]).shape == (1,)


def test_predictor_load_round_trip_keeps_scores(predictor: Predictor, model_file: Path) -> None:
    loaded = Predictor.load(model_file)
    texts = ["מבצע", "שלום", ""]
    assert np.array_equal(loaded.score_many(texts), predictor.score_many(texts), equal_nan=True)
    assert loaded.threshold == predictor.threshold
    assert loaded.card.to_dict().items() >= predictor.card.to_dict().items()


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_predictor_scores_any_strings_in_unit_interval_whatever_the_order(
    predictor: Predictor, texts: list[str]
) -> None:
    scores = predictor.score_many(texts)
    judged = np.array([unjudgeable_reason(text) is None for text in texts])
    assert np.all((scores[judged] >= 0) & (scores[judged] <= 1))
    assert np.isnan(scores[~judged]).all()
    reversed_scores = predictor.score_many(list(reversed(texts)))
    assert np.allclose(scores, reversed_scores[::-1], rtol=0, atol=1e-12, equal_nan=True)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(
    st.lists(
        st.text(alphabet='אבגדה וזחט\x00\x01\x07\x0b\x1b\x7f\x85\x9f\n"', min_size=1, max_size=40),
        min_size=1,
        max_size=6,
    )
)
def test_control_characters_score_like_spaces_and_leave_the_rest_of_the_batch_alone(
    predictor: Predictor, texts: list[str]
) -> None:
    """A NUL or another control byte in a post (a binary file, a JSON "\\u0000") is a space to the
    model; it neither fails the batch nor moves its neighbours' scores."""
    controls = "\x00\x01\x07\x0b\x1b\x7f\x85\x9f"
    spaced = ["".join(" " if c in controls else c for c in text) for text in texts]
    neighbour = "מבצע השבוע באתר שלנו"
    scores = predictor.score_many([neighbour, *texts, neighbour])
    assert np.allclose(scores[1:-1], predictor.score_many(spaced), rtol=0, atol=1e-12, equal_nan=True)
    assert scores[0] == scores[-1] == predictor.score(neighbour)


def test_predictor_scores_in_parallel_in_input_order(predictor: Predictor) -> None:
    texts = [f"מבצע {i} הנחה באתר" if i % 3 else f"שבת שלום לכולם {i}" for i in range(12_000)]
    single = predictor.score_many(texts)
    parallel = predictor.score_many(iter(texts), n_jobs=2)
    assert np.array_equal(single, parallel)


def test_predictor_refuses_what_is_not_a_post(predictor: Predictor) -> None:
    with pytest.raises(TypeError, match="not one string; use score"):
        predictor.score_many("מבצע ענק")
    with pytest.raises(TypeError, match="post 1 is NoneType"):
        predictor.score_many(["שלום", None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="post 0 is NaN"):
        predictor.score(float("nan"))  # type: ignore[arg-type]
    assert np.isnan(predictor.score(""))
    assert predictor.predict(["", "   "]) == [None, None]
