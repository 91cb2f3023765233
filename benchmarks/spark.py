"""Scoring with Spark on one machine: rows/s with local[1] and local[2], against plain promo score.

    python benchmarks/spark.py [--rows 1000000]      # needs pip install -e ".[spark]" and Java

Writes N rows (the corpus's posts, cycled, with an id) to Parquet, then scores them with
``classifier.interfaces.spark.score_files`` under ``local[1]`` and ``local[2]`` (Parquet in, Parquet
out, session start-up included; the input repartitioned so that both cores get work, since one
Parquet file is read as one partition), and with ``promo score FILE.parquet -o out.parquet`` on the
same rows. Results are printed and written between the spark markers of benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from readme_section import publish  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_RUN = """
import sys, time
from classifier.interfaces.spark import score_files
start = time.perf_counter()
rows = score_files(sys.argv[1], sys.argv[2], master=sys.argv[3], partitions=int(sys.argv[4]))
print(rows, time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description="Spark scoring speed on this machine.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--partitions",
        type=int,
        default=4,
        help="partitions of the input (one Parquet file is one partition)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()
    import pyarrow as pa
    import pyarrow.parquet as parquet

    from classifier.workflows.corpus import load_corpus

    texts = load_corpus("all").texts
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "posts.parquet"
        ids = list(range(args.rows))
        parquet.write_table(pa.table({"id": ids, "text": [texts[i % len(texts)] for i in ids]}), source)
        results = {}
        for master in ("local[1]", "local[2]"):
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    _RUN,
                    str(source),
                    str(folder / f"out-{master[6]}"),
                    master,
                    str(args.partitions),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            results[master] = (int(out[-2]), float(out[-1]))
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "classifier",
                "-q",
                "score",
                str(source),
                "-o",
                str(folder / "plain.parquet"),
            ],
            check=True,
        )
        plain = time.perf_counter() - start
    rate = {m: rows / seconds for m, (rows, seconds) in results.items()}
    lines = [
        f"Measured {date.today()}; {args.rows:,} rows (corpus posts, cycled) in Parquet. "
        f"Command: `python benchmarks/spark.py --rows {args.rows}` (the input repartitioned into "
        f"{args.partitions} partitions). Times include Spark's start-up.",
        "",
        "| run | rows/s | wall time |",
        "|---|---:|---:|",
        f"| `promo spark-score`, local[1] | {rate['local[1]']:,.0f} | {results['local[1]'][1]:,.0f} s |",
        f"| `promo spark-score`, local[2] | {rate['local[2]']:,.0f} | {results['local[2]'][1]:,.0f} s |",
        f"| `promo score FILE.parquet -o out.parquet` (one process, no Spark) | {args.rows / plain:,.0f} "
        f"| {plain:,.0f} s |",
        "",
        f"Two cores against one: {rate['local[2]'] / rate['local[1]']:.2f}x; "
        "Spark with two cores against plain "
        f"`promo score`: {rate['local[2]'] / (args.rows / plain):.2f}x.",
    ]
    publish("spark", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
