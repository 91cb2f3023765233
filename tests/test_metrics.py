from __future__ import annotations

import pytest

from classifier.modeling.metrics import choose_threshold, expected_calibration_error, summarize


def test_ece_matches_hand_computed_value() -> None:
    # bin [0.1, 0.2): scores 0.1, 0.1, labels 0, 1 -> |0.5 - 0.1| = 0.4, weight 2/4
    # bin [0.9, 1.0]: scores 0.9, 1.0, labels 1, 1 -> |1 - 0.95| = 0.05, weight 2/4
    assert expected_calibration_error([0, 1, 1, 1], [0.1, 0.1, 0.9, 1.0]) == pytest.approx(0.225)


def test_ece_is_zero_when_calibrated_and_puts_one_in_last_bin() -> None:
    assert expected_calibration_error([0, 0, 1, 1], [0.0, 0.0, 1.0, 1.0]) == 0.0
    assert expected_calibration_error([0], [1.0]) == pytest.approx(1.0)


def test_choose_threshold_maximises_f1() -> None:
    labels = [0, 0, 0, 1, 1, 1]
    scores = [0.1, 0.3, 0.6, 0.5, 0.7, 0.9]
    # at 0.5: tp 3, fp 1 -> F1 0.857; at 0.7: tp 2, fp 0 -> F1 0.8
    assert choose_threshold(labels, scores) == 0.5


def test_choose_threshold_meets_target_precision_with_most_recall() -> None:
    labels = [0, 0, 0, 1, 1, 1]
    scores = [0.1, 0.3, 0.6, 0.5, 0.7, 0.9]
    assert choose_threshold(labels, scores, target_precision=1.0) == 0.7
    assert choose_threshold(labels, scores, target_precision=0.75) == 0.5
    with pytest.raises(ValueError, match="no threshold"):
        choose_threshold([1, 0], [0.1, 0.9], target_precision=1.0)


def test_summarize_counts_the_confusion_matrix() -> None:
    figures = summarize([0, 0, 1, 1], [0.2, 0.6, 0.4, 0.9], threshold=0.5)
    assert figures.confusion == ((1, 1), (1, 1))
    assert figures.precision == 0.5
    assert figures.macro_f1 == 0.5
    assert figures.roc_auc == pytest.approx(0.75)
    assert figures.to_dict()["confusion"] == [[1, 1], [1, 1]]
