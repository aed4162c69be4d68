"""Sub-commands of `manage.py policy`, one module per concern.

Each module exposes `register(subparsers)`, adding parsers whose `handler`
default is a function `(command, options) -> None`.
"""

import unicodedata


def display_width(text):
    """Columns a terminal gives `text`: two for each wide (Chinese) character, so tables line up."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text)
