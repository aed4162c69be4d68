"""What administrators read for the document's names: day types, categories, error kinds, rule vocabulary."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DAY_TYPES = {
    "working": _("Working day"),
    "rest": _("Weekend (rest day)"),
    "holiday": _("Public holiday"),
    "vacation": _("Winter or summer vacation"),
}
CATEGORIES = {
    "campus_life": _("Campus life"),
    "study": _("Study"),
    "news": _("News"),
    "light": pgettext_lazy("article category", "Light"),
    "entertainment": _("Entertainment"),
    "inspirational": _("Inspirational"),
}
ERROR_KINDS = {
    "content_mismatch": _("Content does not match the facts"),
    "typo": _("Wrong characters (typos)"),
    "layout": _("Layout"),
    "illegal": _("Illegal content"),
    "not_public": _("Not yet public"),
    "other": _("Other"),
}
PRIZES = {"first": _("First prize"), "second": _("Second prize"), "third": _("Third prize")}
RULE_VERDICTS = {"block": _("Refuse the push"), "warn": _("Warn only")}
SLOT_FIELDS = {
    "day_type": _("Day type"),
    "weekday": _("Weekday"),
    "minute_of_day": _("Time of day"),
    "breaking": _("Breaking news"),
    "time_sensitive": _("Time-sensitive"),
    "category": _("Category"),
    "lead_hours": _("Hours since reaching the office"),
}
OPERATORS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
LEVELS = {"none": _("No action"), "warning": _("Warning"), "escalation": _("Escalation")}
