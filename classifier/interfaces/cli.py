"""The ``promo`` command line: a thin shell over the library."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from classifier._version import __version__
from classifier.core.config import TrainConfig
from classifier.core.errors import ClassifierError
from classifier.modeling.model import CALIBRATION_METHODS
from classifier.modeling.storage import card_path
from classifier.modeling.tables import table_format
from classifier.workflows.inputs import MAX_POST_CHARS, InputProblem
from classifier.workflows.output import FORMATS, ScoredPost, format_results, printable

logger = logging.getLogger("classifier")


class _StderrHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        prefix = "warning: " if record.levelno >= logging.WARNING else ""
        click.echo(prefix + record.getMessage(), err=True)


def _column_options(command: Callable[..., None]) -> Callable[..., None]:
    """The text and label column options shared by train and evaluate."""
    command = click.option(
        "--label-column", default="label", show_default=True, help="Column (or JSON key) holding the label."
    )(command)
    return click.option(
        "--text-column", default="text", show_default=True, help="Column (or JSON key) holding the post."
    )(command)


_model_option = click.option(
    "--model",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Model file (.npz); default: the model installed with the package.",
)
_prior_option = click.option(
    "--prior",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Share of promotional posts where the texts come from; scores are adjusted by Bayes' rule "
    "(default: the share the model was trained on, stated in its card).",
)
_threshold_option = click.option(
    "--threshold", type=click.FloatRange(0, 1), help="Override the model's decision threshold."
)


class _NoProgress:
    def update(self) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


def _progress(results_elsewhere: bool) -> Any:
    """A progress bar on stderr with posts/s, when stderr is a terminal and messages are on."""
    if not (sys.stderr.isatty() and results_elsewhere and logger.level <= logging.INFO):
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(unit=" posts", file=sys.stderr, mininterval=0.5, delay=2.0, smoothing=0.1)


_add_option = click.option(
    "--add",
    "added",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Your own labelled posts (e.g. the review page's labels.jsonl): train learns them besides the "
    "bundled corpus; evaluate shows how a model retrained with them does beside this one (slow).",
)
_weight_option = click.option(
    "--weight",
    type=click.FloatRange(0, min_open=True),
    default=3.0,
    show_default=True,
    help="How much each --add post counts against one corpus post.",
)


def _fail(error: ClassifierError) -> NoReturn:
    click.echo(f"error: {error}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="promo")
@click.option("-v", "--verbose", count=True, help="Say more on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def main(verbose: int, quiet: bool) -> None:
    """Score how promotional Hebrew social-media posts are.

    \b
    Examples:
      promo score examples/
      promo train data/posts.csv --out models/mine.npz
    """
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.INFO
    logger.handlers[:] = [_StderrHandler()]
    logger.setLevel(level)


@main.command()
@click.argument("data", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the model (and its .card.json). Required with DATA; "
    "without DATA the default model is rebuilt.",
)
@click.option(
    "--text-column", default="text", show_default=True, help="Column (or JSON key) holding the post."
)
@click.option(
    "--label-column", default="label", show_default=True, help="Column (or JSON key) holding the label."
)
@click.option(
    "--target-precision",
    type=click.FloatRange(0, 1, min_open=True),
    help="Choose the lowest threshold reaching this cross-validated precision, instead of max F1.",
)
@click.option(
    "--calibration",
    type=click.Choice(["auto", *CALIBRATION_METHODS]),
    default="auto",
    show_default=True,
    help="Score calibration; auto picks by cross-validated Brier score "
    "(length_sigmoid: long texts get their own offset and slope).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the folds and the classifier.")
@click.option("--force", is_flag=True, help="Replace --out even when it is not a model of this package.")
@_add_option
@_weight_option
def train(
    data: tuple[Path, ...],
    out: Path | None,
    text_column: str,
    label_column: str,
    target_precision: float | None,
    calibration: str,
    seed: int,
    force: bool,
    added: tuple[Path, ...],
    weight: float,
) -> None:
    """Learn a model from labelled posts (CSV, TSV or JSONL).

    Labels may be 1/0, promotional/organic, true/false or yes/no. With no DATA,
    trains the default model on the bundled corpus's training split.

    \b
    Examples:
      promo train
      promo train my-posts.csv --out models/mine.npz
      promo train a.jsonl b.tsv --text-column body --label-column is_ad --out m.npz
      promo train my-posts.csv --target-precision 0.95 --out strict.npz
      promo train --add labels.jsonl --weight 3 --out models/corrected.npz
    """
    from classifier.modeling.dataset import read_labelled
    from classifier.modeling.storage import default_model_path
    from classifier.modeling.training import train as train_model
    from classifier.workflows.default_model import train_default_model

    if data and out is None:
        raise click.UsageError("pass --out PATH to say where the model trained on DATA goes")
    if added and (data or out is None):
        raise click.UsageError("--add learns besides the bundled corpus: pass --out PATH and no DATA")
    destination = out or default_model_path()
    if out is not None and out.suffix != ".npz":
        raise click.UsageError(f"--out {out}: a model file ends in .npz")
    if out is not None and out.exists() and not force:
        from classifier.modeling.storage import load_model

        try:
            load_model(out)
        except ClassifierError:
            _fail(
                ClassifierError(
                    f"{out} exists and is not a model of this package; choose another --out or pass --force"
                )
            )
    try:
        config = TrainConfig(target_precision=target_precision, calibration=calibration, seed=seed)  # type: ignore[arg-type]
        if data:
            posts = read_labelled(list(data), text_column, label_column)
            for line in posts.skipped_summary():
                logger.warning(line)
            counts = posts.counts()
            logger.info(
                "training on %d posts (%d promotional, %d organic)",
                len(posts),
                counts["promotional"],
                counts["organic"],
            )
            model = train_model(posts, config)
        elif added:
            from classifier.modeling.training import check_added
            from classifier.workflows.corpus import load_corpus
            from classifier.workflows.default_model import corpus_config

            extra = read_labelled(list(added), text_column, label_column)
            for line in extra.skipped_summary():
                logger.warning(line)
            check_added(extra)
            logger.info(
                "training on the bundled corpus's training split and %d posts of yours (weight %g)",
                len(extra),
                weight,
            )
            model = train_model(load_corpus("train").plus(extra, weight), corpus_config(config))
        else:
            logger.info("training the default model on the bundled corpus's training split")
            model = train_default_model(config)
        click.echo(f"{config.cv_folds}-fold cross-validation: {model.card.cv_metrics.describe()}")
        click.echo(
            f"threshold {model.card.threshold:.3f} ({model.card.threshold_rule}), "
            f"calibration {model.card.calibration.chosen}, "
            f"long texts judged by {model.model.aggregation}"
        )
        existed = destination.exists()
        model.save(destination)
    except ClassifierError as error:
        _fail(error)
    logger.info(
        "%s model %s (card: %s)", "replaced" if existed else "wrote", destination, card_path(destination)
    )


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_model_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@_threshold_option
@click.option("--lines", is_flag=True, help="Score each non-empty line of text inputs as its own post.")
@click.option(
    "--encoding",
    help="Encoding of the inputs (e.g. cp1255, utf-16); default: detect UTF-8, UTF-16, Windows-1255.",
)
@click.option("--text-column", default="text", show_default=True, help="Column of tables holding the post.")
@click.option(
    "--id-column", help="Column of tables holding the id; default: id when present, else the row number."
)
@click.option("--keep", multiple=True, help="Another column of tables to copy to the output (repeatable).")
@click.option(
    "--input-format",
    type=click.Choice(["csv", "tsv", "jsonl", "parquet"]),
    help="Read every input (and -) as this table format, whatever its extension.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the results to this file (.csv, .jsonl or .parquet) instead of stdout, atomically.",
)
@click.option("--explain", is_flag=True, help="Show what pushed each score up and down the most.")
@click.option("--passages", is_flag=True, help="Report each post's most promotional passage.")
@click.option("--highlight", is_flag=True, help="Print each post with its promotional passages marked.")
@click.option("--no-color", is_flag=True, help="Mark passages with ⟦ ⟧ even on a colour terminal.")
@_prior_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(-1, 64),
    default=1,
    show_default=True,
    help="Processes to score with (-1: one per core); output keeps the input order.",
)
def score(
    paths: tuple[str, ...],
    model: Path | None,
    fmt: str,
    threshold: float | None,
    lines: bool,
    encoding: str | None,
    text_column: str,
    id_column: str | None,
    keep: tuple[str, ...],
    input_format: str | None,
    output: Path | None,
    explain: bool,
    passages: bool,
    highlight: bool,
    no_color: bool,
    prior: float | None,
    jobs: int,
) -> None:
    """Score posts: tables (.csv .tsv .jsonl .parquet, a post per row), text files (a post
    each), folders of .txt files, or - for stdin.

    Writes score (0-1), label, disclosure of paid content (clear, weak or none;
    ⚠ marks a promotional post without a clear disclosure) and source per post to
    stdout. A post with too little Hebrew to judge (language: other) or an empty one
    gets no score or label and a warning. Problems with an input go to stderr and do
    not stop the others. Exit status 1 when any input could not be read.

    \b
    Examples:
      promo score examples/
      promo score post.txt --format jsonl
      cat posts.txt | promo score - --lines --format csv
      promo score old-posts/ --encoding cp1255 --threshold 0.8
      promo score article.txt --explain --highlight
      promo score posts/ --passages --format csv
      promo score big.txt --lines --jobs 2 --prior 0.05
      promo score export.csv --id-column post_id --keep author -o scored.parquet
    """
    from classifier.prediction.predictor import Predictor
    from classifier.workflows.inputs import TableOptions, read_posts
    from classifier.workflows.output import write_results
    from classifier.workflows.scoring import Analyses, score_inputs

    if output is not None:
        inputs = {Path(p).resolve() for p in paths if p != "-"}
        if output.resolve() in inputs:
            raise click.UsageError(f"-o {output} is also an input; write the results elsewhere")

    try:
        predictor = Predictor.load(model, prior=prior)
    except ClassifierError as error:
        _fail(error)
    color = not no_color and fmt == "table" and sys.stdout.isatty()
    analyses = Analyses(explain=explain, passages=passages, highlight=highlight, color=color)
    counts = {"scored": 0, "failed": 0}

    tables = TableOptions(text_column, id_column, keep, input_format)
    is_table = input_format is not None or any(table_format(Path(p)) for p in paths if p != "-")
    lead = ("id", *keep) if is_table else ()
    progress = _progress(output is not None or not sys.stdout.isatty())

    def results() -> Iterator[ScoredPost]:
        items = read_posts(paths, lines=lines, encoding=encoding, tables=tables)
        for item in score_inputs(predictor, items, threshold, analyses=analyses, n_jobs=jobs):
            if isinstance(item, InputProblem):
                counts["failed"] += 1
                click.echo(f"error: {printable(str(item))}", err=True)
                continue
            counts["scored"] += 1
            progress.update()
            if item.score is None:
                logger.warning("%s: %s; not scored", printable(item.source), item.extras.get("reason"))
            if item.extras.get("truncated"):
                logger.warning(
                    "%s: longer than %d characters; scored on its start",
                    printable(item.source),
                    MAX_POST_CHARS,
                )
            yield item

    try:
        if output is not None:
            written = write_results(results(), output, with_passages=passages, lead=lead)
            logger.info("wrote %d result(s) to %s", written, output)
        else:
            for line in format_results(results(), fmt, with_passages=passages, lead=lead):  # type: ignore[arg-type]
                click.echo(line)
    except ClassifierError as error:
        _fail(error)
    finally:
        progress.close()
        predictor.close()
    if counts["failed"]:
        logger.warning(
            "%d input(s) could not be scored; %d post(s) scored", counts["failed"], counts["scored"]
        )
        sys.exit(1)


@main.command()
@click.argument("data", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@_model_option
@_column_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_threshold_option
@_prior_option
@_add_option
@_weight_option
@click.option(
    "--report",
    type=click.Path(path_type=Path, file_okay=False),
    help="Also write an HTML report with plots to this folder (needs the 'report' extra).",
)
def evaluate(
    data: tuple[Path, ...],
    model: Path | None,
    text_column: str,
    label_column: str,
    fmt: str,
    threshold: float | None,
    prior: float | None,
    added: tuple[Path, ...],
    weight: float,
    report: Path | None,
) -> None:
    """Measure a model on labelled posts (default: the bundled corpus's held-out split).

    Prints precision, recall and F1 per class, macro-F1, ROC-AUC, PR-AUC, Brier
    score, expected calibration error, the confusion matrix, score distributions,
    figures per kind (when the data has a kind column) and the most confident errors.

    \b
    Examples:
      promo evaluate
      promo evaluate my-labelled.csv --model models/mine.npz
      promo evaluate --format json > heldout.json
      promo evaluate --report reports/heldout
      promo evaluate --add labels.jsonl --weight 3
    """
    from classifier.modeling.dataset import read_labelled
    from classifier.prediction.predictor import Predictor
    from classifier.workflows.corpus import load_corpus
    from classifier.workflows.evaluation import evaluate as evaluate_model
    from classifier.workflows.evaluation import render_text

    try:
        predictor = Predictor.load(model, prior=prior)
        if added:
            from classifier.workflows.corrections import compare

            extra = read_labelled(list(added), text_column, label_column)
            logger.info("retraining with %d posts of yours, five times for cross-validation", len(extra))
            comparison = compare(predictor, extra, weight)
            click.echo(json.dumps(comparison.to_dict(), indent=2) if fmt == "json" else comparison.render())
            return
        posts = read_labelled(list(data), text_column, label_column) if data else load_corpus("heldout")
        if not data and prior is None:  # the held-out split has the corpus's share of promotional posts
            from classifier.workflows.default_model import at_corpus_share

            predictor = at_corpus_share(predictor)
        for line in posts.skipped_summary():
            logger.warning(line)
        if not posts.texts:
            raise ClassifierError("no labelled posts to evaluate; check the files and the column options")
        result = evaluate_model(predictor, posts, threshold)
        if fmt == "json":
            click.echo(json.dumps(result.figures.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(render_text(result.figures))
        if report is not None:
            from classifier.workflows.report import write_report

            page = write_report(result, report, model_card=predictor.card)
            logger.info("report written: %s", page)
    except ClassifierError as error:
        _fail(error)


@main.command("spark-score")
@click.argument("source")
@click.argument("target")
@click.option("--text-column", default="text", show_default=True, help="Column holding the texts.")
@click.option("--id-column", help="Column holding the ids (checked to exist; every column is kept anyway).")
@_model_option
@_prior_option
@click.option(
    "--input-format",
    default="parquet",
    show_default=True,
    help="Any format Spark reads (parquet, csv, json, orc...).",
)
@click.option("--output-format", default="parquet", show_default=True, help="Any format Spark writes.")
@click.option("--master", help="Spark master, e.g. local[2] (default: the one spark-submit gives).")
@click.option("--partitions", type=click.IntRange(1), help="Repartition the input into this many partitions.")
@click.option(
    "--batch-size", type=click.IntRange(1), default=10_000, show_default=True, help="Rows per Arrow batch."
)
def spark_score(
    source: str,
    target: str,
    text_column: str,
    id_column: str | None,
    model: Path | None,
    prior: float | None,
    input_format: str,
    output_format: str,
    master: str | None,
    partitions: int | None,
    batch_size: int,
) -> None:
    """Score a table with Spark: SOURCE (a file or folder Spark reads) to TARGET (a new folder).

    Needs the spark extra (pip install "promo-he[spark]") and Java. Adds promo_score,
    promo_label, language, disclosure and promo_reason to every row; TARGET must not exist.

    \b
    Examples:
      promo spark-score posts.parquet scored.parquet --master "local[2]"
      promo spark-score s3://lake/posts/ s3://lake/scored/ --id-column post_id
      spark-submit --master yarn $(which promo) spark-score in/ out/
    """
    from classifier.interfaces.spark import score_files

    try:
        rows = score_files(
            source,
            target,
            text_col=text_column,
            id_col=id_column,
            model=model,
            input_format=input_format,
            output_format=output_format,
            master=master,
            partitions=partitions,
            batch_size=batch_size,
            prior=prior,
        )
    except ClassifierError as error:
        _fail(error)
    except Exception as error:  # Spark reports bad paths and formats as its own exceptions
        if type(error).__name__ in ("AnalysisException", "IllegalArgumentException"):
            _fail(ClassifierError(str(error).splitlines()[0]))
        raise
    logger.info("scored %d rows into %s", rows, target)


@main.command()
@_model_option
@_prior_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Server processes.")
@click.option(
    "--labels",
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON-lines file the review page's corrections are appended to "
    "(default: $PROMO_LABELS, else ~/.local/share/promo-he/labels.jsonl).",
)
def serve(
    model: Path | None, prior: float | None, host: str, port: int, workers: int, labels: Path | None
) -> None:
    """Serve the scoring API and the review page over HTTP (needs the serve extra).

    POST /v1/score, POST /v1/corrections, GET /healthz, GET /v1/model, GET /docs, and the
    review page at /.

    \b
    Examples:
      promo serve
      promo serve --port 9000 --labels reviews/labels.jsonl
      promo serve --host 0.0.0.0 --workers 2 --model models/mine.npz
    """
    try:
        import uvicorn
    except ImportError:
        _fail(ClassifierError('the service needs FastAPI and uvicorn: pip install "promo-he[serve]"'))
    from classifier.interfaces.service import LABELS_VARIABLE, create_app, default_labels_path
    from classifier.prediction.predictor import Predictor

    try:
        predictor = Predictor.load(model, prior=prior)
    except ClassifierError as error:
        _fail(error)
    target = labels or default_labels_path()
    logger.info("corrections go to %s", target)
    if workers == 1:
        uvicorn.run(
            create_app(predictor, target), host=host, port=port, log_level="warning", access_log=False
        )
        return
    # several processes each build the app from the environment (uvicorn imports it by name)
    os.environ[LABELS_VARIABLE] = str(target)
    if model is not None:
        os.environ["PROMO_SERVE_MODEL"] = str(model)
    if prior is not None:
        os.environ["PROMO_SERVE_PRIOR"] = str(prior)
    uvicorn.run(
        "classifier.interfaces.service:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # never shown at the warning level; not even formatted
    )
