from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text.chars import per_text
from classifier.text.normalize import _SPACE_RUNS, WHITE_SPACE, normalize, tokenize

PIECES = st.sampled_from(
    [
        *"אבגדהוזחטיכלמנסעפצקרשת ךםןףץ0123456789.,!?-@#%₪$€'\"/:_\n\r\t",
        *["\u05b0", "\u05bc", "\u05be", "\u05f3", "\u05f4", "\u200f", "\u202b", "\u201d", "🔥"],
        *['ש"ח', "www.", ".co.il", "https://", "050-", "1234567", "שקל", "אחוז", "İ", "ﬠ"],
    ]
)
HEBREWISH = st.lists(PIECES, max_size=40).map("".join)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("שָׁלוֹם", "שלום"),  # niqqud
        ("בְּרֵאשִׁ֖ית", "בראשית"),  # cantillation
        ("בית\u05beספר", "בית-ספר"),  # maqaf
        ("א\u200fב\u202bג\u2066ד\ufeff", "אבגד"),  # bidi and zero-width controls
        ("צה\u05f4ל ו-ש\u201dח", 'צה"ל ו-ש"ח'),  # gershayim variants
        ("ג\u05f3ירפה ג\u2019ינס", "ג'ירפה ג'ינס"),  # geresh variants
        ("Hello WORLD", "hello world"),
        ("כןןןןןן!!!!!!", "כןןן!!!"),
        ("1000000", "1000000"),  # digits are never capped
        ("ﬠﬡ", "עא"),  # presentation forms, via NFKC
    ],
)
def test_normalize_character_rules(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ראו https://www.Shop-Dana.co.il/sale?x=1 עכשיו", "ראו _url_ shop_dana_co_il עכשיו"),
        ("bit.ly/abc", "_url_ bit_ly"),
        ("כתבו ל dana@gmail.com", "כתבו ל _email_"),
        ("050-1234567", "_phone_"),
        ("052 765 4321", "_phone_"),
        ("0527654321", "_phone_"),
        ("03-5551234", "_phone_"),
        ("+972-52-7654321", "_phone_"),
        ("חייגו *2655", "חייגו _phone_"),
        ("1-800-200-300", "_phone_"),
        ("רק 99 ₪", "רק _price_"),
        ("₪99", "_price_"),
        ('149.90 ש"ח', "_price_"),
        ("30 שקל", "_price_"),
        ("20 NIS", "_price_"),
        ("$20 או 15€", "_price_ או _price_"),
        ("20% הנחה", "_pct_ הנחה"),
        ("50 אחוז", "_pct_"),
        ("תודה @dana_k", "תודה _mention_"),
        ("#טיפים_לבית", "_tag_ טיפים לבית"),
        ("🔥🔥 מטורף", "🔥🔥 מטורף"),
    ],
)
def test_normalize_placeholders(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_keeps_years_and_counts_as_numbers() -> None:
    assert normalize("ב-2024 היו 3 ילדים") == "ב-2024 היו 3 ילדים"


def test_normalize_keeps_paragraphs_and_folds_spaces() -> None:
    assert normalize("שורה   אחת\r\n\r\n\r\n\r\nשורה\tשתיים ") == "שורה אחת\n\nשורה שתיים"


def test_tokenize_keeps_acronyms_and_placeholders_whole() -> None:
    assert tokenize(normalize('צה"ל קנה ב-99 ש"ח 🔥')) == ['צה"ל', "קנה", "ב", "_price_", "🔥"]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=80), HEBREWISH))
def test_normalize_is_idempotent_and_total(text: str) -> None:
    once = normalize(text)
    assert isinstance(once, str)
    assert normalize(once) == once


def test_the_spelled_out_white_space_is_what_python_counts_as_white_space() -> None:
    """normalize.WHITE_SPACE is the class the space folding scans; a Python whose Unicode data
    adds or drops a white-space character must fail here, not fold spaces differently."""
    assert WHITE_SPACE == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\u00a0\u2003\u3000\u2028אב.1", max_size=40))
def test_space_folding_matches_the_plain_rule(text: str) -> None:
    """Runs of white space (new lines aside) become one space, and so does any white-space character
    other than a space: the spelled-out pattern does what the short negated one says."""
    plain = re.sub(r"[^\S\n]{2,}|[^\S\n ]", " ", text)
    assert _SPACE_RUNS.sub(" ", text) == plain


@given(st.lists(st.text(max_size=12), max_size=6))
def test_per_text_gives_each_code_point_the_index_of_its_text(texts: list[str]) -> None:
    found = per_text(texts)
    if any("\x00" in text for text in texts):
        assert found is None
        return
    assert found is not None
    codes, owner = found
    assert "".join(map(chr, codes.tolist())) == "\x00".join(texts)
    # a text's code points and the NUL before it belong to it
    assert owner.tolist() == [i for i, text in enumerate(texts) for _ in range(len(text) + (i > 0))]
