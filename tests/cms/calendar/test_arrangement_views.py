"""The year arrangement in the admin (A11.1): previewed before it is saved, saved once, hostile posts refused in
Chinese at their row with nothing saved and never a 500; the calendar page names repeated overrides."""

import datetime

import pytest
from django.test import Client

from cms.calendar.arrangements import HolidayRange
from cms.models import CalendarOverride, DayType, YearArrangement
from tests.cms.calendar.arrangement_2027 import HOLIDAY_DAYS, HOLIDAYS, SOURCE, SWAPPED

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/admin/calendar/2027/"


@pytest.fixture
def office_head(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["policy"])
    return client


def form_data(holidays=HOLIDAYS, swapped=SWAPPED, source=SOURCE, action="preview"):
    data = {
        "source": source,
        action: "",
        "holidays-TOTAL_FORMS": str(len(holidays)),
        "holidays-INITIAL_FORMS": "0",
        "swapped-TOTAL_FORMS": str(len(swapped)),
        "swapped-INITIAL_FORMS": "0",
    }
    for index, holiday in enumerate(holidays):
        data |= {f"holidays-{index}-name": holiday.name, f"holidays-{index}-start": str(holiday.start)}
        data[f"holidays-{index}-end"] = str(holiday.end)
    for index, swapped_day in enumerate(swapped):
        data |= {f"swapped-{index}-date": str(swapped_day.date), f"swapped-{index}-name": swapped_day.name}
    return data


def test_preview_shows_the_year_and_offers_to_save_without_saving(office_head):
    response = office_head.post(URL, form_data())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-year-preview="2027"' in html
    assert f"放假 {HOLIDAY_DAYS} 天，调休上班 {len(SWAPPED)} 天" in html
    assert 'data-day="2027-02-08" data-kind="holiday"' in html
    assert 'data-day="2027-02-14" data-kind="swapped"' in html
    assert "data-save" in html
    assert not YearArrangement.objects.exists() and not CalendarOverride.objects.exists()


def test_save_writes_the_arrangement_and_the_form_shows_it_again(office_head):
    response = office_head.post(URL, form_data(action="save"))
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(arrangement__year=2027).count() == HOLIDAY_DAYS + len(SWAPPED)
    office_head.post(URL, form_data(action="save"))
    assert CalendarOverride.objects.count() == HOLIDAY_DAYS + len(SWAPPED)
    page = office_head.get(URL).content.decode()
    assert 'value="春节"' in page and 'value="2027-02-05"' in page and SOURCE in page
    index = office_head.get("/admin/calendar/").content.decode()
    assert 'data-arrangement="2027"' in index


def test_the_dashboard_warning_is_gone_once_the_year_is_arranged(office_head, clock_before_plan_week):
    assert "data-newsroom-calendar-warning" in office_head.get("/admin/").content.decode()
    office_head.post(URL, form_data(action="save"))
    assert "data-newsroom-calendar-warning" not in office_head.get("/admin/").content.decode()


HOSTILE = [
    ("reversed", {"holidays": [HolidayRange("春节", D(2027, 2, 13), D(2027, 2, 5))]}, "早于第一天"),
    ("outside the year", {"holidays": [HolidayRange("元旦", D(2026, 12, 31), D(2027, 1, 2))]}, "不在 2027 年内"),
    ("400 days", {"holidays": [HolidayRange("长假", D(2027, 1, 1), D(2028, 2, 4))]}, "不在 2027 年内"),
    (
        "overlapping",
        {"holidays": [HOLIDAYS[1], HolidayRange("元宵", D(2027, 2, 12), D(2027, 2, 20))]},
        "元宵 与 春节",
    ),
    ("no source", {"source": ""}, "必需字段"),
]


@pytest.mark.parametrize(("attack", "changes", "said"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_arrangement_is_refused_at_its_row_and_nothing_is_saved(office_head, attack, changes, said):
    response = office_head.post(URL, form_data(action="save", **changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert said in html
    assert "节假日安排未保存" in html
    assert "data-year-preview" not in html
    assert not YearArrangement.objects.exists() and not CalendarOverride.objects.exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"holidays-TOTAL_FORMS": "100000000"},
        {"holidays-TOTAL_FORMS": "-5"},
        {"holidays-TOTAL_FORMS": "many"},
        {"holidays-0-start": "2027-13-45"},
        {"holidays-0-start": "x" * 100_000},
        {"holidays-0-name": "春" * 10_000},
        {"swapped-0-date": "'; DROP TABLE cms_calendaroverride; --"},
    ],
    ids=["a flood of rows", "negative rows", "not a number", "no such date", "a huge date", "a huge name", "sql"],
)
def test_a_forged_post_is_an_answer_in_chinese_never_a_500(office_head, forged):
    response = office_head.post(URL, form_data(action="save") | forged)
    assert response.status_code == 200
    assert "节假日安排未保存" in response.content.decode()
    assert not CalendarOverride.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_a_year_out_of_bounds_is_not_found(office_head, year):
    assert office_head.get(f"/admin/calendar/{year}/").status_code == 404


def test_the_office_sees_the_calendar_page_but_cannot_arrange(people):
    client = Client()
    client.force_login(people["office"])
    assert client.get("/admin/calendar/").status_code == 200
    assert client.post(URL, form_data(action="save")).status_code == 403
    assert not CalendarOverride.objects.exists()


def test_the_calendar_page_names_the_overrides_the_official_calendar_repeats(office_head):
    CalendarOverride.objects.create(date=D(2026, 10, 1), day_type=DayType.HOLIDAY, note="国庆")
    CalendarOverride.objects.create(date=D(2026, 10, 10), day_type=DayType.REST, note="校运会")
    html = office_head.get("/admin/calendar/").content.decode()
    assert 'data-duplicate="2026-10-01"' in html
    assert 'data-duplicate="2026-10-10"' not in html
    dashboard = office_head.get("/admin/").content.decode()
    assert "data-newsroom-calendar-duplicates" in dashboard
    assert "官方日历现已包含 1 条日历调整的相同内容" in dashboard


def test_clearing_a_saved_row_removes_that_holiday_and_a_half_filled_row_names_what_is_missing(office_head):
    office_head.post(URL, form_data(action="save"))
    data = form_data(action="save") | {"holidays-6-name": "", "holidays-6-start": "", "holidays-6-end": ""}
    data |= {"swapped-3-date": "", "swapped-3-name": "", "swapped-4-date": "", "swapped-4-name": ""}
    assert office_head.post(URL, data).status_code == 302
    assert not CalendarOverride.objects.filter(date=D(2027, 10, 4)).exists()  # 国庆节 gone with its row

    half = form_data(action="save") | {"holidays-0-end": ""}
    html = office_head.post(URL, half).content.decode()
    assert "必需字段" in html
    assert CalendarOverride.objects.filter(date=D(2027, 1, 1)).exists()  # nothing changed


def test_the_overrides_list_says_which_were_set_by_hand(office_head):
    CalendarOverride.objects.create(date=D(2027, 10, 3), day_type=DayType.WORKING, note="迎新值班")
    office_head.post(URL, form_data(action="save"))
    html = office_head.get("/admin/calendar_overrides/").content.decode()
    assert "手工调整" in html and "年度节假日安排" in html
