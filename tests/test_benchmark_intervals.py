"""The 95% intervals that benchmarks/real_sets.py puts beside its real-text figures."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from real_sets import RealSets, bootstrap, markdown, measure, wilson


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_holds_the_rate_inside_zero_one(n: int, data: st.DataObject) -> None:
    flagged = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson(flagged, n)
    assert 0.0 <= low <= flagged / n <= high <= 1.0
    assert high - low > 0


def test_wilson_interval_narrows_with_more_texts_and_matches_a_known_value() -> None:
    # 10 of 100: Wilson's 95% interval is 0.0552-0.1744 (e.g. Newcombe, Stat. Med. 1998, method 3)
    low, high = wilson(10, 100)
    assert (round(low, 4), round(high, 4)) == (0.0552, 0.1744)
    wide, narrow = wilson(3, 30), wilson(300, 3000)
    assert narrow[1] - narrow[0] < (wide[1] - wide[0]) / 5


def test_bootstrap_intervals_hold_the_figures_and_are_seeded() -> None:
    rng = np.random.default_rng(1)
    labels = np.array([0] * 60 + [1] * 60)
    scores = np.clip(labels * 0.3 + rng.normal(0.35, 0.2, size=120), 0, 1)
    first = bootstrap(labels, scores, 0.5)
    assert first == bootstrap(labels, scores, 0.5)
    low, high = first["roc_auc"]
    assert low < 0.84 < high  # the set's own ROC-AUC is about 0.84
    assert 0.0 < high - low < 0.2
    perfect = bootstrap(labels, labels.astype(float), 0.5)
    assert perfect == {"macro_f1": (1.0, 1.0), "roc_auc": (1.0, 1.0)}
    assert bootstrap(np.zeros(10, dtype=int), np.linspace(0, 1, 10), 0.5) == {}  # one label: none


def test_measure_with_intervals_reports_them_beside_each_figure() -> None:
    web = [{"text": f"w{i}", "label": str(i % 2), "evidence": "text", "genre": "g"} for i in range(40)]
    social = [{"text": f"s{i}", "label": "0", "genre": "tweet"} for i in range(50)]
    sets = RealSets(web=web, social=social, fb=None)
    scores = np.array([0.9 if i % 2 else 0.1 for i in range(40)] + [0.9] * 5 + [0.1] * 45)
    figures = measure(sets, scores, 0.5, intervals=True)
    assert figures["web"]["macro_f1"] == 1.0 and figures["web"]["macro_f1_ci"] == (1.0, 1.0)
    assert figures["social"]["false_positive_rate"] == 0.1
    low, high = figures["social"]["false_positive_rate_ci"]
    assert low < 0.1 < high and figures["social_genres_ci"]["tweet"] == (low, high)
    table = markdown([("this model", figures)])
    assert "| 10.0% (" in table and "1.000 (1.000–1.000)" in table
    assert "_ci" not in str(measure(sets, scores, 0.5))
