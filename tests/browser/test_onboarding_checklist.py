"""The first-run checklist on the office head's dashboard, in Chromium (zh-hans, issue 14): what is left to set up,
each step linking where it is done; the departments' step leads to the people import."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.steps import log_in, wait_for_url

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots"  # looked at by people; not asserted on


def test_the_office_head_sees_what_is_left_and_goes_to_the_people_import(
    site_tree, people, open_context, server_errors
):
    SHOTS.mkdir(exist_ok=True)
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    checklist = page.locator("[data-onboarding-checklist]")
    expect(checklist).to_be_visible()
    expect(checklist.locator('[data-step="wechat_account"]')).to_have_attribute("data-done", "false")
    expect(checklist.locator('[data-step="departments"]')).to_have_attribute("data-done", "true")  # 学生处 and 教务科
    expect(checklist.locator('[data-step="policy"]')).to_contain_text("默认规定")
    page.screenshot(path=str(SHOTS / "onboarding-checklist-zh.png"), full_page=True)

    people["dept_b"].heads.clear()
    page.reload()
    expect(checklist.locator('[data-step="departments"]')).to_contain_text("教务科")
    checklist.locator('[data-step="departments"] a').click()
    wait_for_url(page, re.compile(r"/admin/people-import/$"), "following the departments' step")
    assert not server_errors
