"""The two labels: their names, their numbers, and the spellings accepted in training files."""

from __future__ import annotations

import math

PROMOTIONAL = "promotional"
ORGANIC = "organic"
#: Label number -> name.
NAMES: dict[int, str] = {1: PROMOTIONAL, 0: ORGANIC}
#: Label spellings accepted in training files (compared case-insensitively).
LABEL_VALUES: dict[str, int] = {
    "1": 1,
    PROMOTIONAL: 1,
    "promo": 1,
    "true": 1,
    "yes": 1,
    "0": 0,
    ORGANIC: 0,
    "false": 0,
    "no": 0,
}


def parse_label(value: object) -> int | None:
    """Map a label spelling to 1 or 0, or None when it is not one we know.

    Examples
    --------
    >>> [parse_label(v) for v in ["Promotional", "no", " 1 ", "maybe", 1, True]]
    [1, 0, 1, None, 1, 1]
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    return LABEL_VALUES.get(str(value).strip().lower())


def label_of(score: float, threshold: float) -> str | None:
    """The label name of a score at a threshold (None for a post that was not judged).

    Examples
    --------
    >>> label_of(0.7, 0.5), label_of(0.2, 0.5), label_of(float("nan"), 0.5)
    ('promotional', 'organic', None)
    """
    if math.isnan(score):
        return None
    return PROMOTIONAL if score >= threshold else ORGANIC
