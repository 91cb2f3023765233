"""Paid-content disclosure in Hebrew posts: find the markers, judge where they stand.

Israeli consumer-protection law treats an ad that a reasonable reader may not
recognise as an ad as misleading. The Attorney General's position (January 2021)
is that the disclosure must be on the post itself, in Hebrew for an Israeli
audience, at its beginning, and that a bare hashtag or a tag of the brand is not
enough. This module finds disclosure markers and grades a post:

``"clear"``
    An explicit Hebrew statement that the post is an ad or sponsored (פרסומת,
    תוכן שיווקי, תוכן ממומן, ממומן, בחסות, במימון, שת"פ, שיתוף פעולה בתשלום,
    מודעה, קישור שותפים), written as words rather than as a hashtag, that starts
    within the opening of the post.
``"weak"``
    Some marker, but none of the above: a Hebrew statement only after the opening,
    only hashtags (even ``#ממומן``), only English (``paid partnership``,
    ``sponsored``, an ``AD`` label), or only partnership wording (בשיתוף עם,
    שיתוף פעולה) that does not say the post is paid.
``"none"``
    No marker.

The opening is the first line or the first :data:`OPENING_MIN_CHARS` characters,
whichever is longer, but at most :data:`OPENING_MAX_CHARS` characters, counted in
the post as written (niqqud and bidi marks included) from its first non-blank
character. A marker is in the opening when it starts there.

Matching folds away what varies without changing the word: niqqud and
cantillation, bidi and zero-width controls, geresh and gershayim variants
(׳ ״ ' " ‘ ’ “ ” and two gereshes for gershayim), letter case, full-width forms,
and spaces, ``-`` or ``_`` between the words of a phrase. Hebrew prefix letters
(ו ה ב כ ל מ ש, up to three) may be attached, as in ובשיתוף or הפרסומת. Offsets
always point into the original text, so ``text[m.start:m.end] == m.text``.

Decisions on the edge cases
---------------------------
- **Niqqud.** Vocalised text leaves out the vowel letters (פִּרְסֹמֶת, מְמֻמָּן),
  so a hiriq is read as י and a holam or qubuts as ו, and both match. The
  unvocalised short spelling פרסמת, more often "you published", does not.
- **Position, not meaning.** פרסומת, מודעה and the other statement words count
  wherever they appear, even in a post that talks about ads; the opening rule
  decides how much they are worth.
- **Negation.** A marker right after a negation (לא, אין, אינו, בלי, ללא, not,
  no, never ...), with at most three filler words in between (זה, פוסט, תוכן,
  שום, פה ...), in the same clause, is not a marker: "זה לא תוכן ממומן" and
  "not sponsored" deny, they do not disclose.
- **פרסום** (advertising, but also publication) counts only as a label: alone on
  the start of a line, or followed by ``:``, ``|`` or a dash, or in brackets,
  as in "פרסום | ..." or "(פרסום)". "קראתי כתבה על פרסום סמוי" has no marker.
- **פרסומי** (promotional, or "my publications") counts only in "תוכן פרסומי" or
  "פוסט פרסומי". The plurals פרסומות and מודעות (also "awareness") and מודעת
  ("aware") are not markers.
- **מימון** (financing) alone is not a marker ("מימון לרכב" is a loan offer, and
  "מימון המונים" is crowdfunding). "במימון X" (funded by X) is a statement,
  except "במימון המונים / מלא / בנקאי / חוץ בנקאי / עצמי / נוח".
- **שיתוף** alone ("תודה על השיתוף") is not a marker; partnership wording needs
  בשיתוף (collaboration with, optionally followed by עם) or שיתוף פעולה, with
  no prefix but ו or ב, so "מחפשת לשיתוף פעולה" is not one either. It is weak:
  it does not say the post is paid. The acronym שת"פ (also שתפ, שת''פ) is the
  conventional label of a paid collaboration and counts as a statement, as does
  שיתוף פעולה בתשלום or מסחרי.
- **Word forms.** ממומן also covers ממומנת, ממומנים, ממומנות, מומן and מומנה
  (was funded); תוכן ממומן / שיווקי / פרסומי also פוסט or סרטון; קישור שותפים
  also לינק and אפיליאייט (and its spellings).
- **English** (sponsored, paid partnership [with], paid promotion, advertisement,
  affiliate link) is never more than weak: the disclosure is to be in Hebrew.
- **ad** counts only as a hashtag (``#ad``, ``#ads``) or as a label at the very
  start of the post: ``AD`` or ``Ad`` as a word, or ``ad`` followed by ``:`` or
  ``|``. It never matches inside a word (read, adidas, #adidas).
- **Hashtags** count when the whole tag, ignoring case, ``_`` and gershayim, is
  a known one (#ad, #ads, #sponsored, #advertisement, #promo, #paidpartnership,
  #affiliate, #פרסומת, #ממומן, #תוכן_ממומן, #תוכן_שיווקי, #שתפ, #שת"פ,
  #שיתוף_פעולה, #בחסות); a Hebrew word inside a longer tag does not.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from classifier.text.normalize import BIDI_CONTROLS, NIQQUD_MARKS

#: The opening is at least this many characters, or the whole first line if longer ...
OPENING_MIN_CHARS = 100
#: ... but never more than this many.
OPENING_MAX_CHARS = 200

CLEAR = "clear"
WEAK = "weak"
NONE = "none"
#: Disclosure levels, best first.
LEVELS: tuple[str, ...] = (CLEAR, WEAK, NONE)

HEBREW_STATEMENT = "hebrew_statement"
HEBREW_PARTNERSHIP = "hebrew_partnership"
HASHTAG = "hashtag"
ENGLISH = "english"
#: Marker kinds; only a Hebrew statement in the opening makes a disclosure clear.
KINDS: tuple[str, ...] = (HEBREW_STATEMENT, HEBREW_PARTNERSHIP, HASHTAG, ENGLISH)


@dataclass(frozen=True)
class Marker:
    """One disclosure marker found in a post.

    Attributes
    ----------
    text : str
        The span as written in the post (with any niqqud or prefix letters).
    start, end : int
        Offsets into the original post: ``post[start:end] == text``.
    kind : str
        One of :data:`KINDS`.
    canonical : str
        The normalised name of the marker, e.g. ``"ממומן"``, ``'שת"פ'``, ``"#ad"``.
    """

    text: str
    start: int
    end: int
    kind: str
    canonical: str


@dataclass(frozen=True)
class Disclosure:
    """How a post discloses that it is paid content.

    Attributes
    ----------
    level : str
        ``"clear"``, ``"weak"`` or ``"none"`` (see the module docstring).
    markers : tuple of Marker
        Every marker found, in text order.
    opening_end : int
        Offset where the opening of the post ends; a marker starting before it is
        in the opening.

    Examples
    --------
    >>> d = classify_disclosure("מבצע על כל הקולקציה! #ad")
    >>> d.level, d.reason
    ('weak', 'only a hashtag (#ad)')
    """

    level: str
    markers: tuple[Marker, ...]
    opening_end: int

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {self.level!r}")

    @property
    def reason(self) -> str:
        """A short explanation of the level, in English, for people."""
        statements = [m for m in self.markers if m.kind == HEBREW_STATEMENT]
        partnerships = [m for m in self.markers if m.kind == HEBREW_PARTNERSHIP]
        if self.level == CLEAR and statements:
            first = next((m for m in statements if m.start < self.opening_end), statements[0])
            return f"Hebrew disclosure '{_shown(first)}' in the opening"
        if statements:
            return f"Hebrew disclosure '{_shown(statements[0])}' only after the opening"
        if partnerships:
            first = partnerships[0]
            if first.start >= self.opening_end:
                return f"marker '{_shown(first)}' only after the opening"
            return f"partnership wording '{_shown(first)}' without saying it is paid"
        parts = []
        english = [m for m in self.markers if m.kind == ENGLISH]
        if english:
            parts.append(f"English wording '{_shown(english[0])}'")
        tags = list(dict.fromkeys(m.canonical for m in self.markers if m.kind == HASHTAG))
        if tags:
            parts.append(f"{'a hashtag' if len(tags) == 1 else 'hashtags'} ({', '.join(tags)})")
        if parts:
            return "only " + " and ".join(parts)
        return "no disclosure marker"


# Niqqud and cantillation, dropped for matching; a marker's span takes in those
# following its last letter, since they belong to that letter.
_MARKS = frozenset(NIQQUD_MARKS)
# Soft hyphen, grapheme joiner, bidi and zero-width controls: invisible, so dropped too.
_CONTROLS = frozenset("\u00ad\u034f" + BIDI_CONTROLS)
# Vocalised text is usually spelled without the vowel letters (ktiv haser: פִּרְסֹמֶת,
# מְמֻמָּן), so these signs are read as the letter full spelling writes for them.
_VOWEL_SIGNS = {"\u05b4": "י", "\u05b9": "ו", "\u05ba": "ו", "\u05bb": "ו"}  # hiriq, holam, qubuts
_MAX_MARKS = 6  # marks looked past to find the letter a vowel sign sits on, or the next one
_CHAR_MAP = str.maketrans(
    {
        **{m: None for m in _MARKS | _CONTROLS},
        "\u05be": "-",  # maqaf
        **dict.fromkeys("\u05f3\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u05f4\u201c\u201d\u201e\u201f\u2033", '"'),
    }
)

_FOLDED_CHARACTERS = re.compile(
    "["
    + re.escape("".join(sorted(_MARKS | _CONTROLS | set(_VOWEL_SIGNS) | {chr(c) for c in _CHAR_MAP})))
    + "]"
)

_LEFT = r"(?<![\w#@])"  # not inside a word, a hashtag or a mention
_RIGHT = r"(?!\w)"
_PREFIX = r"[והבכלמש]{0,3}"
_SEP = r"(?:[^\S\n]*[-_][^\S\n]*|[^\S\n]+)"  # between the words of a phrase
_SPACE = r"[^\S\n]+"
_GERSHAYIM = r"(?:\"|'')"
_CONTENT = r"(?:תוכן|פוסט|סרטון)"  # "sponsored content / post / video"
_AFFILIATE = r"(?:אפי?לי?א?י{0,2}ט|affiliate)"
_NOT_FUNDING = r"(?:ה?המונים|מלא|בנקאי|חוץ|עצמי|נוח)"

_SHATAP = rf"{_LEFT}{_PREFIX}שת{_GERSHAYIM}?פ{_RIGHT}(?:{_SPACE}בתשלום{_RIGHT})?"  # "shatap", paid or not
_PAID_COOPERATION = rf"{_LEFT}{_PREFIX}שי?תוף{_SEP}פעולה{_SEP}(?:בתשלום|מסחרי){_RIGHT}"
_AFFILIATE_LINK = (
    rf"{_LEFT}{_PREFIX}(?:קישור|קישורי|קישורים|לינק|לינקים){_SEP}(?:שותפים|שותף|{_AFFILIATE}){_RIGHT}"
)

# (pattern, kind, canonical); the marker is the named group ``m`` when there is one.
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, canonical)
    for pattern, kind, canonical in [
        # "sponsored / marketing / advertising content"
        (rf"{_LEFT}{_PREFIX}{_CONTENT}{_SEP}(?:ממומן|ממומנת){_RIGHT}", HEBREW_STATEMENT, "תוכן ממומן"),
        (rf"{_LEFT}{_PREFIX}{_CONTENT}{_SEP}שי?ווקי{_RIGHT}", HEBREW_STATEMENT, "תוכן שיווקי"),
        (rf"{_LEFT}{_PREFIX}{_CONTENT}{_SEP}פי?רסומי{_RIGHT}", HEBREW_STATEMENT, "תוכן פרסומי"),
        # "advertisement", "(ad)"
        (rf"{_LEFT}{_PREFIX}פי?רסומת{_RIGHT}", HEBREW_STATEMENT, "פרסומת"),
        (r"[(\[][^\S\n]*(?P<m>פי?רסום)[^\S\n]*[)\]]", HEBREW_STATEMENT, "פרסום"),
        # "sponsored", "funded by", "under the patronage of"
        (rf"{_LEFT}{_PREFIX}(?:ממומנ(?:ת|ים|ות)|ממומן|מומנה|מומן){_RIGHT}", HEBREW_STATEMENT, "ממומן"),
        (rf"{_LEFT}{_PREFIX}במימון{_RIGHT}(?!{_SPACE}{_NOT_FUNDING}{_RIGHT})", HEBREW_STATEMENT, "במימון"),
        (rf"{_LEFT}{_PREFIX}בחסות{_RIGHT}", HEBREW_STATEMENT, "בחסות"),
        # paid co-operation, affiliate links, "an ad"
        (_SHATAP, HEBREW_STATEMENT, 'שת"פ'),
        (_PAID_COOPERATION, HEBREW_STATEMENT, 'שת"פ'),
        (_AFFILIATE_LINK, HEBREW_STATEMENT, "קישור שותפים"),
        (rf"{_LEFT}{_PREFIX}מודעה{_RIGHT}", HEBREW_STATEMENT, "מודעה"),
        # "in partnership (with)": weaker, since it is also said of unpaid joint work
        (rf"{_LEFT}(?:ו?ב)?שי?תוף{_SEP}פעולה{_RIGHT}", HEBREW_PARTNERSHIP, "שיתוף פעולה"),
        (rf"{_LEFT}ו?בשי?תוף{_SPACE}עם{_RIGHT}", HEBREW_PARTNERSHIP, "בשיתוף עם"),
        (rf"{_LEFT}ו?בשי?תוף{_RIGHT}", HEBREW_PARTNERSHIP, "בשיתוף"),
        # English
        (rf"{_LEFT}paid{_SEP}partnership(?:{_SPACE}with)?{_RIGHT}", ENGLISH, "paid partnership"),
        (rf"{_LEFT}paid{_SEP}promotion{_RIGHT}", ENGLISH, "paid promotion"),
        (rf"{_LEFT}sponsored{_RIGHT}", ENGLISH, "sponsored"),
        (rf"{_LEFT}advertisement{_RIGHT}", ENGLISH, "advertisement"),
        (rf"{_LEFT}affiliate{_SEP}links?{_RIGHT}", ENGLISH, "affiliate link"),
    ]
)

# Every pattern above needs one of these pieces, so a text without any is skipped (speed only).
_HINT = re.compile(
    r"ממומ|מומנ|מומן|שי?ווקי|פי?רסו|מימון|חסות|שת(?:\"|'')?פ|שי?תוף|שותפ|שותף|מודעה"
    r"|paid|sponsor|advertis|affiliat|אפי?לי?א?י{0,2}ט",
    re.IGNORECASE,
)

# Labels count only at the start of a line (AD: of the post), where nothing but
# punctuation and other markers come before them.
_LABEL_LEAD_RE = re.compile(r"[^\w\n#@]*")
_AD_LABEL_RE = re.compile(r"(?-i:AD|Ad)(?![\w'\"])|ad(?=[^\S\n]*[:|])", re.IGNORECASE)
_PIRSUM_LABEL_RE = re.compile(r"פי?רסום(?=[^\S\n]*(?:[:|–—]|-(?!\w)|\n|$))")

_TAG = rf"#(?P<body>\w+(?:{_GERSHAYIM}\w+)?)"
_TAG_RE = re.compile(_TAG)
# Tags may be run together (#ad#sponsored), so a run of them is found first.
_TAG_RUN_RE = re.compile(rf"(?<![\w#@&])(?:{_TAG.replace('?P<body>', '')})+")
# Known hashtags, by their body folded (lower case, no ``_`` or quotes), and their canonical name.
_HASHTAGS: dict[str, str] = {
    "ad": "#ad",
    "ads": "#ad",
    "sponsored": "#sponsored",
    "advertisement": "#advertisement",
    "advert": "#advertisement",
    "promo": "#promo",
    "paidpartnership": "#paidpartnership",
    "affiliate": "#affiliate",
    "affiliatelink": "#affiliate",
    "פרסומת": "#פרסומת",
    "ממומן": "#ממומן",
    "ממומנת": "#ממומן",
    "תוכןממומן": "#ממומן",
    "תוכןשיווקי": "#תוכן_שיווקי",
    "שתפ": "#שתפ",
    "שיתוףפעולה": "#שתפ",
    "שיתוףפעולהבתשלום": "#שתפ",
    "בחסות": "#בחסות",
}

_NEGATIONS = frozenset(
    {"לא", "אין", "אינו", "אינה", "אינם", "אינן", "איננו", "איננה", "בלי", "ללא"}
    | {"not", "no", "non", "never", "isn", "wasn"}
)
_FILLERS = frozenset(
    {"זה", "זו", "זאת", "הוא", "היא", "היה", "הייתה", "היתה", "פה", "כאן", "שום", "בכלל", "באמת", "ממש"}
    | {"מדובר", "פוסט", "סרטון", "תוכן", "this", "is", "was", "a", "an", "post", "video", "content", "ever"}
)
_MAX_FILLERS = 3
_CLAUSE_BREAK = re.compile(r"[.,!?;:|()\[\]\n–—]")
_WORD = re.compile(r"\w+")
_LOOKBACK = 80  # characters; enough for a negation and three fillers
_INVISIBLE = "[" + re.escape("".join(sorted(_CONTROLS))) + "]"
_LABEL_TAIL = re.compile(rf"(?:[^\S\n]|{_INVISIBLE})*(?:[:|–—]|-(?=\s))")


def find_markers(text: str) -> list[Marker]:
    """Find every paid-content disclosure marker in a post.

    Overlapping candidates are resolved in favour of the one starting first, then
    the longest (``"תוכן ממומן"`` rather than ``"ממומן"``, ``"#ממומן"`` rather
    than ``"ממומן"``). Negated markers ("לא ממומן") are left out. Never raises
    on a ``str``.

    Parameters
    ----------
    text : str
        The post as written; the markers' offsets refer to it.

    Returns
    -------
    list of Marker
        In text order, not overlapping; ``text[m.start:m.end] == m.text``.

    Examples
    --------
    >>> for m in find_markers("ובשיתוף עם @glow: תוכן שִׁיוּוקִי #ad"):
    ...     print(m.start, m.end, m.kind, m.canonical)
    0 10 hebrew_partnership בשיתוף עם
    18 33 hebrew_statement תוכן שיווקי
    34 37 hashtag #ad
    >>> find_markers("read more about adidas, זה לא ממומן")
    []
    """
    folded, origin = _fold(text)
    candidates = sorted(_candidates(folded), key=lambda c: (c[0], c[0] - c[1]))
    markers: list[Marker] = []
    for fstart, fend, kind, canonical in candidates:
        start, end = origin[fstart], origin[fend - 1] + 1
        while end < len(text) and text[end] in _MARKS:
            end += 1
        if markers and start < markers[-1].end:
            continue
        if _is_negated(folded, fstart):
            continue
        markers.append(Marker(text[start:end], start, end, kind, canonical))
    return markers


def classify_disclosure(text: str) -> Disclosure:
    """Grade how a post discloses paid content: ``"clear"``, ``"weak"`` or ``"none"``.

    Parameters
    ----------
    text : str
        The post as written, markers in any spelling or script.

    Returns
    -------
    Disclosure
        The level, the markers found and the end of the opening; its
        :attr:`~Disclosure.reason` explains the level.

    Examples
    --------
    >>> d = classify_disclosure("תוכן ממומן | הסרום החדש של גלואו פשוט עובד")
    >>> d.level, d.reason
    ('clear', "Hebrew disclosure 'תוכן ממומן' in the opening")
    >>> classify_disclosure("בשיתוף עם @glow_il - הסרום שהציל לי את החורף").level
    'weak'
    >>> classify_disclosure("תודה על השיתוף!").level
    'none'
    """
    markers = tuple(find_markers(text))
    opening_end = _opening_end(text)
    if any(m.kind == HEBREW_STATEMENT and m.start < opening_end for m in markers):
        level = CLEAR
    elif markers:
        level = WEAK
    else:
        level = NONE
    return Disclosure(level, markers, opening_end)


def is_undisclosed(promotional: bool, disclosure: Disclosure) -> bool:
    """Whether a promotional post lacks a clear disclosure.

    Parameters
    ----------
    promotional : bool
        Whether the post is promotional (e.g. the model's label).
    disclosure : Disclosure
        From :func:`classify_disclosure`.

    Returns
    -------
    bool
        True when the post is promotional and its disclosure is ``"none"`` or ``"weak"``.

    Examples
    --------
    >>> is_undisclosed(True, classify_disclosure("קוד הנחה GLOW10 #ad"))
    True
    >>> is_undisclosed(True, classify_disclosure("פרסומת: קוד הנחה GLOW10"))
    False
    >>> is_undisclosed(False, classify_disclosure("בוקר טוב"))
    False
    """
    return bool(promotional) and disclosure.level != CLEAR


def strip_markers(text: str) -> str:
    """Remove every disclosure marker from a post.

    Used to check that a post scores as promotional for what it says, not for its
    disclosure. A label's ``:``, ``|`` or dash after a marker goes with it, and the
    spaces around a removed marker are folded to one (to none at a line's edge).
    Removal repeats until no marker is left, so
    ``find_markers(strip_markers(t)) == []`` for every ``str``.

    Parameters
    ----------
    text : str
        The post whose markers are to go.

    Returns
    -------
    str
        The post without its markers.

    Examples
    --------
    >>> strip_markers("תוכן ממומן: הסרום של גלואו פשוט עובד #ad")
    'הסרום של גלואו פשוט עובד'
    """
    while markers := find_markers(text):
        # Each pass removes at least two characters per marker and adds at most one
        # space, so the loop ends.
        text = _remove(text, markers)
    return text


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """The folded form of one character: NFKC, quote variants unified, marks and controls dropped."""
    if char in _MARKS or char in _CONTROLS:
        return ""
    return unicodedata.normalize("NFKC", char).translate(_CHAR_MAP)


def _fold(text: str) -> tuple[str, list[int]]:
    """Fold a text for matching, with the original offset of each folded character."""
    # Most posts have nothing to fold: a text already in NFKC has no character that NFKC
    # changes on its own, so only the characters of the maps could change it.
    if unicodedata.is_normalized("NFKC", text) and not _FOLDED_CHARACTERS.search(text):
        return text, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _vowel_letter(text, i) if char in _VOWEL_SIGNS else _fold_char(char)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _vowel_letter(text: str, i: int) -> str:
    """The letter a hiriq, holam or qubuts at ``i`` stands for in full spelling, or ``""``."""
    # A letter carries a few marks at most; the bound keeps a long run of marks linear.
    before = i - 1
    while before >= max(0, i - _MAX_MARKS) and text[before] in _MARKS:
        before -= 1
    after = i + 1
    while after < min(len(text), i + _MAX_MARKS) and text[after] in _MARKS:
        after += 1
    base = text[before] if before >= 0 else ""
    following = text[after] if after < len(text) else ""
    if not "\u05d0" <= base <= "\u05ea":
        return ""
    letter = _VOWEL_SIGNS[text[i]]
    # A holam written on the vav itself, or a vowel already followed by its letter,
    # is full spelling already; a hiriq closed by a final letter (עִם, מִן) takes no yod.
    if letter in (base, following) or (letter == "י" and following and following in "ךםןףץ"):
        return ""
    return letter


def _candidates(folded: str) -> list[tuple[int, int, str, str]]:
    """Every match of every pattern as (start, end, kind, canonical) in folded offsets."""
    found: list[tuple[int, int, str, str]] = []
    for pattern, kind, canonical in _PATTERNS if _HINT.search(folded) else ():
        for match in pattern.finditer(folded):
            start, end = match.span("m" if "m" in pattern.groupindex else 0)
            found.append((start, end, kind, canonical))
    for run in _TAG_RUN_RE.finditer(folded) if "#" in folded else ():
        for match in _TAG_RE.finditer(folded, run.start(), run.end()):
            body = re.sub(r"[_\"']", "", match.group("body")).lower()
            if body in _HASHTAGS:
                found.append((match.start(), match.end(), HASHTAG, _HASHTAGS[body]))
    ends: dict[int, int] = {}
    for start, end, _, _ in found:
        ends[start] = max(end, ends.get(start, end))
    return found + list(_labels(folded, ends))


def _labels(folded: str, ends: dict[int, int]) -> Iterator[tuple[int, int, str, str]]:
    """The labels at the start of each line, past punctuation and the other markers (``ends``)."""
    # Skipping the other markers finds "פרסומת | AD" and "AD AD" in one go, so
    # strip_markers need not go round once per label.
    first_visible = len(folded) - len(folded.lstrip())
    line_starts = [0, *(i + 1 for i, char in enumerate(folded) if char == "\n")]
    for pos in line_starts:
        at_post_start = pos <= first_visible
        while True:
            lead = _LABEL_LEAD_RE.match(folded, pos)
            pos = lead.end() if lead else pos
            ad = _AD_LABEL_RE.match(folded, pos) if at_post_start else None
            pirsum = _PIRSUM_LABEL_RE.match(folded, pos)
            if ad:
                yield ad.start(), ad.end(), ENGLISH, "ad"
                pos = ad.end()
            elif pirsum:
                yield pirsum.start(), pirsum.end(), HEBREW_STATEMENT, "פרסום"
                pos = pirsum.end()
            elif pos in ends:
                pos = ends[pos]
            else:
                break


def _is_word(word: str, vocabulary: frozenset[str], prefixes: str) -> bool:
    """Whether a word, bare or after up to two of the given prefix letters, is in a vocabulary."""
    word = word.lower()
    return any(word[k:] in vocabulary and all(c in prefixes for c in word[:k]) for k in range(3))


def _is_negated(folded: str, start: int) -> bool:
    """Whether the marker at ``start`` follows a negation in its clause, past at most a few fillers."""
    clause = _CLAUSE_BREAK.split(folded[max(0, start - _LOOKBACK) : start])[-1]
    words = _WORD.findall(clause)
    for word in reversed(words[-(_MAX_FILLERS + 1) :]):
        # Only ו and ש before a negation (ולא, שאין): מלא is "full" and כלא "prison".
        if _is_word(word, _NEGATIONS, "וש"):
            return True
        if not _is_word(word, _FILLERS, "והבכלמש"):
            return False
    return False


def _opening_end(text: str) -> int:
    """Offset where the opening ends: first line or OPENING_MIN_CHARS, capped at OPENING_MAX_CHARS."""
    start = len(text) - len(text.lstrip())
    newline = text.find("\n", start)
    first_line = (len(text) if newline == -1 else newline) - start
    return min(len(text), start + min(OPENING_MAX_CHARS, max(OPENING_MIN_CHARS, first_line)))


def _remove(text: str, markers: list[Marker]) -> str:
    """The text without the given markers, their label punctuation and enclosing brackets."""
    result = ""
    kept_from = 0
    for i, marker in enumerate(markers):
        stop = markers[i + 1].start if i + 1 < len(markers) else len(text)
        start, end = _removal_span(text, marker, kept_from, stop)
        segment = text[kept_from:start]
        result = segment if i == 0 else _glue(result, segment)
        kept_from = end
    return _glue(result, text[kept_from:])


def _removal_span(text: str, marker: Marker, low: int, high: int) -> tuple[int, int]:
    """What removing a marker takes away: it, bidi marks hugging it, brackets round it, a label's colon."""
    start, end = marker.start, marker.end
    while start > low and text[start - 1] in _CONTROLS:
        start -= 1
    while end < high and text[end] in _CONTROLS:
        end += 1
    if start > low and end < high and text[start - 1] + text[end] in ("()", "[]"):
        start, end = start - 1, end + 1
    tail = _LABEL_TAIL.match(text, end, high)
    return start, tail.end() if tail else end


def _glue(left: str, right: str) -> str:
    """Join the text either side of a removed marker with at most one space between."""
    if not right or right[0] == "\n":
        return left.rstrip(" \t") + right
    if not left or left[-1] == "\n":
        return left + right.lstrip(" \t")
    if left[-1] in " \t" and right[0] in " \t":
        return left + right.lstrip(" \t")
    if left[-1].isspace() or right[0].isspace():
        return left + right
    return left + " " + right


def _shown(marker: Marker) -> str:
    """A marker's text as a reason quotes it: folded, with single spaces."""
    return " ".join(_fold(marker.text)[0].split())
