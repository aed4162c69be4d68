"""The 2027 arrangement entered in Chromium as ranges (A11.1): the office head follows the dashboard's warning,
enters the State Council's holidays and swapped working days in one form, previews the year calendar, saves it, and
the warning is gone. In Chinese; the site's clock is Sunday 6 December 2026, when the official calendar ends."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cms.calendar import services as calendar
from cms.models import CalendarOverride, DayType, YearArrangement
from tests.browser.steps import SHOTS, log_in, wait_for_url
from tests.cms.calendar.arrangement_2027 import HOLIDAY_DAYS, HOLIDAYS, SOURCE, SWAPPED

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock_before_plan_week")]


def test_the_2027_arrangement_entered_as_ranges_previewed_and_saved(site_tree, people, open_context, server_errors):
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    warning = page.locator("[data-newsroom-calendar-warning]")
    expect(warning).to_contain_text("2027")
    expect(warning).to_contain_text("周一至周五均按工作日计算")
    page.screenshot(path=f"{SHOTS}/year-arrangement-1-dashboard-warning-zh.png", full_page=True)

    warning.locator("[data-arrange-year]").click()
    wait_for_url(page, re.compile(r"/admin/calendar/2027/$"), "following the warning")
    form = page.locator("[data-arrangement-form]")
    form.locator('textarea[name="source"]').fill(SOURCE)
    # An empty date's picker opens on January 2027, not on today's December 2026.
    form.locator('input[name="holidays-0-start"]').click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(picker.locator(".xdsoft_label.xdsoft_month > span")).to_have_text("一月")
    expect(picker.locator(".xdsoft_label.xdsoft_year > span")).to_have_text("2027")
    for index, holiday in enumerate(HOLIDAYS):
        form.locator(f'input[name="holidays-{index}-name"]').fill(holiday.name)
        form.locator(f'input[name="holidays-{index}-start"]').fill(holiday.start.isoformat())
        form.locator(f'input[name="holidays-{index}-end"]').fill(holiday.end.isoformat())
    for index, swapped in enumerate(SWAPPED):
        form.locator(f'input[name="swapped-{index}-date"]').fill(swapped.date.isoformat())
        form.locator(f'input[name="swapped-{index}-name"]').fill(swapped.name)
    # Every date picker closed before the button is pressed: an open one sits over the form's last rows.
    form.locator("h2").first.click()
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    with page.expect_navigation():
        form.locator("[data-preview]").click()

    preview = page.locator('[data-year-preview="2027"], .errorlist, [data-arrangement-errors], [data-row-errors]')
    expect(preview.first).to_be_visible()
    assert page.locator(".errorlist li, .error-message li").all_inner_texts() == [], "the form refused the 2027 rows"
    preview = page.locator('[data-year-preview="2027"]')
    expect(preview.locator("[data-preview-summary]")).to_contain_text(
        f"放假 {HOLIDAY_DAYS} 天，调休上班 {len(SWAPPED)} 天"
    )
    expect(preview.locator('[data-day="2027-02-08"]')).to_have_attribute("data-kind", "holiday")
    expect(preview.locator('[data-day="2027-02-14"]')).to_have_attribute("data-kind", "swapped")
    expect(preview.locator('[data-day="2027-02-20"]')).to_have_attribute("data-kind", "weekend")
    expect(preview.locator('[data-day="2027-03-01"]')).to_have_attribute("data-kind", "working")
    expect(preview.locator('[data-month="10"] caption')).to_have_text("10 月")
    assert not YearArrangement.objects.exists(), "the preview saved something"
    preview.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/year-arrangement-2-preview-zh.png", full_page=True)

    with page.expect_navigation():
        form.locator("[data-save]").click()
    wait_for_url(page, re.compile(r"/admin/calendar/$"), "saving the arrangement")
    expect(page.locator(".messages .success")).to_contain_text("2027 年节假日安排已保存")
    expect(page.locator('[data-arrangement="2027"]')).to_contain_text(SOURCE)
    page.screenshot(path=f"{SHOTS}/year-arrangement-3-saved-zh.png", full_page=True)
    assert CalendarOverride.objects.filter(arrangement__year=2027).count() == HOLIDAY_DAYS + len(SWAPPED)
    assert calendar.day(HOLIDAYS[1].start).day_type == DayType.HOLIDAY

    page.goto("/admin/")
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("[data-newsroom-calendar-warning]")).to_have_count(0)
    # The first-run checklist (the account is not connected yet, so it stays) ticks the calendar off too.
    calendar_step = page.locator('[data-onboarding-checklist] [data-step="calendar"]')
    expect(calendar_step).to_have_attribute("data-done", "true")
    page.screenshot(path=f"{SHOTS}/year-arrangement-4-dashboard-zh.png", full_page=True)
    assert not server_errors
