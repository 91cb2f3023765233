"""Speed, memory and start-up of our scoring, side by side with fastText in the same run.

    python benchmarks/speed.py [--posts 100000] [--runs 3]        # needs pip install -e ".[bench]"

Both models learn from the corpus's training split: ours as ``promo train`` builds the
default model (the committed ``models/promo-he.npz`` is used as it is), fastText
(fasttext-wheel, supervised, word bigrams, the settings of ``benchmarks/quality.py``) on the
same posts, one per line with line breaks as spaces. Then, in fresh processes:

- throughput: the same N texts (corpus posts and real Facebook comments interleaved,
  cycled to N) scored by each, single process (ours through ``Predictor.score_many``,
  fastText through its ``predict`` one line at a time, the form that works under NumPy 2);
  and ours with ``n_jobs=2``; posts per second, median of the runs, and the ratios;
- peak memory (RSS) of each scoring process;
- cold start: ``promo score`` on one short file, against a new Python process that imports
  fasttext, loads its model and predicts one post; and ``promo --help``; median of 5 or more;
- training: ``promo train`` on the training split, wall time.

The real comments (``../shared/corpora/hebrew-fb-comments``) are read only when present.
Results are printed and written between the speed markers of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from quality import FASTTEXT_PARAMS  # the same fastText everywhere (beside this script)
from readme_section import publish

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FB = REPO.parent / "shared" / "corpora" / "hebrew-fb-comments" / "comments.csv"

_OURS = """
import json, sys, time
from classifier import Predictor
texts = json.load(open(sys.argv[1], encoding="utf-8"))
jobs = int(sys.argv[2])
predictor = Predictor.load()
predictor.score_many(texts[:1000], n_jobs=jobs)  # warm up (and start the workers' imports)
start = time.perf_counter()
scores = predictor.score_many(texts, n_jobs=jobs)
seconds = time.perf_counter() - start
# VmHWM is this program's own peak: ru_maxrss would also count the forked parent's memory at exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": seconds, "n": len(scores), "peak_mib": peak}))
"""

_FASTTEXT = """
import json, sys, time
import fasttext
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = fasttext.load_model(sys.argv[2])
predict = model.f.predict
lines = [" ".join(t.split()) + "\\n" for t in texts[:1000]]
for line in lines:
    predict(line, 1, 0.0, "replace")
start = time.perf_counter()
scores = []
for text in texts:
    labels = predict(" ".join(text.split()) + "\\n", 1, 0.0, "replace")
    scores.append(labels[0][0] if labels and labels[0][1] == "__label__1" else 1 - labels[0][0])
seconds = time.perf_counter() - start
# VmHWM is this program's own peak: ru_maxrss would also count the forked parent's memory at exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": seconds, "n": len(scores), "peak_mib": peak}))
"""

_FASTTEXT_COLD = """
import sys, fasttext
model = fasttext.load_model(sys.argv[1])
print(model.f.predict("קוד הנחה DANA10 לכל האתר, רק עד מחר!\\n", 1, 0.0, "replace"))
"""


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{memory_kib / 1024**2:.0f} GiB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    return f"{model}, {os.cpu_count()} cores, {memory}, {platform.system()} {platform.release()}"


def _texts(n: int) -> tuple[list[str], str]:
    from classifier.workflows.corpus import load_corpus

    corpus = load_corpus("all").texts
    comments: list[str] = []
    if FB.is_file():
        with FB.open(encoding="utf-8", newline="") as stream:
            comments = [row["text"] for row in csv.DictReader(stream) if row["text"].strip()]
    else:
        print(f"{FB} not found: timing corpus posts only", file=sys.stderr)
    mixed = [text for pair in zip(corpus, comments, strict=False) for text in pair] + corpus[len(comments) :]
    texts = [mixed[i % len(mixed)] for i in range(n)]
    words = sum(len(t.split()) for t in texts) / n
    what = "corpus posts and real Facebook comments, interleaved" if comments else "corpus posts"
    return texts, f"{what}, mean {words:.0f} words"


def _train_fasttext(folder: Path) -> tuple[Path, float]:
    import fasttext

    from classifier.workflows.corpus import load_corpus

    train = load_corpus("train")
    data = folder / "train.txt"
    with data.open("w", encoding="utf-8") as stream:
        for text, label in zip(train.texts, train.labels, strict=True):
            stream.write(f"__label__{label} {' '.join(text.split())}\n")
    start = time.perf_counter()
    model = fasttext.train_supervised(input=str(data), **FASTTEXT_PARAMS)
    seconds = time.perf_counter() - start
    path = folder / "fasttext.bin"
    model.save_model(str(path))
    return path, seconds


def _run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _wall(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description="Speed, memory and start-up against fastText.")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()

    from classifier import Predictor

    card = Predictor.load().card
    texts, described = _texts(args.posts)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "texts.json"
        source.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        fasttext_model, fasttext_train = _train_fasttext(folder)
        ours, ours2, peer = [], [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            ours.append(_run(_OURS, str(source), "1"))
            peer.append(_run(_FASTTEXT, str(source), str(fasttext_model)))
            ours2.append(_run(_OURS, str(source), "2"))
        post = folder / "post.txt"
        post.write_text("קוד הנחה DANA10 לכל האתר, רק עד מחר!", encoding="utf-8")
        cold_runs = max(5, args.runs)
        cold_ours = _wall([sys.executable, "-m", "classifier", "-q", "score", str(post)], cold_runs)
        cold_help = _wall([sys.executable, "-m", "classifier", "--help"], cold_runs)
        cold_peer = _wall([sys.executable, "-c", _FASTTEXT_COLD, str(fasttext_model)], cold_runs)
        start = time.perf_counter()
        # what `promo train` does, without replacing the committed default model
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from classifier.workflows.default_model import train_default_model as t; t()",
            ],
            capture_output=True,
            check=True,
        )
        train_seconds = time.perf_counter() - start

    def rate(results: list[dict[str, float]]) -> list[float]:
        return [r["n"] / r["seconds"] for r in results]

    r1, r2, rp = rate(ours), rate(ours2), rate(peer)
    ratio = _median(r1) / _median(rp)
    lines = [
        f"Measured {date.today()} on {_machine()}; Python {platform.python_version()}; "
        f"default model built {card.created}. Command: "
        f"`python benchmarks/speed.py --posts {args.posts} --runs {args.runs}`.",
        f"Texts: {args.posts:,} ({described}). Each figure is the median of {args.runs} runs "
        "in fresh processes (all runs in brackets).",
        "",
        "| measure | ours | fastText | ours / fastText |",
        "|---|---:|---:|---:|",
        f"| posts/s, one process | {_median(r1):,.0f} ({', '.join(f'{r:,.0f}' for r in r1)}) "
        f"| {_median(rp):,.0f} ({', '.join(f'{r:,.0f}' for r in rp)}) | {ratio:.2f} |",
        f"| posts/s, ours with `n_jobs=2` | {_median(r2):,.0f} ({', '.join(f'{r:,.0f}' for r in r2)}) "
        f"| | {_median(r2) / _median(r1):.2f}x ours single |",
        f"| peak memory of the scoring process | {_median([r['peak_mib'] for r in ours]):,.0f} MiB "
        f"| {_median([r['peak_mib'] for r in peer]):,.0f} MiB | |",
        f"| cold start: score one short post in a new process | {_median(cold_ours):.2f} s "
        f"| {_median(cold_peer):.2f} s | {_median(cold_ours) / _median(cold_peer):.2f} |",
        f"| `promo --help` | {_median(cold_help):.2f} s | | |",
        f"| training on the training split | {train_seconds:.1f} s (with held-out evaluation) "
        f"| {fasttext_train:.1f} s | |",
    ]
    publish("speed", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
