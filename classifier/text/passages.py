"""Where in a long post the promotion sits: passages, their scores, and highlighting."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from classifier.text.chars import SENTENCE_END, SPACE, lookup, per_text
from classifier.text.normalize import EMOJI_CLASS

#: Posts with fewer sentences than this are one passage.
MIN_SENTENCES = 3
#: Texts shorter than this (in words) are judged whole: a few sentences are not a long text.
LONG_TEXT_WORDS = 50
#: A text without paragraphs is split into lines or sentences, gathered in order into passages of
#: at least this many words (a last, shorter remainder joins the passage before it): one sentence
#: alone holds too little to be judged. Chosen by 5-fold cross-validation on the corpus's training
#: split among 0 (no gathering), 20, 40, 60, 80 and 120 words: the highest out-of-fold ROC-AUC,
#: ties broken by the lower Brier score (``benchmarks/passage_size.py``).
MIN_PASSAGE_WORDS = 60
_CONTENT = re.compile(rf"\w|{EMOJI_CLASS}")  # what can make a feature: a word character or an emoji
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_LINE = re.compile(r"[^\n]*\S[^\n]*")
# a sentence ends at . ! ? … (and runs of them) followed by space, or at the end
_SENTENCE = re.compile(r"\S.*?(?:[.!?…]+(?=\s)|$)", re.DOTALL)
COLOR_ON = "\x1b[1;31m"
COLOR_OFF = "\x1b[0m"
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Passage:
    """A part of a post: its offsets in the post, its text and its score."""

    start: int
    end: int
    text: str
    score: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"start": self.start, "end": self.end, "score": round(self.score, 4), "text": self.text}


def _spans(pattern: re.Pattern[str], text: str, offset: int = 0) -> list[tuple[int, int]]:
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        chunk = match.group()
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        if end > start:
            spans.append((offset + start, offset + end))
    return spans


def stripped_span(text: str) -> tuple[int, int]:
    """The ``(start, end)`` of ``text`` without its surrounding white space (empty when blank).

    Examples
    --------
    >>> stripped_span("  שלום ")
    (2, 6)
    """
    return len(text) - len(text.lstrip()), len(text.rstrip())


def gather(text: str, spans: list[tuple[int, int]], min_words: int) -> list[tuple[int, int]]:
    """Join consecutive spans of ``text`` until each holds ``min_words`` words or more.

    A last span that is still shorter joins the one before it.

    Examples
    --------
    >>> text = "א ב. ג ד ה. ו. ז ח ט י"
    >>> [text[a:b] for a, b in gather(text, [(0, 4), (5, 11), (12, 14), (15, 22)], 3)]
    ['א ב. ג ד ה.', 'ו. ז ח ט י']
    """
    out: list[tuple[int, int]] = []
    words = 0
    for start, end in spans:
        if out and words < min_words:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
            words = 0
        words += len(text[start:end].split())
    if len(out) > 1 and words < min_words:
        last = out.pop()
        out[-1] = (out[-1][0], last[1])
    return out


def _without_bare_separators(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with those that hold no word and no emoji ("***", "...", "---") joined to the one before
    (the first to the one after): such a span has no features, so alone it would score the model's
    baseline and could be shown as a post's most promotional passage."""
    out: list[tuple[int, int]] = []
    lead: int | None = None  # where the bare spans before the first real one begin
    for start, end in spans:
        if not _CONTENT.search(text, start, end):
            if out:
                out[-1] = (out[-1][0], end)
            elif lead is None:
                lead = start
            continue
        out.append((start if lead is None else lead, end))
        lead = None
    if not out and spans:
        return [(spans[0][0], spans[-1][1])]
    return out


def split_passages(text: str, min_words: int | None = None) -> list[tuple[int, int]]:
    """Split a post into passages: paragraphs, else lines, else sentences.

    A post with fewer than :data:`MIN_SENTENCES` sentences is one passage. Otherwise
    it is split at blank lines into paragraphs; a post with one paragraph is split
    into its lines, and a post with one line into its sentences. Lines and sentences
    are gathered into passages of at least ``min_words`` words (:func:`gather`; by default
    :data:`MIN_PASSAGE_WORDS`); paragraphs stay as the writer made them.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets into ``text``, in order, stripped of white space.

    Examples
    --------
    >>> post = "שלום לכולם. היה יום ארוך.\\n\\nרוצים הנחה? היכנסו לאתר שלנו עכשיו!"
    >>> [post[a:b] for a, b in split_passages(post)]
    ['שלום לכולם. היה יום ארוך.', 'רוצים הנחה? היכנסו לאתר שלנו עכשיו!']
    """
    min_words = MIN_PASSAGE_WORDS if min_words is None else min_words
    start, end = stripped_span(text)
    if end <= start:
        return []
    everything = [(start, end)]
    paragraphs = _spans(_PARAGRAPH, text) if "\n" in text else []
    if len(paragraphs) < 2 and len(text.split()) < 2 * min_words:
        return everything  # gathered lines or sentences would make one passage (speed only)
    sentences = _spans(_SENTENCE, text)
    if len(sentences) < MIN_SENTENCES:
        return everything
    paragraphs = _without_bare_separators(text, paragraphs)
    if len(paragraphs) > 1:
        return paragraphs
    lines = _spans(_LINE, text) if "\n" in text else []
    if len(lines) > 1:
        return gather(text, lines, min_words)
    return gather(text, sentences, min_words)


def may_have_passages(texts: Sequence[str], min_words: int = 0) -> np.ndarray:
    """Which texts may split into several passages: two or more sentence ends, ``min_words`` words.

    A sentence end is punctuation followed by white space; a text with fewer than two
    has fewer than :data:`MIN_SENTENCES` sentences and is one passage. A cheap test for
    a whole batch at once; :func:`split_passages` decides.

    Examples
    --------
    >>> may_have_passages(["שלום. מה נשמע? הכל טוב.", "שלום לכולם", "א. ב."]).tolist()
    [True, False, False]
    >>> may_have_passages(["שלום. מה נשמע? הכל טוב."], min_words=6).tolist()
    [False]
    """
    found = per_text(texts)
    n = len(texts)
    if found is None:
        return np.array([len(t.split()) >= min_words for t in texts], dtype=bool)
    codes, owner = found
    space = lookup(SPACE, codes) | (codes == 0)
    ends = lookup(SENTENCE_END, codes[:-1]) & space[1:]
    counts = np.bincount(owner[:-1][ends], minlength=n)[:n]
    return (counts >= MIN_SENTENCES - 1) & (_words(owner, space, n) >= min_words)


def _words(owner: np.ndarray, space: np.ndarray, n: int) -> np.ndarray:
    """Words per text (as ``str.split()`` counts them) of code points joined by NUL
    (:func:`classifier.text.chars.per_text`), given which code points are white space or NUL."""
    starts = ~space & np.concatenate(([True], space[:-1]))  # a word begins after white space
    return np.bincount(owner[starts], minlength=n)[:n]


def length_buckets(texts: Sequence[str], edges: Sequence[int]) -> np.ndarray:
    """How many of ``edges`` each text's length in words (split on white space) is above.

    A text of ``n`` words has at least ``2n - 1`` characters, so only texts longer than
    twice the smallest edge are split and counted: short posts cost one ``len``.

    Examples
    --------
    >>> length_buckets(["שלום לכולם", "א " * 200, "א " * 500], (150, 400)).tolist()
    [0, 1, 2]
    >>> length_buckets(["א " * 150], (150,)).tolist()
    [0]
    """
    out = np.zeros(len(texts), dtype=np.int64)
    if not len(edges):
        return out
    shortest = 2 * min(edges) + 1
    candidates = [i for i, text in enumerate(texts) if len(text) >= shortest]
    if not candidates:
        return out
    long = [texts[i] for i in candidates]
    found = per_text(long)
    if found is None:  # a NUL inside a text: count text by text
        words = np.array([len(text.split()) for text in long])
    else:
        codes, owner = found
        words = _words(owner, lookup(SPACE, codes) | (codes == 0), len(long))
    out[candidates] = np.searchsorted(np.sort(np.asarray(edges)), words, side="left")
    return out


def judged_passages(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """The passages each text is judged by: several for a long text, else the whole text alone.

    A text is judged by its passages when it has :data:`LONG_TEXT_WORDS` words or more
    and :func:`split_passages` finds several passages in it.

    Examples
    --------
    >>> judged_passages(["שלום. מה נשמע? הכל טוב."])
    [[(0, 23)]]
    """
    candidates = may_have_passages(texts, LONG_TEXT_WORDS)
    return [
        split_passages(text) if candidate else [(0, len(text))]
        for text, candidate in zip(texts, candidates.tolist(), strict=True)
    ]


def score_passages(text: str, score_many: Callable[[Sequence[str]], np.ndarray]) -> list[Passage]:
    """Split a post into passages and score each with ``score_many``.

    Examples
    --------
    >>> fake = lambda texts: np.array([0.9 if "הנחה" in t else 0.1 for t in texts])
    >>> post = "שלום לכולם. היה יום ארוך. ממש ארוך.\\n\\nרוצים הנחה? היכנסו לאתר!"
    >>> [(p.text[:5], p.score) for p in score_passages(post, fake)]
    [('שלום ', 0.1), ('רוצים', 0.9)]
    """
    spans = split_passages(text)
    if not spans:
        return []
    scores = score_many([text[a:b] for a, b in spans])
    return [Passage(a, b, text[a:b], float(s)) for (a, b), s in zip(spans, scores, strict=True)]


def most_promotional(passages: Sequence[Passage]) -> Passage | None:
    """The passage with the highest score (the first, on ties), or None."""
    return max(passages, key=lambda p: p.score, default=None)


def highlight(text: str, passages: Sequence[Passage], threshold: float, color: bool) -> str:
    """The post with every passage scoring at or above ``threshold`` marked.

    Marked with bold red on a colour terminal, else between ⟦ and ⟧.

    Examples
    --------
    >>> post = "יום יפה. ים. חול.\\n\\nקוד הנחה בקישור!"
    >>> passages = [Passage(0, 17, post[0:17], 0.1), Passage(19, 35, post[19:35], 0.8)]
    >>> highlight(post, passages, 0.5, color=False)
    'יום יפה. ים. חול.\\n\\n⟦קוד הנחה בקישור!⟧'
    """
    opening, closing = (COLOR_ON, COLOR_OFF) if color else (MARK_OPEN, MARK_CLOSE)
    pieces = []
    position = 0
    for passage in sorted(passages, key=lambda p: p.start):
        if passage.score >= threshold:
            pieces += [text[position : passage.start], opening, text[passage.start : passage.end], closing]
            position = passage.end
    pieces.append(text[position:])
    return "".join(pieces)
