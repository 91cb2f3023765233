"""The scoring engine: hashed n-grams and guideline cues in NumPy, for training and scoring alike.

A batch of posts is normalised (:func:`classifier.text.normalize.normalize`), joined into one
string and turned into an array of code points. Every feature is found on that array
at once, without a Python loop per word or per n-gram:

- **char**: character n-grams inside words (a word is padded with one space on each
  side, as scikit-learn's ``char_wb`` analyzer does), hashed into ``2**bits`` buckets;
- **word**: word unigrams and bigrams, and, with ``strip_prefixes``, each Hebrew word
  once more without one and two of its prefix letters (ו ה ב כ ל מ ש), so that
  ``ובמשרד`` also counts as ``במשרד`` and ``משרד``; hashed into their own ``2**bits`` buckets;
- **cues**: counts of the labelling guideline's cues whatever their wording (a business
  speaking as "we", invitations to contact, contact details, professional titles and
  bylines, stock praise, offers ...), as ``log(1 + count)``.

A hashed block's value for a bucket is ``count * idf / norm``, where ``norm`` is the
square root of the sum of ``idf**2`` over the block's occurrences in the post. So a
linear model's score is a gather and a sum over occurrences: ``w[bucket] * idf[bucket]``
summed per post, divided by the post's norm. Training builds the same values as a
sparse matrix (:mod:`classifier.featurize.features`); scoring never builds one.

This module imports NumPy and the standard library only: scoring must start fast.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from classifier.core.config import Record, known_fields
from classifier.text import passages
from classifier.text.chars import LETTER, PREFIX_LETTER, SPACE, WORD, codepoints, lookup, owners
from classifier.text.cues import CUE_WORDINGS, NOT_CUES, QUOTED_CUES
from classifier.text.normalize import normalize
from classifier.text.passages import judged_passages

#: Posts scored together by :meth:`LinearModel.decision`: measured fastest (larger batches
#: spill the processor's caches; smaller ones pay NumPy's per-call cost more often).
SCORING_BATCH = 512
#: Between posts in a batch; normalisation never leaves this character in a post.
SEPARATOR = "\x00"
_MASK64 = (1 << 64) - 1
_Q = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2**64
_Q_INVERSE = pow(_Q, -1, 1 << 64)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_SALTS = {
    "char": 0x1F3D5B79A2C4E6F1,
    "word": 0x6A09E667F3BCC909,
    "bigram": 0x3C6EF372FE94F82B,
}
_BIGRAM_Q = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True)
class FeatureSettings(Record):
    """How the engine turns text into features; stored in every model's card.

    Parameters
    ----------
    char_ngrams : tuple of int
        Smallest and largest character n-gram inside words (0, 0 for none).
    word_ngrams : tuple of int
        Smallest and largest word n-gram, 1 or 2 (0, 0 for none).
    strip_prefixes : bool
        Also count each Hebrew word without its prefix letters.
    cues : bool
        Add the block of guideline cues (:mod:`classifier.text.cues`).
    bits : int
        Each hashed block has ``2**bits`` buckets.

    Examples
    --------
    >>> FeatureSettings.from_dict(FeatureSettings().to_dict()) == FeatureSettings()
    True
    """

    char_ngrams: tuple[int, int] = (1, 4)
    word_ngrams: tuple[int, int] = (1, 2)
    strip_prefixes: bool = True
    cues: bool = True
    bits: int = 20

    @property
    def width(self) -> int:
        """Columns of the hashed blocks together: word buckets, then character buckets."""
        return 2 << self.bits

    @property
    def n_columns(self) -> int:
        """All columns: the hashed blocks, then the cues."""
        return self.width + (len(CUE_NAMES) if self.cues else 0)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureSettings:
        """Rebuild settings saved by :meth:`to_dict`."""
        return cls(**known_fields(cls, data))


def _poly(text: str) -> int:
    """The polynomial hash the engine gives a string: ``sum(ord(c) * Q**k)`` modulo 2**64."""
    value, power = 0, 1
    for char in text:
        value = (value + ord(char) * power) & _MASK64
        power = (power * _Q) & _MASK64
    return value


def _pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return first * _BIGRAM_Q + second


@dataclass(frozen=True)
class _CueTable:
    """The cue wordings as sorted hash keys, one table per way of matching."""

    keys: dict[str, np.ndarray]
    cues: dict[str, np.ndarray]
    #: (first, second) lengths of the stems of two-token wordings; 0 for a whole token
    pair_shapes: tuple[tuple[int, int], ...]
    single_stems: tuple[int, ...]
    #: the low 16 bits of every key, to rule most tokens out with one lookup
    seen: np.ndarray
    #: the same for the first token of every two-token wording
    first_seen: np.ndarray


def _cue_table() -> _CueTable:
    entries: dict[str, list[tuple[int, int]]] = {"word": [], "line": [], "stem": [], "pair": []}
    pair_shapes: set[tuple[int, int]] = set()
    single_stems: set[int] = set()
    first_seen = np.zeros(1 << 16, dtype=bool)
    for cue, wordings in enumerate(CUE_WORDINGS.values()):
        for wording in wordings:
            parts = wording.split()
            if len(parts) == 2:
                (first, second) = parts
                pair_shapes.add(
                    (
                        len(first) - 1 if first.endswith("*") else 0,
                        len(second) - 1 if second.endswith("*") else 0,
                    )
                )
                first_key = _poly(first.rstrip("*"))
                first_seen[first_key & 0xFFFF] = True
                key = first_key * int(_BIGRAM_Q) + _poly(second.rstrip("*"))
                entries["pair"].append((key & _MASK64, cue))
            elif wording.startswith("^"):
                entries["line"].append((_poly(wording[1:]), cue))
            elif wording.endswith("*"):
                single_stems.add(len(wording) - 1)
                entries["stem"].append((_poly(wording[:-1]), cue))
            else:
                entries["word"].append((_poly(wording), cue))
    keys, cues = {}, {}
    seen = np.zeros(1 << 16, dtype=bool)
    for kind, pairs in entries.items():
        ordered = sorted(set(pairs))
        keys[kind] = np.asarray([k for k, _ in ordered], dtype=np.uint64)
        cues[kind] = np.asarray([c for _, c in ordered], dtype=np.int64)
        seen[[k & 0xFFFF for k, _ in ordered]] = True
    return _CueTable(keys, cues, tuple(sorted(pair_shapes)), tuple(sorted(single_stems)), seen, first_seen)


#: The cues, in column order, as a reader would name them.
CUE_NAMES: tuple[str, ...] = (*CUE_WORDINGS, *QUOTED_CUES)
#: A fingerprint of every cue's wordings (16 hex digits of a SHA-256). A model's card
#: records it, and a model whose cue columns were learnt from other wordings is refused.
CUE_LIST: str = hashlib.sha256(
    json.dumps([CUE_WORDINGS, QUOTED_CUES, NOT_CUES], ensure_ascii=False).encode("utf-8")
).hexdigest()[:16]
#: For each cue column, the column its matches inside quotation marks go to (itself for most).
_QUOTED_TO = np.arange(len(CUE_NAMES))
for _name, _sources in QUOTED_CUES.items():
    _QUOTED_TO[[CUE_NAMES.index(source) for source in _sources]] = CUE_NAMES.index(_name)
_CUES = _cue_table()
#: The hashes of :data:`classifier.text.cues.NOT_CUES`, sorted.
_NOT_KEYS = np.sort(np.asarray([_poly(word) for word in NOT_CUES], dtype=np.uint64))


def _lookup(kind: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``keys`` are wordings of ``kind``: their positions and their cues (a key may have several)."""
    table = _CUES.keys[kind]
    candidates = np.flatnonzero(_CUES.seen[(keys & np.uint64(0xFFFF)).astype(np.int64)])
    if not len(table) or not len(candidates):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = keys[candidates]
    left = np.searchsorted(table, keys, side="left")
    right = np.searchsorted(table, keys, side="right")
    count = right - left
    where = np.flatnonzero(count)
    if not len(where):
        return where, where
    repeats = count[where]
    positions = candidates[np.repeat(where, repeats)]
    offsets = np.arange(repeats.sum()) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    return positions, _CUES.cues[kind][np.repeat(left[where], repeats) + offsets]


@dataclass
class Batch:
    """A batch of posts as the engine sees them.

    A long text is extracted as its passages (:func:`classifier.text.passages.judged_passages`),
    each a *piece* of its own; any other text is one piece. The text's features are the
    union of its pieces'.

    Attributes
    ----------
    n : int
        Pieces in the batch.
    joined : str
        The normalised pieces, each padded with a space on each side, joined by
        :data:`SEPARATOR`.
    starts : numpy.ndarray
        Where each piece's text begins in ``joined`` (after its padding space).
    owner : numpy.ndarray
        The text each piece belongs to.
    texts : int
        Texts in the batch.
    layout : list
        Each text's pieces as ``(start, end)`` offsets in the text as written.
    word_post, word_bucket : numpy.ndarray
        One entry per word-block occurrence: its piece and its bucket.
    char_post, char_bucket : numpy.ndarray
        The same for the character block (buckets offset by ``2**bits``).
    cue_counts : numpy.ndarray
        ``(n, len(CUE_NAMES))`` counts, or ``(n, 0)`` without cues.
    word_span, char_span : numpy.ndarray or None
        ``(start, end)`` of each occurrence in ``joined``, when asked for.
    cue_spans : list or None
        For each cue, the ``(post, start, end)`` of its matches, when asked for.
    """

    n: int
    joined: str
    starts: np.ndarray
    owner: np.ndarray
    texts: int
    layout: list[list[tuple[int, int]]]
    word_post: np.ndarray
    word_bucket: np.ndarray
    char_post: np.ndarray
    char_bucket: np.ndarray
    cue_counts: np.ndarray
    word_span: np.ndarray | None = None
    char_span: np.ndarray | None = None
    cue_spans: list[list[tuple[int, int, int]]] | None = None


_powers_cache: dict[str, np.ndarray] = {}


def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """``Q**i`` and ``Q**-i`` modulo 2**64 for ``i <= length``, grown and kept between batches."""
    have = _powers_cache.get("up")
    if have is None or len(have) <= length:
        size = max(length + 1, 2 * (0 if have is None else len(have)), 1 << 16)
        for key, base in (("up", _Q), ("down", _Q_INVERSE)):
            factors = np.full(size, base, dtype=np.uint64)
            factors[0] = 1
            _powers_cache[key] = np.cumprod(factors)
    return _powers_cache["up"], _powers_cache["down"]


def _mix(hashes: np.ndarray, salt: int, bits: int) -> np.ndarray:
    """Scramble polynomial hashes and keep their top ``bits`` bits as a bucket."""
    h = (hashes ^ np.uint64(salt)) * _MIX
    h ^= h >> np.uint64(32)
    h *= _MIX
    return (h >> np.uint64(64 - bits)).astype(np.int64)


def join_normalized(texts: Sequence[str]) -> tuple[str, np.ndarray]:
    """Normalise posts and join them, each padded by a space, with :data:`SEPARATOR` between.

    Returns
    -------
    (str, numpy.ndarray)
        The joined text and the offset where each post's normalised text begins.

    Examples
    --------
    >>> joined, starts = join_normalized(["שלום!", "קנו ב-99 ₪"])
    >>> joined.split(SEPARATOR)
    [' שלום! ', ' קנו ב- _price_ ']
    >>> starts.tolist()
    [1, 9]
    """
    posts = [normalize(t) for t in texts]
    lengths = np.fromiter((len(p) for p in posts), dtype=np.int64, count=len(posts))
    starts = np.cumsum(lengths + 3) - lengths - 2  # " " + post + " " + separator
    return SEPARATOR.join([f" {p} " for p in posts]), starts


#: Receives each block's occurrences as they are found: ``sink(block, pieces, buckets, n_pieces)``.
Sink = Callable[[str, np.ndarray, np.ndarray, int], None]


def extract(
    texts: Sequence[str],
    settings: FeatureSettings,
    spans: bool = False,
    sink: Sink | None = None,
    split: bool = True,
) -> Batch:
    """Find every feature occurrence of a batch of posts.

    Parameters
    ----------
    texts : sequence of str
        Posts as written.
    settings : FeatureSettings
    spans : bool
        Also record where each occurrence is (for explanations).
    sink : callable or None
        Give each block's occurrences to ``sink`` as they are found instead of keeping
        them: scoring sums them at once and never holds them all.
    split : bool
        Extract long texts as their passages (False: every text is one piece).

    Returns
    -------
    Batch
        Without the hashed occurrences when ``sink`` took them.

    Examples
    --------
    >>> batch = extract(["מבצע ענק", "שלום"], FeatureSettings(bits=10))
    >>> batch.n, batch.word_post.tolist()[:2], int(batch.char_bucket.min()) >= 1024
    (2, [0, 0], True)
    """
    layout = judged_passages(texts) if split else [[(0, len(text))] for text in texts]
    owner = np.repeat(np.arange(len(texts)), [len(spans_of) for spans_of in layout])
    if len(owner) != len(texts):
        texts = [text[a:b] for text, spans_of in zip(texts, layout, strict=True) for a, b in spans_of]
    joined, starts = join_normalized(texts)
    n = len(texts)
    codes = codepoints(joined)
    length = len(codes)
    # a padded post begins one before its start and ends one before the next padded post begins
    post_of = owners(np.diff(np.r_[starts - 1, length + 1]) - 1)
    up, down = _powers(length)
    prefix = np.zeros(length + 1, dtype=np.uint64)
    np.cumsum(codes.astype(np.uint64) * up[:length], out=prefix[1:])

    def hash_of(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return (prefix[b] - prefix[a]) * down[a]

    bmp = codes < 0x10000
    small = np.where(bmp, codes, 0)
    space = SPACE[small] & bmp
    kept: dict[str, tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = {
        "word": ([], [], []),
        "char": ([], [], []),
    }
    bits = settings.bits

    def emit(block: str, post: np.ndarray, bucket: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        if sink is not None:
            sink(block, post, bucket, n)
            return
        posts, buckets, places = kept[block]
        posts.append(post)
        buckets.append(bucket)
        if spans:
            places.append(np.stack([a, b], axis=1))

    low, high = settings.char_ngrams
    if high:
        separators = np.concatenate(([0], np.cumsum(codes == 0)))
        spaces = np.concatenate(([0], np.cumsum(space)))
        for size in range(max(low, 1), high + 1):
            if length < size:
                break
            a = np.arange(length - size + 1)
            b = a + size
            ok = separators[b] == separators[a]
            if size == 1:
                ok &= ~space[a]
            elif size == 2:
                ok &= ~(space[a] & space[a + 1])
            else:
                ok &= spaces[b - 1] == spaces[a + 1]
            a, b = a[ok], b[ok]
            emit(
                "char",
                post_of[a],
                _mix(hash_of(a, b) + np.uint64(size), _SALTS["char"], bits) + (1 << bits),
                a,
                b,
            )

    low, high = settings.word_ngrams
    if high or settings.cues:
        word = WORD[small] & bmp
        before = np.concatenate(([False], word[:-1]))
        after = np.concatenate((word[1:], [False]))
        apostrophe = codes == 0x27
        quote = (codes == 0x22) | apostrophe
        inside = word | (quote & before & (after | apostrophe))
        prev_inside = np.concatenate(([False], inside[:-1]))
        next_inside = np.concatenate((inside[1:], [False]))
        token_a = np.flatnonzero(inside & ~prev_inside)
        token_b = np.flatnonzero(inside & ~next_inside) + 1
        emoji = ((codes >= 0x1F000) & (codes <= 0x1FAFF)) | ((codes >= 0x2600) & (codes <= 0x27BF))
        emoji |= (codes >= 0x2B00) & (codes <= 0x2BFF)
        emoji_at = np.flatnonzero(emoji)
        if len(emoji_at):
            token_a = np.concatenate((token_a, emoji_at))
            token_b = np.concatenate((token_b, emoji_at + 1))
            order = np.argsort(token_a, kind="stable")
            token_a, token_b = token_a[order], token_b[order]
        token_hash = hash_of(token_a, token_b)
        token_post = post_of[token_a]
        # the starts of each token without one and two prefix letters, where it has them
        hebrew = (codes >= 0x5D0) & (codes <= 0x5EA)
        is_prefix = PREFIX_LETTER[small]
        last = length - 1
        stripped: list[tuple[int, np.ndarray]] = []
        for strip in (1, 2):
            keep = (token_b - token_a) >= strip + 2
            for k in range(strip):
                keep &= is_prefix[np.minimum(token_a + k, last)]
            keep &= hebrew[np.minimum(token_a + strip, last)]
            stripped.append((strip, np.flatnonzero(keep)))
    if high:
        if low <= 1:
            emit("word", token_post, _mix(token_hash, _SALTS["word"], bits), token_a, token_b)
            if settings.strip_prefixes:
                for strip, which in stripped:
                    which = which[(token_b[which] - token_a[which]) >= strip + 3]
                    a, b = token_a[which] + strip, token_b[which]
                    emit("word", post_of[a], _mix(hash_of(a, b), _SALTS["word"], bits), a, b)
        if high >= 2 and len(token_a) > 1:
            same = token_post[1:] == token_post[:-1]
            pair = _pair(token_hash[:-1][same], token_hash[1:][same])
            emit(
                "word",
                token_post[:-1][same],
                _mix(pair, _SALTS["bigram"], bits),
                token_a[:-1][same],
                token_b[1:][same],
            )

    cue_counts = np.zeros((n, len(CUE_NAMES) if settings.cues else 0), dtype=np.float64)
    cue_spans: list[list[tuple[int, int, int]]] | None = None
    if settings.cues and len(token_a):
        newlines = np.concatenate(([0], np.cumsum((codes == 10) | (codes == 0))))
        previous_end = np.concatenate(([0], token_b[:-1]))
        line_first = newlines[token_a] > newlines[previous_end]
        line_first[0] = True
        hit_token: list[np.ndarray] = []
        hit_cue: list[np.ndarray] = []
        hit_end: list[np.ndarray] = []
        count = len(token_a)

        def hit(at: np.ndarray, kind: str, keys: np.ndarray, end_offset: int = 0) -> None:
            found, cue = _lookup(kind, keys)
            hit_token.append(at[found])
            hit_cue.append(cue)
            hit_end.append(token_b[at[found] + end_offset])

        def stem_keys(begins: np.ndarray, at: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
            """The hashes of the first ``size`` characters of the tokens ``at`` (those long enough)."""
            ok = token_b[at] - begins >= size
            return hash_of(begins[ok], begins[ok] + size), at[ok]

        # each token at each level of prefix stripping, and the hash of what is left of it
        levels = [(0, np.arange(count), token_hash)]
        levels += [(strip, at, hash_of(token_a[at] + strip, token_b[at])) for strip, at in stripped]
        # the fewest prefix letters after which a token is a word whose stripped forms are not cues
        not_cue_from = np.full(count, len(levels), dtype=np.int64)
        for strip, at, forms in levels if len(_NOT_KEYS) else []:
            place = np.minimum(np.searchsorted(_NOT_KEYS, forms), len(_NOT_KEYS) - 1)
            listed = at[_NOT_KEYS[place] == forms]
            not_cue_from[listed] = np.minimum(not_cue_from[listed], strip)
        for strip, at, forms in levels:
            allowed = not_cue_from[at] >= strip
            at, whole = at[allowed], forms[allowed]
            begins = token_a[at] + strip  # not `starts`: that is the posts' starts, returned below
            hit(at, "word", whole)
            first_line = line_first[at]
            hit(at[first_line], "line", whole[first_line])
            for size in _CUES.single_stems:
                keys, where = stem_keys(begins, at, size)
                hit(where, "stem", keys)
            firsts: dict[int, tuple[np.ndarray, np.ndarray]] = {}
            for first_size, second_size in _CUES.pair_shapes:
                if first_size not in firsts:
                    keys, where = stem_keys(begins, at, first_size) if first_size else (whole, at)
                    # only tokens that begin some two-token wording, and are followed in their post
                    keep = _CUES.first_seen[(keys & np.uint64(0xFFFF)).astype(np.int64)]
                    keep &= where + 1 < count
                    keep[keep] = token_post[where[keep] + 1] == token_post[where[keep]]
                    firsts[first_size] = keys[keep], where[keep]
                first_keys, first_at = firsts[first_size]
                second_at = first_at + 1
                if second_size:
                    long_enough = token_b[second_at] - token_a[second_at] >= second_size
                    first_keys, first_at, second_at = (
                        first_keys[long_enough],
                        first_at[long_enough],
                        second_at[long_enough],
                    )
                    second_keys = hash_of(token_a[second_at], token_a[second_at] + second_size)
                else:
                    second_keys = token_hash[second_at]
                hit(first_at, "pair", _pair(first_keys, second_keys), end_offset=1)
        tokens = np.concatenate(hit_token)
        cues = np.concatenate(hit_cue)
        ends = np.concatenate(hit_end)
        if len(tokens) and QUOTED_CUES:
            cues = np.where(
                _inside_quotes(codes, starts, token_a[tokens], token_post[tokens]),
                _QUOTED_TO[cues],
                cues,
            )
        if len(tokens):
            _, first = np.unique(tokens * len(CUE_NAMES) + cues, return_index=True)
            tokens, cues, ends = tokens[first], cues[first], ends[first]
            counts = np.bincount(token_post[tokens] * len(CUE_NAMES) + cues, minlength=n * len(CUE_NAMES))
            cue_counts = counts[: n * len(CUE_NAMES)].reshape(n, len(CUE_NAMES)).astype(np.float64)
        if spans:
            cue_spans = [[] for _ in CUE_NAMES]
            for t, c, e in zip(tokens.tolist(), cues.tolist(), ends.tolist(), strict=True):
                cue_spans[c].append((int(token_post[t]), int(token_a[t]), int(e)))
    elif spans:
        cue_spans = [[] for _ in CUE_NAMES] if settings.cues else []

    def stack(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    return Batch(
        n=n,
        joined=joined,
        starts=starts,
        owner=owner,
        texts=len(layout),
        layout=layout,
        word_post=stack(kept["word"][0]),
        word_bucket=stack(kept["word"][1]),
        char_post=stack(kept["char"][0]),
        char_bucket=stack(kept["char"][1]),
        cue_counts=cue_counts,
        word_span=np.concatenate(kept["word"][2]) if spans and kept["word"][2] else None,
        char_span=np.concatenate(kept["char"][2]) if spans and kept["char"][2] else None,
        cue_spans=cue_spans,
    )


def _inside_quotes(codes: np.ndarray, starts: np.ndarray, at: np.ndarray, post: np.ndarray) -> np.ndarray:
    """Whether each position ``at`` of post ``post`` follows an odd number of quotation marks in its post.

    A ``"`` (normalisation folds ״ “ ” into it) is a quotation mark unless it is gershayim: a
    letter before it and exactly one letter after it, as in ש"ח, עו"ד or מנכ"ל; a quote after a
    prefix letter (ו"שלנו") opens a quotation. Only the quote characters are looked at, so
    posts without any cost one comparison per character.
    """
    quotes = np.flatnonzero(codes == 34)

    def is_letter(positions: np.ndarray) -> np.ndarray:
        valid = (positions >= 0) & (positions < len(codes))
        return valid & lookup(LETTER, codes[np.clip(positions, 0, len(codes) - 1)])

    gershayim = is_letter(quotes - 1) & is_letter(quotes + 1) & ~is_letter(quotes + 2)
    marks = quotes[~gershayim]
    seen = np.searchsorted(marks, at) - np.searchsorted(marks, starts[post])
    return (seen % 2) == 1


def cue_values(counts: np.ndarray) -> np.ndarray:
    """The cue block's values: ``log(1 + count)``."""
    return np.log1p(counts)


def block_norms(post: np.ndarray, bucket: np.ndarray, idf_squared: np.ndarray, n: int) -> np.ndarray:
    """Each post's norm in one hashed block: the root of the summed ``idf**2`` of its occurrences."""
    return np.sqrt(np.bincount(post, weights=idf_squared[bucket], minlength=n)[:n])


@dataclass(frozen=True)
class LinearModel:
    """A fitted linear model over the engine's features, as plain arrays.

    Attributes
    ----------
    settings : FeatureSettings
    coef : numpy.ndarray
        The coefficient of each hashed column (``settings.width`` of them).
    idf : numpy.ndarray
        The idf of each hashed column; 0 for columns never seen in training.
    cue_coef : numpy.ndarray
        The coefficient of each cue.
    intercept : float
    """

    settings: FeatureSettings
    coef: np.ndarray
    idf: np.ndarray
    cue_coef: np.ndarray
    intercept: float

    def _cached(self, name: str, make: Any) -> np.ndarray:
        value = self.__dict__.get(name)
        if value is None:
            value = make()
            object.__setattr__(self, name, value)  # a cache of derived arrays, not state
        return value  # type: ignore[no-any-return]

    @property
    def weighted_idf(self) -> np.ndarray:
        """``coef * idf`` per hashed column, computed once."""
        return self._cached("_weighted_idf", lambda: self.coef * self.idf)

    @property
    def idf_squared(self) -> np.ndarray:
        """``idf**2`` per hashed column, computed once (in the idf's own precision)."""
        return self._cached("_idf_squared", lambda: self.idf * self.idf)

    @property
    def weight_pairs(self) -> np.ndarray:
        """``(coef * idf, idf**2)`` per hashed column side by side, computed once.

        Scoring gathers both values of every occurrence; side by side they share a
        cache line, which halves the memory traffic of the gather.
        """
        return self._cached(
            "_weight_pairs", lambda: np.ascontiguousarray(np.stack([self.weighted_idf, self.idf_squared], 1))
        )

    def _sum_block(self, post: np.ndarray, bucket: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-piece ``sum(coef * idf)`` and ``sum(idf**2)`` over one block's occurrences."""
        pairs = self.weight_pairs.take(bucket, axis=0)
        return (
            np.bincount(post, weights=pairs[:, 0], minlength=size)[:size],
            np.bincount(post, weights=pairs[:, 1], minlength=size)[:size],
        )

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """The log-odds of each whole text (before calibration).

        Examples
        --------
        >>> settings = FeatureSettings(bits=8, cues=False)
        >>> width = settings.width
        >>> model = LinearModel(settings, np.zeros(width), np.ones(width), np.zeros(0), -1.5)
        >>> model.decision(["שלום", "מבצע"]).tolist()
        [-1.5, -1.5]
        """
        return self.decisions(texts)[0]

    def decisions(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The log-odds of each whole text, and of its most promotional passage (NaN when judged whole)."""
        if len(texts) > SCORING_BATCH:  # small batches keep the arrays in the processor's caches
            parts = [
                self.decisions(texts[i : i + SCORING_BATCH]) for i in range(0, len(texts), SCORING_BATCH)
            ]
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        if not len(texts):
            return np.zeros(0), np.zeros(0)
        sums: dict[str, np.ndarray] = {}
        norms: dict[str, np.ndarray] = {}

        def add(block: str, post: np.ndarray, bucket: np.ndarray, size: int) -> None:
            if block not in sums:
                sums[block], norms[block] = np.zeros(size), np.zeros(size)
            weighted, squared = self._sum_block(post, bucket, size)
            sums[block] += weighted
            norms[block] += squared

        batch = extract(texts, self.settings, sink=add)
        return self._combine(batch, sums, norms)

    def _combine(
        self, batch: Batch, sums: dict[str, np.ndarray], norms: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Whole-text and best-piece log-odds from per-piece sums and squared norms of each block."""
        n, owner = batch.texts, batch.owner
        whole = np.full(n, self.intercept, dtype=np.float64)
        piece = np.full(batch.n, self.intercept, dtype=np.float64)
        several = np.bincount(owner, minlength=n)[:n] > 1
        for block in ("word", "char"):
            if block not in sums:
                continue
            root = np.sqrt(norms[block])
            piece += np.divide(sums[block], root, out=np.zeros(batch.n), where=root > 0)
            if several.any():
                text_sums = np.bincount(owner, weights=sums[block], minlength=n)[:n]
                text_root = np.sqrt(np.bincount(owner, weights=norms[block], minlength=n)[:n])
            else:
                text_sums, text_root = sums[block], root
            whole += np.divide(text_sums, text_root, out=np.zeros(n), where=text_root > 0)
        if self.cue_coef.size:
            piece += cue_values(batch.cue_counts) @ self.cue_coef
            counts = batch.cue_counts
            if several.any():
                counts = np.zeros((n, counts.shape[1]))
                np.add.at(counts, owner, batch.cue_counts)
            whole += cue_values(counts) @ self.cue_coef
        best = np.full(n, np.nan)
        if several.any():
            np.fmax.at(best, owner, np.where(several[owner], piece, np.nan))
        return whole, best

    def decide(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`decisions` of an extracted batch (with its occurrences kept)."""
        size = batch.n
        sums: dict[str, np.ndarray] = {}
        norms: dict[str, np.ndarray] = {}
        for block, post, bucket in (
            ("word", batch.word_post, batch.word_bucket),
            ("char", batch.char_post, batch.char_bucket),
        ):
            sums[block], norms[block] = self._sum_block(post, bucket, size)
        return self._combine(batch, sums, norms)

    def piece_decisions(self, batch: Batch) -> np.ndarray:
        """The log-odds of each piece of an extracted batch (a long text's passages), each judged
        as a text of its own, as scoring judges it when it caps the text's score."""
        alone = replace(
            batch,
            owner=np.arange(batch.n),
            texts=batch.n,
            layout=[[span] for spans in batch.layout for span in spans],
        )
        return self.decide(alone)[0]


#: Posts that touch every step of feature extraction: normalisation (niqqud, geresh and gershayim
#: forms, bidi controls, Latin case, digits), tokens with and without prefix letters, emojis,
#: phones, prices, addresses, hashtags, quotation marks against gershayim, a byline at the start of
#: a line, several cues, and long texts split into paragraphs (some bare "***") and into gathered
#: sentences.
#: Written for this check.
_PROBE: tuple[str, ...] = (
    "\u200fמאת עו״ד נגה ברקאי, מומחית לדיני עבודה\n"
    "במשרדנו אנו מלווים עובדים ומעסיקים. השאירו פרטים ונחזור אליכם: 052-7771234 או noga@example.test",
    'לדברי מנכ"ל "קרני אור", "אנחנו מציעים ללקוחות שלנו 20% הנחה" - וכך ב־Glowly Pro ב-149 ₪ 🌟 #sale',
    "שָׁלוֹם לכולם! ובבית של סבתא יש מַפָּה ירוקה, והילדים שיחקו בחצר עד הערב",
    " ".join(
        f"פסקה {i}: המדריך מסביר למשפחות איך להגיש בקשה ומה כדאי לבדוק לפני שחותמים על חוזה."
        + ("\n\n" if i % 3 == 2 else " ")
        for i in range(60)
    ),
    " ".join(f"משפט {i} בטקסט בלי פסקאות, שהמנוע אוסף לקטעים." for i in range(40)),
    "\n\n***\n\n".join(f"פסקה {i}. יש בה כמה מילים על הגינה. ועוד משפט קצר." for i in range(8)),
)


def engine_fingerprint(settings: FeatureSettings) -> str:
    """A fingerprint of what the engine extracts, under ``settings``, from a fixed set of posts.

    It changes when normalisation, tokenisation, prefix stripping, hashing, the passage split or
    cue matching behaves otherwise on those posts. A model's card records it; a model whose
    columns were learnt from features extracted otherwise is refused at load rather than
    scored wrongly. (Cue *wordings* that the posts do not contain are covered by
    :data:`CUE_LIST`.)

    Returns
    -------
    str
        16 hex digits of a SHA-256.

    Examples
    --------
    >>> a = engine_fingerprint(FeatureSettings(bits=10))
    >>> len(a), a == engine_fingerprint(FeatureSettings(bits=10))
    (16, True)
    >>> a == engine_fingerprint(FeatureSettings(bits=11))
    False
    """
    return _fingerprint(settings, passages.MIN_PASSAGE_WORDS)


@lru_cache(maxsize=8)
def _fingerprint(settings: FeatureSettings, min_passage_words: int) -> str:
    """:func:`engine_fingerprint`, cached per settings and passage size (a benchmark may change it)."""
    batch = extract(list(_PROBE), settings)
    digest = hashlib.sha256()
    for part, kind in (
        (batch.owner, "<i8"),
        (batch.word_post, "<i8"),
        (batch.word_bucket, "<i8"),
        (batch.char_post, "<i8"),
        (batch.char_bucket, "<i8"),
        (batch.cue_counts, "<f8"),
    ):
        # fixed widths and byte order: the same extraction gives the same bytes on every platform
        array = np.ascontiguousarray(part, dtype=kind)
        digest.update(f"{kind}{array.shape}".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()[:16]
