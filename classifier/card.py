"""The human-readable model card, written as Markdown beside every model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from classifier.passages import LONG_TEXT_WORDS

LABEL_DEFINITION = (
    "**Promotional (1)**: the post's purpose is to get readers to act for the commercial benefit of the "
    "author or of a sponsor: buy, order, book, sign up, download, follow a business or channel, click a "
    "commercial link, use a coupon or affiliate code, enter a brand giveaway, attend a paid event. "
    "Includes ads, paid influencer content (disclosed or not), affiliate and coupon posts, small-business "
    "self-promotion, courses and MLM, giveaways, advertorials, growth spam and scams.\n\n"
    "**Organic (0)**: personal or informational content with no commercial push: stories, opinions, "
    "humour, greetings, news, questions, requests for recommendations, complaints and genuine unpaid "
    "recommendations that name brands, writing about marketing, non-commercial community notices."
)
_N_WEAKEST = 5


def _fmt(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "n/a" if value is None else str(value)


def _metrics_table(named: list[tuple[str, dict[str, Any]]]) -> list[str]:
    keys = ("n", "precision", "recall", "f1", "macro_f1", "roc_auc", "pr_auc", "brier", "ece")
    lines = ["| data | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    for name, m in named:
        lines.append(f"| {name} | " + " | ".join(_fmt(m.get(k)) for k in keys) + " |")
    return lines


def _provenance(data: dict[str, Any]) -> list[str]:
    """Where the training data came from, as far as the card knows."""
    files = [str(f) for f in data.get("files", [])]
    lines = []
    if any(Path(f).name == "posts.csv" for f in files):
        lines.append(
            "- posts.csv is the bundled corpus if it is data/posts.csv of promo-he: written post by post by "
            "the project, with fictional brands and people, following GUIDELINES.md (see data/README.md)."
        )
    others = [f for f in files if Path(f).name != "posts.csv"]
    if others:
        lines.append(f"- Your own data: {', '.join(others)}; its provenance is yours to record.")
    if data.get("weighted"):
        lines.append(f"- Post weights in training: {data['weighted']} (posts added with `--add` count more).")
    return lines


def render_markdown(card: dict[str, Any]) -> str:
    """Render a model card as Markdown for people.

    Sections: intended use and users, the label definition, training data, metrics
    with the data they were measured on, the weakest kinds, limitations, and how to
    retrain.

    Examples
    --------
    >>> text = render_markdown({"name": "m", "threshold": 0.4, "training_data": {"rows": {"organic": 5}}})
    >>> text.splitlines()[0]
    '# Model card: m'
    """
    data = card.get("training_data", {})
    rows = data.get("rows", {})
    calibration = card.get("calibration", {})
    lines = [
        f"# Model card: {card.get('name', 'model')}",
        "",
        f"Created {card.get('created', 'n/a')} by promo-he {card.get('package_version', 'n/a')} "
        f"(scikit-learn {card.get('sklearn_version', 'n/a')}, Python {card.get('python_version', 'n/a')}).",
        "",
        "## Intended use",
        "",
        "Scores how promotional a Hebrew post, web page or article is, from 0 (organic) to 1 "
        "(promotional), for "
        "trust-and-safety teams, researchers, regulators and marketing analysts who measure, filter or "
        "label promotional content. Use the score to rank and triage posts for review and to measure "
        "the share of promotional content; do not use it as the sole basis of a legal or disciplinary "
        "decision about a person.",
        "",
        "## Label definition",
        "",
        LABEL_DEFINITION,
        "",
        "## Training data",
        "",
        f"- Files: {', '.join(data.get('files', [])) or 'n/a'}"
        + (f" ({data['split']})" if data.get("split") else ""),
        f"- Rows: {rows.get('promotional', 0)} promotional, {rows.get('organic', 0)} organic; "
        f"skipped: {data.get('skipped') or 'none'}",
        f"- SHA-256 of the data: `{data.get('sha256', 'n/a')}`",
        *_provenance(data),
        "",
        "## Decision threshold and calibration",
        "",
        f"- Threshold: {_fmt(card.get('threshold'))} ({card.get('threshold_rule', 'n/a')}, "
        "chosen on cross-validated scores).",
        f"- Calibration: {calibration.get('chosen', 'n/a')}; cross-validated candidates: "
        + ", ".join(
            f"{name} (Brier {_fmt(v.get('brier'))}, ECE {_fmt(v.get('ece'))})"
            for name, v in calibration.get("cross_validated", {}).items()
        ),
        "",
        "## Long texts, base rate and file format",
        "",
        f"- Long texts: a text of {LONG_TEXT_WORDS} words or more with several passages (paragraphs, else "
        f"lines, else sentences) is judged by the rule `{card.get('aggregation', 'n/a')}` "
        "(chosen by cross-validated ROC-AUC on such texts: "
        + ", ".join(
            f"{rule} {_fmt(auc)}"
            for rule, auc in card.get("aggregation_cross_validated", {})
            .get("roc_auc_on_texts_of_several_passages", {})
            .items()
        )
        + "); `whole_capped` takes the whole text's log-odds but never more than its most promotional "
        "passage's, so length alone cannot make a text promotional.",
        f"- Base rate: probabilities assume the training data's share of promotional posts, "
        f"{_fmt(card.get('trained_share'))}; in a feed where promotion is rarer, pass `--prior` "
        "(`Predictor(prior=...)`) to adjust them by Bayes' rule.",
        "- Language: texts with too little Hebrew to judge get no score (language `other`).",
        f"- Format: version {card.get('format_version', 'n/a')}, NumPy arrays in an `.npz` file read without "
        f"unpickling, checked against SHA-256 `{str(card.get('arrays_sha256', 'n/a'))[:16]}…`; features "
        f"{card.get('features', 'n/a')}.",
        "",
        "## Metrics",
        "",
    ]
    named = []
    if card.get("cv_metrics"):
        named.append(("cross-validation on the training data", card["cv_metrics"]))
    heldout = card.get("heldout", {})
    if heldout.get("overall"):
        named.append(("held-out split (never trained on)", heldout["overall"]))
    lines += _metrics_table(named) if named else ["No metrics recorded."]
    per_kind = heldout.get("per_kind", [])
    if per_kind:
        promo = sorted((r for r in per_kind if r["metric"] == "recall"), key=lambda r: r["value"])
        organic = sorted((r for r in per_kind if r["metric"] != "recall"), key=lambda r: -r["value"])
        lines += ["", "## Weakest kinds (held-out split)", ""]
        lines += [
            f"- promotional `{r['kind']}`: recall {r['value']:.3f} (n={r['n']})" for r in promo[:_N_WEAKEST]
        ]
        lines += [
            f"- organic `{r['kind']}`: false-positive rate {r['value']:.3f} (n={r['n']})"
            for r in organic[:_N_WEAKEST]
        ]
    lines += [
        "",
        "## Limitations",
        "",
        "- Trained on a written corpus, not on sampled real posts: figures on it overstate quality on real "
        "feeds. Measure on your own labelled posts with `promo evaluate your.csv`.",
        "- Text only: it does not see images, video, link targets, the account or its history.",
        "- Undisclosed influencer posts and genuine recommendations can read the same; expect errors there.",
        "- Hebrew only: texts with too little Hebrew get no score rather than an unreliable one.",
        "",
        "## Retraining on your own labels",
        "",
        "```bash",
        "promo train your-posts.csv --out models/yours.npz      # columns text,label",
        "promo evaluate your-heldout.csv --model models/yours.npz --report reports/yours",
        "```",
        "",
    ]
    return "\n".join(lines)
