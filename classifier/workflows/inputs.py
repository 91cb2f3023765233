"""Reading posts to score: tables, text files, folders of them, and standard input.

Every input is read as a stream: a table row by row, a ``--lines`` file line by line,
so memory stays flat whatever the size of the input. A post longer than
:data:`MAX_POST_CHARS` is cut there (with a warning naming it); a whole-file post is read
only up to that length. A problem with one input or one row never stops the others.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from classifier.core.errors import ClassifierError
from classifier.modeling.tables import (
    decode,
    iter_rows,
    open_text,
    problem_of,
    table_format,
    text_of,
    undecodable,
)

STDIN = "-"
#: Longest post scored, in characters; longer posts are cut here (about 15,000 words).
MAX_POST_CHARS = 100_000
_HINT = "convert it to UTF-8 or pass --encoding (e.g. cp1255 or utf-16)"


@dataclass(frozen=True)
class Post:
    """One post to score and where it came from.

    Attributes
    ----------
    source : str
        ``path``, ``path:line`` or ``path:row``.
    text : str
    id : str or None
        The row's id (``--id-column``), for tables.
    columns : dict
        The row's other columns the user asked to keep (``--keep``).
    truncated : bool
        The post was longer than :data:`MAX_POST_CHARS` and was cut.
    """

    source: str
    text: str
    id: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read, and why, in words for people."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class TableOptions:
    """How to read tables: which column holds the post, which the id, which to keep.

    Attributes
    ----------
    text_column : str
    id_column : str or None
        None: ``id`` when the table has it, else the row number.
    keep : tuple of str
        Other columns copied to the output.
    input_format : str or None
        Force ``csv``, ``tsv``, ``jsonl`` or ``parquet`` whatever the extension.
    """

    text_column: str = "text"
    id_column: str | None = None
    keep: tuple[str, ...] = ()
    input_format: str | None = None


def _cut(text: str) -> tuple[str, bool]:
    return (text[:MAX_POST_CHARS], True) if len(text) > MAX_POST_CHARS else (text, False)


def _posts_of(source: str, data: bytes, encoding: str | None, more: bool) -> Iterator[Post | InputProblem]:
    """The one post of a whole input (``more``: the input went on past what was read)."""
    try:
        try:
            text = decode(data, encoding)
        except UnicodeDecodeError as error:
            if not (more and error.start >= len(data) - 4):
                raise
            text = decode(data[: error.start], encoding)  # a character cut where reading stopped
    except UnicodeDecodeError as error:
        yield InputProblem(source, f"not valid {error.encoding} at byte {error.start}; {_HINT}")
        return
    except LookupError:
        yield InputProblem(source, f"unknown encoding {encoding!r}; use e.g. utf-8, utf-16 or cp1255")
        return
    if not text.strip():
        yield InputProblem(source, "empty; nothing to score")
        return
    text, cut = _cut(text.strip())
    yield Post(source, text, truncated=cut or more)


def _line_posts_of(source: str, stream: BinaryIO, encoding: str | None) -> Iterator[Post | InputProblem]:
    """One post per non-empty line, read as a stream so memory stays flat on endless input."""
    try:
        text = open_text(stream, encoding)
    except LookupError:
        yield InputProblem(source, f"unknown encoding {encoding!r}; use e.g. utf-8, utf-16 or cp1255")
        return
    try:
        yield from _lines_of(source, text)
    finally:
        text.detach()  # leave the binary stream to its owner (standard input stays open)


def _lines_of(source: str, text: Any) -> Iterator[Post | InputProblem]:
    found = False
    number = 0
    while True:
        line = text.readline(MAX_POST_CHARS + 1)
        if not line:
            break
        cut = False
        if len(line) > MAX_POST_CHARS and not line.endswith("\n"):
            cut = True
            while True:  # skip the rest of an overlong line without holding it
                rest = text.readline(MAX_POST_CHARS)
                if not rest or rest.endswith("\n"):
                    break
        number += 1
        if undecodable(line):
            yield InputProblem(f"{source}:{number}", f"undecodable bytes; {_HINT}")
            continue
        if line.strip():
            found = True
            post, longer = _cut(line.strip())
            yield Post(f"{source}:{number}", post, truncated=cut or longer)
    if not found:
        yield InputProblem(source, "empty; nothing to score")


def _table_posts_of(
    path: Path, kind: str, encoding: str | None, options: TableOptions
) -> Iterator[Post | InputProblem]:
    """One post per row of a table, keeping its id and the asked columns."""
    checked = False
    for number, row in iter_rows(path, kind, encoding):
        where = f"{path}:{number}"
        problem = problem_of(row)
        if problem:
            yield InputProblem(where, problem)
            continue
        if not checked:
            missing = [c for c in (options.text_column, *options.keep) if c not in row]
            if options.id_column and options.id_column not in row:
                missing.append(options.id_column)
            if missing:
                found = ", ".join(map(str, row)) or "none"
                raise ClassifierError(
                    f"{path}: no column {missing[0]!r} (found: {found}); "
                    "pass --text-column, --id-column or --keep"
                )
            checked = True
        id_column = options.id_column or ("id" if "id" in row else None)
        key = str(row[id_column]) if id_column and row.get(id_column) is not None else str(number)
        kept = {column: row.get(column) for column in options.keep}
        text, reason = text_of(row.get(options.text_column), options.text_column)
        if text is None and reason == "empty text":
            text = ""  # an empty post is reported with a null score and its reason, in its place
        if text is None:
            yield InputProblem(where, f"{reason}; not scored")
            continue
        text, cut = _cut(text)
        yield Post(where, text, id=key, columns=kept, truncated=cut)


def _files_of(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.txt") if p.is_file())


def read_posts(
    paths: Sequence[str | Path],
    lines: bool = False,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    tables: TableOptions | None = None,
) -> Iterator[Post | InputProblem]:
    """Yield every post of the inputs, or a problem for each input (or row) that cannot be read.

    Parameters
    ----------
    paths : sequence of str or Path
        Tables (``.csv``, ``.tsv``, ``.jsonl``, ``.parquet``: one post per row), text files
        (one post each), folders (every ``*.txt`` below, sorted), or ``"-"`` for standard input.
    lines : bool
        Score each non-empty line of text inputs as its own post, with ``path:line`` as source.
    encoding : str or None
        Encoding of text inputs and text tables; None detects UTF-8 (with or without
        BOM), UTF-16 (with BOM) and Windows-1255.
    stdin : binary stream or None
        Where ``"-"`` reads from; None for ``sys.stdin``.
    tables : TableOptions or None
        Columns of table inputs (and ``input_format``, which also applies to ``"-"``).

    Yields
    ------
    Post or InputProblem
        In input order. A problem never stops the other inputs.

    Raises
    ------
    ClassifierError
        For a table without the asked columns or one that cannot be read at all.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("שלום\\nמבצע!\\n", encoding="utf-8")
    >>> [p.source.split("/")[-1] for p in read_posts([folder / "a.txt"], lines=True)]
    ['a.txt:1', 'a.txt:2']
    >>> [str(p).split("/")[-1] for p in read_posts([folder / "missing.txt"])]
    ['missing.txt: no such file']
    """
    options = tables or TableOptions()
    for item in paths:
        if str(item) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            if lines:
                yield from _line_posts_of("<stdin>", stream, encoding)
            else:
                data = stream.read(4 * MAX_POST_CHARS + 1)
                more = len(data) > 4 * MAX_POST_CHARS
                yield from _posts_of("<stdin>", data[: 4 * MAX_POST_CHARS], encoding, more)
            continue
        path = Path(item)
        kind = table_format(path, options.input_format)
        if path.is_dir():
            files = _files_of(path)
            if not files:
                yield InputProblem(str(path), "folder holds no .txt files")
            for file in files:
                yield from _read_file(file, encoding, lines)
        elif kind is not None:
            try:
                yield from _table_posts_of(path, kind, encoding, options)
            except ClassifierError as error:
                yield InputProblem(str(path), str(error).removeprefix(f"{path}: "))
        else:
            yield from _read_file(path, encoding, lines)


def _read_file(path: Path, encoding: str | None, lines: bool) -> Iterator[Post | InputProblem]:
    try:
        with path.open("rb") as stream:
            if lines:
                yield from _line_posts_of(str(path), stream, encoding)
            else:
                # never more than a post can hold: /dev/zero or a huge file is cut, not read whole
                data = stream.read(4 * MAX_POST_CHARS + 1)
                more = len(data) > 4 * MAX_POST_CHARS
                yield from _posts_of(str(path), data[: 4 * MAX_POST_CHARS], encoding, more)
    except FileNotFoundError:
        yield InputProblem(str(path), "no such file")
    except IsADirectoryError:
        yield InputProblem(str(path), "is a folder")
    except OSError as error:
        yield InputProblem(str(path), f"cannot read ({error.strerror})")
