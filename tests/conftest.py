"""Shared fixtures: a tiny hand-written Hebrew corpus and a model fitted once per session."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifier import Predictor, TrainConfig, train
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.training import TrainedModel

PROMOTIONAL = [
    "מבצע סוף עונה! כל הנעליים ב-50% הנחה רק השבוע באתר שלנו",
    "קוד הנחה DANA15 נותן 15% על כל הקולקציה, הלינק בביו",
    "מחפשים שיפוצניק אמין באזור השרון? התקשרו עכשיו 052-7711223",
    "הצטרפו לקורס הדיגיטל שלנו ותתחילו להרוויח מהבית, נשארו 3 מקומות",
    "הגרלה ענקית! עקבו אחרינו ותייגו שני חברים כדי לזכות במארז",
    "שלושה חודשים אני משתמשת בקרם של גלואו ואין מה להשוות, קישור בתגובה הראשונה",
    "עוקבים ולייקים לאינסטגרם במחיר הכי זול בארץ, שלחו הודעה בפרטי",
    "משלוח חינם על כל הזמנה מעל 150 ₪ רק עד מוצאי שבת",
    "פתחתי סטודיו לפילאטיס בחולון, שיעור ניסיון ראשון עלינו, קבעו בוואטסאפ",
    "ביטוח רכב זול ב-30% מהמחיר שאתם משלמים היום, השוו עכשיו באתר",
    "היום בהפעלה החגיגית של החנות החדשה מחכות לכם הפתעות, בואו",
    'המסעדה שלנו מציעה תפריט עסקי ב-59 ש"ח, הזמינו מקום עכשיו',
    "תכנסו לערוץ שלי ביוטיוב ותעשו מנוי, מעלה סרטון חדש כל יום",
    "זכית בפרס! לחץ על הקישור כדי לקבל את השובר שלך bit.ly/win-now",
    "נגמרו לכם הכוחות בסוף היום? התוסף של אנרגיקס שינה לי את החיים, קוד ENERGY10",
    "דירות חדשות בפרויקט נוף הים, 4 חדרים במחיר מוקדם, צרו קשר עם המשרד",
    "רק היום: הנחה של 40% על כל המזרנים באתר, משלוח עד הבית",
    "לקוחות יקרים, החנות פתוחה גם בשישי! בואו לקנות את המבצעים החדשים",
    "קורס אונליין לצילום בסמארטפון, ההרשמה בקישור, מחיר השקה ל-48 שעות",
    "אחרי שנה שאני עובדת עם הסרום של ליה, העור שלי אחר, קוד LIA20 בקישור",
    "הזמינו עכשיו מגש פירות לאירוע, משלוחים בכל המרכז, טלפון בפרופיל",
    "מחפשים עוקבים? חבילה של 1000 עוקבים ב-29 ₪, שלחו הודעה",
    "בואו לערב טעימות יין בבר שלנו, כרטיסים באתר ובקישור בביו",
    "עשיתי הזמנה מהאתר של מוטו וקיבלתי תוך יומיים, קוד הנחה MOTO5 למי שרוצה",
]
ORGANIC = [
    "איזה יום יפה היה היום בים, הילדים לא רצו לצאת מהמים",
    "מישהו יודע אם הכביש לירושלים פתוח? שמעתי שהייתה תאונה",
    "שבת שלום לכולם ובשורות טובות",
    "החברה של הסלולר שוב חייבה אותי פעמיים, שעה על הקו עם נציג וכלום",
    "מחפשת המלצה על רופא שיניים לילדים באזור רחובות",
    "נמאס לי מהמשפיענים שממליצים על כל דבר שמשלמים להם עליו",
    "אבד חתול ג'ינג'י ליד הפארק, מי שראה אותו בבקשה להתקשר 050-1112233",
    "קראתי היום כתבה מעניינת על המצב בצפון, מצרף קישור",
    "הבן שלי הכין לי ארוחת בוקר ליום ההולדת, אני מתרגשת!!!",
    "שילמתי 48 שקל על סלט בתל אביב, המחירים פה הזויים",
    "מזל טוב לאחותי היקרה על הלידה, ברוכה הבאה לעולם",
    "מה דעתכם על הבחירות? לדעתי אף מועמד לא ראוי",
    "הייתי אתמול בהופעה של להקה מקומית, היה פשוט מושלם",
    "כל הכבוד לצוות בית החולים שטיפל באבא שלי במסירות",
    "גשם ראשון בעיר, סוף סוף ריח של חורף",
    "ממליץ בחום על המוסך של יוסי בנתניה, תיקן לי בזמן ובמחיר הוגן",
    "אני לא מאמינה כמה הילדים גדלו, רק אתמול הם היו תינוקות",
    "מישהו ראה את המשחק אתמול? איזה גול בדקה האחרונה",
    "היום בבוקר ראיתי שקיעה מטורפת מהמרפסת, תמונה בתגובות",
    "אמא שלי הכינה מרק עוף והבית מריח כמו ילדות",
    "תודה לכל מי שהגיע אתמול להלוויה, זה חיזק אותנו מאוד",
    "למה כל פעם שאני שוטפת את הרכב מתחיל לרדת גשם",
    "יש למישהו טיפ איך להרדים תינוקת שלא ישנה בלילות?",
    "עברנו דירה לחיפה, מחפשים חברים חדשים לטיולים בכרמל",
]


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner for the command line tests."""
    return CliRunner()


@pytest.fixture(scope="session")
def tiny_posts() -> LabelledPosts:
    """The tiny corpus as labelled posts."""
    return LabelledPosts(
        texts=PROMOTIONAL + ORGANIC,
        labels=[1] * len(PROMOTIONAL) + [0] * len(ORGANIC),
        sources=[f"tiny:{i}" for i in range(len(PROMOTIONAL) + len(ORGANIC))],
    )


@pytest.fixture(scope="session")
def tiny_config() -> TrainConfig:
    """A configuration suited to a corpus of a few dozen posts."""
    return TrainConfig(min_df=1, cv_folds=4)


@pytest.fixture(scope="session")
def tiny_model(tiny_posts: LabelledPosts, tiny_config: TrainConfig) -> TrainedModel:
    """A model fitted once per session on the tiny corpus."""
    return train(tiny_posts, tiny_config)


@pytest.fixture(scope="session")
def predictor(tiny_model: TrainedModel) -> Predictor:
    """A predictor over the session's tiny model."""
    return Predictor(tiny_model.model, tiny_model.card)


@pytest.fixture(scope="session")
def model_file(tiny_model: TrainedModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's tiny model saved in a temporary folder."""
    path = tmp_path_factory.mktemp("model") / "tiny.npz"
    tiny_model.save(path)
    return path


def write_corpus(path: Path, rows: list[tuple[str, str]], delimiter: str = ",") -> Path:
    """Write ``(text, label)`` rows with a header to a CSV or TSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    """The tiny corpus as a CSV file with word labels."""
    rows = [(t, "promotional") for t in PROMOTIONAL] + [(t, "organic") for t in ORGANIC]
    return write_corpus(tmp_path / "posts.csv", rows)


@pytest.fixture(autouse=True)
def _isolated_default_model(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from models/ and the home folder."""
    monkeypatch.setenv("PROMO_MODEL_DIR", str(tmp_path_factory.mktemp("default-model")))
