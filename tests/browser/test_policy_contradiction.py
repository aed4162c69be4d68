"""A contradictory policy is refused in the admin, in Chinese and in the regulation's words (issue 14 item 4).

The policy administrator removes both working-day push windows while every working day still needs one push
(A11.1): saving is refused, the message sits at the working-day windows and names the other field as the form
labels it, never a dotted path, and nothing is stored. Setting the number of pushes to 0 then saves.
"""

import re

import pytest
from playwright.sync_api import expect

from policy_rules import versions
from tests.browser.steps import SHOTS, log_in, speak, wait_for_url

pytestmark = pytest.mark.browser


def test_a_contradictory_policy_is_refused_with_a_chinese_message(site_tree, people, open_context, server_errors):
    draft = versions.start_draft("default", None)
    before = draft.document
    speak("policy", "zh-hans")
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    page.goto(f"/admin/policy/{draft.pk}/edit/")
    working = page.locator('fieldset[data-day-type="working"]')
    for index in (0, 1):
        working.locator(f'input[name="windows-working-{index}-DELETE"]').check()
    page.locator('textarea[name="note-change_note"]').fill("去掉工作日推送时段")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("load")

    refused = working.locator(".help-critical, .error-message").filter(has_text="工作日没有推送时段")
    expect(refused).to_be_visible()
    said = refused.inner_text()
    assert "“每个工作日至少推送次数（A11.1）”为 1" in said and "A11.1" in said
    assert not re.search(r"\b(schedule|windows|min_pushes)\b", page.locator("main").inner_text())
    expect(page.get_by_text("草稿未保存")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/policy-contradiction-refused.png", full_page=True)
    draft.refresh_from_db()
    assert draft.document == before

    # The sound neighbour: no working-day window and no push required on working days.
    for index in (0, 1):
        working.locator(f'input[name="windows-working-{index}-DELETE"]').check()
    page.locator('input[name="schedule-min_pushes_per_working_day"]').fill("0")
    page.get_by_role("button", name="保存草稿").click()
    wait_for_url(page, re.compile(rf"/admin/policy/{draft.pk}/$"), "saving the sound draft")
    draft.refresh_from_db()
    assert draft.document["schedule"]["windows"]["working"] == []
    assert draft.document["schedule"]["min_pushes_per_working_day"] == 0
    assert not server_errors
