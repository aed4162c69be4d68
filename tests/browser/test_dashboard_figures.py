"""The dashboard's policy panel in Chromium, zh-hans: before the worker has computed the running semester it
says so (and asks for it); after the worker ran, the figures and when they were computed (issue 15).

The data is tests/policy_rules/assessment_years.py's, seen on Sunday 6 December 2026. django-q2 runs in sync mode
in the tests, so the task the first page asked for has run when the page is reloaded.
"""

import re

import pytest
from playwright.sync_api import expect

from policy_rules.models import PeriodOutcome
from tests.browser.steps import SHOTS, log_in
from tests.policy_rules.assessment_years import use_two_years

pytestmark = pytest.mark.browser


def test_the_dashboard_shows_the_figures_the_worker_computed(
    site_tree, people, settings, monkeypatch, open_context, server_errors
):
    use_two_years(settings, monkeypatch)
    assert not PeriodOutcome.objects.filter(period_key="2026-08-31").exists()
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "office")

    expect(page.locator("[data-policy-not-computed]")).to_contain_text("2026 秋季学期的数据尚未计算")
    page.reload()

    computed = page.locator("[data-policy-computed]")
    expect(computed).to_have_text(re.compile(r"数据计算于 \d+月\d+日 \d\d:\d\d（第 1 版政策）。"))
    expect(page.locator('[data-summary="departments"]')).to_have_text(
        "3 个科室中有 2 个已完成学期供稿任务，或按目前的供稿进度能够完成"
    )
    expect(page.locator('canvas[data-policy-chart="progress"]')).to_be_visible()
    assert PeriodOutcome.objects.filter(period_key="2026-08-31").exists()
    page.locator("[data-policy-dashboard]").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/policy-dashboard-computed-zh.png", full_page=True)
    assert not server_errors
