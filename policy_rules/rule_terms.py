"""Administrators' condition rules in human terms: weekdays by name, times as HH:MM, each rule read back as a sentence.

The stored document keeps the engine's vocabulary (`weekday` 1–7, `minute_of_day` 0–1439, see document.SLOT_FIELDS),
so every version stored before still loads and compiles unchanged; the edit form converts in both directions here.
"""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .document import SLOT_FIELDS, Category, DayType
from .labels import CATEGORIES, DAY_TYPES, OPERATORS, RULE_VERDICTS

WEEKDAYS = {
    1: pgettext_lazy("weekday", "Monday"),
    2: pgettext_lazy("weekday", "Tuesday"),
    3: pgettext_lazy("weekday", "Wednesday"),
    4: pgettext_lazy("weekday", "Thursday"),
    5: pgettext_lazy("weekday", "Friday"),
    6: pgettext_lazy("weekday", "Saturday"),
    7: pgettext_lazy("weekday", "Sunday"),
}
# What a person may type for a weekday besides the number: 周五, 星期五, 礼拜五, Fri, Friday (日 and 天 both Sunday).
CHINESE_DAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
CHINESE_WEEKDAY = re.compile(r"^(?:周|星期|礼拜)([一二三四五六日天])$")
ENGLISH_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HH_MM = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
YES = ("true", "yes", "y", "1", "是")
NO = ("false", "no", "n", "0", "否")
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
# The operator select in words that read for a weekday, a time and a number alike.
OPERATOR_WORDS = {
    "eq": pgettext_lazy("condition operator", "is"),
    "ne": pgettext_lazy("condition operator", "is not"),
    "lt": pgettext_lazy("condition operator", "before / less than"),
    "le": pgettext_lazy("condition operator", "at most / until"),
    "gt": pgettext_lazy("condition operator", "after / more than"),
    "ge": pgettext_lazy("condition operator", "at least / from"),
}


BLANK = "——"  # a blank condition row's subject and value: no condition until a subject is chosen


def kind_of(field):
    """How a condition's value is entered: weekday, time, choice of day type or category, yes/no, or number;
    "none" for a blank row, which has no subject yet."""
    if not field:
        return "none"
    if field in ("weekday", "minute_of_day", "day_type", "category"):
        return "time" if field == "minute_of_day" else field
    return "yes_no" if SLOT_FIELDS.get(field) is bool else "number"


def value_widget(field):
    """The input a condition's value takes for `field`: a select of names, a time picker, or a number."""
    kind = kind_of(field)
    if kind == "none":
        return forms.Select(choices=[("", BLANK)])
    if kind == "weekday":
        return forms.Select(choices=list(WEEKDAYS.items()))
    if kind == "time":
        return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    if kind == "day_type":
        return forms.Select(choices=[(day.value, DAY_TYPES[day.value]) for day in DayType])
    if kind == "category":
        return forms.Select(choices=[(category.value, CATEGORIES[category.value]) for category in Category])
    if kind == "yes_no":
        return forms.Select(choices=YES_NO)
    return forms.NumberInput(attrs={"step": "any"})


def parse(field, text):
    """The stored value of a condition on `field` from what the form sent; ValueError says what to enter."""
    kind, text = kind_of(field), str(text).strip()
    if kind == "weekday":
        day = _weekday(text)
        if day is None:
            raise ValueError(_("Choose a weekday."))
        return day
    if kind == "time":
        match = HH_MM.match(text)
        if not match:
            raise ValueError(_("Enter a time as HH:MM."))
        return int(match.group(1)) * 60 + int(match.group(2))
    if kind == "yes_no":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(_("Choose yes or no."))
    if kind in ("day_type", "category"):
        if text not in {member.value for member in (DayType if kind == "day_type" else Category)}:
            raise ValueError(_("Choose one of the offered values."))
        return text
    try:
        number = SLOT_FIELDS[field](text)
    except (KeyError, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(_("Enter a number."))
    return number


def _weekday(text):
    if text.isascii() and text.isdigit() and len(text) == 1 and 1 <= int(text) <= 7:
        return int(text)
    match = CHINESE_WEEKDAY.match(text)
    if match:
        return CHINESE_DAYS[match.group(1)]
    lowered = text.lower()
    for number, name in enumerate(ENGLISH_DAYS, 1):
        if lowered in (name, f"{name}.") or (len(lowered) > 3 and _full_name(number).startswith(lowered)):
            return number
    return None


def _full_name(number):
    return ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[number - 1]


def shown(field, value):
    """A stored condition value as its input shows it: 5 → "5" (the select says 周五), 1200 → "20:00", True → "yes"."""
    if value is None:
        return ""
    kind = kind_of(field)
    if kind == "time" and isinstance(value, int | float) and not isinstance(value, bool):
        minutes = int(value)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _said(field, value):
    """A value in words: 周五, 20:00, 工作日, 新闻."""
    kind = kind_of(field)
    if kind == "weekday":
        return str(WEEKDAYS.get(value, value))
    if kind == "time":
        return shown(field, value)
    if kind == "day_type":
        return str(DAY_TYPES.get(value, value))
    if kind == "category":
        return str(CATEGORIES.get(value, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


PHRASES = {
    "weekday": {
        "eq": gettext_lazy("on %(value)s"),
        "ne": gettext_lazy("not on %(value)s"),
        "lt": gettext_lazy("before %(value)s in the week"),
        "le": gettext_lazy("on %(value)s or earlier in the week"),
        "gt": gettext_lazy("after %(value)s in the week"),
        "ge": gettext_lazy("on %(value)s or later in the week"),
    },
    "time": {
        "eq": gettext_lazy("at %(value)s"),
        "ne": gettext_lazy("not at %(value)s"),
        "lt": gettext_lazy("before %(value)s"),
        "le": gettext_lazy("at %(value)s or earlier"),
        "gt": gettext_lazy("after %(value)s"),
        "ge": gettext_lazy("at %(value)s or later"),
    },
    "day_type": {"eq": gettext_lazy("on a %(value)s"), "ne": gettext_lazy("not on a %(value)s")},
    "category": {
        "eq": gettext_lazy("for a “%(value)s” article"),
        "ne": gettext_lazy("for an article that is not “%(value)s”"),
    },
}
FLAGS = {
    ("breaking", True): gettext_lazy("for breaking news"),
    ("breaking", False): gettext_lazy("for news that is not breaking"),
    ("time_sensitive", True): gettext_lazy("for time-sensitive news"),
    ("time_sensitive", False): gettext_lazy("for news that is not time-sensitive"),
}
LEAD = {
    "eq": gettext_lazy("when the material reached the office exactly %(value)s h before"),
    "ne": gettext_lazy("when the material did not reach the office exactly %(value)s h before"),
    "lt": gettext_lazy("when the material reached the office less than %(value)s h before"),
    "le": gettext_lazy("when the material reached the office at most %(value)s h before"),
    "gt": gettext_lazy("when the material reached the office more than %(value)s h before"),
    "ge": gettext_lazy("when the material reached the office at least %(value)s h before"),
}


def condition_phrase(condition):
    """One condition in words: "on Friday", "at 20:00 or later", "for breaking news"."""
    field, op, value = condition["field"], condition["op"], condition["value"]
    kind = kind_of(field)
    try:
        if kind == "yes_no":
            return str(FLAGS[(field, bool(value) == (op == "eq"))])
        if field == "lead_hours":
            return str(LEAD[op]) % {"value": _said(field, value)}
        return str(PHRASES[kind][op]) % {"value": _said(field, value)}
    except KeyError:
        return f"{field} {OPERATORS.get(op, op)} {value}"  # a stored rule this version cannot word


def rule_sentence(rule):
    """A rule read back: "When on Friday and at 20:00 or later: refuse the push — “周五 20:00 后不推送”"."""
    return _("When %(conditions)s: %(then)s — “%(message)s”") % {
        "conditions": _(" and ").join(condition_phrase(condition) for condition in rule["when"]),
        "then": RULE_VERDICTS.get(rule["then"], rule["then"]),
        "message": rule["message"],
    }


def default_value(field):
    """What a blank condition row's input shows first for `field` (a select's first option)."""
    widget = value_widget(field)
    choices = getattr(widget, "choices", None)
    return str(next(iter(choices))[0]) if choices else ""
