"""The labelling guideline's cues, as word lists the engine matches on tokens.

Each cue is a family of wordings of one thing the guideline looks for: a business
speaking as "we", an invitation to contact it, contact details, a professional title
or byline, stock praise of a service, an offer. The engine counts, per post, the tokens
(or two-token phrases) that match any wording of each cue, whatever Hebrew prefix
letters (up to two of ו ה ב כ ל מ ש) the first word carries.

An entry is one or two tokens of *normalised* text (:func:`classifier.text.normalize.normalize`):

- ``word``: that token exactly;
- ``stem*``: any token that begins with ``stem``;
- ``^word``: that token as the first of a line (bylines);
- ``first second``: two tokens in a row (either may be a stem).

The cues are features: they count wordings wherever they stand, negated or not. Whether a
post discloses paid content, and how clearly, is judged by :mod:`classifier.text.disclosure`.
"""

from __future__ import annotations

_BUSINESS_STEMS = (
    "משרד* מרפא* חבר* צוות* לקוח* שירות* מוצר* מומח* סניפ* סניף* עסק* מעבד* סטודיו* חנות* "
    "אתר* קליניק* מכון* אולם* מטבח* יועצ* אנשי* טכנאי* מדריכ* מורי* רופא* מתקינ*"
).split()

#: Cue name -> its wordings. Order is the column order of the cue block.
CUE_WORDINGS: dict[str, tuple[str, ...]] = {
    "we, the business": (
        *(f"{stem} שלנו" for stem in _BUSINESS_STEMS),
        *"משרדנו מרפאתנו חברתנו צוותנו לקוחותינו שירותינו מוצרינו מומחינו סניפינו עסקנו אתרנו".split(),
        *"חנותנו מכוננו מעבדתנו אנשינו יועצינו טכנאינו מורינו רופאינו ניסיוננו".split(),
    ),
    "we offer": (
        *(
            f"{we} {verb}"
            for we in ("אנו", "אנחנו")
            for verb in (
                "מציעים מתמחים מספקים מעניקים עוסקים מלווים מבצעים גאים שמחים זמינים מזמינים "
                "מאפשרים דואגים עומדים פועלים מחויבים נותנים מאמינים"
            ).split()
        ),
        *"נשמח נשמחה נחזור ניצור".split(),
    ),
    "the company about itself": tuple(
        f"{who} {verb}"
        for who in "החברה המשרד המרפאה הצוות העסק המכון הסטודיו הרשת המעבדה הקליניקה".split()
        for verb in "מתמח* מציע* מעניק* מספק* פועל* עוסק* מלווה* מחויב* גאה* נותן* מבצע* מאמין*".split()
    ),
    "we": tuple("אנו אנחנו שלנו אצלנו עבורנו אלינו איתנו אתנו".split()),
    "invitation to contact": (
        "צרו קשר",
        "צור קשר",
        "צרי קשר",
        "השאירו פרטים",
        "השאר פרטים",
        "השאירי פרטים",
        "השאירו את",
        "נחזור אליכם",
        "ללא התחייבות",
        "פגישת ייעוץ",
        "שיחת ייעוץ",
        "ייעוץ ראשוני",
        "ייעוץ חינם",
        *"התקשרו חייגו התקשר חייג פנו תתקשרו התקשרי".split(),
        *"תיאום תאום קביעת להזמנות להרשמה לייעוץ לפרטים".split(),
    ),
    "call to act": tuple(
        (
            "הזמינו הירשמו הרשמו קנו רכשו הצטרפו היכנסו הכנסו גלו נסו קבעו תזמינו הורידו בקרו "
            "שריינו הבטיחו מהרו"
        ).split()
    ),
    "contact details": (
        "_phone_",
        "_email_",
        "_url_",
        *"טלפון טל' נייד וואטסאפ whatsapp פקס כתובתנו".split(),
        "שעות פעילות",
        "שעות פתיחה",
        "שעות הפעילות",
        "שעות הפתיחה",
    ),
    "professional title": tuple(
        (
            'עו"ד עוה"ד רו"ח ד"ר פרופ\' מהנדס מהנדסת אדריכל אדריכלית שמאי שמאית יועץ יועצת מומחה '
            'מומחית מנכ"ל מנכ"לית סמנכ"ל סמנכ"לית מייסד מייסדת מייסדי יו"ר מנהלת מנהל'
        ).split()
    ),
    "byline": tuple("^מאת ^נכתב ^כותב ^כותבת ^כתבה ^כתב".split()),
    "stock praise": (
        *(
            "מקצועי מקצועית מקצועיים מקצועיות אמין אמינה אמינים אמינות מנוסה מנוסים מוביל מובילה "
            "מובילים מובילות זמינות זמינים איכותי איכותית איכותיים"
        ).split(),
        "ניסיון רב",
        "שנות ניסיון",
        "שנות ותק",
        "הטובים ביותר",
        "ללא פשרות",
        "שביעות רצון",
        "24 7",
        "מחירים הוגנים",
        "מחירים משתלמים",
        "מחירים אטרקטיביים",
        "מחירים תחרותיים",
        "יחס אישי",
        "שירות אישי",
        "שירות מהיר",
        "שירות אדיב",
        "אחריות מלאה",
        "מאות לקוחות",
        "אלפי לקוחות",
    ),
    "offer": (
        "_price_",
        "_pct_",
        *"מבצע מבצעים הנחה הנחות חינם מתנה קופון הטבה הטבות השקה במחיר מחירון משלוח".split(),
    ),
    "paid-content disclosure": (
        "תוכן ממומן",
        "תוכן שיווקי",
        "תוכן פרסומי",
        "תוכן מקודם",
        "כתבה ממומנת",
        "כתבה פרסומית",
        "שיתוף פעולה",
        "שיתופי פעולה",
        "קישור שותפים",
        "_tag_ ad",
        "_tag_ ads",
        "_tag_ sponsored",
        "_tag_ שת",  # #שת"פ, whose gershayim splits the tag
        'שת"פ',
        *"שתפ פרסומת ממומן ממומנת ממומנים ממומנות בחסות במימון בשיתוף מודעה".split(),
    ),
    "service words": tuple("שירותי שירות פתרונות פתרון ליווי התמחות מומחיות מתמחה מתמחים מתמחות".split()),
}

#: Words whose prefix-stripped forms are not cues: their first letters are part of the word, not a
#: prefix (מזמינים "inviting" is not מ + זמינים "available"; מאמינים "believing" is not מ + אמינים
#: "reliable"; השקנו "we launched" is not הש + קנו "buy"). A token that is one of them after
#: stripping none, one or two prefix letters matches no cue by stripping any more. Words with
#: both readings stay out: המתנה is "waiting" and also ה + מתנה, "the gift".
NOT_CUES: tuple[str, ...] = tuple("מזמינים מזמינות מאמין מאמינה מאמינים מאמינות השקנו".split())

#: Cues whose matches inside quotation marks count as a cue of their own. A business's "we"
#: quoted by someone else (a journalist quoting a spokesperson) is not the business speaking.
QUOTED_CUES: dict[str, tuple[str, ...]] = {"we, quoted": ("we, the business", "we offer", "we")}
