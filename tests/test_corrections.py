"""Learning from corrections: the comparison of the old model and the retrained one adds up."""

from __future__ import annotations

import pytest

from classifier import Predictor, TrainConfig
from classifier.modeling.dataset import LabelledPosts
from classifier.modeling.training import TrainedModel
from classifier.workflows import corrections

# organic posts of one kind that read like the tiny corpus's ads: a shop's staff answering a complaint
REPLIES = [
    "שלום רונית, בדקנו את ההזמנה שלך והמשלוח יגיע מחר עד 14:00, מצטערים על העיכוב",
    "היי יוסי, שלחנו לך הודעה בפרטי, תשלח לנו את מספר ההזמנה ונבדוק מה קרה",
    "מצטערים לשמוע, העברנו את התלונה למנהל הסניף והוא יחזור אליך היום",
    "שלום דנה, הזיכוי על החיוב הכפול עודכן ויופיע בחשבון הבא",
    "תודה על הפנייה, המוצר יוחלף בחדש בכל אחד מהסניפים שלנו עם החשבונית",
    "אבי שלום, הטכנאי יגיע אליך ביום ראשון בין 8 ל-12, נשמח לעדכון אחרי",
    "צר לנו על החוויה בקופה, נדבר עם הצוות ונדאג שזה לא יחזור",
    "היי מיכל, ההחזר הכספי בוצע היום ויופיע בכרטיס האשראי תוך כמה ימים",
    "שלום, בדקנו ואכן נפלה טעות במחיר בקופה, ההפרש הוחזר לך",
    "תודה שעדכנת אותנו, הפריט החסר נשלח אליך בשליח מיוחד",
    "שלום רן, מצטערים שחיכית כל כך הרבה על הקו, נחזור אליך בטלפון",
    "היי, קיבלנו את התמונות של המוצר הפגום ונשלח אחד חדש השבוע",
]


def test_the_comparison_adds_up(
    tiny_posts: LabelledPosts,
    tiny_config: TrainConfig,
    tiny_model: TrainedModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(corrections, "load_corpus", lambda split: tiny_posts)
    added = LabelledPosts(
        texts=REPLIES, labels=[0] * len(REPLIES), sources=[f"replies.jsonl:{i}" for i in range(len(REPLIES))]
    )
    old = Predictor(tiny_model.model, tiny_model.card)
    result = corrections.compare(old, added, weight=3, config=tiny_config)
    assert result.posts == len(REPLIES)
    assert 0 <= result.fixed <= result.posts - result.old_right
    assert 0 <= result.broken <= result.old_right
    assert result.new_right == result.old_right + result.fixed - result.broken
    assert "wrong before, right now" in result.render()
