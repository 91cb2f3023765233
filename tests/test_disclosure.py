from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text.disclosure import (
    CLEAR,
    KINDS,
    LEVELS,
    NONE,
    OPENING_MAX_CHARS,
    OPENING_MIN_CHARS,
    WEAK,
    Disclosure,
    classify_disclosure,
    find_markers,
    is_undisclosed,
    strip_markers,
)

RLM = "\u200f"
# Two short lines that together fill the opening, so whatever follows them is after it.
BODY = (
    "החורף הזה גיליתי את סדרת הטיפוח של גלואו 🌿\n"
    "העור שלי רך יותר, הכתמים דהו, ואני כבר לא יוצאת מהבית בלי הקרם הזה. ממליצה בחום לכל מי שמתלבטת\n"
)

# (post, level, canonical names of its markers in text order); all brands are made up.
EXAMPLES: list[tuple[str, str, tuple[str, ...]]] = [
    # clear: each Hebrew statement at the start
    ("פרסומת: הסרום החדש של גלואו הוא הסוד שלי לעור זוהר", CLEAR, ("פרסומת",)),
    ("תוכן שיווקי | נעלי הריצה של ספרינטו ליוו אותי כל החורף", CLEAR, ("תוכן שיווקי",)),
    ("תוכן ממומן - הקפה של בוקרטוב מחכה לכם בכל סניף", CLEAR, ("תוכן ממומן",)),
    ("פוסט פרסומי: מבצע השקה בחנות הספרים של דפדף", CLEAR, ("תוכן פרסומי",)),
    ("ממומנת: סדנת הקרמיקה של חומר ואש חוזרת בקיץ", CLEAR, ("ממומן",)),
    ("הפוסט ממומן על ידי מטבחי שפע, והסכינים באמת מעולים", CLEAR, ("תוכן ממומן",)),
    ("בחסות אופטיקה עין טובה: כל מה שצריך לדעת על משקפי שמש", CLEAR, ("בחסות",)),
    ("במימון עמותת לב פתוח, סדנת בישול חינם לילדים", CLEAR, ("במימון",)),
    ('שת"פ עם גלידות קרמל 🍦 הטעם החדש כבר בחנויות', CLEAR, ('שת"פ',)),
    ("שיתוף פעולה בתשלום עם חברת הסלולר גלי, החבילה החדשה שלהם", CLEAR, ('שת"פ',)),
    ("מודעה: דירת 4 חדרים למכירה ברחוב הדקל, ללא תיווך", CLEAR, ("מודעה",)),
    ("קישור שותפים בביו! המזרן של שינה טובה שינה לי את הלילות", CLEAR, ("קישור שותפים",)),
    ("לינק אפיליאייט למטה 👇 האוזניות של צליל פרו", CLEAR, ("קישור שותפים",)),
    ("פרסום | מכירת סוף עונה בחנות של אורן ספורט", CLEAR, ("פרסום",)),
    ("(פרסום) מכירת סוף עונה בחנות של אורן ספורט", CLEAR, ("פרסום",)),
    # clear: spelling variants, niqqud, gershayim, bidi marks, prefixes
    ("פירסומת: ערב טעימות בבר של יין ועוד", CLEAR, ("פרסומת",)),
    ("פִּרְסֹמֶת: ערב טעימות בבר של יין ועוד", CLEAR, ("פרסומת",)),
    ("תֹּכֶן מְמֻמָּן: הגינה של משתלת זית", CLEAR, ("תוכן ממומן",)),
    ("שת״פ | סטודיו הפילאטיס של נועה נפתח בחולון", CLEAR, ('שת"פ',)),
    ("שת”פ | סטודיו הפילאטיס של נועה נפתח בחולון", CLEAR, ('שת"פ',)),
    ("שת''פ | סטודיו הפילאטיס של נועה נפתח בחולון", CLEAR, ('שת"פ',)),
    ("שתפ עם מאפיית השכונה, הלחם שלהם פשוט אחר", CLEAR, ('שת"פ',)),
    (f"{RLM}תוכן{RLM} ממומן{RLM}: הקורס של דיגיטל פלוס", CLEAR, ("תוכן ממומן",)),
    (f"פרס{RLM}ומת: מגש הפירות של פרי הדר", CLEAR, ("פרסומת",)),
    ('בשת"פ עם קוסמטיקה רז, שגרת הבוקר שלי', CLEAR, ('שת"פ',)),
    ("ובחסות סטודיו לוטוס, שיעור יוגה פתוח לכולם ביום שישי", CLEAR, ("בחסות",)),
    ("תוכן  -  שיווקי: המשקפיים של עין טובה", CLEAR, ("תוכן שיווקי",)),
    ("הסרטון הזה הוא פרסומת למשקה האנרגיה של זינוק", CLEAR, ("פרסומת",)),
    ("פרסומת | AD | נעלי הריצה של ספרינטו", CLEAR, ("פרסומת", "ad")),
    # weak: a Hebrew statement only after the opening
    (BODY + "תוכן שיווקי", WEAK, ("תוכן שיווקי",)),
    (BODY + "#ad פרסומת", WEAK, ("#ad", "פרסומת")),
    ("א" * (OPENING_MAX_CHARS + 10) + " פרסומת", WEAK, ("פרסומת",)),
    # weak: only hashtags, only English, only partnership wording
    ("הקרם של גלואו פשוט עובד ✨ #ad", WEAK, ("#ad",)),
    ("#ממומן הקרם של גלואו פשוט עובד", WEAK, ("#ממומן",)),
    ("הקרם של גלואו #Sponsored #תוכן_שיווקי", WEAK, ("#sponsored", "#תוכן_שיווקי")),
    ("Paid partnership with @glow_il\nהקרם פשוט עובד", WEAK, ("paid partnership",)),
    ("sponsored by ספרינטו: נעלי ריצה לכל מסלול", WEAK, ("sponsored",)),
    ("AD | נעלי הריצה של ספרינטו", WEAK, ("ad",)),
    ("Ad: נעלי הריצה של ספרינטו", WEAK, ("ad",)),
    ("בשיתוף עם @sprinto_run - נעלי הריצה שליוו אותי כל החורף", WEAK, ("בשיתוף עם",)),
    ("וּבְשִׁתּוּף עִם גלואו, שגרת הטיפוח שלי", WEAK, ("בשיתוף עם",)),
    ("בשיתוף פעולה עם מאפיית השכונה 🥐", WEAK, ("שיתוף פעולה",)),
    ("קנו עכשיו באתר #ad#sponsored", WEAK, ("#ad", "#sponsored")),
    # none: plain posts and traps
    ("בוקר טוב לכולם, מי בא לים היום?", NONE, ()),
    ("תודה על השיתוף! ממש ריגש אותי", NONE, ()),
    ("read more on my blog", NONE, ()),
    ("קניתי נעלי adidas חדשות #adidas", NONE, ()),
    ("קראתי כתבה על פרסום סמוי ברשתות", NONE, ()),
    ("פרסמתי היום את הספר השני שלי", NONE, ()),
    ("זה לא פוסט ממומן! פשוט אוהבת את המקום", NONE, ()),
    ("not sponsored, just love it", NONE, ()),
    ("מימון לרכב חדש ב-0% ריבית, התקשרו עכשיו", NONE, ()),
    ("הצטרפו לקמפיין מימון המונים לאלבום שלנו", NONE, ()),
    ("אני מודעת לזה שהמחיר גבוה", NONE, ()),
    ("שתפו את הפוסט עם חברים", NONE, ()),
    ("מחפשת לשיתוף פעולה? דברו איתי בפרטי", NONE, ()),
    ("שונאת פרסומות ביוטיוב", NONE, ()),
    ("מודעות לבריאות הנפש חשובה", NONE, ()),
    ("פרסום הספר החדש שלי נדחה לחורף", NONE, ()),
    ("רכב חדש במימון מלא, בלי מקדמה", NONE, ()),
    ("המתכון שלא ממומן של השבוע: עוגת גבינה", NONE, ()),
    ("צילמתי היום את הים\nAD ASTRA", NONE, ()),
    ("", NONE, ()),
]
TEXTS = [text for text, _, _ in EXAMPLES]


@pytest.mark.parametrize(("text", "level", "canonicals"), EXAMPLES)
def test_classify_disclosure_examples(text: str, level: str, canonicals: tuple[str, ...]) -> None:
    disclosure = classify_disclosure(text)
    assert disclosure.level == level
    assert tuple(m.canonical for m in disclosure.markers) == canonicals


@pytest.mark.parametrize("text", TEXTS)
def test_find_markers_offsets_point_into_the_original(text: str) -> None:
    markers = find_markers(text)
    for marker in markers:
        assert text[marker.start : marker.end] == marker.text
        assert marker.kind in KINDS
    assert [m.start for m in markers] == sorted(m.start for m in markers)
    assert all(a.end <= b.start for a, b in pairwise(markers))


@pytest.mark.parametrize("text", TEXTS)
def test_strip_markers_leaves_no_marker(text: str) -> None:
    assert find_markers(strip_markers(text)) == []


def test_find_markers_keeps_niqqud_and_prefix_in_the_span() -> None:
    text = "וּבְשִׁתּוּף עִם גלואו"
    (marker,) = find_markers(text)
    assert marker.text == "וּבְשִׁתּוּף עִם"
    assert (marker.start, marker.kind) == (0, "hebrew_partnership")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("תוכן ממומן: הסרום של גלואו פשוט עובד #ad", "הסרום של גלואו פשוט עובד"),
        (f"{RLM}פרסומת{RLM}: מגש פירות", "מגש פירות"),
        ("(פרסום) מכירת סוף עונה", "מכירת סוף עונה"),
        ("הקרם #ad #sponsored עובד", "הקרם עובד"),
        ("הקרם עובד #ad\nשורה שנייה", "הקרם עובד\nשורה שנייה"),
        ("בוקר טוב", "בוקר טוב"),
    ],
)
def test_strip_markers_tidies_what_it_leaves(text: str, expected: str) -> None:
    assert strip_markers(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("תוכן ממומן | הקפה של בוקרטוב", "Hebrew disclosure 'תוכן ממומן' in the opening"),
        (BODY + "תוכן שיווקי", "Hebrew disclosure 'תוכן שיווקי' only after the opening"),
        ("הקרם עובד #ad", "only a hashtag (#ad)"),
        ("הקרם עובד #ad #ממומן", "only hashtags (#ad, #ממומן)"),
        (
            "Paid partnership with glow #ad",
            "only English wording 'Paid partnership with' and a hashtag (#ad)",
        ),
        ("בשיתוף עם גלואו", "partnership wording 'בשיתוף עם' without saying it is paid"),
        (BODY + "בשיתוף עם גלואו", "marker 'בשיתוף עם' only after the opening"),
        ("בוקר טוב", "no disclosure marker"),
    ],
)
def test_disclosure_reason_explains_the_level(text: str, reason: str) -> None:
    assert classify_disclosure(text).reason == reason


@pytest.mark.parametrize(
    ("first_line", "gap", "level"),
    [
        (OPENING_MIN_CHARS - 50, 0, CLEAR),  # short first line: the opening is the first 100 characters
        (20, OPENING_MIN_CHARS - 30, CLEAR),  # marker on a later line, still within 100 characters
        (20, OPENING_MIN_CHARS, WEAK),  # marker on a later line, past 100 characters
        (OPENING_MIN_CHARS + 50, 0, CLEAR),  # long first line: all of it is the opening
        (OPENING_MAX_CHARS + 50, 0, WEAK),  # ... up to 200 characters
    ],
)
def test_classify_disclosure_opening_boundary(first_line: int, gap: int, level: str) -> None:
    if gap:
        text = "א" * first_line + "\n" + "ב" * gap + " פרסומת"
    else:
        text = "א" * (first_line - len("פרסומת") - 1) + " פרסומת"
    assert classify_disclosure(text).level == level


def test_classify_disclosure_counts_the_opening_from_the_first_visible_character() -> None:
    assert classify_disclosure("\n" * 150 + "פרסומת: מבצע").level == CLEAR


@pytest.mark.parametrize(
    ("promotional", "level", "expected"),
    [
        (True, NONE, True),
        (True, WEAK, True),
        (True, CLEAR, False),
        (False, NONE, False),
        (False, WEAK, False),
        (False, CLEAR, False),
    ],
)
def test_is_undisclosed_truth_table(promotional: bool, level: str, expected: bool) -> None:
    assert is_undisclosed(promotional, Disclosure(level, (), OPENING_MIN_CHARS)) is expected


def test_disclosure_rejects_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        Disclosure("maybe", (), 0)


PIECES = st.sampled_from(
    [
        *"אבגדהוזחטיכלמנסעפצקרשת ךםןףץ.,:|!?-()[]#@_'\"\n",
        *["\u05b4", "\u05b9", "\u05bb", "\u05bc", "\u05c1", "\u05be", "\u05f3", "\u05f4", "\u2019", "\u201d"],
        *[RLM, "\u202b", "\ufeff", "ﬠ", "＃", "İ", "ﬆ", "🔥"],
        *["פרסומת", "פרסום", "ממומן", "תוכן", "שיווקי", "שת", "פ", "בשיתוף", "עם", "בחסות", "מימון"],
        *["לא", "זה", "AD", "Ad", "ad", "sponsored", "paid", "partnership", "#ad", "#ממומן", "מודעה"],
    ]
)
HEBREWISH = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=80), HEBREWISH))
def test_disclosure_is_total_and_offsets_are_valid(text: str) -> None:
    markers = find_markers(text)
    for marker in markers:
        assert 0 <= marker.start < marker.end <= len(text)
        assert text[marker.start : marker.end] == marker.text
    assert all(a.end <= b.start for a, b in pairwise(markers))
    disclosure = classify_disclosure(text)
    assert disclosure.level in LEVELS
    assert disclosure.markers == tuple(markers)
    assert isinstance(disclosure.reason, str)
    stripped = strip_markers(text)
    assert find_markers(stripped) == []
    assert len(stripped) <= len(text)
