"""Character classes as lookup tables over the Basic Multilingual Plane, for vectorised text work.

Several modules look at every character of a batch of posts at once (the engine's
features, the language check, the passage pre-check): they turn the posts into an
array of code points (:func:`codepoints`) and index these tables with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Code points of white space, as ``str.split()`` sees it.
WHITESPACE = (
    9,
    10,
    11,
    12,
    13,
    28,
    29,
    30,
    31,
    32,
    133,
    160,
    5760,
    *range(8192, 8203),
    8232,
    8233,
    8239,
    8287,
    12288,
)
#: The first and last Hebrew letter (א .. ת).
HEBREW_FIRST, HEBREW_LAST = 0x5D0, 0x5EA


def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    word = np.zeros(0x10000, dtype=bool)
    letter = np.zeros(0x10000, dtype=bool)
    for code in range(0x10000):
        char = chr(code)
        if char.isalnum():
            word[code] = True
            letter[code] = char.isalpha() and not char.isdigit()
    word[0x5F] = True  # "_" is a word character, as in regular expressions
    space = np.zeros(0x10000, dtype=bool)
    space[list(WHITESPACE)] = True
    return word, letter, space


def table_of(characters: str) -> np.ndarray:
    """A lookup table over the Basic Multilingual Plane that is True at ``characters``.

    Examples
    --------
    >>> table_of("אב")[[ord("א"), ord("ג")]].tolist()
    [True, False]
    """
    table = np.zeros(0x10000, dtype=bool)
    table[[ord(c) for c in characters]] = True
    return table


#: ``WORD[c]``: code point ``c`` is a word character (letter, digit, ``_``), as ``\\w`` matches.
#: ``LETTER[c]``: a letter (as ``[^\\W\\d_]`` matches). ``SPACE[c]``: white space.
WORD, LETTER, SPACE = _tables()
#: The Hebrew letters that attach to a word as prefixes (ו ה ב כ ל מ ש).
PREFIX_LETTER = table_of("והבכלמש")
#: Punctuation that ends a sentence when white space follows it.
SENTENCE_END = table_of(".!?…")


def codepoints(text: str) -> np.ndarray:
    """The code points of a string, as ``uint32`` (a lone surrogate, which a JSON escape can
    produce, is kept as its own code point rather than refused).

    Examples
    --------
    >>> codepoints("אב1").tolist()
    [1488, 1489, 49]
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def lookup(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``table[codes]``, False for code points beyond the Basic Multilingual Plane."""
    inside = codes < 0x10000
    return table[np.where(inside, codes, 0)] & inside


def per_text(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray] | None:
    """The code points of texts joined by NUL, and the index of the text of each code point.

    None when a text itself holds a NUL character (the caller then works text by text).
    """
    joined = "\x00".join(texts)
    codes = codepoints(joined)
    separators = codes == 0
    if int(separators.sum()) != max(len(texts) - 1, 0):
        return None
    return codes, owners(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))


def owners(sizes: np.ndarray) -> np.ndarray:
    """The index of the text of each code point of texts of ``sizes`` code points joined with one
    separator between them, the separator counted with the text after it.

    The same array as a cumulative sum of the separators, far faster (``np.repeat``).

    Examples
    --------
    >>> owners(np.array([2, 0, 1])).tolist()
    [0, 0, 1, 2, 2]
    """
    sizes = np.array(sizes, dtype=np.int64)
    sizes[1:] += 1
    return np.repeat(np.arange(len(sizes)), sizes)
