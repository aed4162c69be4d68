"""Sub-commands of `manage.py policy`, one module per concern.

Each module exposes `register(subparsers)`, adding parsers whose `handler`
default is a function `(command, options) -> None`.
"""
