"""The default model: where it is read from, that loading only reads, and that it matches the corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from classifier import Predictor
from classifier.core.config import TrainConfig
from classifier.modeling import storage
from classifier.workflows.default_model import DEFAULT_PRIOR, corpus_config, corpus_sha256

COMMITTED = Path(__file__).resolve().parent.parent / "models" / storage.DEFAULT_MODEL_NAME


def test_default_model_path_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_MODEL_DIR", str(tmp_path))
    assert storage.default_model_path() == tmp_path / "promo-he.npz"
    monkeypatch.delenv("PROMO_MODEL_DIR")
    assert storage.default_model_path() == COMMITTED


def test_default_model_load_only_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROMO_MODEL_DIR", str(tmp_path))
    with pytest.raises(Exception, match="no model there"):
        Predictor.load()
    assert list(tmp_path.iterdir()) == []  # nothing trained, nothing written


def test_committed_default_model_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMO_MODEL_DIR")
    predictor = Predictor.load()
    card = predictor.card
    assert card.training_data.sha256 == corpus_sha256(), "data/posts.csv changed: run `promo train`"
    assert card.config == corpus_config(TrainConfig()), "defaults changed: run `promo train`"
    assert card.default_prior == DEFAULT_PRIOR
    assert card.heldout is not None and card.heldout.per_kind


@pytest.mark.slow
def test_committed_default_model_is_what_promo_train_builds() -> None:
    from classifier.modeling.storage import _checksum as checksum
    from classifier.modeling.storage import model_arrays, model_card_fields
    from classifier.workflows.default_model import train_default_model

    committed = json.loads(COMMITTED.with_name("promo-he.card.json").read_text(encoding="utf-8"))
    rebuilt = train_default_model()
    assert model_card_fields(rebuilt.model)["threshold"] == pytest.approx(committed["threshold"], abs=1e-9)
    assert checksum(model_arrays(rebuilt.model)) == committed["arrays_sha256"]


def test_scoring_imports_neither_scikit_learn_nor_scipy_nor_pandas(tmp_path: Path) -> None:
    import subprocess

    post = tmp_path / "post.txt"
    post.write_text("מבצע ענק על כל החנות, רק היום!", encoding="utf-8")
    code = (
        "import sys\n"
        "from classifier import Predictor\n"
        "from classifier.interfaces.cli import main\n"
        "p = Predictor.load()\n"
        "p.score_many(['מבצע', 'שלום'])\n"
        "p.explain('מבצע ענק, התקשרו 050-1234567')\n"
        "heavy = sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "PROMO_MODEL_DIR"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == ""
    cli = (
        "import sys\nfrom classifier.interfaces.cli import main\n"
        f"try:\n    main(['score', {str(post)!r}])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules], file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", cli], capture_output=True, text=True, env=env, check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
