"""An HTML evaluation report: the figures, four plots and the worst errors, in one folder."""

from __future__ import annotations

import html
import io
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sklearn.metrics import precision_recall_curve, roc_curve

from classifier.core.errors import ClassifierError
from classifier.core.labels import ORGANIC, PROMOTIONAL
from classifier.modeling.card import ModelCard
from classifier.modeling.metrics import KindMetrics
from classifier.modeling.storage import atomic_writer
from classifier.workflows.evaluation import ConfidentError, Evaluation, EvaluationFigures

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The images of a report, with their alt texts, in page order.
IMAGES = {
    "roc.png": "ROC curve",
    "precision_recall.png": "Precision-recall curve",
    "reliability.png": "Reliability diagram",
    "score_histograms.png": "Score histograms per label",
}
_CURVES = ("roc.png", "precision_recall.png")
_COLOURS = {ORGANIC: "#1f77b4", PROMOTIONAL: "#d62728"}
_N_BINS_RELIABILITY = 10
_N_BINS_HISTOGRAM = 20
_DPI = 110

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; margin: 2rem auto;
       max-width: 1150px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta, .note { color: #666; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { max-width: 40rem; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1rem; }
.plots img { width: 100%; height: auto; border: 1px solid #eee; }
"""


def write_report(
    evaluation: Evaluation,
    directory: Path,
    title: str = "promo-he evaluation",
    model_card: ModelCard | None = None,
) -> Path:
    """Write an evaluation report: ``index.html`` and its PNG plots in one folder.

    The plots are the ROC curve, the precision-recall curve with the operating point
    at the threshold, a reliability diagram (10 equal-width bins) and the score
    histograms per label. With a single label among the posts the two curves are
    left out and the page says so. Every file is written atomically; the page uses
    no external resources and opens from the folder as it is.

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`classifier.workflows.evaluation.evaluate`.
    directory : Path
        The folder to write into; created if missing.
    title : str
        The page title.
    model_card : ModelCard or None
        The model's card (``Predictor.card``), summarised on the page when given.

    Returns
    -------
    Path
        The path of ``index.html``.

    Raises
    ------
    ClassifierError
        When matplotlib (the ``report`` extra) is not installed, or the folder cannot be written.

    Examples
    --------
    >>> from classifier.modeling.dataset import LabelledPosts
    >>> from classifier.workflows.evaluation import evaluate
    >>> class Fixed:  # a stand-in predictor with known scores
    ...     threshold = 0.5
    ...     def score_many(self, texts):
    ...         return np.array([0.9, 0.2, 0.7, 0.6])
    >>> evaluation = evaluate(Fixed(), LabelledPosts(texts=["a", "b", "c", "d"], labels=[1, 0, 1, 0]))
    >>> write_report(evaluation, Path("report"))  # doctest: +SKIP
    PosixPath('report/index.html')
    """
    try:
        import matplotlib  # noqa: F401  # first, so a missing package is caught even if submodules are cached
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError:
        raise ClassifierError("--report needs matplotlib: pip install 'promo-he[report]'") from None
    directory = Path(directory)
    figures = evaluation.figures
    threshold = figures.metrics.overall.threshold
    both_labels = len(np.unique(evaluation.labels)) == 2
    if both_labels:
        _save_png(_plot_roc(evaluation), directory / "roc.png")
        _save_png(_plot_precision_recall(evaluation, threshold), directory / "precision_recall.png")
    _save_png(_plot_reliability(evaluation), directory / "reliability.png")
    _save_png(_plot_histograms(evaluation, threshold), directory / "score_histograms.png")
    page = _render_html(figures, title, model_card, both_labels)
    index = directory / "index.html"
    with atomic_writer(index) as stream:
        stream.write(page.encode("utf-8"))
    return index


# --- plots -------------------------------------------------------------------------------


def _new_figure() -> tuple[Figure, Axes]:
    """A figure with one axes on the Agg canvas, outside pyplot's global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.6, 4.6), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _save_png(figure: Figure, path: Path) -> None:
    """Render a figure as PNG and write it atomically, then free it."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    figure.clear()  # not registered with pyplot, so clearing is all the closing it needs
    with atomic_writer(path) as stream:
        stream.write(buffer.getvalue())


def _plot_roc(evaluation: Evaluation) -> Figure:
    """ROC curve with its AUC, the chance diagonal and the operating point."""
    overall = evaluation.figures.metrics.overall
    fpr, tpr, _ = roc_curve(evaluation.labels, evaluation.scores)
    (tn, fp), (fn, tp) = overall.confusion
    figure, axes = _new_figure()
    axes.plot(fpr, tpr, color=_COLOURS[PROMOTIONAL], lw=2, label=f"model (AUC {_three(overall.roc_auc)})")
    axes.plot([0, 1], [0, 1], color="grey", ls="--", lw=1, label="chance")
    axes.plot(fp / max(fp + tn, 1), tp / max(tp + fn, 1), "ko", label=f"threshold {overall.threshold:.3f}")
    _square(axes, "False positive rate (organic flagged)", "True positive rate (promotional caught)")
    axes.set_title("ROC curve")
    axes.legend(loc="lower right")
    return figure


def _plot_precision_recall(evaluation: Evaluation, threshold: float) -> Figure:
    """Precision-recall curve with average precision and the operating point at the threshold."""
    overall = evaluation.figures.metrics.overall
    precision, recall, _ = precision_recall_curve(evaluation.labels, evaluation.scores)
    base_rate = float(np.mean(evaluation.labels))
    figure, axes = _new_figure()
    axes.step(
        recall,
        precision,
        where="post",
        color=_COLOURS[PROMOTIONAL],
        lw=2,
        label=f"model (AP {_three(overall.pr_auc)})",
    )
    axes.axhline(base_rate, color="grey", ls="--", lw=1, label=f"chance ({base_rate:.2f} promotional)")
    axes.plot(
        overall.recall,
        overall.precision,
        "ko",
        label=f"threshold {threshold:.3f}: P {overall.precision:.2f}, R {overall.recall:.2f}",
    )
    _square(axes, "Recall (promotional caught)", "Precision (flagged that are promotional)")
    axes.set_title("Precision-recall curve")
    axes.legend(loc="lower left")
    return figure


def _plot_reliability(evaluation: Evaluation) -> Figure:
    """Mean score against the share of promotional posts per score bin, with bin counts as bars."""
    from matplotlib.ticker import MaxNLocator

    labels, scores = evaluation.labels.astype(float), evaluation.scores
    # the same bins as classifier.modeling.metrics.expected_calibration_error
    bins = np.minimum((scores * _N_BINS_RELIABILITY).astype(int), _N_BINS_RELIABILITY - 1)
    counts = np.bincount(bins, minlength=_N_BINS_RELIABILITY)
    filled = np.flatnonzero(counts)
    mean_score = np.array([scores[bins == b].mean() for b in filled])
    share = np.array([labels[bins == b].mean() for b in filled])
    width = 1 / _N_BINS_RELIABILITY
    figure, axes = _new_figure()
    bars = axes.twinx()
    edges = np.arange(_N_BINS_RELIABILITY) * width
    bars.bar(edges, counts, width=width, align="edge", color="#bbbbbb", alpha=0.5, label="posts in bin")
    bars.set_ylim(0, max(int(counts.max()), 1) * 3)  # keep the bars in the lower third
    bars.set_ylabel("Posts in bin")
    bars.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_zorder(bars.get_zorder() + 1)  # curve above the bars
    axes.patch.set_visible(False)
    axes.plot([0, 1], [0, 1], color="grey", ls="--", lw=1, label="perfectly calibrated")
    axes.plot(mean_score, share, "o-", color=_COLOURS[PROMOTIONAL], lw=2, label="model")
    _square(axes, "Mean score in bin", "Fraction promotional in bin")
    axes.set_title(
        f"Reliability ({_N_BINS_RELIABILITY} bins), ECE {evaluation.figures.metrics.overall.ece:.3f}"
    )
    handles = axes.get_legend_handles_labels()
    more = bars.get_legend_handles_labels()
    axes.legend(handles[0] + more[0], handles[1] + more[1], loc="upper left")
    return figure


def _plot_histograms(evaluation: Evaluation, threshold: float) -> Figure:
    """Overlaid score histograms of organic and promotional posts, with the threshold."""
    from matplotlib.ticker import MaxNLocator

    figure, axes = _new_figure()
    edges = np.linspace(0.0, 1.0, _N_BINS_HISTOGRAM + 1).tolist()
    for value, name in ((0, ORGANIC), (1, PROMOTIONAL)):
        inside = evaluation.scores[evaluation.labels == value]
        axes.hist(inside, bins=edges, color=_COLOURS[name], alpha=0.45, label=f"{name} (n={inside.size})")
        if inside.size:  # an empty outline would draw a coloured line along zero
            axes.hist(inside, bins=edges, color=_COLOURS[name], histtype="step", lw=1.5)
    axes.axvline(threshold, color="black", ls="--", lw=1.2, label=f"threshold {threshold:.3f}")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, axes.get_ylim()[1] * 1.3)  # headroom for the legend
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Promotional score")
    axes.set_ylabel("Posts")
    axes.set_title(f"Scores per label ({_N_BINS_HISTOGRAM} bins)")
    axes.legend(loc="upper center")
    return figure


def _square(axes: Axes, xlabel: str, ylabel: str) -> None:
    """Unit-square limits, labels and a light grid for a curve plot."""
    axes.set_xlim(-0.01, 1.01)
    axes.set_ylim(-0.01, 1.03)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.grid(alpha=0.3)


# --- page --------------------------------------------------------------------------------


def _render_html(figures: EvaluationFigures, title: str, card: ModelCard | None, both_labels: bool) -> str:
    """The whole page as a string."""
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style></head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">Generated {_e(generated)} · {figures.metrics.n} posts</p>',
    ]
    if card is not None:
        parts += ["<h2>Model</h2>", _card_table(card)]
    parts += ["<h2>Overall</h2>", _overall_tables(figures), "<h2>Plots</h2>"]
    if not both_labels:
        parts.append(
            '<p class="note">ROC and precision-recall curves are unavailable: '
            "the posts have only one label.</p>"
        )
    parts.append('<div class="plots">')
    for name, alt in IMAGES.items():
        if both_labels or name not in _CURVES:
            parts.append(f'<img src="{name}" alt="{_e(alt)}">')
    parts.append("</div>")
    if figures.metrics.per_kind is not None:
        parts += [
            "<h2>Per kind</h2>",
            '<p class="note">Recall of promotional kinds and false-positive rate of organic kinds, '
            "worst first within each label.</p>",
            _per_kind_table(figures.metrics.per_kind),
        ]
    for heading, errors in (
        ("Most confident false positives", figures.false_positives),
        ("Most confident false negatives", figures.false_negatives),
    ):
        parts += [f"<h2>{heading}</h2>", _errors_table(errors)]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _card_table(card: ModelCard) -> str:
    """The model card's main facts as a two-column table."""
    rows = ", ".join(f"{name} {count}" for name, count in card.training_data.rows.items())
    facts = [
        ("Name", card.name),
        ("Created", card.created),
        ("Package version", card.package_version),
        ("scikit-learn version", card.sklearn_version),
        ("Training data", ", ".join(card.training_data.files) or "n/a"),
        ("Training rows", rows or "n/a"),
        ("Calibration", card.calibration.chosen),
        ("Threshold", f"{card.threshold:.3f} ({card.threshold_rule})"),
    ]
    return _table(None, [[_cell(name), _cell(value)] for name, value in facts])


def _overall_tables(figures: EvaluationFigures) -> str:
    """The headline figures, the per-class figures and the confusion matrix."""
    o = figures.metrics.overall
    headline = _table(
        ["Threshold", "Macro-F1", "ROC-AUC", "PR-AUC", "Brier", "ECE"],
        [[_num(value) for value in (o.threshold, o.macro_f1, o.roc_auc, o.pr_auc, o.brier, o.ece)]],
    )
    per_class = _table(
        ["Class", "Precision", "Recall", "F1", "n"],
        [
            [_cell(name), _num(c.precision), _num(c.recall), _num(c.f1), _int(c.n)]
            for name, c in figures.metrics.per_class.items()
        ],
    )
    (tn, fp), (fn, tp) = o.confusion
    confusion = _table(
        ["true \\ predicted", ORGANIC, PROMOTIONAL],
        [[_cell(ORGANIC), _int(tn), _int(fp)], [_cell(PROMOTIONAL), _int(fn), _int(tp)]],
    )
    return f"{headline}\n{per_class}\n<h3>Confusion matrix</h3>\n{confusion}"


def _per_kind_table(rows: tuple[KindMetrics, ...]) -> str:
    """Figures per kind, worst first within each label (lowest recall, highest false-positive rate)."""
    ordered = sorted(rows, key=lambda r: (r.label, r.value if r.is_recall else -r.value, r.kind))
    body = [
        [
            _cell(row.kind, direction="auto"),
            _cell(row.label),
            _int(row.n),
            _cell("recall" if row.is_recall else "false-positive rate"),
            _num(row.value),
        ]
        for row in ordered
    ]
    return _table(["Kind", "Label", "n", "Metric", "Value"], body)


def _errors_table(errors: tuple[ConfidentError, ...]) -> str:
    """The most confident errors, with right-to-left excerpts."""
    if not errors:
        return '<p class="note">None.</p>'
    body = [
        [
            _num(error.score),
            _cell(error.where),
            _cell(error.kind, direction="auto"),
            _cell(error.excerpt, direction="rtl", css="text"),
        ]
        for error in errors
    ]
    return _table(["Score", "Where", "Kind", "Excerpt"], body)


def _table(header: list[str] | None, rows: list[list[str]]) -> str:
    """An HTML table from header texts (escaped here) and rows of ``<td>`` cells."""
    lines = ["<table>"]
    if header:
        lines.append("<tr>" + "".join(f"<th>{_e(text)}</th>" for text in header) + "</tr>")
    lines += ["<tr>" + "".join(row) + "</tr>" for row in rows]
    lines.append("</table>")
    return "\n".join(lines)


def _cell(text: object, direction: str | None = None, css: str | None = None) -> str:
    """A table cell holding escaped text, optionally with a text direction and a class."""
    attributes = (f' dir="{direction}"' if direction else "") + (f' class="{css}"' if css else "")
    return f"<td{attributes}>{_e(text)}</td>"


def _three(value: float | None) -> str:
    """A figure with three decimals, or n/a."""
    return "n/a" if value is None else f"{value:.3f}"


def _num(value: float | None) -> str:
    """A figure with three decimals in a right-aligned cell, or n/a."""
    return _cell(_three(value), css="num")


def _int(value: int) -> str:
    """A count in a right-aligned cell."""
    return _cell(int(value), css="num")


def _e(text: object) -> str:
    """Text escaped for HTML content and attributes."""
    return html.escape(str(text), quote=True)
