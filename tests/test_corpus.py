"""Checks on the real data/posts.csv: schema, uniqueness, variety and the minimums of the corpus issue."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from classifier.text.normalize import normalize
from classifier.workflows.corpus import bundled_corpus_path, heldout_mask, load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data"))
from corpus_rules import (
    COLUMNS,
    DOMAINS,
    FORMAL_KINDS,
    HARD_ORGANIC_KINDS,
    ORGANIC_KINDS,
    ORGANIC_ONLY_DOMAINS,
    PLATFORMS,
    PROMOTIONAL_KINDS,
    SOCIAL_PLATFORMS,
    SOFT_PROMOTIONAL_KINDS,
    length_bucket,
    near_duplicate_pairs,
    opening_words,
)

Row = dict[str, str]


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    with bundled_corpus_path().open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def _share(rows: list[Row], keep: object) -> float:
    return sum(1 for r in rows if keep(r)) / len(rows)  # type: ignore[operator]


def test_corpus_schema_and_values(rows: list[Row]) -> None:
    for r in rows:
        assert r["label"] in ("0", "1"), r["id"]
        assert r["text"].strip(), r["id"]
        kinds = PROMOTIONAL_KINDS if r["label"] == "1" else ORGANIC_KINDS
        assert r["kind"] in kinds, (r["id"], r["kind"])
        assert r["domain"] in DOMAINS, (r["id"], r["domain"])
        assert r["platform"] in PLATFORMS, (r["id"], r["platform"])
        assert not (r["domain"] in ORGANIC_ONLY_DOMAINS and r["label"] == "1"), r["id"]


def test_corpus_ids_are_unique_integers(rows: list[Row]) -> None:
    ids = [r["id"] for r in rows]
    assert all(i.isdigit() for i in ids)
    assert len(set(ids)) == len(ids)


def test_corpus_size_and_balance(rows: list[Row]) -> None:
    assert len(rows) >= 3000
    assert 0.40 <= _share(rows, lambda r: r["label"] == "1") <= 0.60


def test_corpus_domains_hold_both_labels(rows: list[Row]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        labels[r["domain"]].add(r["label"])
    both = [d for d, seen in labels.items() if seen == {"0", "1"}]
    assert len(both) >= 15
    assert set(both) == DOMAINS - ORGANIC_ONLY_DOMAINS


def test_corpus_platforms(rows: list[Row]) -> None:
    counts = Counter(r["platform"] for r in rows)
    assert sum(1 for n in counts.values() if n >= 30) >= 6


def test_corpus_length_mix_of_social_posts(rows: list[Row]) -> None:
    social = [r for r in rows if r["platform"] in SOCIAL_PLATFORMS]
    buckets = Counter(length_bucket(r["text"]) for r in social)
    total = len(social)
    assert 0.15 <= buckets["short (<11 words)"] / total <= 0.25
    assert 0.40 <= buckets["medium (11-50 words)"] / total <= 0.60
    assert 0.25 <= buckets["long (>50 words)"] / total <= 0.35


def test_corpus_covers_the_formal_registers(rows: list[Row]) -> None:
    formal = [r for r in rows if r["kind"] in FORMAL_KINDS or r["platform"] not in SOCIAL_PLATFORMS]
    assert len(formal) >= 2_500
    kinds = Counter((r["label"], r["kind"]) for r in formal)
    assert kinds[("1", "content_marketing")] >= 500
    for kind in FORMAL_KINDS:
        label = "1" if kind in PROMOTIONAL_KINDS else "0"
        assert kinds[(label, kind)] >= 40, kind
    platforms = Counter(r["platform"] for r in formal)
    assert all(platforms[p] >= 20 for p in PLATFORMS - SOCIAL_PLATFORMS), platforms
    for label in ("0", "1"):
        assert 0.35 <= sum(r["label"] == label for r in formal) / len(formal) <= 0.65


def test_corpus_has_long_texts_of_both_labels(rows: list[Row]) -> None:
    words = {r["id"]: len(r["text"].split()) for r in rows}
    over_150 = [r for r in rows if words[r["id"]] > 150]
    assert len(over_150) >= 800
    assert 0.35 <= sum(r["label"] == "1" for r in over_150) / len(over_150) <= 0.65
    assert sum(words[r["id"]] > 400 for r in rows) >= 300


def test_corpus_hard_case_shares(rows: list[Row]) -> None:
    organic = [r for r in rows if r["label"] == "0"]
    promotional = [r for r in rows if r["label"] == "1"]
    assert _share(organic, lambda r: r["kind"] in HARD_ORGANIC_KINDS) >= 0.25
    assert _share(promotional, lambda r: r["kind"] in SOFT_PROMOTIONAL_KINDS) >= 0.25


def test_corpus_has_no_duplicates_after_normalisation(rows: list[Row]) -> None:
    seen: dict[str, str] = {}
    for r in rows:
        key = normalize(r["text"])
        assert key not in seen, f"ids {seen[key]} and {r['id']} are the same post"
        seen[key] = r["id"]


def test_corpus_has_no_near_duplicates(rows: list[Row]) -> None:
    pairs = near_duplicate_pairs([r["text"] for r in rows], threshold=0.6)
    assert [(rows[i]["id"], rows[j]["id"], jac) for i, j, jac in pairs] == []


def test_corpus_no_two_posts_open_with_the_same_five_words(rows: list[Row]) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for r in rows:
        opening = opening_words(r["text"])
        if opening is None:
            continue
        if opening in seen:
            clashes.append((seen[opening], r["id"], opening))
        seen[opening] = r["id"]
    assert clashes == []


DISCLAIMERS = re.compile(
    r"לא ממומן|לא שת\"?פ|זה לא פרסומת|לא מקבל(?:ת)? (?:כלום|שקל|אגורה)|אין לי (?:שום )?קשר"
)


def test_corpus_organic_posts_do_not_lean_on_disclaimers(rows: list[Row]) -> None:
    organic = [r for r in rows if r["label"] == "0"]
    assert _share(organic, lambda r: bool(DISCLAIMERS.search(normalize(r["text"])))) < 0.01


def test_corpus_heldout_split_is_stratified_and_stable(rows: list[Row]) -> None:
    heldout = load_corpus("heldout")
    train = load_corpus("train")
    assert len(heldout) + len(train) == len(rows)
    assert 0.18 <= len(heldout) / len(rows) <= 0.22
    assert not set(heldout.columns["id"]) & set(train.columns["id"])
    for domain in DOMAINS:
        in_domain = [
            label for label, d in zip(heldout.labels, heldout.columns["domain"], strict=True) if d == domain
        ]
        assert in_domain, f"no held-out post of {domain}"
    shuffled = load_corpus("all").subset([True] * len(rows))
    order = list(range(len(rows)))[::-1]
    shuffled.texts = [shuffled.texts[i] for i in order]
    shuffled.labels = [shuffled.labels[i] for i in order]
    shuffled.columns = {k: [v[i] for i in order] for k, v in shuffled.columns.items()}
    # the same posts are held out whatever their order (not merely as many of them)
    held_ids = {i for i, held in zip(shuffled.columns["id"], heldout_mask(shuffled), strict=True) if held}
    assert held_ids == set(heldout.columns["id"])
