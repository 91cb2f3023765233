"""Load on the scoring service: requests/s and latency for single posts and batches of 100.

    python benchmarks/serve.py [--requests 2000] [--clients 16] [--workers 1] [--runs 1]   # serve extra

Starts ``promo serve`` on a free port of 127.0.0.1 (loopback only), then sends ``--requests``
requests from ``--clients`` concurrent clients, each with its own keep-alive connection and
one request at a time: first one corpus post per request, then batches of 100 posts. Reports
requests/s, posts/s, the 50th, 95th and 99th percentile latency and the number of errors (any
answer but 200, or a broken connection), then stops the service. With ``--runs N`` it measures
N times against the same service and reports the median run and the range of each figure.
Results are printed and written between the serve markers of benchmarks/README.md.

The clients are one asyncio loop speaking HTTP/1.1 over raw sockets, with the request bodies
encoded beforehand: the clients share the machine's cores with the service, and a heavier
client (one httpx client per thread) took about a quarter of the CPU, which slowed the service
it was measuring. The CPU the service's processes and the clients used per request is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
from readme_section import publish  # beside this script, which Python puts on sys.path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HOST = "127.0.0.1"
#: No load runs longer than this, whatever the service does.
TIME_LIMIT_S = 900


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _request(port: int, path: str, body: object) -> bytes:
    """One POST as the bytes sent on the wire."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(data)}\r\n\r\n"
    )
    return head.encode("ascii") + data


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; its status and whether the connection stays open."""
    lines = (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")
    status = int(lines[0].split()[1])
    length, chunked, keep = None, False, True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep = value != b"close"
    if chunked:
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            await reader.readexactly(size + 2)
        await reader.readuntil(b"\r\n")
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        keep = False
    return status, keep


async def _client(port: int, requests: list[bytes], latencies: list[float]) -> int:
    """Send ``requests`` one after the other on a keep-alive connection; the number of errors."""
    errors = 0
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    for request in requests:
        start = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection(HOST, port)
            reader, writer = connection
            writer.write(request)
            status, keep = await _response(reader)
            errors += status != 200
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            errors, keep = errors + 1, False
        latencies.append(time.perf_counter() - start)
        if not keep and connection is not None:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()
    return errors


class Run(NamedTuple):
    """One load of requests: each latency (s), the errors, and the time and CPU it took."""

    latencies: np.ndarray
    errors: int
    wall: float
    client_cpu: float
    #: CPU seconds of the service's processes; None where /proc cannot tell
    service_cpu: float | None


def _service_cpu(pids: list[int]) -> float | None:
    """CPU seconds used so far by these processes (Linux's /proc), None when it cannot be read."""
    total = 0
    try:
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, IndexError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def _service_processes(pid: int) -> list[int]:
    """The service and its worker processes."""
    children = []
    try:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError, ValueError):
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                    if parent == pid:
                        children.append(int(entry.name))
    except OSError:
        pass
    return [pid, *children]


def _load(port: int, requests: list[bytes], clients: int, service: list[int]) -> Run:
    """Send every request once from ``clients`` connections."""
    latencies: list[float] = []

    async def run() -> int:
        chunks = [requests[i::clients] for i in range(clients)]
        tasks = [_client(port, chunk, latencies) for chunk in chunks]
        return sum(await asyncio.wait_for(asyncio.gather(*tasks), TIME_LIMIT_S))

    before, service_before = resource.getrusage(resource.RUSAGE_SELF), _service_cpu(service)
    start = time.perf_counter()
    errors = asyncio.run(run())
    wall = time.perf_counter() - start
    after, service_after = resource.getrusage(resource.RUSAGE_SELF), _service_cpu(service)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    used = None if service_before is None or service_after is None else service_after - service_before
    return Run(np.asarray(latencies), errors, wall, cpu, used)


def _wait_until_up(url: str, service: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if service.poll() is not None:
            raise SystemExit(f"promo serve stopped with exit code {service.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=0.5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("promo serve did not answer /healthz within 30 s")


def _spread(values: list[float], fmt: str) -> str:
    """The median of the runs, and their range when there are several."""
    middle = format(float(np.median(values)), fmt)
    if len(values) == 1:
        return middle
    return f"{middle} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "an unknown processor"


def main() -> None:
    parser = argparse.ArgumentParser(description="Load on promo serve.")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--runs", type=int, default=1, help="measure this many times; report median and range"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave benchmarks/README.md alone"
    )
    args = parser.parse_args()
    from classifier.workflows.corpus import load_corpus

    texts = load_corpus("all").texts
    port = _free_port()
    kinds = {
        "one post": (
            1,
            [_request(port, "/v1/score", {"text": texts[i % len(texts)]}) for i in range(args.requests)],
        ),
        "a batch of 100 posts": (
            100,
            [
                _request(
                    port, "/v1/score", {"texts": [texts[(i * 100 + j) % len(texts)] for j in range(100)]}
                )
                for i in range(args.requests)
            ],
        ),
    }
    runs: dict[str, list[Run]] = {name: [] for name in kinds}
    load_before, loads = os.getloadavg()[0], []
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "classifier", "-q", "serve", "--port", str(port)]
        command += ["--workers", str(args.workers), "--labels", os.path.join(folder, "labels.jsonl")]
        service = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_up(f"http://{HOST}:{port}", service)
            processes = _service_processes(service.pid)
            _load(port, kinds["one post"][1][:100], args.clients, processes)  # warm up
            for run in range(args.runs):
                for name, (_, requests) in kinds.items():
                    loads.append(os.getloadavg()[0])
                    runs[name].append(_load(port, requests, args.clients, processes))
                    print(f"run {run + 1}: {name} done", file=sys.stderr)
        finally:
            service.terminate()
            service.wait()
    times = (
        "once"
        if args.runs == 1
        else f"{args.runs} times against the same service (median run, and the range in brackets)"
    )
    lines = [
        f"Measured {date.today()} on {os.cpu_count()} cores of {_processor()}, shared by the service and "
        f"the clients, and with other work: 1-minute load average {load_before:.1f} before the service "
        f"started, {min(loads):.1f}–{max(loads):.1f} before each load (ours included). "
        f"{args.requests:,} requests of each kind from {args.clients} concurrent keep-alive clients on "
        f"127.0.0.1, `promo serve --workers {args.workers}`, measured {times}. "
        f"CPU is per request, of all the service's processes and of the clients. "
        f"Command: `python benchmarks/serve.py --requests {args.requests} "
        f"--clients {args.clients} --workers {args.workers} --runs {args.runs}`.",
        "",
        "| request | requests/s | posts/s | p50 (ms) | p95 (ms) | p99 (ms) | errors "
        "| service CPU (ms) | clients' CPU (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (size, _) in kinds.items():
        measured = runs[name]
        rates = [len(run.latencies) / run.wall for run in measured]
        percentiles = np.array([np.percentile(run.latencies * 1000, [50, 95, 99]) for run in measured])
        service_cpu = [
            run.service_cpu * 1000 / len(run.latencies) for run in measured if run.service_cpu is not None
        ]
        client_cpu = [run.client_cpu * 1000 / len(run.latencies) for run in measured]
        lines.append(
            f"| {name} | {_spread(rates, ',.0f')} | {_spread([r * size for r in rates], ',.0f')} | "
            + " | ".join(_spread(percentiles[:, k].tolist(), ".1f") for k in range(3))
            + f" | {sum(run.errors for run in measured)} "
            + f"| {_spread(service_cpu, '.2f') if service_cpu else 'n/a'} | {_spread(client_cpu, '.2f')} |"
        )
    publish("serve", "\n".join(lines), write=not args.no_write)


if __name__ == "__main__":
    main()
