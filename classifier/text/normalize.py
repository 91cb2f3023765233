"""Hebrew text normalisation: pure functions, idempotent, never raising on a ``str``.

The model sees normalised text only. Normalisation removes what varies without
changing meaning (niqqud, bidi controls, quote variants, letter case, stretched
letters) and replaces what is promotional by its *kind* rather than its value
(a phone number, a price, a link) with a placeholder token such as ``_phone_``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Placeholder tokens and the cue each stands for; ``features`` counts them.
PLACEHOLDERS: dict[str, str] = {
    "_url_": "link",
    "_email_": "e-mail address",
    "_phone_": "phone number",
    "_price_": "price",
    "_pct_": "percentage",
    "_mention_": "@mention",
    "_tag_": "hashtag",
}

#: Niqqud and cantillation marks (not maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3).
NIQQUD_MARKS = "".join(
    chr(c) for c in [*range(0x0591, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C4, 0x05C5, 0x05C7]
)
#: Bidi and zero-width controls.
BIDI_CONTROLS = "".join(
    chr(c) for c in [0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
)
#: A regex character class of emoji and pictographs.
EMOJI_CLASS = "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff]"
_CHAR_MAP = str.maketrans(
    {
        **{m: None for m in NIQQUD_MARKS + BIDI_CONTROLS},
        "\u05be": "-",  # maqaf
        # hyphen and dash variants: which one a writer types says nothing about the post
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u05f3": "'",  # Hebrew geresh
        "\u05f4": '"',  # Hebrew gershayim
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\r": "\n",
        # other control characters (NUL, the C0 and C1 ranges, DEL) to a space: a binary byte in a
        # post must not join two words, and NUL separates the posts of a batch in the engine
        **dict.fromkeys(
            map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]), " "
        ),
    }
)

_DIGIT_EDGE_L = r"(?<![\w+*])"
_DIGIT_EDGE_R = r"(?!\w)"
_URL = re.compile(
    r"(?<![a-z0-9.-])(?:https?://|www\.)(?P<host>[^\s/?#]+)[^\s]*"
    r"|(?<![a-z0-9@.-])(?P<bare>(?:[a-z0-9-]+\.)+(?:com|co\.il|org\.il|net|org|il|io|ly|me|app|shop|store|link|info|biz|tv|to|gl|xyz))(?:/[^\s]*)?(?![\w.])",
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    _DIGIT_EDGE_L + r"(?:"
    r"\+?972[-\s.]?\(?0?\)?(?:5\d|7\d|[2-489])[-\s.]?\d{3}[-\s.]?\d{4}"  # +972 52-1234567
    r"|0(?:5\d|7\d)[-\s.]?\d{3}[-\s.]?\d{4}"  # 052-1234567, 077 123 4567
    r"|0(?:5\d|7\d)[-\s.]?\d{7}"
    r"|0[2-489][-\s.]?\d{3}[-\s.]?\d{4}"  # 03-5551234
    r"|1[-\s]?[78]00[-\s]?\d{2,3}[-\s]?\d{3,4}"  # 1-800-123-456
    r")" + _DIGIT_EDGE_R + r"|(?<![\w*])\*\d{4}(?!\w)"  # *2655
)
_NUMBER = r"\d+(?:[.,]\d+)*"
_PRICE = re.compile(
    rf"{_NUMBER}\s*(?:₪|ש\"ח|שח\b|שקלים|שקל|nis\b|ils\b|\$|€|דולר|יורו)"
    rf"|(?:₪|\$|€|\bnis)\s*{_NUMBER}"
)
_PERCENT = re.compile(rf"{_NUMBER}\s*(?:%|אחוזים|אחוז)")
_MENTION = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_REPEAT = re.compile(r"([^\d\s])\1{3,}")
#: The pattern each placeholder token replaces, in the order they are applied.
PLACEHOLDER_PATTERNS: dict[str, re.Pattern[str]] = {
    "_url_": _URL,
    "_email_": _EMAIL,
    "_phone_": _PHONE,
    "_price_": _PRICE,
    "_pct_": _PERCENT,
    "_mention_": _MENTION,
    "_tag_": _HASHTAG,
}
#: One-character-for-one rules (quotes, maqaf) and deletions (marks, controls).
CHARACTER_MAP = _CHAR_MAP
_BLANK_LINES = re.compile(r"\n{3,}")


#: Any character the character map changes or deletes.
_MAPPED = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "]")


def _clean_characters(text: str) -> str:
    """Apply the character-level rules until they change nothing more."""
    for _ in range(4):
        cleaned = text.translate(_CHAR_MAP) if _MAPPED.search(text) else text
        if not unicodedata.is_normalized("NFKC", cleaned):
            cleaned = unicodedata.normalize("NFKC", cleaned).translate(_CHAR_MAP)
        cleaned = cleaned.lower()
        if not unicodedata.is_normalized("NFKC", cleaned):
            cleaned = unicodedata.normalize("NFKC", cleaned)
        if cleaned == text:
            break
        text = cleaned
    return text


def _url_token(match: re.Match[str]) -> str:
    host = (match.group("host") or match.group("bare") or "").lower()
    host = host.removeprefix("www.").split("@")[-1].split(":")[0]
    domain = re.sub(r"[^\w]+", "_", host).strip("_")
    return f" _url_ {domain} " if domain else " _url_ "


def _hashtag_words(match: re.Match[str]) -> str:
    words = match.group(1).replace("_", " ").strip()
    return f" _tag_ {words} "


# Cheap searches that tell when a rule cannot match, so that it is skipped (speed only).
_URL_HINT = re.compile(r"://|www\.|\.[a-z]")
_PRICE_HINT = re.compile(r"[₪$€]|ש\"ח|שח|שקל|nis|ils|דולר|יורו")
_PERCENT_HINT = re.compile(r"%|אחוז")
_PHONE_HINT = re.compile(r"\d\d\d|\*\d")
_DIGIT = re.compile(r"\d")
_LINE_EDGES = re.compile(r" \n ?|\n ")
_REPEAT_HINT = re.compile(r"(.)\1\1\1")
#: Every character Python counts as white space (``str.isspace``, which is also what ``\s`` matches),
#: spelled out: an explicit class is scanned faster than a negated one (a test checks the list).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ODD_SPACE = re.compile("[" + re.escape(WHITE_SPACE.replace("\n", "").replace(" ", "")) + "]")
# runs of two or more, or one white-space character other than a plain space (none on a new line)
_SPACE_RUNS = re.compile("[" + re.escape(WHITE_SPACE.replace("\n", "")) + "]{2,}|" + _ODD_SPACE.pattern)


def _replace_once(text: str) -> str:
    """One pass of the placeholder rules, the repeat cap and space folding."""
    # each rule runs only when a search shows it could match (speed only)
    if _URL_HINT.search(text):
        text = _URL.sub(_url_token, text)
    if "@" in text:
        text = _EMAIL.sub(" _email_ ", text)
    if _DIGIT.search(text):
        if _PHONE_HINT.search(text):
            text = _PHONE.sub(" _phone_ ", text)
        if _PRICE_HINT.search(text):
            text = _PRICE.sub(" _price_ ", text)
        if _PERCENT_HINT.search(text):
            text = _PERCENT.sub(" _pct_ ", text)
    if "@" in text:
        text = _MENTION.sub(" _mention_ ", text)
    if "#" in text:
        text = _HASHTAG.sub(_hashtag_words, text)
    if _REPEAT_HINT.search(text):
        text = _REPEAT.sub(r"\1\1\1", text)
    if "  " in text or _ODD_SPACE.search(text):  # (speed only)
        text = _SPACE_RUNS.sub(" ", text)
    if "\n" in text:
        text = _LINE_EDGES.sub("\n", text)
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def normalize(text: str) -> str:
    """Normalise one Hebrew post for the model.

    Steps: Unicode NFKC; drop niqqud, cantillation and bidi/zero-width controls;
    maqaf and dash variants to ``-``; geresh/gershayim variants to ``'`` and ``"``; lower case;
    links, e-mail addresses, phone numbers, prices, percentages, @mentions and
    hashtags to placeholder tokens (a link keeps its domain, a hashtag its words);
    any non-digit character repeated more than three times capped at three;
    runs of spaces folded. Idempotent and total: ``normalize(normalize(t)) ==
    normalize(t)`` for every ``str``.

    Parameters
    ----------
    text : str
        A post as written, or already normalised (normalising twice changes nothing).

    Returns
    -------
    str
        The normalised post.

    Examples
    --------
    >>> normalize('מבצע!!!!!! רק 99 ש״ח, התקשרו 050-1234567')
    'מבצע!!! רק _price_ , התקשרו _phone_'
    >>> normalize('שָׁלוֹם @dana_k #טיפים_לבית www.Shoko-Home.co.il/sale')
    'שלום _mention_ _tag_ טיפים לבית _url_ shoko_home_co_il'
    """
    text = _clean_characters(text.replace("\r\n", "\n"))
    # A replacement pads its token with spaces, which can expose a neighbour to an
    # earlier rule ("₪5www.x.com"); repeating the rules until nothing changes keeps
    # normalisation idempotent.
    for _ in range(8):
        replaced = _replace_once(text)
        if replaced == text:
            break
        text = replaced
    return text


def normalize_many(texts: Iterable[str]) -> list[str]:
    """Normalise every text of a batch (the first step of the model pipeline).

    Examples
    --------
    >>> normalize_many(["שלום!!!!", "HELLO"])
    ['שלום!!!', 'hello']
    """
    return [normalize(t) for t in texts]


_TOKEN = re.compile(
    r"_[a-z]+_"  # placeholders
    r"|\w+(?:['\"]\w+)*'?"  # words, keeping acronyms (צה\"ל, ש\"ח) and geresh (ג'ירפה) whole
    rf"|{EMOJI_CLASS}"  # emoji and pictographs
)


def tokenize(text: str) -> list[str]:
    """Split normalised text into word, placeholder and emoji tokens.

    Examples
    --------
    >>> tokenize('צה"ל קנה ג\\'ינס ב _price_ 🔥')
    ['צה"ל', 'קנה', "ג'ינס", 'ב', '_price_', '🔥']
    """
    return _TOKEN.findall(text)
