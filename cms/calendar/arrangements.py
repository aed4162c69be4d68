"""A year's holiday arrangement (A11.1): the State Council's holiday ranges and swapped working days for one year,
entered at once, checked, previewed as a year calendar and saved as the calendar overrides it implies.

The form in the admin and `manage.py calendar import` both build an `Arrangement` and call `check`, `preview` and
`save` here. Saving is all or nothing and replaces the arrangement's own overrides of that year; an override entered
by hand for one date is kept and wins (it is the administrator's later decision).
"""

import calendar as month_calendar
import datetime
import itertools
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.calendar import audit
from cms.models import CalendarOverride, DayType, YearArrangement

YEARS = range(2000, 2101)
MAX_ROWS = 40  # a year has 7 holidays and about as many swapped days: room for typos, not for a flood
MAX_HOLIDAY_DAYS = 31  # the longest official holiday is 8–9 days; a month means a wrong date
MAX_NAME = 50
MAX_SOURCE = 500


@dataclass(frozen=True)
class HolidayRange:
    name: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class SwappedDay:
    """A weekend day worked in exchange for a holiday (调休上班); `name` is the holiday it serves."""

    date: datetime.date
    name: str = ""


@dataclass(frozen=True)
class Arrangement:
    year: int
    source: str
    holidays: tuple[HolidayRange, ...] = ()
    swapped_days: tuple[SwappedDay, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: `field` is year, source, holidays or swapped_days; `index` the row, if any."""

    field: str
    message: str
    index: int | None = None


class ArrangementRefused(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def check(arrangement):
    """Every problem of `arrangement`, in the order of its fields and rows; empty when it can be saved."""
    year = arrangement.year
    if year not in YEARS:
        return [Problem("year", _("The year must be between 2000 and 2100."))]
    problems = []
    source = arrangement.source.strip()
    if not source:
        message = _("Say where the arrangement comes from: the notice's title, number or address.")
        problems.append(Problem("source", message))
    elif len(source) > MAX_SOURCE:
        problems.append(Problem("source", _("The source is at most %(count)s characters.") % {"count": MAX_SOURCE}))
    if not arrangement.holidays:
        problems.append(Problem("holidays", _("Enter at least one holiday.")))
    for field, rows in (("holidays", arrangement.holidays), ("swapped_days", arrangement.swapped_days)):
        if len(rows) > MAX_ROWS:
            problems.append(Problem(field, _("At most %(count)s rows.") % {"count": MAX_ROWS}))
            return problems
    problems += _holiday_problems(year, arrangement.holidays)
    problems += _swapped_day_problems(year, arrangement.holidays, arrangement.swapped_days)
    return problems


def _outside(date, year):
    return _("%(date)s is not in %(year)s.") % {"date": date.isoformat(), "year": year}


def _holiday_problems(year, holidays):
    problems, valid = [], []
    for index, holiday in enumerate(holidays):
        found = []
        if not holiday.name.strip():
            found.append(_("Name the holiday."))
        elif len(holiday.name) > MAX_NAME:
            found.append(_("The name is at most %(count)s characters.") % {"count": MAX_NAME})
        found += [_outside(date, year) for date in sorted({holiday.start, holiday.end}) if date.year != year]
        if holiday.end < holiday.start:
            found.append(
                _("The last day %(end)s is before the first day %(start)s.")
                % {"start": holiday.start.isoformat(), "end": holiday.end.isoformat()}
            )
        elif (holiday.end - holiday.start).days + 1 > MAX_HOLIDAY_DAYS:
            found.append(
                _("A holiday of %(days)s days: a holiday is at most %(most)s days.")
                % {"days": (holiday.end - holiday.start).days + 1, "most": MAX_HOLIDAY_DAYS}
            )
        problems += [Problem("holidays", message, index) for message in found]
        if not found:
            valid.append((index, holiday))
    valid.sort(key=lambda entry: entry[1].start)
    for (_index, earlier), (index, later) in itertools.pairwise(valid):
        if later.start <= earlier.end:
            message = _("%(name)s overlaps %(other)s (%(start)s to %(end)s).") % {
                "name": later.name,
                "other": earlier.name,
                "start": earlier.start.isoformat(),
                "end": earlier.end.isoformat(),
            }
            problems.append(Problem("holidays", message, index))
    return problems


def _swapped_day_problems(year, holidays, swapped_days):
    problems, seen = [], set()
    for index, swapped in enumerate(swapped_days):
        date, message = swapped.date, None
        holiday = next((h for h in holidays if h.start <= date <= h.end), None)
        if date.year != year:
            message = _outside(date, year)
        elif len(swapped.name) > MAX_NAME:
            message = _("The name is at most %(count)s characters.") % {"count": MAX_NAME}
        elif date in seen:
            message = _("%(date)s is entered twice.") % {"date": date.isoformat()}
        elif holiday is not None:
            message = _("%(date)s is inside the holiday %(name)s.") % {"date": date.isoformat(), "name": holiday.name}
        elif date.weekday() < 5:
            message = _(
                "%(date)s is a weekday, already a working day: a swapped working day falls on a Saturday or Sunday."
            ) % {"date": date.isoformat()}
        seen.add(date)
        if message:
            problems.append(Problem("swapped_days", message, index))
    return problems


def overrides_of(arrangement):
    """{date: (day type, note)}: every date the arrangement decides (a checked arrangement)."""
    days = {}
    for holiday in arrangement.holidays:
        date = holiday.start
        while date <= holiday.end:
            days[date] = (DayType.HOLIDAY, holiday.name.strip())
            date += datetime.timedelta(days=1)
    for swapped in arrangement.swapped_days:
        days[swapped.date] = (DayType.WORKING, swapped.name.strip())
    return days


def manual_overrides(year):
    """{date: override} of the year's overrides entered by hand, which an arrangement keeps."""
    return {o.date: o for o in CalendarOverride.objects.filter(date__year=year, arrangement__isnull=True)}


@dataclass(frozen=True)
class PreviewDay:
    date: datetime.date
    kind: str  # working, weekend, holiday, swapped, manual
    label: str


@dataclass(frozen=True)
class Preview:
    year: int
    months: list  # [(month number, [[PreviewDay | None] * 7 per week])]
    holiday_days: int
    swapped_days: int
    kept: list  # the manual overrides kept, in date order


def preview(arrangement):
    """The year as saving `arrangement` would make it, month by month, weeks from Monday (a checked arrangement)."""
    decided, manual = overrides_of(arrangement), manual_overrides(arrangement.year)
    months = []
    for month in range(1, 13):
        weeks = month_calendar.Calendar().monthdatescalendar(arrangement.year, month)
        days = [[_preview_day(d, decided, manual) if d.month == month else None for d in week] for week in weeks]
        months.append((month, days))
    return Preview(
        year=arrangement.year,
        months=months,
        holiday_days=sum(1 for d, (t, _n) in decided.items() if t == DayType.HOLIDAY and d not in manual),
        swapped_days=sum(1 for d, (t, _n) in decided.items() if t == DayType.WORKING and d not in manual),
        kept=[manual[d] for d in sorted(manual)],
    )


def _preview_day(date, decided, manual):
    if date in manual:
        override = manual[date]
        return PreviewDay(date, "manual", _("Set by hand: %(type)s") % {"type": override.get_day_type_display()})
    if date in decided:
        day_type, name = decided[date]
        if day_type == DayType.HOLIDAY:
            return PreviewDay(date, "holiday", name)
        return PreviewDay(date, "swapped", _("Swapped working day") + (f" ({name})" if name else ""))
    if date.weekday() >= 5:
        return PreviewDay(date, "weekend", _("Weekend"))
    return PreviewDay(date, "working", _("Working day"))


def save(arrangement, user=None):
    """Write the arrangement and its overrides, all or nothing, replacing the ones it wrote before for that year;
    refused with every problem when `check` finds any. Returns the `YearArrangement`."""
    problems = check(arrangement)
    if problems:
        raise ArrangementRefused(problems)
    with transaction.atomic():
        row, _created = YearArrangement.objects.select_for_update().get_or_create(year=arrangement.year)
        row.source = arrangement.source.strip()
        row.holidays = [
            {"name": h.name.strip(), "start": h.start.isoformat(), "end": h.end.isoformat()}
            for h in arrangement.holidays
        ]
        row.swapped_days = [{"name": s.name.strip(), "date": s.date.isoformat()} for s in arrangement.swapped_days]
        row.saved_by = user
        row.save()
        row.overrides.all().delete()
        manual = manual_overrides(arrangement.year)
        written = [
            CalendarOverride(date=date, day_type=day_type, note=note, arrangement=row)
            for date, (day_type, note) in sorted(overrides_of(arrangement).items())
            if date not in manual
        ]
        CalendarOverride.objects.bulk_create(written)
        log(
            instance=row,
            action=audit.ARRANGE.code,
            user=user,
            data={"year": row.year, "days": len(written), "kept": len(manual), "source": row.source},
        )
    return row


def load(row):
    """The `Arrangement` a saved `YearArrangement` holds, to edit it again."""
    return Arrangement(
        year=row.year,
        source=row.source,
        holidays=tuple(
            HolidayRange(h["name"], datetime.date.fromisoformat(h["start"]), datetime.date.fromisoformat(h["end"]))
            for h in row.holidays
        ),
        swapped_days=tuple(SwappedDay(datetime.date.fromisoformat(s["date"]), s["name"]) for s in row.swapped_days),
    )
