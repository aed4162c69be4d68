"""A year's holiday arrangement (A11.1): checked, previewed, saved all or nothing, re-saved without duplicates,
days set by hand kept; the dashboard's warning from 1 November; overrides a newer official calendar repeats."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.calendar import arrangements
from cms.calendar import services as calendar
from cms.calendar.arrangements import ArrangementRefused, HolidayRange, SwappedDay
from cms.models import CalendarOverride, DayType, YearArrangement
from tests.cms.calendar.arrangement_2027 import HOLIDAY_DAYS, HOLIDAYS, SWAPPED, arrangement

pytestmark = pytest.mark.django_db
D = datetime.date


def test_saving_makes_the_holidays_and_swapped_days_the_calendar_s():
    arrangements.save(arrangement())
    spring = calendar.day(D(2027, 2, 8))  # Monday of 春节
    assert (spring.day_type, spring.source, spring.note) == (DayType.HOLIDAY, calendar.Source.OVERRIDE, "春节")
    assert calendar.is_working_day(D(2027, 2, 14))  # Sunday, 调休上班
    assert not calendar.is_working_day(D(2027, 10, 2))  # Saturday inside 国庆节
    assert calendar.day(D(2027, 3, 1)).source == calendar.Source.FALLBACK  # an ordinary Monday: untouched
    row = YearArrangement.objects.get()
    assert row.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert row.overrides.count() == HOLIDAY_DAYS + len(SWAPPED)


def test_saving_again_replaces_the_arrangement_s_days_never_duplicates_them():
    arrangements.save(arrangement())
    arrangements.save(arrangement(holidays=HOLIDAYS[:-1], swapped_days=SWAPPED[:-2]))  # 国庆节 moved out
    assert YearArrangement.objects.count() == 1
    assert CalendarOverride.objects.count() == HOLIDAY_DAYS - 7 + len(SWAPPED) - 2
    assert calendar.day(D(2027, 10, 4)).source == calendar.Source.FALLBACK
    assert calendar.day(D(2027, 10, 4)).is_working_day


def test_a_day_set_by_hand_is_kept_and_shown_as_such():
    CalendarOverride.objects.create(date=D(2027, 10, 3), day_type=DayType.WORKING, note="迎新值班")
    preview = arrangements.preview(arrangement())
    october_3 = next(d for _m, weeks in preview.months for w in weeks for d in w if d and d.date == D(2027, 10, 3))
    assert october_3.kind == "manual"
    assert [o.note for o in preview.kept] == ["迎新值班"]
    assert preview.holiday_days == HOLIDAY_DAYS - 1

    arrangements.save(arrangement())
    arrangements.save(arrangement())
    kept = CalendarOverride.objects.get(date=D(2027, 10, 3))
    assert (kept.arrangement, kept.day_type, kept.note) == (None, DayType.WORKING, "迎新值班")
    assert calendar.is_working_day(D(2027, 10, 3))


def test_the_preview_marks_every_kind_of_day_and_saves_nothing():
    preview = arrangements.preview(arrangement())
    days = {d.date: d for _m, weeks in preview.months for w in weeks for d in w if d}
    assert len(days) == 365 and [m for m, _w in preview.months] == list(range(1, 13))
    assert (days[D(2027, 2, 5)].kind, days[D(2027, 2, 5)].label) == ("holiday", "春节")
    assert days[D(2027, 2, 14)].kind == "swapped"
    assert days[D(2027, 2, 20)].kind == "weekend"
    assert days[D(2027, 3, 1)].kind == "working"
    assert (preview.holiday_days, preview.swapped_days) == (HOLIDAY_DAYS, len(SWAPPED))
    assert not CalendarOverride.objects.exists() and not YearArrangement.objects.exists()


def test_saving_takes_the_same_number_of_queries_for_one_holiday_and_for_a_year():
    arrangements.save(arrangement())  # the row exists: both saves below replace
    with CaptureQueriesContext(connection) as one:
        arrangements.save(arrangement(holidays=HOLIDAYS[:1], swapped_days=()))
    with CaptureQueriesContext(connection) as year:
        arrangements.save(arrangement())
    assert len(year) == len(one)


HOSTILE = [
    ("reversed range", {"holidays": (HolidayRange("春节", D(2027, 2, 13), D(2027, 2, 5)),)}, "早于第一天"),
    (
        "overlapping ranges",
        {
            "holidays": (
                HolidayRange("春节", D(2027, 2, 5), D(2027, 2, 13)),
                HolidayRange("元宵", D(2027, 2, 12), D(2027, 2, 20)),
            )
        },
        "重叠",
    ),
    ("a date in another year", {"holidays": (HolidayRange("元旦", D(2026, 12, 31), D(2027, 1, 2)),)}, "不在 2027 年内"),
    ("a range of 400 days", {"holidays": (HolidayRange("长假", D(2027, 1, 1), D(2028, 2, 4)),)}, "不在 2027 年内"),
    ("a range of 40 days", {"holidays": (HolidayRange("长假", D(2027, 1, 1), D(2027, 2, 9)),)}, "长达 40 天"),
    ("no name", {"holidays": (HolidayRange("  ", D(2027, 1, 1), D(2027, 1, 1)),)}, "请填写节假日名称"),
    ("no holiday", {"holidays": ()}, "至少填写一个节假日"),
    ("no source", {"source": "   "}, "请注明安排的来源"),
    ("a source of 10,000 characters", {"source": "通知" * 5000}, "来源最多 500 个字符"),
    ("a year out of bounds", {"year": 99999}, "2000 至 2100"),
    ("a swapped weekday", {"swapped_days": (SwappedDay(D(2027, 3, 1), "春节"),)}, "本来就是工作日"),
    ("a swapped day inside a holiday", {"swapped_days": (SwappedDay(D(2027, 2, 6), "春节"),)}, "在节假日“春节”期间"),
    ("a swapped day twice", {"swapped_days": (SwappedDay(D(2027, 2, 14)), SwappedDay(D(2027, 2, 14)))}, "填写了两次"),
    ("a swapped day in another year", {"swapped_days": (SwappedDay(D(2028, 1, 8)),)}, "不在 2027 年内"),
    ("a flood of rows", {"swapped_days": tuple(SwappedDay(D(2027, 1, 9)) for _ in range(10_000))}, "最多 40 行"),
]


@pytest.mark.parametrize(("attack", "changes", "said"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_arrangement_is_refused_in_chinese_and_changes_nothing(attack, changes, said):
    arrangements.save(arrangement())
    before = list(CalendarOverride.objects.values_list("date", "day_type", "note", "arrangement"))
    with pytest.raises(ArrangementRefused) as refused:
        arrangements.save(arrangement(**changes))
    assert any(said in problem.message for problem in refused.value.problems), refused.value.problems
    assert list(CalendarOverride.objects.values_list("date", "day_type", "note", "arrangement")) == before
    assert YearArrangement.objects.get().source == "国务院办公厅关于2027年部分节假日安排的通知"


def test_a_problem_names_its_row():
    bad = arrangement(holidays=(*HOLIDAYS[:2], HolidayRange("清明节", D(2027, 4, 5), D(2027, 4, 3))))
    [problem] = arrangements.check(bad)
    assert (problem.field, problem.index) == ("holidays", 2)


# -- the dashboard's warning and the duplicates -----------------------------------------------


def test_next_year_is_missing_from_1_november_until_its_arrangement_is_saved():
    assert calendar.missing_arrangements(today=D(2026, 10, 31)) == []  # 2026 is official; 2027 not yet due
    assert calendar.missing_arrangements(today=D(2026, 11, 1)) == [2027]
    assert calendar.missing_arrangements(today=D(2027, 3, 1)) == [2027]  # a year under way without data
    arrangements.save(arrangement())
    assert calendar.missing_arrangements(today=D(2026, 12, 6)) == []
    assert calendar.missing_arrangements(today=D(2027, 11, 1)) == [2028]


def test_a_year_with_an_arrangement_no_longer_falls_back():
    assert calendar.uncovered_years(today=D(2026, 12, 6)) == [2027]
    arrangements.save(arrangement())
    assert calendar.uncovered_years(today=D(2026, 12, 6)) == []
    assert calendar.uncovered_years(today=D(2026, 12, 6), ahead=2) == [2028]


def test_overrides_the_official_calendar_now_repeats_are_named():
    repeats = CalendarOverride.objects.create(date=D(2026, 10, 1), day_type=DayType.HOLIDAY, note="国庆")
    CalendarOverride.objects.create(date=D(2026, 10, 10), day_type=DayType.REST, note="校运会")  # differs: kept
    CalendarOverride.objects.create(date=D(2027, 2, 8), day_type=DayType.HOLIDAY)  # no official data yet
    assert calendar.duplicate_overrides() == [repeats]


def test_when_a_newer_package_covers_the_year_the_arrangement_s_days_are_named(monkeypatch):
    arrangements.save(arrangement())
    official = {D(2027, 2, 8): DayType.HOLIDAY, D(2027, 2, 14): DayType.WORKING}
    monkeypatch.setattr(calendar, "_OFFICIAL_YEARS", calendar._OFFICIAL_YEARS | {2027})
    monkeypatch.setattr(calendar, "_official", lambda date: official.get(date, DayType.REST))
    named = [o.date for o in calendar.duplicate_overrides()]
    assert named == [D(2027, 2, 8), D(2027, 2, 14)]  # the others the package says otherwise: the overrides decide
