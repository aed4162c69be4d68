"""The annual assessment report (A22) in Chromium, zh-hans, at 1366 × 768: reached from the dashboard's policy
panel, a year chosen, its CSV downloaded and opened as bytes; the department quotas table usable at that width.

The data is tests/policy_rules/assessment_years.py's: 2025's two semesters are over, 2026's is in its
14th week (the reports' day is Sunday 6 December 2026).
"""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from policy_rules.reports import data
from tests.browser.steps import SHOTS, log_in, wait_for_url
from tests.policy_rules.assessment_years import TODAY
from tests.policy_rules.stored_outcomes import compute_outcomes

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture
def two_years(site_tree, people, settings, monkeypatch):
    monkeypatch.setattr(data, "today", lambda: TODAY)
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
        "FACTS_PROVIDER": "tests.policy_rules.assessment_years.year_facts",
        "PERIODS": "tests.policy_rules.assessment_years.year_periods",
        "DISPLAY_NAMES": None,
    }
    compute_outcomes()  # what the worker stores; the pages only read it


def test_the_office_reads_the_a22_suggestions_and_downloads_them(two_years, open_context, server_errors):
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page = log_in(open_context(viewport=VIEWPORT, accept_downloads=True), "office")

    # The dashboard's headline is honest: in week 14, 3 of 20 is behind pace; 14 (one a week) is on track.
    expect(page.locator('[data-summary="departments"]')).to_have_text(
        "3 个科室中有 2 个已完成学期供稿任务，或按目前的供稿进度能够完成"
    )
    page.locator("[data-policy-dashboard]").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/policy-dashboard-week-14-zh.png", full_page=True)
    page.locator('.policy-dashboard__links a[href^="/admin/policy-reports/assessment/"]').click()
    wait_for_url(page, re.compile(r"/admin/policy-reports/assessment/"), "opening the A22 report from the dashboard")
    expect(page.locator("[data-provisional]")).to_be_visible()  # 2026's semester is running
    page.locator('select[name="year"]').select_option("2025")
    page.locator(".policy-report-period__form [type=submit]").click()
    wait_for_url(page, re.compile(r"\?year=2025$"), "choosing 2025")

    table = page.locator('[data-policy-report="assessment"]')
    expect(table.locator('tr[data-standing="short"]')).to_contain_text("建议减少优秀比例 10 个百分点")
    expect(table.locator('tr[data-standing="more"]')).to_contain_text("建议增加优秀比例 10 个百分点")
    expect(page.locator("[data-policy-assessment-rule]")).to_contain_text("具体由党政联席会讨论决定")
    page.screenshot(path=f"{SHOTS}/a22-assessment-2025-zh.png", full_page=True)
    # The suggestion, the column the meeting reads, is in view without scrolling sideways (it was cut off).
    for cell in table.locator("td[data-share-change]").all():
        assert within_the_box(page, cell), cell.inner_text()

    page.locator('header [data-w-dropdown-target="toggle"]').first.click()
    with page.expect_download() as download:
        page.locator('a[href*="export=csv"]').click()
    body = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "policy-annual-assessment-2025.csv"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = {row[1]: row for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["团委"][12] == "-10" and rows["学生处"][12] == "10" and rows["学生处"][6] == "60"
    assert not server_errors


def test_the_department_quotas_fit_1366_pixels(two_years, open_context, server_errors):
    page = log_in(open_context(viewport=VIEWPORT), "office")
    page.goto("/admin/policy-reports/departments/")  # the running 2026 semester: 20 week columns
    table = page.locator('[data-policy-report="departments"]')
    expect(table).to_be_visible()
    page.screenshot(path=f"{SHOTS}/policy-departments-1366-zh.png", full_page=True)

    # A department name stays on one line (its text is one box, not one per character), and stays in view while
    # the weeks scroll sideways to the last column.
    lines = "cell => { const r = document.createRange(); r.selectNodeContents(cell); return r.getClientRects().length }"
    # Where each department stands (its progress and 进度落后 / 按进度可完成) shows before any scrolling: the weeks
    # follow it, rather than pushing it past the right edge.
    for cell in table.locator("tbody td.policy-report__progress, tbody td.policy-report__progress + td").all():
        assert within_the_box(page, cell), cell.inner_text()
    for name in table.locator("tbody th.policy-report__name").all():
        assert name.evaluate(lines) == 1, name.inner_text()
    last = table.locator("thead th").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    first_name = table.locator("tbody th.policy-report__name").first
    expect(first_name).to_be_in_viewport()
    # Nothing scrolls past the names into the page's margin: they hold the scrolling box's left edge.
    scroller = page.locator(".policy-report-scroll").bounding_box()
    assert scroller["x"] > 0 and abs(first_name.bounding_box()["x"] - scroller["x"]) < 1
    page.screenshot(path=f"{SHOTS}/policy-departments-1366-scrolled-zh.png")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # the page itself fits
    assert not server_errors


def within_the_box(page, cell):
    """Whether `cell` shows whole inside the report's sideways-scrolling box, as the page is now."""
    box, scroller = cell.bounding_box(), page.locator(".policy-report-scroll").bounding_box()
    return scroller["x"] <= box["x"] and box["x"] + box["width"] <= scroller["x"] + scroller["width"] + 1
