"""Day types for the policy; the host site supplies its own through POLICY_RULES["CALENDAR"]."""

import datetime

from django.utils.module_loading import import_string

from .conf import get_conf


def weekday_calendar(start, end):
    """Monday–Friday working, weekends rest: the fallback when the site gives no calendar."""
    days = {}
    day = start
    while day <= end:
        days[day] = "working" if day.weekday() < 5 else "rest"
        day += datetime.timedelta(days=1)
    return days


def day_types(start, end):
    """`{date: day type}` for every date from `start` to `end` inclusive, from the configured calendar."""
    return import_string(get_conf("CALENDAR"))(start, end)
