"""The one exception family the package raises on purpose."""

from __future__ import annotations


class ClassifierError(Exception):
    """A problem the user can fix: the message says what went wrong and what to do.

    The command line turns it into a one-line message and exit status 1; anything
    else escaping the package is a bug.

    Examples
    --------
    >>> raise ClassifierError("posts.csv: no column 'text'; pass --text-column")
    Traceback (most recent call last):
    ...
    classifier.core.errors.ClassifierError: posts.csv: no column 'text'; pass --text-column
    """
