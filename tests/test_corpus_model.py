"""Behaviour of the shipped default model (trained on the corpus's training split): examples,
advertorial paragraphs, long articles, disclosure markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import Predictor
from classifier.text.disclosure import classify_disclosure, strip_markers
from classifier.text.passages import most_promotional
from classifier.workflows.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "articles"


@pytest.fixture(scope="module")
def corpus_predictor() -> Predictor:
    return Predictor.load(ROOT / "models" / "promo-he.npz")


def test_examples_rank_every_promotional_above_every_organic(corpus_predictor: Predictor) -> None:
    files = sorted((ROOT / "examples").glob("*.txt"))
    scores = {f.name: corpus_predictor.score(f.read_text(encoding="utf-8")) for f in files}
    promotional = [s for name, s in scores.items() if name.startswith("promotional-")]
    organic = [s for name, s in scores.items() if name.startswith("organic-")]
    assert len(promotional) >= 4 and len(organic) >= 4
    assert min(promotional) > max(organic), scores
    assert corpus_predictor.predict([f.read_text(encoding="utf-8") for f in files]) == [
        "organic" if f.name.startswith("organic-") else "promotional" for f in files
    ]


# each article's paragraph that steers readers to one service, counted from 0
STEERING = {"steering-sleep.txt": 2, "steering-renting.txt": 1}


@pytest.mark.parametrize("name", sorted(STEERING))
def test_passages_single_out_the_paragraph_that_steers_to_a_service(
    corpus_predictor: Predictor, name: str
) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    passages = corpus_predictor.passages(text)
    assert len(passages) == 5
    top = most_promotional(passages)
    scores = [round(p.score, 3) for p in passages]
    assert top is passages[STEERING[name]], scores
    assert top.score >= corpus_predictor.threshold, scores
    assert corpus_predictor.score(text) >= corpus_predictor.threshold, scores


@pytest.mark.parametrize("name", sorted(STEERING))
def test_passages_that_do_not_steer_stay_below_the_threshold(corpus_predictor: Predictor, name: str) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    passages = corpus_predictor.passages(text)
    top = passages[STEERING[name]]
    scores = [round(p.score, 3) for p in passages]
    assert all(p.score < corpus_predictor.threshold for p in passages if p is not top), scores


@pytest.mark.parametrize("name", ["neutral-budget.txt", "neutral-covert-ads.txt"])
def test_passages_of_an_article_that_steers_nowhere_stay_below_the_threshold(
    corpus_predictor: Predictor, name: str
) -> None:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    passages = corpus_predictor.passages(text)
    assert len(passages) >= 4
    assert max(p.score for p in passages) < corpus_predictor.threshold, [round(p.score, 3) for p in passages]


def test_disclosure_markers_are_not_what_makes_a_post_promotional(corpus_predictor: Predictor) -> None:
    heldout = load_corpus("heldout")
    disclosed = [
        text
        for text, label in zip(heldout.texts, heldout.labels, strict=True)
        if label == 1 and classify_disclosure(text).level != "none"
    ]
    assert len(disclosed) >= 10
    threshold = corpus_predictor.threshold
    caught = [s >= threshold for s in corpus_predictor.score_many(disclosed)]
    stripped = [s >= threshold for s in corpus_predictor.score_many([strip_markers(t) for t in disclosed])]
    still = sum(s for s, c in zip(stripped, caught, strict=True) if c) / max(1, sum(caught))
    assert still >= 0.90, (
        f"{sum(caught)} disclosed ads caught; {still:.0%} still caught without their markers"
    )


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name)
def test_a_long_articles_score_never_exceeds_what_its_passages_justify(
    corpus_predictor: Predictor, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    passages = corpus_predictor.passages(text)
    assert len(passages) > 1
    best = max(p.score for p in passages)
    assert corpus_predictor.score(text) <= best + 1e-9


def test_a_long_organic_article_about_money_is_organic(corpus_predictor: Predictor) -> None:
    """A known miss from corpus round 5 to round 8 (its paragraph on the costs of buying still
    scores above the threshold as a passage); the length-aware calibration, chosen by
    cross-validated Brier score, brings the whole article below it."""
    text = (ARTICLES / "neutral-first-apartment.txt").read_text(encoding="utf-8")
    assert len(text.split()) > 200
    assert corpus_predictor.score(text) < corpus_predictor.threshold
