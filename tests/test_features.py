"""The training face of the engine keeps scikit-learn's estimator contract.

``HashedFeatures`` declares text input, as scikit-learn's own vectorizers do
(``input_tags.two_d_array = False``, ``string = True``); ``check_estimator`` then tests none of
its numeric-array checks (it says it "can't test" an estimator of such input), so the parts of
the contract that apply are tested here by hand: clone and parameters, fit returning self,
refusal before fitting, a repeatable transform, and feature names for every column.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from classifier.featurize.engine import CUE_NAMES, FeatureSettings, extract
from classifier.featurize.features import HashedFeatures
from classifier.text.normalize import normalize

TEXTS = ["מבצע ענק היום באתר", "שבת שלום לכולם", "קוד הנחה SHIRA10", "איזה יום יפה"]


def test_hashed_features_contract_by_hand() -> None:
    features = HashedFeatures(bits=8, min_df=1, cues=True)
    assert clone(features).get_params() == features.get_params()
    with pytest.raises(NotFittedError):
        features.transform(TEXTS)
    assert features.fit(TEXTS) is features
    matrix = features.transform(TEXTS)
    names = features.get_feature_names_out()
    assert matrix.shape == (4, len(names)) and names[-1].startswith("cue:")
    again = clone(features).fit(TEXTS).transform(TEXTS)
    assert np.allclose(matrix.toarray(), again.toarray())
    features.set_params(min_df=3)
    assert features.get_params()["min_df"] == 3


def test_log_ratio_scaling_keeps_the_estimator_contract_by_hand() -> None:
    """``check_estimator`` would fit it on three classes, which it refuses by design (a
    log-ratio has two sides), so the contract is tested here by hand."""
    import scipy.sparse as sp

    from classifier.featurize.scaling import LogRatioScaling

    matrix = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    scaling = LogRatioScaling(smoothing=0.5)
    assert clone(scaling).get_params() == {"smoothing": 0.5}
    with pytest.raises(NotFittedError):
        scaling.transform(matrix)
    assert scaling.fit(matrix, [1, 0, 1, 0]) is scaling
    assert scaling.n_features_in_ == 3
    scaled = scaling.transform(matrix)
    assert np.allclose(scaled.toarray(), matrix.toarray() * scaling.scale_)
    assert np.allclose(clone(scaling).fit(matrix.toarray(), [1, 0, 1, 0]).scale_, scaling.scale_)
    with pytest.raises(ValueError, match="features"):
        scaling.transform(matrix[:, :2])
    with pytest.raises(ValueError, match="two labels"):
        LogRatioScaling().fit(matrix, [0, 1, 2, 0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=2, max_size=12),
    st.data(),
)
def test_log_ratio_scaling_properties(rows: list[list[int]], data: st.DataObject) -> None:
    """Every factor is at least 1; swapping the labels leaves it unchanged; a column in the
    same share of each label's posts gets exactly 1, however unequal the labels' sizes;
    fitting with weights equals fitting with rows repeated that many times."""
    import scipy.sparse as sp

    from classifier.featurize.scaling import LogRatioScaling

    labels = [i % 2 for i in range(len(rows))]
    matrix = sp.csr_matrix(np.array(rows, dtype=float))
    scale = LogRatioScaling().fit(matrix, labels).scale_
    assert (scale >= 1).all()
    swapped = LogRatioScaling().fit(matrix, [1 - y for y in labels]).scale_
    assert np.allclose(scale, swapped)
    weights = data.draw(st.lists(st.integers(1, 3), min_size=len(rows), max_size=len(rows)))
    repeated = [row for row, w in zip(rows, weights, strict=True) for _ in range(w)]
    repeated_labels = [y for y, w in zip(labels, weights, strict=True) for _ in range(w)]
    by_weight = LogRatioScaling().fit(matrix, labels, sample_weight=weights).scale_
    by_rows = LogRatioScaling().fit(sp.csr_matrix(np.array(repeated, dtype=float)), repeated_labels).scale_
    assert np.allclose(by_weight, by_rows)
    balanced = sp.csr_matrix(np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]))
    assert np.allclose(LogRatioScaling().fit(balanced, [1, 1, 0, 0]).scale_, 1.0)
    # one promotional post in four, one organic post in four: the same share, factor 1
    imbalanced = sp.csr_matrix(np.array([[1.0]] + [[0.0]] * 3 + [[1.0]] + [[0.0]] * 3))
    assert np.allclose(LogRatioScaling(smoothing=0.0).fit(imbalanced, [1] * 4 + [0] * 4).scale_, 1.0)
    lopsided = sp.csr_matrix(np.array([[1.0]] * 2 + [[0.0]] * 2 + [[1.0]] * 2 + [[0.0]] * 14))
    labels_20 = [1] * 4 + [0] * 16  # the column is in half the promotional posts, 1/8 of the organic
    assert np.isclose(LogRatioScaling(smoothing=0.0).fit(lopsided, labels_20).scale_[0], 1 + np.log(4))


def test_scaling_is_folded_into_the_exported_weights() -> None:
    """A model trained with the scaling scores through the engine exactly as the pipeline
    does, and a configuration saved before the scaling existed reads back without it."""
    from classifier.core.config import TrainConfig
    from classifier.modeling.pipeline import build_pipeline
    from classifier.modeling.training import export_linear

    posts = [*TEXTS, "הנחה למצטרפים היום", "מה שלומכם חברים"]
    labels = [1, 0, 1, 0, 1, 0]
    for scaling in ("log_ratio", "none"):
        pipeline = build_pipeline(TrainConfig(min_df=1, hash_bits=10, scaling=scaling)).fit(posts, labels)
        linear = export_linear(pipeline)
        assert np.allclose(linear.decision(posts), pipeline.decision_function(posts))
    saved = TrainConfig().to_dict()
    del saved["scaling"]
    assert TrainConfig.from_dict(saved).scaling == "none"
    assert TrainConfig.from_dict(TrainConfig().to_dict()).scaling == "log_ratio"


@pytest.mark.parametrize(
    "text",
    ['#שת"פ עם הסטודיו', "#ads היום", "#sponsored", "תוכן ממומן", "כתבה בשיתוף הרשת", "פוסטים ממומנים"],
)
def test_the_disclosure_cue_finds_its_wordings_also_as_hashtags(text: str) -> None:
    column = CUE_NAMES.index("paid-content disclosure")
    counts = extract([text, "סיפור על הגינה שלנו"], FeatureSettings(char_ngrams=(0, 0))).cue_counts
    assert counts[0, column] >= 1 and counts[1, column] == 0


def test_a_quoted_we_is_its_own_cue_and_gershayim_do_not_open_a_quotation() -> None:
    texts = [
        'המנכ"ל אמר לנו: "אנחנו מציעים ללקוחות פתרון חדש"',  # a journalist quotes the firm
        "אנחנו מציעים ללקוחות פתרון חדש",  # the firm speaks
        'עו"ד כהן ורו"ח לוי: אנחנו מציעים ליווי ב-99 ש"ח',  # gershayim only
        'הוא אמר "שלום" ואז: אנחנו מציעים',  # a closed quotation before the firm's "we"
    ]
    counts = extract(texts, FeatureSettings(char_ngrams=(0, 0))).cue_counts
    quoted, offer = CUE_NAMES.index("we, quoted"), CUE_NAMES.index("we offer")
    assert counts[0, quoted] >= 1 and counts[0, offer] == 0
    for row in (1, 2, 3):
        assert counts[row, quoted] == 0 and counts[row, offer] == 1


def test_a_batch_keeps_its_posts_starts_whatever_the_cues_match() -> None:
    texts = ["ובשבוע הבא אנחנו מציעים", "שלום", "והמשרד שלנו בחולון"]
    batch = extract(texts, FeatureSettings(char_ngrams=(0, 0)))
    assert len(batch.starts) == len(texts)
    for start, text in zip(batch.starts.tolist(), texts, strict=True):
        assert batch.joined[start : start + len(normalize(text))] == normalize(text)


@pytest.mark.parametrize(
    ("cue", "cues", "not_cues"),
    [
        (
            "invitation to contact",
            ["פנו אלינו היום", "לתיאום פגישה"],
            ["לפני שבוע", "בפני הוועדה", "מפני הגשם"],
        ),
        ("offer", ["קיבלנו מתנה", "וקיבלנו במתנה", "קבלו את המתנה"], []),  # המתנה is also "the gift"
        ("stock praise", ["טכנאים זמינים ואמינים"], ["אנחנו מזמינים אתכם", "שמאמינים בשינוי", "מאמינה"]),
        ("call to act", ["קנו עכשיו"], ["השקנו השבוע"]),
    ],
)
def test_a_cue_is_not_found_in_a_word_whose_first_letters_are_not_a_prefix(
    cue: str, cues: list[str], not_cues: list[str]
) -> None:
    """Prefix stripping finds ב+מתנה, but not זמינים inside מזמינים ("inviting") or פני inside לפני."""
    column = CUE_NAMES.index(cue)
    counts = extract([*cues, *not_cues], FeatureSettings(char_ngrams=(0, 0))).cue_counts[:, column]
    assert (counts[: len(cues)] >= 1).all()
    assert (counts[len(cues) :] == 0).all()
