"""Quality on real Hebrew text that no one wrote for the project (measurement only).

Reads, when present beside the repository (``../shared/corpora/``):

- ``real-he/web.csv``: 202 real web pages with both labels; figures on all of them and on
  the 166 whose words alone show their purpose (``evidence == "text"``), and pages flagged
  per genre and per excerpt length;
- ``real-he/social.csv``: real organic texts in seven genres (false-positive rate per genre);
- ``hebrew-fb-comments/comments.csv``: 6,772 real Facebook comments, nearly all organic.

These files are never copied into the repository, never trained on and never used as
test fixtures; a missing file is skipped with a message on stderr.

Usage (from the repository root)::

    python benchmarks/real_sets.py                        # the default model, per genre
    python benchmarks/real_sets.py --model m.npz --prior 0.2
    python benchmarks/real_sets.py --previous 2a84298     # a former release, from git

``--previous REV`` checks that revision out into a temporary folder, trains its
default model as that release did and measures it the same way (its pickled model is
made and loaded there, by its own code: the old format, for measurement only).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
WEB = CORPORA / "real-he" / "web.csv"
SOCIAL = CORPORA / "real-he" / "social.csv"
FB = CORPORA / "hebrew-fb-comments" / "comments.csv"

Scorer = Callable[[Sequence[str]], np.ndarray]


def _rows(path: Path) -> list[dict[str, str]] | None:
    if not path.is_file():
        print(
            f"{path} not found; its figures are skipped (real text is measured only where present)",
            file=sys.stderr,
        )
        return None
    with path.open(encoding="utf-8", newline="") as stream:
        return [row for row in csv.DictReader(stream) if (row.get("text") or "").strip()]


@dataclass
class RealSets:
    """The real texts, loaded once."""

    web: list[dict[str, str]] | None = field(default_factory=lambda: _rows(WEB))
    social: list[dict[str, str]] | None = field(default_factory=lambda: _rows(SOCIAL))
    fb: list[dict[str, str]] | None = field(default_factory=lambda: _rows(FB))

    def texts(self) -> list[str]:
        """Every text, web then social then comments (the order :func:`measure` expects)."""
        return [r["text"] for part in (self.web, self.social, self.fb) if part for r in part]


def _macro_f1(labels: np.ndarray, flags: np.ndarray) -> float:
    f1s = []
    for positive in (0, 1):
        truth, guess = labels == positive, flags == positive
        tp = float(np.sum(truth & guess))
        denominator = float(truth.sum() + guess.sum())
        f1s.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(f1s))


def _roc_auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    if len(set(labels.tolist())) < 2:
        return None
    return float(roc_auc_score(labels, scores))


#: Word-count ranges (split on white space) of the web excerpts' table, [low, high).
WEB_LENGTHS = ((0, 80), (80, 150), (150, 10_000))

#: Resamples of the bootstrap intervals, and their coverage.
BOOTSTRAP_RESAMPLES = 2000
COVERAGE = 0.95


def wilson(flagged: int, n: int, coverage: float = COVERAGE) -> tuple[float, float]:
    """The Wilson score interval of a rate of ``flagged`` out of ``n`` (Wilson, JASA 1927).

    Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 flagged.

    Examples
    --------
    >>> low, high = wilson(0, 100)
    >>> low, round(high, 3)
    (0.0, 0.037)
    """
    if n == 0:
        return (0.0, 1.0)
    z = float(NormalDist().inv_cdf(0.5 + coverage / 2))
    rate = flagged / n
    centre = (rate + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # the rate lies inside in exact arithmetic; min/max keep it so when rounding says otherwise
    return (max(0.0, min(rate, centre - half)), min(1.0, max(rate, centre + half)))


def bootstrap(
    labels: np.ndarray, scores: np.ndarray, threshold: float, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of macro-F1 and ROC-AUC on a labelled set.

    Each resample draws, with replacement, as many pages of each label as the set has
    (a stratified bootstrap, so every resample of a set with both labels has both). Seeded:
    the same scores give the same intervals. A set with one label only gets no intervals.
    """
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(labels == label) for label in (0, 1)]
    if not all(len(group) for group in groups):
        return {}
    f1s, aucs = [], []
    for _ in range(BOOTSTRAP_RESAMPLES):
        pick = np.concatenate([rng.choice(group, size=len(group)) for group in groups])
        f1s.append(_macro_f1(labels[pick], (scores[pick] >= threshold).astype(int)))
        aucs.append(_roc_auc(labels[pick], scores[pick]))
    tail = 100 * (1 - COVERAGE) / 2
    return {
        name: (float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail)))
        for name, values in (("macro_f1", f1s), ("roc_auc", aucs))
    }


def measure(sets: RealSets, scores: np.ndarray, threshold: float, intervals: bool = False) -> dict[str, Any]:
    """Figures of scores given to ``sets.texts()``, in that order, at ``threshold``.

    A NaN score (a text the model would not judge) counts as not flagged and ranks lowest.
    With ``intervals``, each figure also gets a 95% interval under ``<name>_ci``: a
    stratified bootstrap for the web figures (:func:`bootstrap`), Wilson's interval for
    the rates of organic text flagged (:func:`wilson`).
    """
    scores = np.nan_to_num(np.asarray(scores, dtype=float), nan=-1.0)
    out: dict[str, Any] = {"threshold": threshold}
    at = 0
    if sets.web:
        n = len(sets.web)
        part, at = scores[at : at + n], at + n
        labels = np.array([int(r["label"]) for r in sets.web])
        text = np.array([r.get("evidence") == "text" for r in sets.web])
        flags = (part >= threshold).astype(int)
        out["web"] = {
            "n": n,
            "macro_f1": _macro_f1(labels, flags),
            "roc_auc": _roc_auc(labels, part),
            "recall": float(flags[labels == 1].mean()),
            "false_positive_rate": float(flags[labels == 0].mean()),
        }
        out["web_text_evidence"] = {
            "n": int(text.sum()),
            "macro_f1": _macro_f1(labels[text], flags[text]),
            "roc_auc": _roc_auc(labels[text], part[text]),
        }
        if intervals:
            for key, rows in (("web", np.ones(n, dtype=bool)), ("web_text_evidence", text)):
                for name, interval in bootstrap(labels[rows], part[rows], threshold).items():
                    out[key][f"{name}_ci"] = interval
            flagged_organic = int(flags[labels == 0].sum())
            out["web"]["false_positive_rate_ci"] = wilson(flagged_organic, int((labels == 0).sum()))
            out["web"]["recall_ci"] = wilson(int(flags[labels == 1].sum()), int((labels == 1).sum()))
        genres: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(sets.web):
            genres[row["genre"]].append(i)
        out["web_genres"] = {
            genre: {"n": len(rows), "label": int(labels[rows[0]]), "flagged": int(flags[rows].sum())}
            for genre, rows in sorted(genres.items())
        }
        words = np.array([len(row["text"].split()) for row in sets.web])
        out["web_lengths"] = {}
        for low, high in WEB_LENGTHS:
            inside = (words >= low) & (words < high)
            for label in (1, 0):
                rows_of = inside & (labels == label)
                span = f"{low}+" if high >= WEB_LENGTHS[-1][1] else f"{low}-{high - 1}"
                out["web_lengths"][f"{span} words ({label})"] = {
                    "n": int(rows_of.sum()),
                    "label": label,
                    "flagged": int(flags[rows_of].sum()),
                }
    if sets.social:
        n = len(sets.social)
        part, at = scores[at : at + n], at + n
        organic = np.array([r["label"] == "0" for r in sets.social])
        flags = part >= threshold
        out["social"] = {"n": int(organic.sum()), "false_positive_rate": float(flags[organic].mean())}
        per: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(sets.social):
            if organic[i]:
                per[row["genre"]].append(i)
        out["social_genres"] = {g: float(flags[rows].mean()) for g, rows in sorted(per.items())}
        if intervals:
            out["social"]["false_positive_rate_ci"] = wilson(int(flags[organic].sum()), int(organic.sum()))
            out["social_genres_ci"] = {
                g: wilson(int(flags[rows].sum()), len(rows)) for g, rows in sorted(per.items())
            }
    if sets.fb:
        n = len(sets.fb)
        part = scores[at : at + n]
        out["fb"] = {"n": n, "false_positive_rate": float((part >= threshold).mean())}
        if intervals:
            out["fb"]["false_positive_rate_ci"] = wilson(int((part >= threshold).sum()), n)
    return out


def markdown(named: list[tuple[str, dict[str, Any]]]) -> str:
    """Tables of several models' real-text figures, side by side, with 95% intervals where measured."""

    def f(value: Any, percent: bool = False, interval: Any = None) -> str:
        if value is None:
            return "n/a"

        def one(x: float) -> str:
            return f"{100 * x:.1f}%" if percent else f"{x:.3f}"

        return one(value) + (f" ({one(interval[0])}–{one(interval[1])})" if interval else "")

    def cell(part: str, key: str, percent: bool = False) -> Callable[[dict[str, Any]], str]:
        return lambda m: f(m.get(part, {}).get(key), percent, m.get(part, {}).get(f"{key}_ci"))

    names = [name for name, _ in named]
    lines = ["| measure | " + " | ".join(names) + " |", "|---" + "|---:" * len(names) + "|"]
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("web, text shows purpose: macro-F1", cell("web_text_evidence", "macro_f1")),
        ("web, text shows purpose: ROC-AUC", cell("web_text_evidence", "roc_auc")),
        ("web, all pages: macro-F1", cell("web", "macro_f1")),
        ("web, all pages: ROC-AUC", cell("web", "roc_auc")),
        ("web: recall of promotional pages", cell("web", "recall", True)),
        ("web: organic pages flagged", cell("web", "false_positive_rate", True)),
        ("real organic social text flagged (all genres)", cell("social", "false_positive_rate", True)),
    ]
    genres = sorted({g for _, m in named for g in m.get("social_genres", {})})
    for genre in genres:
        rows.append(
            (
                f"  {genre} flagged",
                lambda m, g=genre: f(
                    m.get("social_genres", {}).get(g), True, m.get("social_genres_ci", {}).get(g)
                ),
            )
        )
    rows.append(("Facebook comments flagged", cell("fb", "false_positive_rate", True)))
    for label, get in rows:
        lines.append(f"| {label} | " + " | ".join(get(m) for _, m in named) + " |")
    for title, key in (("web genre (label)", "web_genres"), ("web excerpt length (label)", "web_lengths")):
        lines += _count_table(named, title, key)
    return "\n".join(lines)


def _count_table(named: list[tuple[str, dict[str, Any]]], title: str, key: str) -> list[str]:
    """Lines of a table of pages flagged per group (``key`` of :func:`measure`, in its order), one
    column per model."""
    groups = list(dict.fromkeys(g for _, m in named for g in m.get(key, {})))
    if not groups:
        return []
    names = [name for name, _ in named]
    lines = ["", f"| {title} | n | " + " | ".join(f"flagged: {n}" for n in names) + " |"]
    lines.append("|---|---:" + "|---:" * len(names) + "|")
    for group in groups:
        first = next(m[key][group] for _, m in named if group in m.get(key, {}))
        cells = [str(m.get(key, {}).get(group, {}).get("flagged", "n/a")) for _, m in named]
        shown = group if key == "web_lengths" else f"{group} ({first['label']})"
        lines.append(f"| {shown} | {first['n']} | " + " | ".join(cells) + " |")
    return lines


def measure_model(path: Path | None, prior: float | None, sets: RealSets) -> dict[str, Any]:
    """Figures of one of our model files (None: the default model)."""
    sys.path.insert(0, str(REPO))
    from classifier import Predictor

    predictor = Predictor.load(path, prior=prior)
    return measure(sets, predictor.score_many(sets.texts()), predictor.threshold, intervals=True)


_PREVIOUS = """
import json, sys
from classifier import Predictor
texts = json.load(open(sys.argv[1], encoding="utf-8"))
p = Predictor.load()
print(json.dumps({"threshold": p.threshold, "scores": p.score_many(texts).tolist()}))
"""


def measure_previous(revision: str, sets: RealSets) -> dict[str, Any]:
    """Figures of the default model of a former revision, built and run by that revision's own code."""
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--quiet", "--detach", str(tree), revision],
            check=True,
        )
        try:
            texts = Path(folder) / "texts.json"
            texts.write_text(json.dumps(sets.texts(), ensure_ascii=False), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(tree)}
            env.pop("PROMO_MODEL_DIR", None)
            done = subprocess.run(
                [sys.executable, "-c", _PREVIOUS, str(texts)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise SystemExit(done.stderr)
            result = json.loads(done.stdout)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True)
    return measure(sets, np.array(result["scores"]), result["threshold"], intervals=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="our model file (default: the default model)")
    parser.add_argument("--prior", type=float, help="share of promotional posts to adjust to")
    parser.add_argument(
        "--previous", metavar="REV", help="also measure the default model of this git revision"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    sets = RealSets()
    named = [("this model", measure_model(args.model, args.prior, sets))]
    if args.previous:
        named.insert(0, (f"release at {args.previous}", measure_previous(args.previous, sets)))
    print(json.dumps(dict(named), indent=2) if args.json else markdown(named))
    return 0


if __name__ == "__main__":
    sys.exit(main())
