"""Formatting scored posts as a table, CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Literal

Format = Literal["table", "csv", "jsonl"]
FORMATS: tuple[str, ...] = ("table", "csv", "jsonl")


@dataclass(frozen=True)
class ScoredPost:
    """The result for one post: its source, score and label."""

    source: str
    score: float
    label: str


def format_results(results: Iterable[ScoredPost], fmt: Format = "table") -> Iterator[str]:
    """Yield output lines (without newline) for scored posts, header first where the format has one.

    Scores are rounded to 3 decimals. Lines are produced as results arrive, so
    output streams.

    Examples
    --------
    >>> rows = [ScoredPost("a.txt", 0.91234, "promotional")]
    >>> list(format_results(rows, "csv"))
    ['source,score,label', 'a.txt,0.912,promotional']
    >>> list(format_results(rows, "jsonl"))
    ['{"source": "a.txt", "score": 0.912, "label": "promotional"}']
    >>> list(format_results(rows, "table"))
    ['score  label        source', '0.912  promotional  a.txt']
    """
    if fmt == "table":
        yield "score  label        source"
        for r in results:
            yield f"{r.score:.3f}  {r.label:<11}  {r.source}"
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="")
        writer.writerow(("source", "score", "label"))
        yield _take(buffer)
        for r in results:
            writer.writerow((r.source, f"{r.score:.3f}", r.label))
            yield _take(buffer)
    elif fmt == "jsonl":
        for r in results:
            record = asdict(r)
            record["score"] = round(r.score, 3)
            yield json.dumps(record, ensure_ascii=False)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _take(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
