"""Load on the scoring service: requests/s and latency for single posts and batches of 100.

    python benchmarks/serve.py [--requests 2000] [--clients 16] [--workers 1]   # needs the serve extra

Starts ``promo serve`` on a free port of 127.0.0.1 (loopback only), then sends ``--requests``
requests from ``--clients`` concurrent clients (threads, each with its own keep-alive
connection): first one corpus post per request, then batches of 100 posts. Reports
requests/s, posts/s, the 50th, 95th and 99th percentile latency and the number of errors,
then stops the service. Results are printed and written between the serve markers of
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
import numpy as np
from readme_section import publish  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _load(url: str, bodies: list[dict[str, object]], clients: int) -> tuple[np.ndarray, int, float]:
    """Send every body once from ``clients`` threads; latencies (s), errors, wall time."""
    latencies: list[float] = []
    errors = 0
    chunks = [bodies[i::clients] for i in range(clients)]

    def run(chunk: list[dict[str, object]]) -> tuple[list[float], int]:
        mine, bad = [], 0
        with httpx.Client(timeout=30) as client:
            for body in chunk:
                start = time.perf_counter()
                try:
                    response = client.post(url, json=body)
                    bad += response.status_code != 200
                except httpx.HTTPError:
                    bad += 1
                mine.append(time.perf_counter() - start)
        return mine, bad

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for mine, bad in pool.map(run, chunks):
            latencies += mine
            errors += bad
    return np.asarray(latencies), errors, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="Load on promo serve.")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()
    from classifier.workflows.corpus import load_corpus

    texts = load_corpus("all").texts
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "classifier", "-q", "serve", "--port", str(port)]
        command += ["--workers", str(args.workers), "--labels", os.path.join(folder, "labels.jsonl")]
        service = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                try:
                    if httpx.get(f"{url}/healthz", timeout=0.5).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            single = [{"text": texts[i % len(texts)]} for i in range(args.requests)]
            batch = [
                {"texts": [texts[(i * 100 + j) % len(texts)] for j in range(100)]}
                for i in range(args.requests)
            ]
            _load(f"{url}/v1/score", single[:100], args.clients)  # warm up
            results = {
                "one post": (*_load(f"{url}/v1/score", single, args.clients), 1),
                "a batch of 100 posts": (*_load(f"{url}/v1/score", batch, args.clients), 100),
            }
        finally:
            service.terminate()
            service.wait()
    lines = [
        f"Measured {date.today()} on {os.cpu_count()} cores (the clients share them with the service): "
        f"{args.requests:,} requests of each kind from {args.clients} concurrent clients on 127.0.0.1, "
        f"`promo serve --workers {args.workers}`. "
        f"Command: `python benchmarks/serve.py --requests {args.requests} "
        f"--clients {args.clients} --workers {args.workers}`.",
        "",
        "| request | requests/s | posts/s | p50 | p95 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (latency, errors, seconds, size) in results.items():
        p50, p95, p99 = np.percentile(latency * 1000, [50, 95, 99])
        rate = len(latency) / seconds
        lines.append(
            f"| {name} | {rate:,.0f} | {rate * size:,.0f} | {p50:.1f} ms | {p95:.1f} ms "
            f"| {p99:.1f} ms | {errors} |"
        )
    publish("serve", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
