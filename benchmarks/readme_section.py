"""Rewrite one marked section of benchmarks/README.md, atomically (shared by the benchmark scripts)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_section(name: str, text: str, readme: Path = README) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->``, keeping the file's mode."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    content = readme.read_text(encoding="utf-8")
    head, found_start, rest = content.partition(start)
    _, found_end, tail = rest.partition(end)
    if not found_start or not found_end:
        raise SystemExit(f"{readme} lacks the markers {start} and {end}; add them and run again")
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=readme.parent, prefix=f".{readme.name}.", delete=False
    ) as stream:
        stream.write(f"{head}{start}\n{text}\n{end}{tail}")
    os.chmod(stream.name, stat.S_IMODE(readme.stat().st_mode))
    os.replace(stream.name, readme)


def publish(name: str, text: str, write: bool = True) -> None:
    """Print a benchmark's report and, unless told not to, put it in its README section."""
    print(text)
    if write:
        write_section(name, text)
