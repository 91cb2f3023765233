"""Why a post scored as it did: feature contributions mapped back onto the post's own words.

The linear model's log-odds for a post is ``intercept + sum_j coef_j * x_j`` over its
features ``x``. Each feature's contribution ``coef_j * x_j`` is attributed to what a
reader can see in the original text:

- word unigrams and character n-grams to the words of the post that contain them
  (a character n-gram found in several words is shared equally among them);
- word bigrams to the two-word phrase;
- placeholder tokens (``_price_``, ``_phone_`` ...) and the structural cue counts to a
  named cue ("price", "phone number" ...), with the spans where the cue occurs;
- anything that cannot be placed to "other features".

So the contributions of all items plus the intercept equal the model's log-odds
exactly. With a sigmoid or isotonic calibration the final score is a monotone
function of that log-odds, so the items explain the ranking, not the calibrated
value itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import Pipeline

from classifier.errors import ClassifierError
from classifier.features import feature_names
from classifier.normalize import CHARACTER_MAP, EMOJI_CLASS, PLACEHOLDER_PATTERNS, PLACEHOLDERS

N_TOP = 8
_WORD = re.compile(rf"[^\W_]+(?:['\"][^\W_]+)*'?|{EMOJI_CLASS}")
_CUE_OF_COLUMN = {f"{name} count": token for token, name in PLACEHOLDERS.items()}


@dataclass(frozen=True)
class Contribution:
    """One thing in the post that moved its score, and by how much.

    Attributes
    ----------
    label : str
        What a reader sees: the word or phrase as written, or a named cue ("price").
    kind : str
        ``"word"``, ``"phrase"``, ``"cue"`` or ``"other"``.
    weight : float
        Its share of the log-odds: positive pushes towards promotional.
    spans : tuple of (int, int)
        Where it occurs in the original text (``text[start:end]``); empty for
        cues without a location (e.g. length) and for "other features".
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
        The linear model's log-odds before calibration: ``intercept + sum of all weights``.
    intercept : float
    contributions : tuple of Contribution
        Every item, strongest first by absolute weight.
    """

    score: float
    log_odds: float
    intercept: float
    contributions: tuple[Contribution, ...] = field(default_factory=tuple)

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
            "up": [c.to_dict() for c in up],
            "down": [c.to_dict() for c in down],
        }


def _linear_model(pipeline: Pipeline) -> Any:
    """The fitted linear model inside the classifier step."""
    classifier = pipeline.named_steps["classifier"]
    if isinstance(classifier, CalibratedClassifierCV):
        if len(classifier.calibrated_classifiers_) != 1:
            raise ClassifierError("this model averages several classifiers; retrain it to explain scores")
        classifier = classifier.calibrated_classifiers_[0].estimator
    if not hasattr(classifier, "coef_"):
        raise ClassifierError("this model's classifier is not linear; explanations need a linear model")
    return classifier


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


def explain(pipeline: Pipeline, text: str, score: float | None = None) -> Explanation:
    """Explain one post's score by the contributions of what it contains.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        A fitted model from :func:`classifier.train` (linear classifier).
    text : str
        The post as written.
    score : float or None
        Its score, if already computed.

    Returns
    -------
    Explanation

    Raises
    ------
    ClassifierError
        When the model is not linear.
    """
    linear = _linear_model(pipeline)
    features = pipeline.named_steps["features"]
    row = features.transform([text]).tocsr()
    names = feature_names(features)
    coef = np.asarray(linear.coef_).ravel()
    intercept = float(np.asarray(linear.intercept_).ravel()[0])
    if score is None:
        score = float(pipeline.predict_proba([text])[0, 1])

    skeleton, index = _skeleton(text)
    cue_spans = _cue_spans(skeleton, index)
    # words inside a link, address, phone, price, percentage or mention belong to that cue
    inside_cues = [span for token, spans in cue_spans.items() if token != "_tag_" for span in spans]
    words = [
        (m.group(), index[m.start()], index[m.end() - 1] + 1)
        for m in _WORD.finditer(skeleton)
        if not any(start <= index[m.start()] < end for start, end in inside_cues)
    ]
    totals: dict[tuple[str, str, tuple[tuple[int, int], ...]], float] = defaultdict(float)

    def add(label: str, kind: str, spans: list[tuple[int, int]], weight: float) -> None:
        totals[(label, kind, tuple(sorted(set(spans))))] += weight

    for column, value in zip(row.indices, row.data, strict=True):
        weight = float(coef[column] * value)
        block, _, name = str(names[column]).partition("__")
        if block == "cues":
            token = _CUE_OF_COLUMN.get(name)
            label = PLACEHOLDERS[token] if token else name
            add(label, "cue", cue_spans.get(token, []) if token else [], weight)
        elif block == "word":
            _attribute_word_feature(name, weight, words, cue_spans, add)
        elif block == "char":
            _attribute_char_feature(name, weight, words, cue_spans, add, (skeleton, index))
        else:
            add("other features", "other", [], weight)

    contributions = tuple(
        sorted(
            (
                Contribution(_shown(text, label, kind, spans), kind, weight, spans)
                for (label, kind, spans), weight in totals.items()
            ),
            key=lambda c: -abs(c.weight),
        )
    )
    log_odds = intercept + float(sum(c.weight for c in contributions))
    return Explanation(
        score=float(score), log_odds=log_odds, intercept=intercept, contributions=contributions
    )


def _shown(text: str, label: str, kind: str, spans: tuple[tuple[int, int], ...]) -> str:
    """A word or phrase as written in the post (its first occurrence); a cue by its name."""
    if kind in ("word", "phrase") and spans:
        start, end = spans[0]
        return text[start:end]
    return label


def _placeholder_of(fragment: str, cue_spans: dict[str, list[tuple[int, int]]]) -> str | None:
    """The placeholder a token or character n-gram belongs to, if the post has that placeholder."""
    stripped = fragment.strip()
    for token in cue_spans:
        if stripped and stripped in token and "_" in stripped:
            return token
    return None


def _unplaced(weight: float, cue_spans: dict[str, list[tuple[int, int]]], add: Any) -> None:
    """Give the weight of an n-gram found in no word to the post's links, else to "other features"."""
    if cue_spans.get("_url_"):  # the domain words of a link exist only in the normalised text
        add(PLACEHOLDERS["_url_"], "cue", cue_spans["_url_"], weight)
    else:
        add("other features", "other", [], weight)


def _unmatched_characters(
    core: str,
    weight: float,
    text_view: tuple[str, list[int]],
    words: list[tuple[str, int, int]],
    cue_spans: dict[str, list[tuple[int, int]]],
    add: Any,
) -> None:
    """Place a character n-gram found in no word: spacing, a placeholder's letters, or punctuation."""
    if not core:  # the padding space of every word: it grows with the number of words
        add("length of the post", "cue", [], weight)
        return
    for token in cue_spans:  # a piece of a placeholder's own letters, e.g. "hon" of _phone_
        if core in token:
            add(PLACEHOLDERS[token], "cue", cue_spans[token], weight)
            return
    skeleton, index = text_view
    lowered = skeleton.lower()
    spans = []
    position = lowered.find(core)
    while position != -1:
        spans.append((index[position], index[position + len(core) - 1] + 1))
        position = lowered.find(core, position + 1)
    if not spans:
        _unplaced(weight, cue_spans, add)
        return
    touched = {(w.lower(), a, b) for w, a, b in words for start, end in spans if a < end and start < b}
    if not touched:  # punctuation or symbols of their own, such as "!!!"
        add(core, "word", spans, weight)
        return
    by_word: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for word, start, end in touched:
        by_word[word].append((start, end))
    for word, word_spans in by_word.items():
        add(word, "word", word_spans, weight / len(by_word))


def _attribute_word_feature(
    name: str,
    weight: float,
    words: list[tuple[str, int, int]],
    cue_spans: dict[str, list[tuple[int, int]]],
    add: Any,
) -> None:
    """Give a word n-gram's weight to the word or phrase (or cue) it stands for."""
    tokens = name.split(" ")
    placeholders = [t for t in tokens if t in PLACEHOLDERS]
    if placeholders:
        token = placeholders[0]
        add(PLACEHOLDERS[token], "cue", cue_spans.get(token, []), weight)
        return
    lowered = [w.lower() for w, _, _ in words]
    spans = [
        (words[i][1], words[i + len(tokens) - 1][2])
        for i in range(len(words) - len(tokens) + 1)
        if lowered[i : i + len(tokens)] == tokens
    ]
    if not spans:
        _unplaced(weight, cue_spans, add)
        return
    label = " ".join(tokens)
    add(label, "word" if len(tokens) == 1 else "phrase", spans, weight)


def _attribute_char_feature(
    name: str,
    weight: float,
    words: list[tuple[str, int, int]],
    cue_spans: dict[str, list[tuple[int, int]]],
    add: Any,
    text_view: tuple[str, list[int]],
) -> None:
    """Share a character n-gram's weight among the words containing it."""
    placeholder = _placeholder_of(name, cue_spans)
    if placeholder:
        add(PLACEHOLDERS[placeholder], "cue", cue_spans[placeholder], weight)
        return
    core = name.strip()
    starts, ends = name.startswith(" "), name.endswith(" ")
    hosts = []
    for word, start, end in words:
        lowered = word.lower()
        if starts and ends:
            hit = lowered == core
        elif starts:
            hit = lowered.startswith(core)
        elif ends:
            hit = lowered.endswith(core)
        else:
            hit = core in lowered
        if hit:
            hosts.append((lowered, start, end))
    if not hosts:
        _unmatched_characters(core, weight, text_view, words, cue_spans, add)
        return
    by_word: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for lowered, start, end in hosts:
        by_word[lowered].append((start, end))
    share = weight / len(by_word)
    for lowered, spans in by_word.items():
        add(lowered, "word", spans, share)
