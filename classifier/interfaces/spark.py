"""Scoring on Spark: the same engine over Arrow batches, the model shipped once per executor.

Needs the ``spark`` extra (``pip install "promo-he[spark]"``: PySpark, pandas, pyarrow) and Java.

:func:`score_dataframe` adds the predictor's columns to a DataFrame with ``mapInPandas``:
each executor loads the model once from a broadcast copy of the model file's bytes and
scores its Arrow batches with :meth:`classifier.Predictor.score_many`, so a row scores exactly
as it does locally. :func:`score_files` is what ``promo spark-score`` runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.core.errors import ClassifierError

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

#: The columns :func:`score_dataframe` adds, and their Spark types.
OUTPUT_COLUMNS: dict[str, str] = {
    "promo_score": "double",
    "promo_label": "string",
    "language": "string",
    "disclosure": "string",
    "promo_reason": "string",
}
#: Added when asked: the explanation and the most promotional passage, as JSON text.
EXPLAIN_COLUMN, PASSAGE_COLUMN = "promo_explanation", "promo_top_passage"
_HINT = 'Spark scoring needs PySpark: pip install "promo-he[spark]" (and Java 11 or newer)'
_executor_models: dict[str, Any] = {}


def _pyspark() -> Any:
    try:
        import pyspark.sql
    except ImportError:
        raise ClassifierError(_HINT) from None
    return pyspark.sql


def _predictor_of(data: bytes, digest: str, prior: float | None) -> Any:
    """The predictor of a model file's bytes, loaded once per executor process."""
    key = f"{digest}:{prior}"
    if key not in _executor_models:
        from classifier.modeling.storage import load_model_bytes
        from classifier.prediction.predictor import Predictor

        model, card = load_model_bytes(data)
        _executor_models[key] = Predictor(model, card, prior=prior)
    return _executor_models[key]


def score_dataframe(
    df: DataFrame,
    text_col: str = "text",
    model: Path | str | None = None,
    explain: bool = False,
    passages: bool = False,
    prior: float | None = None,
) -> DataFrame:
    """The DataFrame with the predictor's columns added (``promo_score``, ``promo_label``, ...).

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    text_col : str
        The column holding the texts (strings; nulls get no score).
    model : path or None
        A model file; None for the default model.
    explain, passages : bool
        Also add ``promo_explanation`` and ``promo_top_passage`` (JSON text).
    prior : float or None
        As :class:`classifier.Predictor`'s.

    Returns
    -------
    pyspark.sql.DataFrame
        Every input column and row, in the same partitions, plus :data:`OUTPUT_COLUMNS`.

    Raises
    ------
    ClassifierError
        When the column is missing or does not hold strings, or the model cannot be loaded.
    """
    sql = _pyspark()
    from classifier.modeling.storage import default_model_path
    from classifier.prediction.predictor import Predictor

    path = Path(model) if model is not None else default_model_path()
    Predictor.load(path, prior=prior)  # fail here, on the driver, with the loader's message
    if text_col not in df.columns:
        raise ClassifierError(
            f"no column {text_col!r} (found: {', '.join(df.columns)}); pass the text column"
        )
    kind = df.schema[text_col].dataType
    if not isinstance(kind, sql.types.StringType):
        raise ClassifierError(f"column {text_col!r} holds {kind.simpleString()}, not text; cast it to string")
    clash = [c for c in (*OUTPUT_COLUMNS, EXPLAIN_COLUMN, PASSAGE_COLUMN) if c in df.columns]
    if clash:
        raise ClassifierError(f"the DataFrame already has a column {clash[0]!r}; rename it first")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    shipped = df.sparkSession.sparkContext.broadcast(data)
    added = dict(OUTPUT_COLUMNS)
    if explain:
        added[EXPLAIN_COLUMN] = "string"
    if passages:
        added[PASSAGE_COLUMN] = "string"
    schema = ", ".join([f"`{f.name}` {f.dataType.simpleString()}" for f in df.schema.fields])
    schema += ", " + ", ".join(f"{name} {kind}" for name, kind in added.items())

    def score_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        predictor = _predictor_of(shipped.value, digest, prior)
        for batch in batches:
            yield _scored(predictor, batch, text_col, explain, passages)

    return df.mapInPandas(score_batches, schema=schema)


def _scored(
    predictor: Any, batch: pd.DataFrame, text_col: str, explain: bool, passages: bool
) -> pd.DataFrame:
    from classifier.core.labels import label_of
    from classifier.prediction.predictor import languages_of_scored, reasons_of_scored
    from classifier.text.disclosure import classify_disclosure
    from classifier.text.passages import most_promotional

    raw = batch[text_col].tolist()
    texts = ["" if t is None else str(t) for t in raw]
    scores = predictor.score_many(texts)
    threshold = predictor.threshold
    out = batch.copy()
    out["promo_score"] = scores
    out["promo_label"] = [label_of(float(s), threshold) for s in scores]
    out["language"] = [
        None if t is None else lang for t, lang in zip(raw, languages_of_scored(texts, scores), strict=True)
    ]
    out["disclosure"] = [
        None if original is None else classify_disclosure(text).level
        for original, text in zip(raw, texts, strict=True)
    ]
    reasons = reasons_of_scored(texts, scores)
    out["promo_reason"] = ["no text" if t is None else r for t, r in zip(raw, reasons, strict=True)]
    if explain:
        out[EXPLAIN_COLUMN] = [
            json.dumps(predictor.explain(t).to_dict(), ensure_ascii=False) if r is None else None
            for t, r in zip(texts, reasons, strict=True)
        ]
    if passages:
        tops = []
        for text, reason in zip(texts, reasons, strict=True):
            top = most_promotional(predictor.passages(text)) if reason is None else None
            tops.append(json.dumps(top.to_dict(), ensure_ascii=False) if top else None)
        out[PASSAGE_COLUMN] = tops
    return out


def local_session(master: str = "local[2]", app: str = "promo-he") -> SparkSession:
    """A Spark session whose Python workers run this interpreter (so they find the package)."""
    sql = _pyspark()
    if master.startswith("local"):
        # local workers otherwise run whatever python3 is on the PATH, which may lack the package
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = sql.SparkSession.builder.master(master).appName(app)
    return builder.config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate()


def score_files(
    source: str,
    target: str,
    text_col: str = "text",
    id_col: str | None = None,
    model: Path | None = None,
    input_format: str = "parquet",
    output_format: str = "parquet",
    master: str | None = None,
    partitions: int | None = None,
    batch_size: int = 10_000,
    prior: float | None = None,
) -> int:
    """Read ``source`` with Spark, score it, write ``target``; returns the number of rows.

    The output keeps ``id_col`` (when given) and every other input column, and adds the
    predictor's columns. ``batch_size`` is the Arrow batch size of the workers.
    """
    sql = _pyspark()
    spark = local_session(master) if master else sql.SparkSession.builder.appName("promo-he").getOrCreate()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch_size))
    reader = spark.read.format(input_format)
    if input_format in ("csv", "tsv"):
        reader = reader.option("header", "true").option("multiLine", "true").option("escape", '"')
        if input_format == "tsv":
            reader = reader.format("csv").option("sep", "\t")
    df = reader.load(source)
    if id_col is not None and id_col not in df.columns:
        raise ClassifierError(f"{source}: no column {id_col!r} (found: {', '.join(df.columns)})")
    if partitions:
        df = df.repartition(partitions)
    scored = score_dataframe(df, text_col=text_col, model=model, prior=prior)
    scored.write.mode("errorifexists").format(output_format).save(target)
    return int(spark.read.format(output_format).load(target).count())
