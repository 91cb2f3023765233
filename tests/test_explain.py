from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import Predictor
from classifier.interfaces.cli import main
from classifier.modeling.model import aggregate
from classifier.text.passages import (
    MARK_CLOSE,
    MARK_OPEN,
    gather,
    highlight,
    judged_passages,
    most_promotional,
    split_passages,
)

POST = (
    "מבצע סוף עונה!!! כל השמלות ב-30% הנחה, קוד DANA10 באתר www.shop-dana.co.il או 052-1234567 #אופנה @dana"
)


def _log_odds(predictor: Predictor, text: str) -> float:
    """The log-odds the model scores ``text`` by (after combining it with its passages)."""
    return float(predictor.model.decision([text])[0])


def test_explain_contributions_sum_with_intercept_to_the_log_odds(predictor: Predictor) -> None:
    explanation = predictor.explain(POST)
    total = explanation.intercept + sum(c.weight for c in explanation.contributions)
    assert total == pytest.approx(_log_odds(predictor, POST), abs=1e-9)
    assert explanation.log_odds == pytest.approx(total, abs=1e-12)
    assert explanation.score == pytest.approx(predictor.score(POST))


def test_explain_points_at_spans_that_exist_and_names_cues(predictor: Predictor) -> None:
    explanation = predictor.explain(POST)
    for item in explanation.contributions:
        for start, end in item.spans:
            assert 0 <= start < end <= len(POST)
        if item.kind in ("word", "phrase"):
            assert item.spans and POST[item.spans[0][0] : item.spans[0][1]] == item.label
    cues = {c.label: c for c in explanation.contributions if c.kind == "cue"}
    assert POST[slice(*cues["phone number"].spans[0])] == "052-1234567"
    assert POST[slice(*cues["link"].spans[0])] == "www.shop-dana.co.il"
    assert POST[slice(*cues["percentage"].spans[0])] == "30%"
    assert [c for c in explanation.contributions if c.kind == "other"] == []
    shown = " ".join(c.label for c in explanation.contributions)
    assert "_price_" not in shown and "_phone_" not in shown and "char__" not in shown


def test_explain_top_orders_each_direction(predictor: Predictor) -> None:
    up, down = predictor.explain(POST).top(8)
    assert len(up) <= 8 and len(down) <= 8
    assert all(c.weight > 0 for c in up) and all(c.weight < 0 for c in down)
    assert [c.weight for c in up] == sorted((c.weight for c in up), reverse=True)
    assert [c.weight for c in down] == sorted(c.weight for c in down)


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.text(max_size=120))
def test_explain_any_string_sums_and_spans_are_valid(predictor: Predictor, text: str) -> None:
    explanation = predictor.explain(text)
    assert explanation.log_odds == pytest.approx(_log_odds(predictor, text), abs=1e-9)
    for item in explanation.contributions:
        assert all(0 <= a < b <= len(text) for a, b in item.spans)


def test_split_passages_paragraphs_lines_sentences() -> None:
    short = "שלום לכולם. מה נשמע?"
    assert split_passages(short) == [(0, len(short))]
    paragraphs = "פסקה ראשונה. עם שני משפטים.\n\nפסקה שנייה. גם כאן.\n\n\nשלישית."
    assert [paragraphs[a:b] for a, b in split_passages(paragraphs)] == [
        "פסקה ראשונה. עם שני משפטים.",
        "פסקה שנייה. גם כאן.",
        "שלישית.",
    ]
    lines = "שורה אחת.\nשורה שתיים.\nשורה שלוש!"
    assert len(split_passages(lines, min_words=0)) == 3
    assert split_passages(lines) == [(0, len(lines))]  # three short lines make one passage
    sentences = "משפט אחד. משפט שני! משפט שלישי? ועוד אחד"
    assert [sentences[a:b] for a, b in split_passages(sentences, min_words=0)] == [
        "משפט אחד.",
        "משפט שני!",
        "משפט שלישי?",
        "ועוד אחד",
    ]
    assert [sentences[a:b] for a, b in split_passages(sentences, min_words=4)] == [
        "משפט אחד. משפט שני!",
        "משפט שלישי? ועוד אחד",
    ]
    assert split_passages("   \n ") == []


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=1, max_size=25), st.integers(0, 80))
def test_gathered_passages_cover_the_sentences_in_order_and_hold_enough_words(
    lengths: list[int], min_words: int
) -> None:
    sentences = [" ".join(["מילה"] * (n - 1) + ["סוף."]) for n in lengths]
    text = " ".join(sentences)
    spans, at = [], 0
    for sentence in sentences:
        spans.append((at, at + len(sentence)))
        at += len(sentence) + 1
    gathered = gather(text, spans, min_words)
    assert gathered[0][0] == 0 and gathered[-1][1] == len(text)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(gathered))  # in order, no overlap
    assert " ".join(text[a:b] for a, b in gathered) == text  # nothing lost
    sizes = [len(text[a:b].split()) for a, b in gathered]
    if len(gathered) > 1:
        assert all(size >= min_words for size in sizes)
    if min_words <= 1:
        assert gathered == spans  # every sentence has a word: nothing to gather


def test_passages_are_the_pieces_the_score_is_built_from(predictor: Predictor) -> None:
    """`passages` (behind --passages, --highlight, the service and Spark) shows the passages that
    scoring judges, scored as scoring scores them: a short post is one passage, and a long post's
    most promotional passage carries the log-odds that caps its score."""
    short = "היה יום ארוך בעבודה. ממש ארוך. אני גמורה.\n\nמבצע! קוד הנחה 20% לכל האתר, הלינק בביו"
    [whole] = predictor.passages(short)  # under 50 words: judged whole, so one passage
    assert whole.text == short and whole.score == pytest.approx(predictor.score(short))
    post = (
        "היה יום ארוך בעבודה והגעתי הביתה מאוחר מהרגיל. הילדים כבר ישנו והבית היה שקט לגמרי. "
        "הכנתי לעצמי כוס תה וישבתי קצת במרפסת להסתכל על הרחוב, והשכנים מלמטה שוב עשו מסיבה.\n"
        "מחר יום חדש ואני מקווה שיהיה רגוע יותר, כי השבוע הזה היה עמוס במיוחד.\n\n"
        "מבצע! קוד הנחה 20% לכל האתר, הלינק בביו. משלוח חינם עד הבית לכל הזמנה השבוע בלבד"
    )
    passages = predictor.passages(post)
    assert len(passages) == 2 and [p.text for p in passages] == [post[p.start : p.end] for p in passages]
    whole_log_odds, best_log_odds = predictor.model.linear.decisions([post])
    model = predictor.model
    top_text = max(passages, key=lambda p: p.score).text
    assert max(p.score for p in passages) == pytest.approx(
        float(model.probability(best_log_odds, [top_text])[0])
    )
    assert predictor.score(post) == pytest.approx(
        float(model.probability(aggregate(whole_log_odds, best_log_odds, model.aggregation), [post])[0])
    )
    top = most_promotional(passages)
    assert top is not None and top.text.startswith("מבצע")


def test_a_long_post_is_scored_from_its_passages_by_the_models_rule(predictor: Predictor) -> None:
    post = (
        "היה יום ארוך בעבודה והגעתי הביתה מאוחר מהרגיל. הילדים כבר ישנו והבית היה שקט לגמרי. "
        "הכנתי לעצמי כוס תה וישבתי קצת במרפסת להסתכל על הרחוב. השכנים מלמטה שוב עשו מסיבה "
        "עד מאוחר אבל הפעם זה לא הפריע לי בכלל. מחר יום חדש ואני מקווה שיהיה רגוע יותר.\n\n"
        "מבצע! קוד הנחה 20% לכל האתר, הלינק בביו, רק עד מחר!"
    )
    model = predictor.model
    spans = judged_passages([post])[0]
    assert len(spans) == 2
    whole = model.linear.decision([post])
    best = model.linear.decision([post[a:b] for a, b in spans]).max(keepdims=True)
    expected = model.probability(aggregate(whole, best, model.aggregation), [post])[0]
    assert predictor.score(post) == pytest.approx(expected)
    short = "שלום לכולם. מה נשמע? מבצע היום."
    expected_short = model.probability(model.linear.decision([short]), [short])[0]
    assert predictor.score(short) == pytest.approx(expected_short)


def test_highlight_marks_only_passages_at_or_above_the_threshold(predictor: Predictor) -> None:
    post = "היה יום ארוך בעבודה. ממש ארוך. אני גמורה.\n\nמבצע! קוד הנחה 20% לכל האתר, הלינק בביו"
    passages = predictor.passages(post)
    marked = highlight(post, passages, threshold=0.0, color=False)
    assert marked.count(MARK_OPEN) == len(passages)
    assert marked.replace(MARK_OPEN, "").replace(MARK_CLOSE, "") == post
    assert highlight(post, passages, threshold=1.01, color=False) == post
    assert "\x1b[" in highlight(post, passages, threshold=0.0, color=True)


def test_cli_score_explain_passages_highlight_in_every_format(model_file: Path, tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_text("היה יום ארוך. ממש ארוך. אני גמורה.\n\nמבצע! קוד הנחה 20% לכל האתר", encoding="utf-8")
    runner = CliRunner()
    base = ["score", str(post), "--model", str(model_file), "--explain", "--passages", "--highlight"]
    table = runner.invoke(main, base)
    assert table.exit_code == 0, table.output
    assert "most promotional passage [" in table.stdout
    assert any(line.lstrip().startswith(("+ ", "- ")) for line in table.stdout.splitlines())
    assert "    | " in table.stdout
    record = json.loads(runner.invoke(main, [*base, "--format", "jsonl"]).stdout)
    assert {"explanation", "top_passage", "highlighted", "disclosure", "undisclosed"} <= set(record)
    assert set(record["explanation"]) == {"log_odds", "intercept", "passage", "up", "down"}
    top = record["top_passage"]
    assert post.read_text(encoding="utf-8")[top["start"] : top["end"]] == top["text"]
    as_csv = runner.invoke(main, [*base, "--format", "csv"]).stdout.splitlines()
    assert (
        as_csv[0]
        == "source,score,label,language,disclosure,undisclosed,passage_score,passage_start,passage_end"
    )
    assert len(as_csv[1].split(",")) == 9


def test_a_paragraph_without_words_joins_its_neighbour() -> None:
    """ "***" or "..." alone has no features and would score the model's baseline: it is never a
    passage of its own, so it cannot be shown as a post's most promotional part."""
    post = "***\n\nפסקה ראשונה. עם שני משפטים.\n\n***\n\nפסקה שנייה. גם כאן.\n\n...\n\n👇👇\n\n---"
    assert [post[a:b] for a, b in split_passages(post)] == [
        "***\n\nפסקה ראשונה. עם שני משפטים.\n\n***",
        "פסקה שנייה. גם כאן.\n\n...",
        "👇👇\n\n---",  # an emoji can be a feature, so it keeps its paragraph
    ]
