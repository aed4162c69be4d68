"""The working-day calendar (A11): official days, swapped weekends, overrides, vacations, fallback."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.calendar import services as calendar
from cms.models import CalendarOverride, DayType, Semester, Vacation

pytestmark = pytest.mark.django_db

D = datetime.date
AUTUMN_2026 = (D(2026, 9, 1), D(2027, 1, 22))


def make_semester(name="2026 秋", start=AUTUMN_2026[0], end=AUTUMN_2026[1], vacations=()):
    semester = Semester.objects.create(name=name, start=start, end=end)
    for kind, vac_start, vac_end in vacations:
        Vacation.objects.create(semester=semester, kind=kind, start=vac_start, end=vac_end)
    return semester


# -- the official calendar ------------------------------------------------


def test_swapped_working_saturday_is_a_working_day():
    day = calendar.day(D(2026, 10, 10))  # Saturday, 调休 for National Day
    assert day.date.weekday() == 5
    assert day.day_type == DayType.WORKING
    assert day.source == calendar.Source.OFFICIAL
    assert calendar.is_working_day(D(2026, 10, 10))


def test_weekday_public_holiday_is_a_holiday_not_a_working_day():
    day = calendar.day(D(2026, 10, 1))  # Thursday, National Day
    assert day.date.weekday() == 3
    assert day.day_type == DayType.HOLIDAY
    assert day.source == calendar.Source.OFFICIAL
    assert not calendar.is_working_day(D(2026, 10, 1))


def test_ordinary_weekend_is_a_rest_day():
    day = calendar.day(D(2026, 10, 17))  # Saturday, no swap
    assert day.day_type == DayType.REST
    assert day.source == calendar.Source.OFFICIAL
    assert not calendar.is_working_day(D(2026, 10, 17))


def test_ordinary_weekday_is_a_working_day():
    assert calendar.day(D(2026, 10, 14)).day_type == DayType.WORKING


# -- a year the official data does not cover ------------------------------


def test_uncovered_year_falls_back_to_monday_to_friday():
    assert not calendar.is_covered(2027)
    monday = calendar.day(D(2027, 1, 4))
    saturday = calendar.day(D(2027, 1, 9))
    assert (monday.day_type, monday.source) == (DayType.WORKING, calendar.Source.FALLBACK)
    assert (saturday.day_type, saturday.source) == (DayType.REST, calendar.Source.FALLBACK)
    assert calendar.is_working_day(D(2027, 1, 4))
    assert not calendar.is_working_day(D(2027, 1, 9))


def test_range_across_the_coverage_boundary_has_no_gap():
    result = calendar.days(D(2026, 12, 28), D(2027, 1, 10))
    assert [d.date for d in result] == [D(2026, 12, 28) + datetime.timedelta(days=n) for n in range(14)]
    assert {d.source for d in result if d.date.year == 2026} == {calendar.Source.OFFICIAL}
    assert {d.source for d in result if d.date.year == 2027} == {calendar.Source.FALLBACK}


def test_uncovered_years_looks_ahead_from_today():
    assert calendar.uncovered_years(today=D(2026, 12, 1)) == [2027]
    assert calendar.uncovered_years(today=D(2025, 3, 1)) == []
    assert calendar.uncovered_years(today=D(2025, 3, 1), ahead=2) == [2027]


# -- overrides and vacations ----------------------------------------------


def test_override_wins_over_the_official_calendar():
    CalendarOverride.objects.create(date=D(2026, 10, 10), day_type=DayType.REST, note="校运会调整")
    day = calendar.day(D(2026, 10, 10))
    assert day.day_type == DayType.REST
    assert day.source == calendar.Source.OVERRIDE
    assert day.note == "校运会调整"
    assert not calendar.is_working_day(D(2026, 10, 10))


def test_override_makes_a_fallback_weekday_a_holiday():
    CalendarOverride.objects.create(date=D(2027, 2, 8), day_type=DayType.HOLIDAY, note="春节")
    assert calendar.day(D(2027, 2, 8)).day_type == DayType.HOLIDAY
    assert calendar.day(D(2027, 2, 5)).day_type == DayType.WORKING  # neighbours still fall back


def test_weekday_inside_a_vacation_is_a_vacation_day():
    make_semester(
        name="2025–2026 第二学期",
        start=D(2026, 2, 23),
        end=D(2026, 7, 3),
        vacations=[("summer", D(2026, 7, 4), D(2026, 8, 31))],
    )
    day = calendar.day(D(2026, 7, 15))  # Wednesday
    assert day.date.weekday() == 2
    assert day.day_type == DayType.VACATION
    assert day.source == calendar.Source.VACATION
    assert not calendar.is_working_day(D(2026, 7, 15))
    # the day after the vacation is an ordinary working day again
    assert calendar.day(D(2026, 9, 1)).day_type == DayType.WORKING


def test_override_wins_over_a_vacation():
    make_semester(vacations=[("winter", D(2027, 1, 23), D(2027, 2, 28))])
    CalendarOverride.objects.create(date=D(2027, 2, 1), day_type=DayType.WORKING, note="返校值班")
    assert calendar.day(D(2027, 2, 1)).day_type == DayType.WORKING
    assert calendar.day(D(2027, 2, 2)).day_type == DayType.VACATION


def test_public_holiday_inside_a_vacation_stays_a_holiday():
    make_semester(
        name="2025 秋", start=D(2025, 9, 1), end=D(2026, 1, 23), vacations=[("winter", D(2026, 1, 24), D(2026, 2, 28))]
    )
    assert calendar.day(D(2026, 2, 17)).day_type == DayType.HOLIDAY  # Spring Festival
    # a swapped working Saturday inside the vacation is still a vacation day
    assert calendar.day(D(2026, 2, 14)).day_type == DayType.VACATION
    assert calendar.day(D(2026, 2, 25)).day_type == DayType.VACATION


# -- query count ----------------------------------------------------------


def _queries_for(start, end):
    with CaptureQueriesContext(connection) as ctx:
        result = calendar.days(start, end)
    return len(ctx.captured_queries), result


def test_days_uses_the_same_number_of_queries_for_a_week_and_a_year():
    make_semester(vacations=[("winter", D(2027, 1, 23), D(2027, 2, 28))])
    CalendarOverride.objects.create(date=D(2026, 10, 10), day_type=DayType.REST)
    CalendarOverride.objects.create(date=D(2026, 11, 11), day_type=DayType.HOLIDAY)

    week_count, week = _queries_for(D(2026, 10, 5), D(2026, 10, 11))
    year_count, year = _queries_for(D(2026, 6, 1), D(2027, 5, 31))

    assert len(week) == 7
    assert len(year) == 365
    assert week_count == year_count
    assert year_count <= 2


# -- the admin dashboard warning ------------------------------------------


@pytest.fixture
def superuser_client(client, django_user_model, site_tree):
    admin = django_user_model.objects.create_superuser("root", "root@example.edu.cn", "pw")
    client.force_login(admin)
    return client


def test_dashboard_warns_while_a_year_is_uncovered(superuser_client, monkeypatch):
    monkeypatch.setattr("cms.calendar.hooks.calendar.missing_arrangements", lambda: [2027])
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-newsroom-calendar-warning" in html
    warning = html[html.index("data-newsroom-calendar-warning") :]
    assert "2027" in warning[: warning.index("</section>")]


def test_dashboard_has_no_warning_when_every_year_is_covered(superuser_client, monkeypatch):
    monkeypatch.setattr("cms.calendar.hooks.calendar.missing_arrangements", lambda: [])
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    assert "data-newsroom-calendar-warning" not in response.content.decode()


# -- semesters --------------------------------------------------------------


def test_semester_end_before_start_is_rejected():
    semester = Semester(name="倒置", start=D(2026, 9, 1), end=D(2026, 8, 1))
    with pytest.raises(ValidationError) as excinfo:
        semester.full_clean()
    assert "end" in excinfo.value.message_dict


def test_overlapping_semesters_are_rejected():
    make_semester(name="2026 秋", start=D(2026, 9, 1), end=D(2027, 1, 22))
    overlapping = Semester(name="重叠", start=D(2027, 1, 1), end=D(2027, 6, 30))
    with pytest.raises(ValidationError, match="2026 秋"):
        overlapping.full_clean()


def test_adjacent_semester_and_editing_a_semester_are_accepted():
    autumn = make_semester(name="2026 秋", start=D(2026, 9, 1), end=D(2027, 1, 22))
    Semester(name="2027 春", start=D(2027, 1, 23), end=D(2027, 7, 2)).full_clean()
    autumn.end = D(2027, 1, 20)
    autumn.full_clean()  # does not overlap itself


def test_semester_with_a_missing_date_is_a_field_error_not_a_crash(db):
    semester = Semester(name="缺日期", start=D(2026, 9, 1), end=None)
    with pytest.raises(ValidationError) as raised:
        semester.full_clean()
    assert "end" in raised.value.message_dict
