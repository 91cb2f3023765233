"""Formatting scored posts as a table, CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Format = Literal["table", "csv", "jsonl"]
FORMATS: tuple[str, ...] = ("table", "csv", "jsonl")


@dataclass(frozen=True)
class ScoredPost:
    """The result for one post: its source, score and label, and extra fields.

    A post that was not judged (empty, or too little Hebrew) has score and label None
    and its ``reason`` in ``extras``. ``extras`` holds ``language``, ``disclosure``,
    ``disclosure_reason`` and ``undisclosed``, and when
    asked for, ``top_passage``, ``highlighted`` and ``explanation``
    (see :func:`classifier.scoring.analyse`).
    """

    source: str
    score: float | None
    label: str | None
    extras: dict[str, Any] = field(default_factory=dict)


def format_results(
    results: Iterable[ScoredPost], fmt: Format = "table", with_passages: bool = False
) -> Iterator[str]:
    """Yield output lines (without newline) for scored posts, header first where the format has one.

    Scores are rounded to 3 decimals. Lines are produced as results arrive, so
    output streams. The table shows disclosure and, when present, the top passage,
    the highlighted post and the explanation under each row; CSV has flat columns
    (with ``with_passages``, the top passage's score and offsets too); JSON lines
    carry every field.

    Examples
    --------
    >>> extras = {"language": "he", "disclosure": "none", "undisclosed": True}
    >>> rows = [ScoredPost("a.txt", 0.91234, "promotional", extras)]
    >>> list(format_results(rows, "csv"))
    ['source,score,label,language,disclosure,undisclosed', 'a.txt,0.912,promotional,he,none,true']
    >>> list(format_results(rows, "jsonl"))[0][:70]
    '{"source": "a.txt", "score": 0.912, "label": "promotional", "language"'
    >>> list(format_results(rows, "table"))
    ['score  label        disclosure  source', '0.912  promotional  none ⚠      a.txt']
    """
    if fmt == "table":
        yield "score  label        disclosure  source"
        for r in results:
            yield from _table_lines(r)
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="")
        header = ["source", "score", "label", "language", "disclosure", "undisclosed"]
        if with_passages:
            header += ["passage_score", "passage_start", "passage_end"]
        writer.writerow(header)
        yield _take(buffer)
        for r in results:
            row = [
                r.source,
                "" if r.score is None else f"{r.score:.3f}",
                r.label or "",
                r.extras.get("language", ""),
                r.extras.get("disclosure", ""),
                _flag(r.extras.get("undisclosed")),
            ]
            if with_passages:
                top = r.extras.get("top_passage") or {}
                row += [f"{top['score']:.3f}" if top else "", top.get("start", ""), top.get("end", "")]
            writer.writerow(row)
            yield _take(buffer)
    elif fmt == "jsonl":
        for r in results:
            score = None if r.score is None else round(r.score, 3)
            record: dict[str, Any] = {"source": r.source, "score": score, "label": r.label}
            record.update(r.extras)
            yield json.dumps(record, ensure_ascii=False)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _flag(value: object) -> str:
    return "" if value is None else "true" if value else "false"


def _table_lines(r: ScoredPost) -> Iterator[str]:
    """The table row of one post and, indented below it, what was asked for besides."""
    disclosure = str(r.extras.get("disclosure", ""))
    if r.extras.get("undisclosed"):
        disclosure += " ⚠"
    score = "  -  " if r.score is None else f"{r.score:.3f}"
    yield f"{score}  {r.label or '-':<11}  {disclosure:<10}  {r.source}"
    if r.score is None:
        yield f"    not scored: {r.extras.get('reason', '')}"
    top = r.extras.get("top_passage")
    if top:
        excerpt = " ".join(top["text"].split())
        where = f"[{top['start']}:{top['end']}]"
        yield f"    most promotional passage {where} {top['score']:.3f}: {excerpt[:100]}"
    if "highlighted" in r.extras:
        for line in r.extras["highlighted"].splitlines():
            yield f"    | {line}"
    explanation = r.extras.get("explanation")
    if explanation:
        for sign, key in (("+", "up"), ("-", "down")):
            for item in explanation[key]:
                yield f"    {sign} {abs(item['weight']):6.3f}  {item['label']}"


def _take(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
