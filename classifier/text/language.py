"""Is there enough Hebrew in a text to judge it?

The model reads Hebrew. A text that is mostly another language, symbols, gibberish or
binary read as text gets no promotional verdict: its language is ``"other"``. Mixed
Hebrew with English brand names, links and emojis is Hebrew.

The share counted is Hebrew letters among all letters, outside links, e-mail addresses
and @mentions (whose Latin letters say nothing about the language of the text). The
thresholds were measured, not guessed (``python benchmarks/language.py``, figures in
``benchmarks/README.md``): real Hebrew texts sit far above them, non-Hebrew texts below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np

from classifier.text.chars import HEBREW_FIRST, HEBREW_LAST, LETTER, lookup, per_text
from classifier.text.normalize import PLACEHOLDER_PATTERNS

#: A text is Hebrew when at least this share of its letters are Hebrew ...
MIN_HEBREW_SHARE = 0.2
#: ... and it has at least this many Hebrew letters.
MIN_HEBREW_LETTERS = 2

Language = Literal["he", "other"]
_HEBREW = re.compile("[\u05d0-\u05ea]")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_LANGUAGE = re.compile(
    "|".join(PLACEHOLDER_PATTERNS[token].pattern for token in ("_url_", "_email_", "_mention_")),
    re.IGNORECASE,
)


def hebrew_letters(text: str) -> tuple[int, int]:
    """Hebrew letters and all letters of a text, outside links, e-mail addresses and @mentions.

    Examples
    --------
    >>> hebrew_letters("שלום world www.example.com")
    (4, 9)
    """
    if "." in text or "@" in text:
        text = _NOT_LANGUAGE.sub(" ", text)
    return len(_HEBREW.findall(text)), len(_LETTER.findall(text))


def detect_language(text: str) -> Language:
    """``"he"`` when the text has enough Hebrew to judge, else ``"other"``.

    Examples
    --------
    >>> detect_language("קוד הנחה DANA10 לכל האתר www.dana.co.il")
    'he'
    >>> detect_language("Get 50% off everything this weekend only!")
    'other'
    >>> detect_language("xq9 zzkw pplo")
    'other'
    """
    hebrew, letters = hebrew_letters(text)
    if hebrew < MIN_HEBREW_LETTERS or letters == 0:
        return "other"
    return "he" if hebrew / letters >= MIN_HEBREW_SHARE else "other"


def detect_languages(texts: Sequence[str]) -> list[Language]:
    """:func:`detect_language` of many texts, counting the letters of all of them at once.

    Links and the like only add Latin letters, so a text whose share of Hebrew letters
    reaches the threshold with them counted is Hebrew; only the others are looked at
    one by one.

    Examples
    --------
    >>> detect_languages(["שלום לכולם", "Hello there", ""])
    ['he', 'other', 'other']
    """
    found = per_text(texts)
    if found is None:
        return [detect_language(text) for text in texts]
    codes, owner = found
    n = len(texts)
    hebrew = np.bincount(owner[(codes >= HEBREW_FIRST) & (codes <= HEBREW_LAST)], minlength=n)[:n]
    letters = np.bincount(owner[lookup(LETTER, codes)], minlength=n)[:n]
    surely = (hebrew >= MIN_HEBREW_LETTERS) & (hebrew >= MIN_HEBREW_SHARE * letters)
    return [
        "he" if sure else detect_language(text) for sure, text in zip(surely.tolist(), texts, strict=True)
    ]
