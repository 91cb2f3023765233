"""Run training and scoring with another minimum passage size, for the benchmarks that compare sizes.

The engine reads :data:`classifier.text.passages.MIN_PASSAGE_WORDS` at each split of a long
text (and training's workers are forked after it is set), so setting it for the span of a
``with`` block is enough; the shipped value is restored on the way out, also on an error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.text import passages


@contextmanager
def min_passage_words(size: int) -> Iterator[None]:
    """Gather lines and sentences into passages of at least ``size`` words inside the block."""
    shipped = passages.MIN_PASSAGE_WORDS
    passages.MIN_PASSAGE_WORDS = size
    try:
        yield
    finally:
        passages.MIN_PASSAGE_WORDS = shipped
