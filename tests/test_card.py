"""The model card as a typed record: round trips, the files it is stored in, old and edited cards."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import ClassifierError, Predictor
from classifier.core.config import TrainConfig
from classifier.featurize.engine import FeatureSettings
from classifier.modeling.card import (
    AggregationChoice,
    CalibrationChoice,
    ModelCard,
    TrainingData,
    render_markdown,
)
from classifier.modeling.metrics import ClassMetrics, DataSetMetrics, KindMetrics, Metrics
from classifier.modeling.storage import card_path, load_model, markdown_card_path
from classifier.modeling.training import TrainedModel

COMMITTED_MODEL = Path(__file__).resolve().parent.parent / "models" / "promo-he.npz"
COMMITTED_CARD = card_path(COMMITTED_MODEL)

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
shares = st.floats(0, 1, allow_nan=False)
optional_shares = st.none() | shares
counts = st.integers(0, 10_000)

metrics = st.builds(
    Metrics,
    n=counts,
    **dict.fromkeys(("threshold", "precision", "recall", "f1", "macro_f1", "ece"), shares),
    **dict.fromkeys(("roc_auc", "pr_auc", "brier"), optional_shares),
    confusion=st.tuples(st.tuples(counts, counts), st.tuples(counts, counts)),
)
data_set_metrics = st.builds(
    DataSetMetrics,
    n=counts,
    overall=metrics,
    per_class=st.dictionaries(
        st.sampled_from(["organic", "promotional"]),
        st.builds(ClassMetrics, precision=shares, recall=shares, f1=shares, n=counts),
    ),
    per_kind=st.none()
    | st.lists(
        st.builds(
            KindMetrics,
            kind=names,
            label=st.sampled_from(["organic", "promotional"]),
            n=counts,
            metric=st.sampled_from(["recall", "false_positive_rate"]),
            value=shares,
            mixed_labels=st.booleans(),
        ),
        max_size=3,
    ).map(tuple),
)
cards = st.builds(
    ModelCard,
    **dict.fromkeys(("name", "created", "package_version", "sklearn_version", "python_version"), names),
    training_data=st.builds(
        TrainingData,
        files=st.lists(names, max_size=3).map(tuple),
        sha256=names,
        rows=st.dictionaries(st.sampled_from(["organic", "promotional"]), counts),
        weighted=st.none() | st.lists(st.floats(0.5, 10), min_size=1, max_size=2).map(tuple),
        skipped=st.dictionaries(names, counts, max_size=2),
        split=st.none() | names,
    ),
    config=st.builds(TrainConfig, min_df=st.integers(1, 5), C=st.floats(0.1, 100), seed=counts),
    calibration=st.builds(
        CalibrationChoice,
        chosen=st.sampled_from(["none", "sigmoid", "isotonic", "length_sigmoid"]),
        cross_validated=st.dictionaries(
            st.sampled_from(["none", "sigmoid", "isotonic", "length_sigmoid"]),
            st.fixed_dictionaries({"brier": shares, "ece": shares}),
        ),
    ),
    threshold=shares,
    threshold_rule=names,
    cv_metrics=metrics,
    default_prior=st.none() | st.floats(0.01, 0.99),
    aggregation_cross_validated=st.none()
    | st.builds(
        AggregationChoice,
        rule=st.sampled_from(["whole", "max", "whole_capped"]),
        roc_auc_on_texts_of_several_passages=st.dictionaries(
            st.sampled_from(["whole", "max", "whole_capped"]), optional_shares
        ),
        texts_of_several_passages=counts,
    ),
    heldout=st.none() | data_set_metrics,
    format_version=st.none() | st.sampled_from([2, 3]),
    features=st.none() | st.builds(FeatureSettings, bits=st.integers(8, 24)),
    calibration_map=st.none()
    | st.just({"method": "none"})
    | st.builds(lambda s, o: {"method": "sigmoid", "slope": s, "offset": o}, shares, shares)
    | st.builds(
        lambda s, o, ls, lo: {
            "method": "length_sigmoid",
            "slope": s,
            "offset": o,
            "length_edges": [150, 400],
            "length_slopes": [ls, ls],
            "length_offsets": [lo, lo],
        },
        shares,
        shares,
        shares,
        shares,
    ),
    aggregation=st.none() | st.sampled_from(["whole", "max", "whole_capped"]),
    trained_share=optional_shares,
    arrays_sha256=st.none() | names,
    extra=st.dictionaries(st.sampled_from(["notes", "owner", "licence"]), names, max_size=2),
)


def _through_json(data: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(json.dumps(data, ensure_ascii=False))
    return parsed


@settings(max_examples=60, derandomize=True, deadline=None)
@given(cards)
def test_card_round_trips_through_json(card: ModelCard) -> None:
    as_json = _through_json(card.to_dict())
    again = ModelCard.from_dict(as_json)
    assert again == card
    assert json.dumps(again.to_dict()) == json.dumps(as_json)  # same keys, values and order


@settings(max_examples=60, derandomize=True, deadline=None)
@given(data_set_metrics)
def test_data_set_metrics_round_trip_through_json(figures: DataSetMetrics) -> None:
    assert DataSetMetrics.from_dict(_through_json(figures.to_dict())) == figures


def test_committed_card_reads_and_writes_back_byte_for_byte() -> None:
    text = COMMITTED_CARD.read_text(encoding="utf-8")
    card = ModelCard.from_dict(json.loads(text))
    assert json.dumps(card.to_dict(), ensure_ascii=False, indent=2) + "\n" == text
    assert card.heldout is not None and card.heldout.per_kind
    assert card.training_data.files == ("posts.csv",) and card.training_data.split


def _embedded_card(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as stored:
        embedded: dict[str, Any] = json.loads(bytes(stored["card"]).decode("utf-8"))
    return embedded


@pytest.mark.parametrize("which", ["session model", "default model"])
def test_sidecar_card_and_embedded_card_agree(which: str, model_file: Path) -> None:
    path = model_file if which == "session model" else COMMITTED_MODEL
    sidecar = json.loads(card_path(path).read_text(encoding="utf-8"))
    assert sidecar == _embedded_card(path)
    assert load_model(path)[1].to_dict() == sidecar


def _with_card(source: Path, target: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of a model file whose embedded card ``edit`` changed (the arrays untouched)."""
    with np.load(source, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    card = json.loads(bytes(arrays["card"]).decode("utf-8"))
    edit(card)
    arrays["card"] = np.frombuffer(json.dumps(card).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(target, **arrays)
    return target


def test_card_of_an_earlier_release_still_loads(model_file: Path, tmp_path: Path) -> None:
    def earlier(card: dict[str, Any]) -> None:
        # the first cards of format 2 had no default prior, post weights or prior option
        del card["default_prior"], card["training_data"]["weighted"], card["config"]["prior"]

    path = _with_card(model_file, tmp_path / "earlier.npz", earlier)
    _, card = load_model(path)
    assert card.default_prior is None and card.training_data.weighted is None
    assert card.config.prior is None
    assert Predictor.load(path).score("מבצע היום") >= 0


def test_unknown_top_level_keys_are_kept(model_file: Path, tmp_path: Path) -> None:
    def annotate(card: dict[str, Any]) -> None:
        card["notes"] = {"owner": "trust and safety", "reviewed": True}

    _, card = load_model(_with_card(model_file, tmp_path / "notes.npz", annotate))
    assert card.extra == {"notes": {"owner": "trust and safety", "reviewed": True}}
    assert list(card.to_dict())[-1] == "notes"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c["training_data"].update(colour="red"), "training_data has an unknown key: colour"),
        (lambda c: c["config"].update(speed=3), "config has an unknown key: speed"),
        (lambda c: c["cv_metrics"].update(accuracy=0.9), "cv_metrics has an unknown key: accuracy"),
        (lambda c: c.pop("training_data"), "the card has no training_data"),
        (lambda c: c["training_data"].pop("rows"), "training_data has no rows"),
        (lambda c: c.update(cv_metrics=[1, 2]), "cv_metrics is not a JSON object"),
    ],
)
def test_edited_card_is_refused_naming_the_key(
    edit: Callable[[dict[str, Any]], None], message: str, model_file: Path, tmp_path: Path
) -> None:
    path = _with_card(model_file, tmp_path / "edited.npz", edit)
    with pytest.raises(ClassifierError, match=rf"edited\.npz: its card is not valid: {message}; "):
        load_model(path)


def test_card_refuses_extra_keys_that_are_its_own_fields(tiny_model: TrainedModel) -> None:
    with pytest.raises(ClassifierError, match="may not be its own fields: threshold"):
        replace(tiny_model.card, extra={"threshold": 0.1})


def test_trained_card_says_what_data_it_learnt_from(tiny_model: TrainedModel) -> None:
    data = tiny_model.card.training_data
    assert data.files == ("tiny",)
    assert tiny_model.card.to_dict()["training_data"] == {
        "files": list(data.files),
        "sha256": data.sha256,
        "rows": {"organic": 24, "promotional": 24},
        "weighted": None,
        "skipped": {},
    }


def test_committed_markdown_card_is_what_the_committed_card_renders() -> None:
    card = ModelCard.from_dict(json.loads(COMMITTED_CARD.read_text(encoding="utf-8")))
    assert render_markdown(card) == markdown_card_path(COMMITTED_MODEL).read_text(encoding="utf-8")
