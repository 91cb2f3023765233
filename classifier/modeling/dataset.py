"""Reading labelled posts from CSV, TSV and JSONL files."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from classifier.core.errors import ClassifierError
from classifier.core.labels import ORGANIC, PROMOTIONAL, parse_label
from classifier.modeling.tables import TABLE_FORMATS, iter_rows, problem_of, text_of

#: The most posts training reads: beyond it the feature matrix outgrows a laptop's memory.
MAX_TRAINING_POSTS = 300_000
_SHOWN_LINES = 5


@dataclass
class LabelledPosts:
    """Posts with their labels, and what was skipped on the way in.

    Attributes
    ----------
    texts : list of str
        The post texts.
    labels : list of int
        1 for promotional, 0 for organic.
    columns : dict of str to list of str
        Every other column of the input, aligned with ``texts`` (e.g. ``id``, ``kind``).
    sources : list of str
        ``file:line`` of each post.
    skipped : dict of str to list of str
        For each reason (``"empty text"``, ``"unknown label"``), the ``file:line`` of
        every skipped row.
    sha256 : str
        Hash of the input files' bytes, in order.
    weights : list of float or None
        How much each post counts in training (None: all count once).
    """

    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    sha256: str = ""
    weights: list[float] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def counts(self) -> dict[str, int]:
        """Number of posts per label name."""
        return {ORGANIC: self.labels.count(0), PROMOTIONAL: self.labels.count(1)}

    def subset(self, keep: Sequence[bool]) -> LabelledPosts:
        """The posts where ``keep`` is true (nothing is recorded as skipped)."""
        pick = [i for i, k in enumerate(keep) if k]
        return LabelledPosts(
            texts=[self.texts[i] for i in pick],
            labels=[self.labels[i] for i in pick],
            columns={name: [values[i] for i in pick] for name, values in self.columns.items()},
            sources=[self.sources[i] for i in pick],
            skipped={},
            sha256=self.sha256,
            weights=None if self.weights is None else [self.weights[i] for i in pick],
        )

    def plus(self, other: LabelledPosts, weight: float = 1.0) -> LabelledPosts:
        """These posts and ``other``'s, each of ``other``'s counting ``weight`` times in training."""
        mine = self.weights or [1.0] * len(self)
        names = set(self.columns) & set(other.columns)
        return LabelledPosts(
            texts=self.texts + other.texts,
            labels=self.labels + other.labels,
            columns={name: self.columns[name] + other.columns[name] for name in names},
            sources=self.sources + other.sources,
            skipped={**self.skipped, **other.skipped},
            sha256=hashlib.sha256(f"{self.sha256}+{other.sha256}x{weight}".encode()).hexdigest(),
            weights=mine + [weight] * len(other),
        )

    def skipped_summary(self) -> list[str]:
        """One line per skip reason, with the first line numbers, for people."""
        lines = []
        for reason, where in self.skipped.items():
            shown = ", ".join(where[:_SHOWN_LINES]) + (", ..." if len(where) > _SHOWN_LINES else "")
            lines.append(f"skipped {len(where)} row(s) with {reason}: {shown}")
        return lines


def read_labelled(
    paths: Sequence[Path], text_column: str = "text", label_column: str = "label"
) -> LabelledPosts:
    """Read and concatenate labelled files, skipping (and recording) unusable rows.

    The format comes from each file's extension: ``.csv``, ``.tsv``, ``.jsonl`` or
    ``.parquet``; text tables may be UTF-8 (with or without BOM), UTF-16 or Windows-1255.
    Rows are read as a stream; more than :data:`MAX_TRAINING_POSTS` posts are refused.

    Parameters
    ----------
    paths : sequence of Path
        The files, read in order.
    text_column, label_column : str
        Names of the text and label columns (JSON keys).

    Returns
    -------
    LabelledPosts

    Raises
    ------
    ClassifierError
        For a missing, unreadable or malformed file, an unknown extension or a missing column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("text,label\\nמבצע ענק,1\\nבוקר טוב,organic\\n,1\\n")
    >>> posts = read_labelled([folder / "a.csv"])
    >>> posts.labels, posts.skipped
    ([1, 0], {'empty text': ['a.csv:4']})
    """
    posts = LabelledPosts()
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        kind = TABLE_FORMATS.get(path.suffix.lower())
        if kind is None:
            raise ClassifierError(
                f"{path}: unknown file type {path.suffix!r}; use .csv, .tsv, .jsonl or .parquet"
            )
        if path.is_file():
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        seen_columns = False
        for number, row in iter_rows(path, kind):
            problem = problem_of(row)
            if problem:
                posts.skipped.setdefault(problem, []).append(f"{path.name}:{number}")
                continue
            if not seen_columns:
                missing = [c for c in (text_column, label_column) if c not in row]
                if missing:
                    raise ClassifierError(
                        f"{path}: no column {missing[0]!r} (found: {', '.join(map(str, row))}); "
                        "pass --text-column/--label-column"
                    )
                seen_columns = True
            where = f"{path.name}:{number}"
            text, reason = text_of(row.get(text_column), text_column)
            label = parse_label(row.get(label_column))
            if text is None:
                posts.skipped.setdefault(reason or "empty text", []).append(where)
                continue
            if label is None:
                posts.skipped.setdefault("unknown label", []).append(where)
                continue
            if len(posts.texts) >= MAX_TRAINING_POSTS:
                raise ClassifierError(
                    f"{path}:{number}: more than {MAX_TRAINING_POSTS:,} posts; train on a sample of them"
                )
            posts.texts.append(text)
            posts.labels.append(label)
            posts.sources.append(where)
            for name, value in row.items():
                if name not in (text_column, label_column) and isinstance(name, str):
                    column = posts.columns.setdefault(name, [""] * (len(posts.texts) - 1))
                    column.append("" if value is None else str(value))
            for column in posts.columns.values():
                column.extend([""] * (len(posts.texts) - len(column)))
    posts.sha256 = digest.hexdigest()
    return posts
