"""Why a post scored as it did: every feature occurrence's share of the log-odds, on the post's own words.

The engine's log-odds of a text is ``intercept + sum over occurrences`` of each hashed
occurrence's ``coef * idf / norm`` plus each cue's ``coef * log(1 + count)``
(:mod:`classifier.featurize.engine`). Each occurrence lies in the normalised text, so it is
attributed exactly:

- a character n-gram, word or prefix-stripped word to the word (white-space delimited)
  of the normalised text that holds it, shown as that word as written in the post;
- a word bigram to the two-word phrase;
- a placeholder (``_price_``, ``_phone_`` ...) and a link's domain words to the named cue
  ("price", "phone number", "link" ...), with the spans where the cue occurs;
- a guideline cue (``we offer``, ``invitation to contact`` ...) to its name, with the
  spans of the words that matched, its weight shared among its matches.

So the items plus the intercept add up to the log-odds exactly. When the model judges
a long text by its most promotional passage (:data:`classifier.modeling.model.AGGREGATIONS`),
the passage that decided the score is explained, with offsets in the whole post. Among
texts of the same length band (:class:`classifier.modeling.model.Calibration`) the calibrated
score is a monotone function of the log-odds, so the items explain the ranking rather than
the calibrated value itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from classifier.featurize.engine import CUE_NAMES, Batch, extract
from classifier.modeling.model import Model
from classifier.text.normalize import CHARACTER_MAP, EMOJI_CLASS, PLACEHOLDER_PATTERNS, PLACEHOLDERS

N_TOP = 8
_WORD = re.compile(rf"[^\W_]+(?:['\"][^\W_]+)*'?|{EMOJI_CLASS}")
_CORE = re.compile(rf"\w+(?:['\"]\w+)*'?|{EMOJI_CLASS}")


@dataclass(frozen=True)
class Contribution:
    """One thing in the post that moved its score, and by how much.

    Attributes
    ----------
    label : str
        What a reader sees: the word or phrase as written, or a named cue ("price").
    kind : str
        ``"word"``, ``"phrase"``, ``"cue"`` or ``"other"`` (a piece of the normalised
        text that is not found as written, such as letters repeated more than three times).
    weight : float
        Its share of the log-odds: positive pushes towards promotional.
    spans : tuple of (int, int)
        Where it occurs in the original text (``text[start:end]``); empty when it
        cannot be placed.
    """

    label: str
    kind: str
    weight: float
    spans: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "label": self.label,
            "kind": self.kind,
            "weight": round(self.weight, 4),
            "spans": list(self.spans),
        }


@dataclass(frozen=True)
class Explanation:
    """The contributions behind one post's score.

    Attributes
    ----------
    score : float
        The model's (calibrated) score.
    log_odds : float
        The log-odds before calibration: ``intercept + sum of all weights``.
    intercept : float
    contributions : tuple of Contribution
        Every item, strongest first by absolute weight.
    passage : tuple of (int, int) or None
        The passage whose log-odds decided the score, when it is not the whole post.
    """

    score: float
    log_odds: float
    intercept: float
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)
    passage: tuple[int, int] | None = None

    def top(self, n: int = N_TOP) -> tuple[list[Contribution], list[Contribution]]:
        """The ``n`` items pushing up the most, and the ``n`` pushing down the most."""
        up = sorted((c for c in self.contributions if c.weight > 0), key=lambda c: -c.weight)[:n]
        down = sorted((c for c in self.contributions if c.weight < 0), key=lambda c: c.weight)[:n]
        return up, down

    def to_dict(self, n: int = N_TOP) -> dict[str, Any]:
        """JSON-ready form with the top items each way."""
        up, down = self.top(n)
        return {
            "log_odds": round(self.log_odds, 4),
            "intercept": round(self.intercept, 4),
            "passage": list(self.passage) if self.passage else None,
            "up": [c.to_dict() for c in up],
            "down": [c.to_dict() for c in down],
        }


def _skeleton(text: str) -> tuple[str, list[int]]:
    """The text with the character rules that keep one character per character, and an index map.

    Marks and controls are dropped, quotes unified, Latin lower-cased; ``index[i]`` is
    the position in ``text`` of skeleton character ``i``.
    """
    chars: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        mapped = char.translate(CHARACTER_MAP)
        if not mapped:
            continue
        lowered = mapped.lower()
        if len(lowered) != 1:
            lowered = mapped
        chars.append(lowered)
        index.append(position)
    return "".join(chars), index


def _cue_spans(skeleton: str, index: list[int]) -> dict[str, list[tuple[int, int]]]:
    """Where each placeholder's pattern matches in the text, as original offsets."""
    found: dict[str, list[tuple[int, int]]] = {}
    taken = [False] * len(skeleton)
    for token, pattern in PLACEHOLDER_PATTERNS.items():
        for match in pattern.finditer(skeleton):
            start, end = match.span()
            if end > start and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.setdefault(token, []).append((index[start], index[end - 1] + 1))
    return found


class _Placer:
    """Finds where a piece of normalised text stands in the original post."""

    def __init__(self, original: str, piece: str, offset: int) -> None:
        self.original = original
        self.skeleton, index = _skeleton(piece)
        self.index = [i + offset for i in index]
        self.placeholders = _cue_spans(self.skeleton, self.index)
        inside = [span for token, spans in self.placeholders.items() if token != "_tag_" for span in spans]
        self.words = [
            (m.group(), self.index[m.start()], self.index[m.end() - 1] + 1)
            for m in _WORD.finditer(self.skeleton)
            if not any(a <= self.index[m.start()] < b for a, b in inside)
        ]

    def spans_of(self, words: list[str]) -> list[tuple[int, int]]:
        """Where a run of words (already lower-case) stands in the post, as whole words."""
        found = []
        size = len(words)
        lowered = [w.lower() for w, _, _ in self.words]
        for i in range(len(lowered) - size + 1):
            if lowered[i : i + size] == words:
                found.append((self.words[i][1], self.words[i + size - 1][2]))
        if not found and size == 1 and words[0]:  # punctuation and symbols: find them as written
            at = self.skeleton.find(words[0])
            while at != -1:
                found.append((self.index[at], self.index[at + len(words[0]) - 1] + 1))
                at = self.skeleton.find(words[0], at + 1)
        return found


def explain(model: Model, text: str, prior: float | None = None) -> Explanation:
    """Explain one post's score by the contributions of what it contains.

    Parameters
    ----------
    model : Model
    text : str
        The post as written.
    prior : float or None
        The share of promotional posts the score assumes (see :class:`classifier.Predictor`).

    Returns
    -------
    Explanation
    """
    linear = model.linear
    batch = extract([text], linear.settings, spans=True)
    whole, best = linear.decide(batch)
    chosen = _deciding_piece(model, batch, float(whole[0]), float(best[0]))
    pieces = list(range(batch.n)) if chosen is None else [chosen]
    joined = batch.joined
    units = _units(joined)
    placers = {k: _Placer(text, text[a:b], a) for k, (a, b) in enumerate(batch.layout[0]) if k in pieces}
    totals: dict[tuple[str, str, tuple[tuple[int, int], ...]], float] = defaultdict(float)

    def add(key: tuple[str, str, tuple[tuple[int, int], ...]], weight: float) -> None:
        totals[key] += weight

    squared = linear.idf_squared
    for posts, buckets, spans in (
        (batch.word_post, batch.word_bucket, batch.word_span),
        (batch.char_post, batch.char_bucket, batch.char_span),
    ):
        if spans is None:
            continue
        mine = np.isin(posts, pieces)
        posts, buckets, spans = posts[mine], buckets[mine], spans[mine]
        norm = float(np.sqrt(np.sum(squared[buckets], dtype=np.float64)))
        if norm == 0:
            continue
        weights = linear.weighted_idf[buckets].astype(np.float64) / norm
        for piece, (start, end), weight in zip(posts.tolist(), spans.tolist(), weights.tolist(), strict=True):
            if weight:
                add(_item_of(joined, units, start, end, placers[piece]), weight)
    if linear.cue_coef.size and batch.cue_spans is not None:
        values = np.log1p(batch.cue_counts[pieces].sum(axis=0))
        for k, matches in enumerate(batch.cue_spans):
            weight = float(linear.cue_coef[k] * values[k])
            found = [(p, a, b) for p, a, b in matches if p in placers]
            if not found or not weight:
                continue
            places = sorted({s for p, a, b in found for s in _item_of(joined, units, a, b, placers[p])[2]})
            add((CUE_NAMES[k], "cue", tuple(places)), weight)

    contributions = tuple(
        sorted(
            (Contribution(label, kind, weight, spans) for (label, kind, spans), weight in totals.items()),
            key=lambda c: -abs(c.weight),
        )
    )
    log_odds = linear.intercept + float(sum(c.weight for c in contributions))
    score = float(model.probability(np.array([log_odds]), [text], prior)[0])
    passage = None if chosen is None else batch.layout[0][chosen]
    return Explanation(
        score=score,
        log_odds=log_odds,
        intercept=linear.intercept,
        contributions=contributions,
        passage=passage,
    )


def _deciding_piece(model: Model, batch: Batch, whole: float, best: float) -> int | None:
    """The passage whose log-odds is the model's score of the text, or None for the whole text."""
    if model.aggregation == "whole" or batch.n < 2:
        return None
    if model.aggregation == "whole_capped" and whole <= best:
        return None
    return int(np.argmax(model.linear.piece_decisions(batch)))


def _units(joined: str) -> list[tuple[int, int]]:
    """The white-space delimited words of the normalised text, as ``(start, end)`` in ``joined``."""
    return [m.span() for m in re.finditer(r"[^\s\x00]+", joined)]


def _unit_at(units: list[tuple[int, int]], position: int) -> int:
    """The index of the word holding ``position`` (or the next word, for a padding space)."""
    low, high = 0, len(units) - 1
    while low < high:
        middle = (low + high) // 2
        if units[middle][1] <= position:
            low = middle + 1
        else:
            high = middle
    return low


def _item_of(
    joined: str, units: list[tuple[int, int]], start: int, end: int, placer: _Placer
) -> tuple[str, str, tuple[tuple[int, int], ...]]:
    """The label, kind and spans that an occurrence at ``joined[start:end]`` is shown as."""
    core = joined[start:end].strip()
    first = _unit_at(units, start + (len(joined[start:end]) - len(joined[start:end].lstrip())))
    last = _unit_at(units, start + len(joined[start:end].rstrip()) - 1) if core else first
    words = [joined[a:b] for a, b in units[first : last + 1]]
    for position, word in enumerate(words):
        token = _placeholder(word)
        if token:
            return PLACEHOLDERS[token], "cue", tuple(placer.placeholders.get(token, []))
        if position == 0 and first > 0 and _placeholder(joined[slice(*units[first - 1])]) == "_url_":
            return PLACEHOLDERS["_url_"], "cue", tuple(placer.placeholders.get("_url_", []))
    cores = [_core(word) for word in words]
    spans = placer.spans_of(cores)
    if not spans:
        return " ".join(words), "other", ()
    start, stop = spans[0]  # shown as written at its first occurrence
    return placer.original[start:stop], "word" if len(words) == 1 else "phrase", tuple(spans)


def _spans_of_range(
    joined: str, units: list[tuple[int, int]], start: int, end: int, placer: _Placer
) -> list[tuple[int, int]]:
    """Where the words of ``joined[start:end]`` (a cue's match) stand in the post."""
    return list(_item_of(joined, units, start, end, placer)[2])


def _placeholder(word: str) -> str | None:
    for token in PLACEHOLDERS:
        if token in word:
            return token
    return None


def _core(word: str) -> str:
    """The word characters of a normalised word (or the word itself when it has none)."""
    match = _CORE.search(word)
    return match.group() if match else word
