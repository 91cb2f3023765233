"""Scoring on a real local Spark session gives what the local predictor gives."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from classifier import ClassifierError, Predictor

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[spark]')")
if shutil.which("java") is None:
    pytest.skip("no Java on this machine: Spark needs it", allow_module_level=True)

from classifier.interfaces.spark import local_session, score_dataframe, score_files  # noqa: E402

TEXTS = [
    "מבצע ענק! 50% הנחה על כל החנות, התקשרו 050-1234567",
    "שבת שלום לכולם, איזה גשם היה היום",
    None,
    "",
    "Limited offer, order now",
    "קוד הנחה SHIRA10 לכל האתר, הלינק בביו",
]


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    session = local_session("local[2]", "promo-he-tests")
    yield session
    session.stop()


def test_spark_scores_equal_the_predictors_and_keep_ids_and_rows(spark: object, model_file: Path) -> None:
    rows = [(i * 10, text) for i, text in enumerate(TEXTS)]
    df = spark.createDataFrame(rows * 50, "id long, text string").repartition(3)  # type: ignore[attr-defined]
    out = score_dataframe(df, model=model_file).toPandas().sort_values("id", kind="stable")
    assert len(out) == len(rows) * 50
    local = Predictor.load(model_file)
    expected = local.score_many(["" if t is None else t for t in TEXTS])
    for i in range(len(TEXTS)):
        mine = out[out["id"] == i * 10]
        assert len(mine) == 50
        got = mine["promo_score"].to_numpy(dtype=float)
        if np.isnan(expected[i]):
            assert np.isnan(got).all() and mine["promo_label"].isna().all()
        else:
            assert np.allclose(got, expected[i], rtol=0, atol=1e-9)
    by_id = out.drop_duplicates("id").set_index("id")
    assert by_id.loc[20, "promo_reason"] == "no text" and by_id.loc[30, "promo_reason"].startswith(
        "empty post"
    )
    assert by_id.loc[40, "language"] == "other"


def test_spark_refuses_a_column_that_is_not_text(spark: object, model_file: Path) -> None:
    df = spark.createDataFrame([(1, 2)], "id long, text long")  # type: ignore[attr-defined]
    with pytest.raises(ClassifierError, match="column 'text' holds bigint, not text; cast it to string"):
        score_dataframe(df, model=model_file)
    with pytest.raises(ClassifierError, match="no column 'body'"):
        score_dataframe(df, text_col="body", model=model_file)


def test_spark_score_files_reads_and_writes_parquet(spark: object, model_file: Path, tmp_path: Path) -> None:
    rows = [(f"p{i}", text) for i, text in enumerate(TEXTS)]
    spark.createDataFrame(rows, "post_id string, body string").write.parquet(str(tmp_path / "in"))  # type: ignore[attr-defined]
    count = score_files(
        str(tmp_path / "in"), str(tmp_path / "out"), text_col="body", id_col="post_id", model=model_file
    )
    assert count == len(TEXTS)
    written = spark.read.parquet(str(tmp_path / "out")).toPandas()  # type: ignore[attr-defined]
    assert sorted(written["post_id"]) == sorted(r[0] for r in rows)
    assert {"promo_score", "promo_label", "language", "disclosure"} <= set(written.columns)
