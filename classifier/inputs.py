"""Reading posts to score: text files, folders of them, and standard input."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

STDIN = "-"


@dataclass(frozen=True)
class Post:
    """One post to score and where it came from (``path`` or ``path:line``)."""

    source: str
    text: str


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read, and why, in words for people."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def _decode(data: bytes, encoding: str) -> str:
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        return data.decode("utf-8-sig")
    return data.decode(encoding)


_HINT = "convert it to UTF-8 or pass --encoding cp1255 for Windows-1255 Hebrew"


def _posts_of(source: str, data: bytes, encoding: str) -> Iterator[Post | InputProblem]:
    """The one post of a whole input."""
    try:
        text = _decode(data, encoding)
    except UnicodeDecodeError as error:
        yield InputProblem(source, f"not valid {encoding} at byte {error.start}; {_HINT}")
        return
    except LookupError:
        yield InputProblem(source, f"unknown encoding {encoding!r}; use e.g. utf-8 or cp1255")
        return
    if not text.strip():
        yield InputProblem(source, "empty; nothing to score")
        return
    yield Post(source, text.strip())


def _line_posts_of(source: str, stream: BinaryIO, encoding: str) -> Iterator[Post | InputProblem]:
    """One post per non-empty line, read as a stream so memory stays flat on endless input."""
    try:
        "".encode(encoding)
    except LookupError:
        yield InputProblem(source, f"unknown encoding {encoding!r}; use e.g. utf-8 or cp1255")
        return
    found = False
    for number, raw in enumerate(stream, 1):
        try:
            line = _decode(raw, encoding)
        except UnicodeDecodeError as error:
            yield InputProblem(f"{source}:{number}", f"not valid {encoding} at byte {error.start}; {_HINT}")
            continue
        if number == 1:
            line = line.removeprefix("\ufeff")
        if line.strip():
            found = True
            yield Post(f"{source}:{number}", line.strip())
    if not found:
        yield InputProblem(source, "empty; nothing to score")


def _files_of(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.txt") if p.is_file())


def read_posts(
    paths: Sequence[str | Path],
    lines: bool = False,
    encoding: str = "utf-8",
    stdin: BinaryIO | None = None,
) -> Iterator[Post | InputProblem]:
    """Yield every post of the inputs, or a problem for each input that cannot be read.

    Parameters
    ----------
    paths : sequence of str or Path
        Text files (one post each), folders (every ``*.txt`` below, sorted), or ``"-"``
        for standard input.
    lines : bool
        Score each non-empty line as its own post, with ``path:line`` as source.
    encoding : str
        Text encoding of the inputs; UTF-8 may carry a BOM.
    stdin : binary stream or None
        Where ``"-"`` reads from; None for ``sys.stdin``.

    Yields
    ------
    Post or InputProblem
        In input order. A problem never stops the other inputs.

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
    for item in paths:
        if str(item) == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            if lines:
                yield from _line_posts_of("<stdin>", stream, encoding)
            else:
                yield from _posts_of("<stdin>", stream.read(), encoding)
            continue
        path = Path(item)
        if path.is_dir():
            files = _files_of(path)
            if not files:
                yield InputProblem(str(path), "folder holds no .txt files")
            for file in files:
                yield from _read_file(file, encoding, lines)
        else:
            yield from _read_file(path, encoding, lines)


def _read_file(path: Path, encoding: str, lines: bool) -> Iterator[Post | InputProblem]:
    try:
        with path.open("rb") as stream:
            if lines:
                yield from _line_posts_of(str(path), stream, encoding)
            else:
                yield from _posts_of(str(path), stream.read(), encoding)
    except FileNotFoundError:
        yield InputProblem(str(path), "no such file")
    except IsADirectoryError:
        yield InputProblem(str(path), "is a folder")
    except OSError as error:
        yield InputProblem(str(path), f"cannot read ({error.strerror})")
