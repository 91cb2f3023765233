"""What the bundled corpus must hold, and the checks its writers run (authoring tools, not the package).

The kinds, domains and platforms a post may have (``data/GUIDELINES.md`` defines them), and the
checks that ``data/batch_tool.py``, ``data/datasheet.py`` and ``tests/test_corpus.py`` share:
length buckets, repeated openings and near-duplicates.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from classifier.text.normalize import normalize

COLUMNS = ("id", "text", "label", "kind", "domain", "platform")
PROMOTIONAL_KINDS = frozenset(
    {
        "explicit_ad", "influencer_disclosed", "influencer_undisclosed", "affiliate_code",
        "review_with_code", "giveaway", "self_promo", "behind_the_scenes_dm", "story_to_product",
        "course_or_mlm", "advertorial", "growth_spam", "scam", "friend_shoutout", "commercial_event",
        # formal registers: business web copy, releases, marketing messages
        "content_marketing", "service_page", "press_release", "marketing_message", "classified_ad",
        "sponsored_article", "company_post",
    }
)  # fmt: skip
ORGANIC_KINDS = frozenset(
    {
        "personal", "opinion", "humor", "greeting", "news", "political", "question",
        "recommendation_request", "brand_complaint", "genuine_recommendation", "about_marketing",
        "community_notice", "excited_personal", "price_talk", "job_ad", "charity",
        # formal registers: journalism, reference, advice, long personal writing
        "news_article", "tech_news", "encyclopedic", "consumer_guide", "forum_answer", "personal_blog",
        "product_comparison", "consumer_feedback",
    }
)  # fmt: skip
#: Promotional kinds without a price or a "buy now": the soft cases.
SOFT_PROMOTIONAL_KINDS = frozenset(
    {
        "influencer_undisclosed", "advertorial", "growth_spam", "story_to_product",
        "review_with_code", "behind_the_scenes_dm", "friend_shoutout", "content_marketing",
        "sponsored_article",
    }
)  # fmt: skip
#: Organic kinds that carry the surface of an ad (brands, prices, phones, links, hype): the hard cases.
HARD_ORGANIC_KINDS = frozenset(
    {
        "brand_complaint", "genuine_recommendation", "recommendation_request", "about_marketing",
        "community_notice", "excited_personal", "price_talk", "job_ad", "charity", "tech_news",
        "consumer_guide", "product_comparison", "consumer_feedback",
    }
)  # fmt: skip
DOMAINS = frozenset(
    {
        "food", "fashion_beauty", "tech", "real_estate", "finance_crypto", "health_fitness",
        "parenting", "travel", "education", "cars", "pets", "events_nightlife", "home_diy",
        "gaming_apps", "music_culture", "jobs_careers", "community", "telecom_insurance",
        "politics_news", "legal", "business_services",
    }
)  # fmt: skip
ORGANIC_ONLY_DOMAINS = frozenset({"politics_news"})
PLATFORMS = frozenset(
    {
        "facebook", "facebook_group", "instagram", "tiktok", "x", "whatsapp", "youtube_comment",
        "linkedin", "forum", "telegram",
        # formal registers
        "website", "blog", "news_site", "encyclopedia", "gov_site", "email", "sms", "press_wire",
        "classifieds", "transcript",
        # short answers to a customer survey or feedback form
        "survey",
    }
)  # fmt: skip


#: The platforms of social media (the corpus's first registers); the others are formal registers.
SOCIAL_PLATFORMS = frozenset(
    {
        "facebook", "facebook_group", "instagram", "tiktok", "x", "whatsapp", "youtube_comment",
        "linkedin", "forum", "telegram", "survey",
    }
)  # fmt: skip
#: The kinds written for the formal registers (web pages, press, e-mail, journalism, reference).
FORMAL_KINDS = frozenset(
    {
        "content_marketing", "service_page", "press_release", "marketing_message", "classified_ad",
        "sponsored_article", "company_post", "news_article", "tech_news", "encyclopedic",
        "consumer_guide", "forum_answer", "personal_blog", "product_comparison",
    }
)  # fmt: skip


def length_bucket(text: str) -> str:
    """The length bucket of a post, in words split on white space.

    Examples
    --------
    >>> length_bucket("שלום לכולם"), length_bucket(" ".join(["מילה"] * 60))
    ('short (<11 words)', 'long (>50 words)')
    """
    words = len(text.split())
    if words < 11:
        return "short (<11 words)"
    return "medium (11-50 words)" if words <= 50 else "long (>50 words)"


def opening_words(text: str, n: int = 5) -> str | None:
    """The first ``n`` words of the normalised text, or None when it is shorter.

    Examples
    --------
    >>> opening_words("היי! מה שלומכם היום חברים יקרים")
    'היי מה שלומכם היום חברים'
    """
    words = re.findall(r"\w+", normalize(text))
    return " ".join(words[:n]) if len(words) >= n else None


def near_duplicate_pairs(
    texts: Sequence[str], threshold: float = 0.6, block: int = 1000
) -> list[tuple[int, int, float]]:
    """Pairs of posts whose normalised character 5-gram sets have Jaccard >= ``threshold``.

    Computed exactly with a sparse product of binary 5-gram indicator rows, in
    blocks of rows to bound memory.

    Returns
    -------
    list of (i, j, jaccard)
        With ``i < j``, sorted.

    Examples
    --------
    >>> near_duplicate_pairs(["מבצע ענק על כל הנעליים היום", "מבצע ענק על כל הנעליים מחר", "שבת שלום"])
    [(0, 1, 0.73)]
    """
    from sklearn.feature_extraction.text import CountVectorizer

    normalised = [normalize(t) or "_" for t in texts]
    grams = CountVectorizer(analyzer="char", ngram_range=(5, 5), lowercase=False, binary=True, dtype=np.int32)
    try:
        matrix = grams.fit_transform(normalised).tocsr()
    except ValueError:  # no text has 5 characters
        return []
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    pairs = []
    for start in range(0, matrix.shape[0], block):
        shared = (matrix[start : start + block] @ matrix.T).tocoo()
        rows, cols, inter = shared.row + start, shared.col, shared.data.astype(np.float64)
        upper = rows < cols
        rows, cols, inter = rows[upper], cols[upper], inter[upper]
        jaccard = inter / (sizes[rows] + sizes[cols] - inter)
        close = jaccard >= threshold
        pairs += [
            (int(i), int(j), round(float(x), 2))
            for i, j, x in zip(rows[close], cols[close], jaccard[close], strict=True)
        ]
    return sorted(pairs)


_WORD = re.compile(r"\w+(?:['\"\u05f3\u05f4]\w+)*")


def word_ngrams(text: str, n: int) -> set[str]:
    """The set of lower-cased word ``n``-grams of ``text`` (words: letters and digits, with
    inner geresh or gershayim), used to find text copied from elsewhere."""
    words = [word.lower() for word in _WORD.findall(text)]
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


#: The real measurement texts beside the repository (never part of it).
REAL_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
#: Six-word runs a post may share with the real texts by chance ("בשנות ה-50 של המאה ה-20").
CHANCE_RUNS = 2


def real_text_runs(*sizes: int) -> dict[int, set[str]] | None:
    """Every word n-gram of the real texts in :data:`REAL_CORPORA`, for each n of ``sizes``,
    or None when those texts are absent (the files are read once for all sizes).

    Only the runs are kept, to check that nothing of those texts is copied into ``data/``.
    Raises ValueError when a file there has no ``text`` column or none of them holds text (the
    check would pass without checking anything).
    """
    files = sorted(REAL_CORPORA.glob("*/*.csv")) if REAL_CORPORA.is_dir() else []
    if not files:
        return None
    runs: dict[int, set[str]] = {n: set() for n in sizes}
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if "text" not in (reader.fieldnames or ()):
                raise ValueError(f"{path} has no text column; the copying check cannot read it")
            for row in reader:
                for n, found in runs.items():
                    found |= word_ngrams(row["text"] or "", n)
    if not all(runs.values()):
        raise ValueError(f"{REAL_CORPORA} holds no text to check against")
    return runs


def copied_posts(texts: Sequence[str], runs: set[str]) -> dict[int, int]:
    """Map the index of each text sharing more than :data:`CHANCE_RUNS` of ``runs`` (six-word
    runs of the real texts) to how many it shares."""
    shared = (len(word_ngrams(text, 6) & runs) for text in texts)
    return {k: n for k, n in enumerate(shared) if n > CHANCE_RUNS}
