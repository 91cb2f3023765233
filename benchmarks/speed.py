"""Measure scoring speed, peak memory and cold start of the default model.

    python benchmarks/speed.py [--posts 100000] [--runs 3]

- Throughput: ``Predictor.score_many`` on N posts (the corpus's texts, cycled to N),
  in a fresh process per run; posts per second, median of the runs.
- Peak memory: the maximum resident set size of those scoring processes (model
  loaded plus N posts scored), median of the runs.
- Command line: ``promo score FILE --lines --format csv`` on up to 20,000 posts, start-up,
  disclosure and output included; posts per second, median of the runs.
- Cold start: wall time of ``promo score`` on one short file in a new process
  (interpreter start, imports, model load, scoring, output), median of the runs
  (at least 5).

The default model is built first if needed (not timed). Results are printed and
written between the speed markers of benchmarks/README.md with the machine and date.
"""

from __future__ import annotations

import argparse
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

from readme_section import write_section  # beside this script, which Python puts on sys.path

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"

_WORKER = """
import json, resource, sys, time
from classifier import Predictor
from classifier.corpus import load_corpus
n = int(sys.argv[1])
texts = load_corpus("all").texts
posts = [texts[i % len(texts)] for i in range(n)]
predictor = Predictor.load()
start = time.perf_counter()
scores = predictor.score_many(posts)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "n": len(scores),
                  "mean_words": sum(len(p.split()) for p in posts) / n}))
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


def _throughput(posts: int, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _WORKER, str(posts)], capture_output=True, text=True, check=True
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _command_line(posts: int, runs: int) -> list[float]:
    """Posts per second of ``promo score FILE --lines --format csv``, start-up included."""
    from classifier.corpus import load_corpus

    texts = load_corpus("all").texts
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "posts.txt"
        lines.write_text(
            "\n".join(" ".join(texts[i % len(texts)].split()) for i in range(posts)), encoding="utf-8"
        )
        command = [
            sys.executable,
            "-m",
            "classifier",
            "-q",
            "score",
            str(lines),
            "--lines",
            "--format",
            "csv",
        ]
        rates = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            rates.append(posts / (time.perf_counter() - start))
    return rates


def _cold_start(runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        post = Path(folder) / "post.txt"
        post.write_text("קוד הנחה DANA10 לכל האתר, רק עד מחר!", encoding="utf-8")
        command = [sys.executable, "-m", "classifier", "-q", "score", str(post)]
        subprocess.run(command, capture_output=True, check=True)  # warm the file cache
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure scoring speed, peak memory and cold start.")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()

    from classifier import Predictor

    predictor = Predictor.load()  # builds the default model if needed, before any timing
    card = predictor.card
    runs = _throughput(args.posts, args.runs)
    rates = [r["n"] / r["seconds"] for r in runs]
    peaks = [r["peak_mib"] for r in runs]
    cold = _cold_start(max(5, args.runs))
    cli_posts = min(args.posts, 20_000)
    cli = _command_line(cli_posts, args.runs)
    lines = [
        f"Measured {date.today()} on {_machine()}; Python {platform.python_version()}, "
        f"model built {card.get('created')} (scikit-learn {card.get('sklearn_version')}).",
        f"Command: `python benchmarks/speed.py --posts {args.posts} --runs {args.runs}`.",
        "",
        "| measure | median | all runs |",
        "|---|---|---|",
        f"| scoring throughput, {args.posts:,} corpus posts "
        f"(mean {runs[0]['mean_words']:.0f} words), one process "
        f"| {statistics.median(rates):,.0f} posts/s | {', '.join(f'{r:,.0f}' for r in rates)} |",
        f"| peak memory (RSS) of that process | {statistics.median(peaks):,.0f} MiB "
        f"| {', '.join(f'{p:,.0f}' for p in peaks)} |",
        f"| `promo score FILE --lines --format csv`, {cli_posts:,} posts, start-up and disclosure included "
        f"| {statistics.median(cli):,.0f} posts/s | {', '.join(f'{r:,.0f}' for r in cli)} |",
        f"| cold start: `promo score` on one short file | {statistics.median(cold):.2f} s "
        f"| {', '.join(f'{t:.2f}' for t in cold)} |",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("speed", text)


if __name__ == "__main__":
    main()
