"""Scoring a large input as a stream: speed, peak memory and time to the first result.

    python benchmarks/scale.py [--posts 1000000]

Writes N posts (the corpus's posts and, when present, real Facebook comments from
../shared/corpora, interleaved and cycled to N) to a text file, one per line, then runs
``promo score FILE --lines --format csv`` in a fresh process with ``--jobs 1`` and
``--jobs 2``, reading its output as it comes: posts per second over the whole run
(start-up included), peak memory (RSS) of the process tree, and the time from start to
the first result row. Results are printed and written between the scale markers of
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from readme_section import publish  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
FB = REPO.parent / "shared" / "corpora" / "hebrew-fb-comments" / "comments.csv"


def _posts(n: int, path: Path) -> str:
    sys.path.insert(0, str(REPO))
    from classifier.workflows.corpus import load_corpus

    corpus = [" ".join(t.split()) for t in load_corpus("all").texts]
    comments: list[str] = []
    if FB.is_file():
        with FB.open(encoding="utf-8", newline="") as stream:
            comments = [" ".join(r["text"].split()) for r in csv.DictReader(stream) if r["text"].strip()]
    mixed = [t for pair in zip(corpus, comments, strict=False) for t in pair] + corpus[len(comments) :]
    with path.open("w", encoding="utf-8") as stream:
        for i in range(n):
            stream.write(mixed[i % len(mixed)] + "\n")
    return "corpus posts and real Facebook comments" if comments else "corpus posts"


def _run(path: Path, jobs: int, n: int) -> dict[str, float]:
    command = [sys.executable, "-m", "classifier", "-q", "score", str(path), "--lines", "--format", "csv"]
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--jobs", str(jobs)], stdout=subprocess.PIPE, text=True, bufsize=1)
    assert process.stdout is not None
    first = None
    rows = -1  # the header
    for _ in process.stdout:
        rows += 1
        if rows == 1:
            first = time.perf_counter() - start
    process.wait()
    seconds = time.perf_counter() - start
    if process.returncode != 0 or rows != n:
        raise SystemExit(f"promo score failed (exit {process.returncode}, {rows} rows of {n})")
    # the largest resident set of any finished child: the scoring process or one of its workers
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rate": n / seconds, "seconds": seconds, "first": first or seconds, "peak_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description="Stream a large input through promo score.")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "posts.txt"
        what = _posts(args.posts, path)
        size = path.stat().st_size / 2**20
        results = {jobs: _run(path, jobs, args.posts) for jobs in (1, 2)}
    lines = [
        f"Measured {date.today()} on {os.cpu_count()} cores; {args.posts:,} posts ({what}, one per line, "
        f"{size:,.0f} MiB). Command: `python benchmarks/scale.py --posts {args.posts}`, which runs "
        "`promo score FILE --lines --format csv --jobs J` and reads its output as it comes.",
        "",
        "| jobs | posts/s (whole run) | wall time | first result after | peak memory (largest process) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for jobs, r in results.items():
        lines.append(
            f"| {jobs} | {r['rate']:,.0f} | {r['seconds']:,.0f} s | {r['first']:.2f} s "
            f"| {r['peak_mib']:,.0f} MiB |"
        )
    publish("scale", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
