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
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from classifier.featurize.features import HashedFeatures

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
