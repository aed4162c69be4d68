"""What the plugin accepts as input (days, scopes), and cells it hands to spreadsheets.

Python's datetime ends with the years 1 and 9999: a year's margin on each side leaves room for
any time zone (±14 h), for the day after a period (its end bound) and for next_slot's search ahead
(SEARCH_DAYS), which would otherwise overflow. Every date or instant a user, a facts document or
an operator hands the plugin lies from EARLIEST to LATEST.
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EARLIEST, LATEST = datetime.date(2, 1, 1), datetime.date(9998, 12, 31)
# What document.SCOPE_PATTERN (is_scope) allows, in words.
SCOPE_RULE = gettext_lazy(
    'A scope is 1 to 50 lowercase letters, digits, "_" or "-", starting with a letter or a digit.'
)


def in_range(day):
    """Whether the date (or the date of the instant) `day` lies from EARLIEST to LATEST."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def out_of_range(value):
    """The message for a date or instant outside the accepted range."""
    return _("%(value)s is outside the accepted range, %(earliest)s to %(latest)s") % {
        "value": value,
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


def spreadsheet_safe(value):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection).

    The same rule as the channel's activity export; other values (numbers, dates) pass unchanged.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
