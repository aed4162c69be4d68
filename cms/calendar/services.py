"""The working-day calendar (A11): official Chinese calendar, overrides, vacations, fallback.

Precedence for one date: an administrator's override; then an official public
holiday; then a vacation of a semester (a weekday in a vacation has no fixed
window, A11.3; a swapped working weekend inside one stays a vacation day); then
the official calendar including swapped working weekends (调休); for a year the
official data does not cover yet, Monday–Friday, and the year is reported so the
admin can show a warning. Never an exception for a date.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.utils import timezone

from cms.models import CalendarOverride, DayType, Vacation, YearArrangement


class Source:
    OVERRIDE = "override"
    VACATION = "vacation"
    OFFICIAL = "official"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Day:
    date: datetime.date
    day_type: str
    source: str
    note: str = ""

    @property
    def is_working_day(self):
        return self.day_type == DayType.WORKING


_OFFICIAL_YEARS = frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
    d.year for d in chinese_calendar.workdays
)


def is_covered(year):
    """Whether the bundled official calendar has data for `year`."""
    return year in _OFFICIAL_YEARS


def _official(date):
    """Day type from the official calendar, or None when the year is not covered."""
    if not is_covered(date.year):
        return None
    on_holiday, holiday_name = chinese_calendar.get_holiday_detail(date)
    if not on_holiday:
        return DayType.WORKING
    if holiday_name is not None:
        return DayType.HOLIDAY
    return DayType.REST


def _fallback(date):
    return DayType.WORKING if date.weekday() < 5 else DayType.REST


def days(start, end):
    """Every `Day` from `start` to `end` inclusive, in two queries whatever the range."""
    overrides = {o.date: o for o in CalendarOverride.objects.filter(date__range=(start, end))}
    vacations = list(Vacation.objects.filter(start__lte=end, end__gte=start).select_related("semester"))
    result = []
    date = start
    while date <= end:
        result.append(_classify(date, overrides, vacations))
        date += datetime.timedelta(days=1)
    return result


def _classify(date, overrides, vacations):
    override = overrides.get(date)
    if override is not None:
        return Day(date, override.day_type, Source.OVERRIDE, override.note)
    official = _official(date)
    if official == DayType.HOLIDAY:
        return Day(date, DayType.HOLIDAY, Source.OFFICIAL)
    for vacation in vacations:
        if vacation.start <= date <= vacation.end:
            return Day(date, DayType.VACATION, Source.VACATION, str(vacation))
    if official is None:
        return Day(date, _fallback(date), Source.FALLBACK)
    return Day(date, official, Source.OFFICIAL)


def day(date):
    """The `Day` for one date."""
    return days(date, date)[0]


def is_working_day(date):
    """Whether `date` is a working day (A11.1: at least one push is due)."""
    return day(date).is_working_day


def uncovered_years(today=None, ahead=1):
    """Years from this one to `ahead` years on that fall back to Monday–Friday: neither the official calendar nor
    a year arrangement covers them."""
    today = today or timezone.localdate()
    years = [year for year in range(today.year, today.year + ahead + 1) if not is_covered(year)]
    arranged = set(YearArrangement.objects.filter(year__in=years).values_list("year", flat=True)) if years else ()
    return [year for year in years if year not in arranged]


# From 1 November the State Council has usually published next year's arrangement: time to enter it (A11.1).
NEXT_YEAR_WARNING = (11, 1)


def missing_arrangements(today=None):
    """Years that fall back to Monday–Friday for want of an arrangement: this year whenever neither the official
    calendar nor a year arrangement covers it, and next year from 1 November."""
    today = today or timezone.localdate()
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_WARNING:
        years.append(today.year + 1)
    arranged = set(YearArrangement.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if not is_covered(year) and year not in arranged]


def duplicate_overrides():
    """Overrides that say what the official calendar now says too (a newer chinese-calendar covers their year):
    they can be deleted. One query."""
    return [
        override
        for override in CalendarOverride.objects.filter(date__year__in=sorted(_OFFICIAL_YEARS)).order_by("date")
        if _official(override.date) == override.day_type
    ]
