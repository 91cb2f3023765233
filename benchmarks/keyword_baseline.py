"""A hand-written keyword baseline for ``benchmarks/quality.py``: weighted cue rules, no learning.

Each cue is a regular expression over *normalised* text (see
:func:`classifier.text.normalize.normalize`, which turns prices, phone numbers, links,
percentages, mentions and hashtags into ``_price_``, ``_phone_``, ``_url_``, ``_pct_``,
``_mention_`` and ``_tag_``). A post's score is ``1 - exp(-w)``, where ``w`` is the
summed weight of the cues present (each counted once), so a post without a cue
scores 0 and scores rise towards 1 as cues pile up. Cues and weights were written by
hand from general knowledge of Hebrew ad copy, checked only against how often each
fires on the training split; nothing is fitted but the decision threshold.

    >>> rules = KeywordRules()
    >>> rules.score(["בוקר טוב לכולם"]).tolist()
    [0.0]
    >>> bool(rules.score(["מבצע! קוד הנחה DANA10, משלוח חינם"])[0] > 0.9)
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from classifier.text.normalize import normalize

# Up to two one-letter Hebrew prefixes (and, the, in, to, from, that, as) glued to a word.
_PREFIX = "(?:[ובהלמשכ]{0,2})"


def _words(*forms: str) -> str:
    """A pattern matching any of the Hebrew word forms as a whole word, prefixes allowed."""
    return rf"(?<!\w){_PREFIX}(?:{'|'.join(forms)})(?!\w)"


#: (name, pattern, weight). Weights: ~1.5 for near-certain ad language, ~1 for strong
#: cues, ~0.5 for cues that organic posts use too (prices, links, "free").
CUES: tuple[tuple[str, str, float], ...] = (
    ("discount", _words("הנחה", "הנחות", "בהנחה"), 1.0),
    ("sale", _words("מבצע", "מבצעים", "מבצעי", "סייל"), 1.0),
    ("coupon code", r"קוד (?:קופון|הנחה|קופון הנחה)|קופון|(?<!\w)code(?!\w)", 1.5),
    ("link in bio", r"(?:לינק|קישור)(?: נמצא)? ב?ביו|(?<!\w)בביו(?!\w)|link in bio", 1.5),
    ("order", _words("הזמינו", "להזמנות", "להזמנה", "הזמנות"), 0.8),
    ("call", _words("התקשרו", "חייגו", "צלצלו"), 0.8),
    ("free shipping", r"משלוח(?:ים)? (?:חינם|עד הבית|מהיר)", 1.0),
    ("for details", _words("לפרטים", "פרטים נוספים", "לפרטים נוספים"), 1.0),
    ("whatsapp", _words("וואטסאפ", "ווטסאפ", "ווצאפ", "וטסאפ", "whatsapp"), 0.6),
    ("follow us", _words("עקבו", "עקבי", "תעקבו", "יעקוב", "עוקבים", "פולו", "follow"), 0.7),
    ("giveaway", _words("הגרלה", "הגרלת", "הגרלות", "מגרילים", "מגרילה", "הזוכה", "giveaway"), 1.2),
    ("sign up", _words("הרשמה", "להרשמה", "הירשמו", "הרשמו", "נרשמים"), 0.8),
    ("price word", _words("מחיר", "מחירים", "במחיר", "מחירון"), 0.4),
    ("price", r"_price_|₪|ש\"ח", 0.8),
    ("link", r"_url_|(?<!\w)(?:לינק|קישור)(?!\w)", 0.6),
    ("phone", r"_phone_", 1.0),
    ("percentage", r"_pct_", 0.5),
    ("ad tag", r"_tag_ (?:ad|sponsored|promo|פרסומת|ממומן|שיתוף פעולה)(?!\w)", 1.5),
    ("collaboration", r"שת\"פ|(?<!\w)ב?שיתוף פעולה(?!\w)|(?<!\w)פרסומת(?!\w)|(?<!\w)ממומן(?!\w)", 1.2),
    ("only today", r"רק היום|לזמן מוגבל|עד גמר המלאי|מלאי מוגבל|המקומות מוגבל|נשארו \d* ?מקומות|רק עד", 1.0),
    ("buy", _words("קנו", "רכשו", "קנו עכשיו", "לרכישה"), 0.8),
    ("free", _words("חינם", "בחינם", "ללא עלות", "ללא תשלום"), 0.5),
    ("no commitment", r"ללא התחייבות|בלי התחייבות", 0.8),
    ("gift", _words("מתנה", "מתנות", "שובר", "שוברים"), 0.4),
    ("join", _words("הצטרפו", "הצטרפי", "הצטרף"), 0.6),
    ("leave details", r"השאירו (?:פרטים|תגובה|מספר)|כתבו (?:בתגובות|לי)|תגיבו", 0.8),
    ("private message", _words("בהודעה", "בפרטי", "בפרייבט", "שלחו", "שלחי", "dm"), 0.8),
    ("customers", _words("לקוחות", "לקוחה", "לקוח"), 0.4),
    ("course", _words("קורס", "סדנה", "סדנת", "וובינר", "הכשרה"), 0.6),
    ("shop", _words("באתר", "בחנות", "חנות", "חנויות", "בסניפים", "סניף"), 0.5),
    ("like and share", _words("לייק", "לייקים", "שתפו", "לשתף", "תייגו", "מתייגים", "יתייג", "תתייגו"), 0.6),
    ("my channel", r"(?:בערוץ|לערוץ|בדף|לדף|בעמוד|לעמוד) שלי|(?<!\w)(?:בערוץ|הערוץ)(?!\w)", 0.6),
    ("tickets", _words("כרטיסים", "כרטיס", "תורים", "קביעת תור"), 0.5),
    ("to receive", _words("לקבלת", "לקבל הצעה", "הצעת מחיר"), 0.6),
    ("easy money", r"הכנסה פסיבית|להרוויח|מהבית|הכנסה נוספת|עצמאות כלכלית", 0.8),
    ("consultation", r"(?:שיחת|פגישת) (?:ייעוץ|היכרות)|ייעוץ (?:חינם|ראשוני)", 0.8),
    ("do not miss", r"אל (?:תפספסו|תחמיצו|תפספסי)|אסור לפספס", 1.0),
    ("hurry", _words("מהרו", "מהרי", "ממהרים"), 0.8),
    ("launch", _words("השקה", "קולקציה", "קולקציית", "חדש בחנות"), 0.6),
    ("exclusive", _words("בלעדי", "בלעדית", "בלעדיות"), 0.5),
    ("click", _words("לחצו", "היכנסו", "הקליקו", "כנסו"), 0.8),
    ("english ad words", r"(?<!\w)(?:sale|promo|discount|shop now|order now|free shipping)(?!\w)", 0.8),
    ("pointing emoji", r"[👇👈⬇]", 0.4),
    ("hype emoji", r"[🔥💥⚡🎁💸💰]", 0.3),
    ("mention", r"_mention_", 0.2),
    ("our", _words("שלנו", "אצלנו"), 0.3),
)

_COMPILED: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(pattern), weight) for _, pattern, weight in CUES
)


class KeywordRules:
    """Score posts by the weighted cues of :data:`CUES`; a plain object, so joblib can pickle it."""

    def weight(self, text: str) -> float:
        """Summed weight of the cues present in one normalised text."""
        return sum(weight for pattern, weight in _COMPILED if pattern.search(text))

    def score(self, texts: Sequence[str]) -> np.ndarray:
        """Scores in [0, 1) of raw texts: ``1 - exp(-summed weight)`` after normalisation."""
        weights = np.fromiter((self.weight(normalize(t)) for t in texts), dtype=float, count=len(texts))
        return np.asarray(-np.expm1(-weights))
