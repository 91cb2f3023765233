"""Reading tables (CSV, TSV, JSONL, Parquet) row by row, and text in whatever encoding it comes.

One reader serves scoring (``promo score export.csv``) and training (``promo train``): rows
are read in a stream, so memory stays flat whatever the size of the file. Text files and
tables are decoded by :func:`detect_encoding`: a byte-order mark says UTF-8 or UTF-16;
otherwise UTF-8 when the bytes are UTF-8, else Windows-1255 (Hebrew) when they read as
Hebrew in it. Parquet needs the ``parquet`` extra (pyarrow).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from classifier.core.errors import ClassifierError

#: Table formats by file extension.
TABLE_FORMATS: dict[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}
#: Rows of a Parquet file read at a time.
PARQUET_BATCH = 4096
_SAMPLE = 1 << 16
_PARQUET_HINT = 'Parquet needs pyarrow: pip install "promo-he[parquet]"'

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a post may be long; the default limit is 131,072


def table_format(path: Path, forced: str | None = None) -> str | None:
    """The table format of a file: ``forced``, else by its extension, else None (not a table).

    Examples
    --------
    >>> table_format(Path("export.CSV")), table_format(Path("post.txt")), table_format(Path("x"), "jsonl")
    ('csv', None, 'jsonl')
    """
    return forced or TABLE_FORMATS.get(path.suffix.lower())


def detect_encoding(sample: bytes) -> str:
    """The encoding of bytes that begin with ``sample``.

    Examples
    --------
    >>> detect_encoding("שלום".encode("utf-16"))
    'utf-16'
    >>> detect_encoding("שלום".encode("utf-8-sig")), detect_encoding("שלום".encode("utf-8"))
    ('utf-8-sig', 'utf-8')
    >>> detect_encoding("שלום עולם".encode("cp1255"))
    'cp1255'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:  # a character cut by the end of the sample
            return "utf-8"
    hebrew = sum(0xE0 <= byte <= 0xFA for byte in sample)
    return "cp1255" if hebrew else "utf-8"


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes as text, in ``encoding`` or the detected one.

    Raises
    ------
    UnicodeDecodeError
        When the bytes are not valid in that encoding.
    LookupError
        For an unknown encoding name.
    """
    chosen = encoding or detect_encoding(data[:_SAMPLE])
    if chosen.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        chosen = "utf-8-sig"
    return data.decode(chosen)


def open_text(stream: BinaryIO, encoding: str | None = None) -> io.TextIOWrapper:
    """A text stream over binary ``stream``, decoding by ``encoding`` or the detected one.

    Undecodable bytes become lone surrogates (``surrogateescape``), so one bad row can be
    reported by :func:`undecodable` without stopping the others.
    """
    buffered: Any = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    chosen = encoding or detect_encoding(buffered.peek(_SAMPLE)[:_SAMPLE])
    if chosen.lower().replace("-", "").replace("_", "") == "utf8":
        chosen = "utf-8-sig"
    codecs.lookup(chosen)  # LookupError for an unknown name, before any row is read
    return io.TextIOWrapper(buffered, encoding=chosen, errors="surrogateescape", newline="")


def undecodable(text: str) -> bool:
    """Whether decoded text holds bytes that were not valid in its encoding."""
    return any("\udc80" <= char <= "\udcff" for char in text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> bool:
    """Whether text holds a surrogate code point, which no valid Unicode text does (a JSON escape
    such as ``"\\ud83d"`` without its pair makes one); it could not be written out as UTF-8.

    Examples
    --------
    >>> lone_surrogate("שלום 🙂"), lone_surrogate("שלום " + chr(0xD83D))
    (False, True)
    """
    return _SURROGATE.search(text) is not None


def iter_rows(path: Path, kind: str, encoding: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row number, row)`` of a table, streaming; numbers are lines for text tables.

    Raises
    ------
    ClassifierError
        When the file cannot be opened, Parquet support is missing, or the file is
        malformed in a way that stops reading (a broken CSV quote, a bad Parquet file).
    """
    if kind == "parquet":
        yield from _parquet_rows(path)
        return
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise ClassifierError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise ClassifierError(f"{path}: is a folder, not a table") from None
    except OSError as error:
        raise ClassifierError(f"{path}: cannot read ({error.strerror}); check permissions") from None
    with stream:
        try:
            text = open_text(stream, encoding)
        except LookupError:
            raise ClassifierError(
                f"unknown encoding {encoding!r}; use e.g. utf-8, utf-16 or cp1255"
            ) from None
        try:
            if kind == "jsonl":
                yield from _jsonl_rows(path, text)
                return
            reader = csv.DictReader(text, delimiter="\t" if kind == "tsv" else ",")
            start = 2
            try:
                for row in reader:
                    yield start, row
                    start = reader.line_num + 1
            except csv.Error as error:
                raise ClassifierError(
                    f"{path}:{reader.line_num}: malformed {kind.upper()} ({error})"
                ) from None
        finally:
            text.detach()


def _jsonl_rows(path: Path, text: io.TextIOWrapper) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, {"__problem__": f"not valid JSON ({error.msg})"}
            continue
        if not isinstance(row, dict):
            yield number, {"__problem__": "not a JSON object"}
            continue
        yield number, row


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise ClassifierError(f"{path}: {_PARQUET_HINT}") from None
    try:
        table = parquet.ParquetFile(path)
    except FileNotFoundError:
        raise ClassifierError(f"{path}: no such file; check the path") from None
    except Exception as error:  # pyarrow raises several types for a file it cannot read
        raise ClassifierError(f"{path}: not a readable Parquet file ({type(error).__name__})") from None
    number = 0
    for batch in table.iter_batches(batch_size=PARQUET_BATCH):
        for row in batch.to_pylist():
            number += 1
            yield number, row


def problem_of(row: dict[str, Any]) -> str | None:
    """What made a row unreadable (bad JSON), if anything."""
    problem = row.get("__problem__")
    return str(problem) if problem else None


def text_of(value: Any, column: str) -> tuple[str | None, str | None]:
    """A cell as a post's text, or why it cannot be one.

    Examples
    --------
    >>> text_of("שלום", "text"), text_of(None, "text")[1], text_of([1, 2], "text")[1]
    (('שלום', None), 'empty text', "column 'text' holds a list, not text")
    """
    if value is None or (isinstance(value, float) and value != value):
        return None, "empty text"
    if isinstance(value, (dict, list, tuple)):
        return None, f"column {column!r} holds a {type(value).__name__}, not text"
    if isinstance(value, bytes):
        return None, f"column {column!r} holds bytes, not text"
    text = str(value)
    if undecodable(text):
        return None, "undecodable bytes; pass --encoding (e.g. cp1255 or utf-16)"
    if lone_surrogate(text):
        return None, "a lone surrogate (not valid Unicode, often a broken \\ud83d-style escape); fix the text"
    if not text.strip():
        return None, "empty text"
    return text, None
