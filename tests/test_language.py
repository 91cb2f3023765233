"""The language check: texts with too little Hebrew get no verdict; mixed Hebrew is judged as usual."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import Predictor
from classifier.interfaces.cli import main
from classifier.text.language import MIN_HEBREW_LETTERS, MIN_HEBREW_SHARE, detect_language, detect_languages


def test_hebrew_with_brand_names_links_and_emoji_is_hebrew() -> None:
    assert detect_language("הזמנתי את ה-Galaxy S24 מ-KSP והוא הגיע תוך יומיים 🔥 www.ksp.co.il") == "he"
    assert detect_language("קוד SHIRA10 ל-Zara, Nike ו-H&M https://bit.ly/abc123 @shira.style") == "he"


def test_english_gibberish_binary_and_symbols_are_other() -> None:
    assert detect_language("Limited offer: get 50% off all shoes this weekend, link in bio!") == "other"
    rng = random.Random(1)
    gibberish = " ".join("".join(rng.choice("qwxzkvbj") for _ in range(6)) for _ in range(12))
    assert detect_language(gibberish) == "other"
    binary = bytes(rng.randrange(256) for _ in range(300)).decode("cp1252", errors="replace")
    assert detect_language(binary) == "other"
    assert detect_language("🔥🔥🔥 !!! 123") == "other"


def test_the_threshold_is_a_share_of_hebrew_letters_on_both_sides() -> None:
    # 20 letters: 4 Hebrew (a share of 0.2, at the threshold) and 16 Latin
    at = "שלום " + "abcdefghijklmnop"
    below = "שלו " + "abcdefghijklmnopq"  # 3 of 20
    assert MIN_HEBREW_SHARE == 0.2
    assert detect_language(at) == "he"
    assert detect_language(below) == "other"
    assert detect_language("א " + "b" * 2) == "other"  # fewer Hebrew letters than the minimum
    assert MIN_HEBREW_LETTERS == 2 and detect_language("אב") == "he"


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_the_batch_check_agrees_with_the_one_text_check(texts: list[str]) -> None:
    assert detect_languages(texts) == [detect_language(t) for t in texts]


def test_predictor_gives_no_score_to_other_languages(predictor: Predictor) -> None:
    scores = predictor.score_many(["Huge sale, 70% off, order now!", "מבצע ענק, 70% הנחה, הזמינו עכשיו!"])
    assert np.isnan(scores[0]) and 0 <= scores[1] <= 1
    assert predictor.predict(["Buy now", "שבת שלום"])[0] is None


def test_cli_reports_other_language_with_null_label_and_a_warning(model_file: Path, tmp_path: Path) -> None:
    english = tmp_path / "english.txt"
    english.write_text("Best prices in town, call us today at 050-1234567!", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(
        bytes(random.Random(2).randrange(1, 256) for _ in range(200)).decode("latin-1").encode()
    )
    hebrew = tmp_path / "hebrew.txt"
    hebrew.write_text("מבצע ענק על כל החנות, רק היום!", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["score", str(english), str(binary), str(hebrew), "--model", str(model_file), "--format", "jsonl"],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["language"] for r in records] == ["other", "other", "he"]
    assert records[0]["label"] is None and records[0]["score"] is None
    assert "too little Hebrew" in records[0]["reason"]
    assert records[2]["label"] in ("promotional", "organic")
    assert "english.txt: too little Hebrew to judge" in result.stderr
