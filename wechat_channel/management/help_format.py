"""`--help` that reads well in Chinese: lazy translations, lines wrapped and columns aligned by terminal columns.

argparse measures text with len() and wraps it at spaces; Chinese has no spaces and each character takes two
columns. Help texts are gettext_lazy, so they are read in the language active when the help is printed; argparse's
and Django's own words, which their catalogues leave English, are translated here.

The same as policy_rules/cli/help_format.py, which the site's commands use: the two plugins import neither each
other nor the site (tests/test_architecture.py), so each carries its own.
"""

import argparse
import re
import unicodedata

from django.core.management.base import DjangoHelpFormatter
from django.utils.translation import gettext as _

WHITESPACE = re.compile(r"\s+")
NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)")  # punctuation that stays at the end of the line before
NO_LINE_END = set("（《「『“‘(")  # and punctuation that goes to the next line with what it opens


def wide(char):
    return unicodedata.east_asian_width(char) in ("W", "F")


def display_width(text):
    """Columns a terminal gives `text`: two for each wide (Chinese) character."""
    return sum(2 if wide(char) else 1 for char in text)


def _tokens(text):
    """Words, spaces and single wide characters: a line may break before any of them."""
    tokens, word = [], ""
    for char in text:
        if char == " " or wide(char):
            tokens += [word, char] if word else [char]
            word = ""
        else:
            word += char
    return [*tokens, word] if word else tokens


def wrap(text, width):
    """`text` in lines of at most `width` columns (a word longer than that stands alone)."""
    lines, line = [], ""
    for piece in _tokens(WHITESPACE.sub(" ", str(text)).strip()):
        if line and not piece.isspace() and piece not in NO_LINE_START and display_width(line + piece) > width:
            carried = line[-1] if line[-1] in NO_LINE_END else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line = carried
        if line or not piece.isspace():
            line += piece
    return [*lines, line.rstrip()] if line else lines


def common_words():
    """argparse's headings and Django's common options, in the language active now."""
    return {
        "positional arguments": _("positional arguments"),
        "options": _("options"),
        "show this help message and exit": _("show this help message and exit"),
        "Show program's version number and exit.": _("Show program's version number and exit."),
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output": _(
            "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, 3=very verbose output"
        ),
        'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t provided, the '
        "DJANGO_SETTINGS_MODULE environment variable will be used.": _(
            'The Python path to a settings module, e.g. "myproject.settings.main". If this isn\'t provided, the '
            "DJANGO_SETTINGS_MODULE environment variable will be used."
        ),
        'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".': _(
            'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'
        ),
        "Display a full stack trace on CommandError exceptions.": _(
            "Display a full stack trace on CommandError exceptions."
        ),
        "Don't colorize the command output.": _("Don't colorize the command output."),
        "Force colorization of the command output.": _("Force colorization of the command output."),
        "Skip system checks.": _("Skip system checks."),
    }


class HelpFormatter(DjangoHelpFormatter):
    """Django's help layout, measuring and wrapping by terminal columns."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def _format_usage(self, usage, actions, groups, prefix):
        # argparse indents the usage's next lines by len(prefix): 用法： takes three columns more.
        text = super()._format_usage(usage, actions, groups, prefix)
        extra = display_width(prefix or "") - len(prefix or "")
        return text.replace("\n ", "\n" + " " * (extra + 1)) if extra else text

    def start_section(self, heading):
        super().start_section(common_words().get(heading, heading))

    def _expand_help(self, action):
        text = super()._expand_help(action)
        return common_words().get(text, text)

    def _split_lines(self, text, width):
        return wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocations = [action, *self._iter_indented_subactions(action)]
            widest = max(display_width(self._format_action_invocation(each)) for each in invocations)
            self._action_max_length = max(self._action_max_length, widest + self._current_indent)

    def _format_action(self, action):
        # argparse pads the option to the help's column by len(): a wide character takes one column more.
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        if not action.help or display_width(header) == len(header):
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        if self._current_indent + display_width(header) + 2 <= help_position:
            after = " " * (help_position - self._current_indent - display_width(header))
        else:
            after = "\n" + " " * help_position
        return re.sub(re.escape(header) + " {2,}", lambda _match: header + after, text, count=1)
