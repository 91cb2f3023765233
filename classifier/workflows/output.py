"""Formatting scored posts as a table, CSV or JSON lines."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from classifier.core.errors import ClassifierError

Format = Literal["table", "csv", "jsonl"]
FORMATS: tuple[str, ...] = ("table", "csv", "jsonl")
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
#: Output files by extension.
OUTPUT_FORMATS: dict[str, str] = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class ScoredPost:
    """The result for one post: its source, score and label, and extra fields.

    A post that was not judged (empty, or too little Hebrew) has score and label None
    and its ``reason`` in ``extras``. ``extras`` holds ``language``, ``disclosure``,
    ``disclosure_reason`` and ``undisclosed``, and when
    asked for, ``top_passage``, ``highlighted`` and ``explanation``
    (see :func:`classifier.workflows.scoring.analyse`).
    """

    source: str
    score: float | None
    label: str | None
    extras: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: id and kept columns (for tables), source, score, label, then the extras."""
        record: dict[str, Any] = {}
        if self.id is not None:
            record["id"] = self.id
        record.update(self.columns)
        record.update(
            source=self.source,
            score=None if self.score is None else round(self.score, 3),
            label=self.label,
        )
        record.update(self.extras)
        return record


_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text safe to print on a terminal: escape sequences and control characters removed.

    Examples
    --------
    >>> printable("מבצע\x1b[2J\x1b]0;title\x07 היום\x9b")
    'מבצע0;title היום'
    """
    return _CONTROL.sub("", text)


def format_results(
    results: Iterable[ScoredPost],
    fmt: Format = "table",
    with_passages: bool = False,
    lead: Sequence[str] = (),
) -> Iterator[str]:
    """Yield output lines (without newline) for scored posts, header first where the format has one.

    Scores are rounded to 3 decimals. Lines are produced as results arrive, so
    output streams. The table shows disclosure and, when present, the top passage,
    the highlighted post and the explanation under each row, with terminal control
    characters removed; CSV has flat columns (``lead`` first: ``id`` and the kept
    columns of tables; with ``with_passages``, the top passage's score and offsets
    too); JSON lines carry every field.

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
        header = [*lead, "source", "score", "label", "language", "disclosure", "undisclosed"]
        if with_passages:
            header += ["passage_score", "passage_start", "passage_end"]
        writer.writerow(header)
        yield _take(buffer)
        for r in results:
            row = [
                *(r.id if column == "id" else _cell(r.columns.get(column)) for column in lead),
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
            line = json.dumps(r.to_dict(), ensure_ascii=False, default=str)
            yield line.translate(_LINE_BREAKS)  # one record a line, whatever line breaks a text holds
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _cell(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _flag(value: object) -> str:
    return "" if value is None else "true" if value else "false"


def _table_lines(r: ScoredPost) -> Iterator[str]:
    """The table row of one post and, indented below it, what was asked for besides."""
    disclosure = str(r.extras.get("disclosure", ""))
    if r.extras.get("undisclosed"):
        disclosure += " ⚠"
    score = "  -  " if r.score is None else f"{r.score:.3f}"
    yield f"{score}  {r.label or '-':<11}  {disclosure:<10}  {printable(r.source)}"
    if r.score is None:
        yield f"    not scored: {r.extras.get('reason', '')}"
    top = r.extras.get("top_passage")
    if top:
        excerpt = printable(" ".join(top["text"].split()))
        where = f"[{top['start']}:{top['end']}]"
        yield f"    most promotional passage {where} {top['score']:.3f}: {excerpt[:100]}"
    if "highlighted" in r.extras:
        for line in r.extras["highlighted"].splitlines():
            yield f"    | {_printable_marked(line)}"
    explanation = r.extras.get("explanation")
    if explanation:
        for sign, key in (("+", "up"), ("-", "down")):
            for item in explanation[key]:
                yield f"    {sign} {abs(item['weight']):6.3f}  {printable(' '.join(item['label'].split()))}"


def _printable_marked(line: str) -> str:
    """A highlighted line with the post's control characters removed but the marking colour kept."""
    from classifier.text.passages import COLOR_OFF, COLOR_ON

    pieces = line.replace(COLOR_ON, "\x00on\x00").replace(COLOR_OFF, "\x00off\x00")
    return (
        printable(pieces.replace("\x00", "\ufffe"))
        .replace("\ufffeon\ufffe", COLOR_ON)
        .replace("\ufffeoff\ufffe", COLOR_OFF)
    )


def write_results(
    results: Iterable[ScoredPost], path: Path, with_passages: bool = False, lead: Sequence[str] = ()
) -> int:
    """Write results to ``path`` as CSV, JSON lines or Parquet (by extension), atomically.

    The file appears complete or not at all: it is written to a temporary file and
    renamed at the end, and an interruption (Ctrl-C, a full disk) leaves nothing behind.

    Returns
    -------
    int
        The number of rows written.

    Raises
    ------
    ClassifierError
        For an unknown extension, a missing Parquet library, or a folder that cannot be written.
    """
    from classifier.modeling.storage import atomic_writer

    kind = OUTPUT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ClassifierError(f"{path}: unknown output type {path.suffix!r}; use .csv, .jsonl or .parquet")
    count = 0
    try:
        with atomic_writer(path) as stream:
            if kind == "parquet":
                count = _write_parquet(results, stream)
            else:
                for number, line in enumerate(format_results(results, kind, with_passages, lead)):  # type: ignore[arg-type]
                    stream.write((line + "\n").encode("utf-8"))
                    count = number + (0 if kind == "csv" else 1)
    except OSError as error:
        raise ClassifierError(f"{path}: cannot write ({error.strerror}); choose another place") from None
    return count


def _write_parquet(results: Iterable[ScoredPost], stream: Any) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as parquet
    except ImportError:
        raise ClassifierError('Parquet output needs pyarrow: pip install "promo-he[parquet]"') from None
    writer = None
    count = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        if not chunk:
            return
        records = [
            {
                k: (
                    v
                    if isinstance(v, (str, int, float, bool)) or v is None
                    else json.dumps(v, ensure_ascii=False)
                )
                for k, v in row.items()
            }
            for row in chunk
        ]
        if writer is None:
            columns = list(records[0])
            schema = pa.schema([(c, _arrow_type(pa, c)) for c in columns])
            writer = parquet.ParquetWriter(stream, schema)
        table = pa.Table.from_pylist(
            [
                {c: (None if row.get(c) is None else row.get(c)) for c in writer.schema.names}
                for row in records
            ],
            schema=writer.schema,
        )
        writer.write_table(table)
        chunk.clear()

    for result in results:
        row = result.to_dict()
        row.setdefault("reason", None)
        chunk.append(row)
        count += 1
        if len(chunk) >= 10_000:
            flush()
    flush()
    if writer is not None:
        writer.close()
    return count


def _arrow_type(pa: Any, column: str) -> Any:
    if column == "score":
        return pa.float64()
    if column == "undisclosed":
        return pa.bool_()
    return pa.string()


def _take(buffer: io.StringIO) -> str:
    value = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return value
