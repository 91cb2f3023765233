"""The corpus and its writers' briefs copy no run of words from the real measurement texts.

The real texts of ``../shared/corpora/`` are for measurement only; nothing of them may enter
``data/``. This check finds verbatim copying (runs of six words; of five in the briefs,
which name categories, never sentences). It cannot see paraphrase or a borrowed subject:
those are kept out by how batches are written (``data/WRITERS_BRIEF_ROUND8.md``), not by a
test. Common phrases do recur by chance, so a post may share up to ``CHANCE_RUNS`` six-word
runs. Skipped where the real texts are absent (as in CI).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data"))
import batch_tool
import corpus_rules
from corpus_rules import CHANCE_RUNS, REAL_CORPORA, copied_posts, real_text_runs, word_ngrams

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_runs() -> dict[int, set[str]]:
    runs = real_text_runs(5, 6)
    if runs is None:
        pytest.skip(f"{REAL_CORPORA} holds no real texts here; the copying check needs them")
    return runs


def test_no_post_copies_a_run_of_real_text(real_runs: dict[int, set[str]]) -> None:
    with (REPO / "data" / "posts.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    copied = {rows[k]["id"]: n for k, n in copied_posts([row["text"] for row in rows], real_runs[6]).items()}
    assert not copied, f"posts sharing over {CHANCE_RUNS} six-word runs with real text: {copied}"


def test_no_document_of_data_quotes_real_text(real_runs: dict[int, set[str]]) -> None:
    """The guideline, the writers' briefs and the datasheet (every ``data/*.md``)."""
    documents = sorted((REPO / "data").glob("*.md"))
    assert documents
    quoting = [d.name for d in documents if word_ngrams(d.read_text(encoding="utf-8"), 5) & real_runs[5]]
    assert not quoting, f"documents of data/ quoting five-word runs of real text: {quoting}"


def test_the_check_sees_a_copied_run() -> None:
    """The measure itself: a post holding a copied six-word run shares it; rewording does not."""
    source = "הצוות המקצועי שלנו ילווה אתכם לאורך כל הדרך עד לסיום הפרויקט"
    copied = "כבר עשרים שנה הצוות המקצועי שלנו ילווה אתכם לאורך כל הדרך, חייגו"
    reworded = "כבר עשרים שנה אנחנו מלווים לקוחות מהתכנון ועד המסירה, חייגו"
    runs = word_ngrams(source, 6)
    assert len(word_ngrams(copied, 6) & runs) == 3
    assert not word_ngrams(reworded, 6) & runs


def _real_folder(tmp_path: Path, header: str, rows: list[str]) -> Path:
    folder = tmp_path / "corpora" / "some-set"
    folder.mkdir(parents=True)
    (folder / "texts.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return tmp_path / "corpora"


def test_the_checker_rejects_a_post_over_the_chance_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "1,אנחנו מזמינים אתכם להגיע לסדנה הפתוחה שלנו בכל יום שלישי בערב במרכז העיר"
    monkeypatch.setattr(corpus_rules, "REAL_CORPORA", _real_folder(tmp_path, "id,text", [source]))
    copied = "אנחנו מזמינים אתכם להגיע לסדנה הפתוחה שלנו בכל יום"  # ten words in a row: five runs
    chance = "היה נחמד להגיע לסדנה הפתוחה שלנו בכל יום שלישי אחר"  # seven in a row: two runs
    posts = [{"text": copied}, {"text": chance}, {"text": "פוסט אחר לגמרי על גינה"}]
    runs = real_text_runs(6)
    assert runs is not None
    assert len(word_ngrams(chance, 6) & runs[6]) == CHANCE_RUNS
    assert list(batch_tool.copied_from_real_texts(posts)) == [0]


def test_the_checker_refuses_real_files_it_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_rules, "REAL_CORPORA", _real_folder(tmp_path, "id,body", ["1,שלום"]))
    with pytest.raises(ValueError, match="no text column"):
        real_text_runs(6)
