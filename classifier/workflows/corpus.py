"""The bundled corpus (``data/posts.csv``) and its fixed held-out split."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Literal

from classifier.core.errors import ClassifierError
from classifier.modeling.dataset import LabelledPosts, read_labelled

HELDOUT_SHARE = 0.2
SPLIT_SEED = 0
Split = Literal["train", "heldout", "all"]

_PACKAGE = Path(__file__).resolve().parent.parent  # classifier/, above this layer's subpackage


def bundled_corpus_path() -> Path:
    """Where the bundled corpus is: ``data/posts.csv`` of a source checkout, else the wheel's copy.

    Raises
    ------
    ClassifierError
        When neither exists.
    """
    for candidate in (_PACKAGE.parent / "data" / "posts.csv", _PACKAGE / "_data" / "posts.csv"):
        if candidate.is_file():
            return candidate
    raise ClassifierError(
        "the bundled corpus data/posts.csv is missing; reinstall the package or pass DATA files"
    )


def heldout_mask(posts: LabelledPosts, share: float = HELDOUT_SHARE, seed: int = SPLIT_SEED) -> list[bool]:
    """Mark the held-out posts: ``share`` of every label x domain stratum, chosen by a seeded hash.

    Within a stratum, posts are ordered by the SHA-256 of ``seed`` and their ``id``
    (their text when there is no ``id`` column) and the first ``round(share * n)``
    are held out, so the split depends only on the posts, not on their order.

    Examples
    --------
    >>> posts = LabelledPosts(texts=[f"post {i}" for i in range(10)], labels=[0, 1] * 5)
    >>> sum(heldout_mask(posts))
    2
    """
    ids = posts.columns.get("id") or posts.texts
    domains = posts.columns.get("domain") or [""] * len(posts)
    strata: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, (label, domain) in enumerate(zip(posts.labels, domains, strict=True)):
        strata[(label, domain)].append(i)
    held = [False] * len(posts)
    for members in strata.values():
        members.sort(key=lambda i: hashlib.sha256(f"{seed}:{ids[i]}".encode()).hexdigest())
        for i in members[: round(share * len(members))]:
            held[i] = True
    return held


def load_corpus(split: Split = "train", path: Path | None = None) -> LabelledPosts:
    """Load the bundled corpus, or one part of its fixed split.

    Parameters
    ----------
    split : {"train", "heldout", "all"}
        ``"train"`` is what the default model learns from; ``"heldout"`` is the
        fixed 20% that training never sees.
    path : Path or None
        Another corpus file with the same columns; None for the bundled one.

    Returns
    -------
    LabelledPosts
        Its ``sha256`` is the hash of the whole corpus file, whatever the split.
    """
    posts = read_labelled([path or bundled_corpus_path()])
    if split == "all":
        return posts
    held = heldout_mask(posts)
    return posts.subset(held if split == "heldout" else [not h for h in held])
