"""The office head writes "周五 20:00 后不推送" in the policy editor, in Chromium and in Chinese (issue 14 items 1, 2).

A new rule's conditions are chosen as 星期 是 周五 and 时刻 不早于 20:00 (a weekday by name, a time picker: no weekday
number, no minute of the day), saved, and read back as a sentence on the version's page and above the rule in the
editor. Then a bad number gets its error in Chinese at its field, with Wagtail's "go to the first error" in Chinese.
"""

import re

import pytest
from playwright.sync_api import expect

from policy_rules import versions
from tests.browser.steps import SHOTS, log_in, wait_for_url

pytestmark = pytest.mark.browser

SENTENCE = "若是周五，且在 20:00 及之后：不允许推送——“周五 20:00 后不推送”"


def test_a_rule_in_weekday_names_and_hh_mm_reads_back_as_a_sentence(site_tree, people, open_context, server_errors):
    draft = versions.start_draft("default", None)
    page = log_in(open_context(), "policy")
    page.goto(f"/admin/policy/{draft.pk}/edit/")
    rule = page.locator('[data-rule="0"]')
    rule.locator('input[name="rules-0-id"]').fill("no_friday_night")
    rule.locator('input[name="rules-0-message"]').fill("周五 20:00 后不推送")

    rule.locator('select[name="rules-0-when-0-field"]').select_option(label="星期")
    weekday = rule.locator('select[name="rules-0-when-0-value"]')
    expect(weekday.locator("option")).to_have_text(["周一", "周二", "周三", "周四", "周五", "周六", "周日"])
    weekday.select_option(label="周五")

    rule.locator('select[name="rules-0-when-1-field"]').select_option(label="时刻")
    rule.locator('select[name="rules-0-when-1-op"]').select_option(label="不早于／不少于")
    time = rule.locator('input[name="rules-0-when-1-value"]')
    expect(time).to_have_attribute("type", "time")
    time.fill("20:00")
    rule.screenshot(path=f"{SHOTS}/policy-rule-terms-edit.png")  # the admin scrolls inside its main area
    page.locator('textarea[name="note-change_note"]').fill("周五晚上不推送")
    page.locator('form[data-policy-editor] button[type="submit"]').click()

    wait_for_url(page, re.compile(rf"/admin/policy/{draft.pk}/$"), "saving the rule")
    expect(page.get_by_text(SENTENCE)).to_be_visible()
    page.get_by_text(SENTENCE).scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/policy-rule-terms-version.png")
    draft.refresh_from_db()
    assert draft.document["conditions"][0]["when"] == [
        {"field": "weekday", "op": "eq", "value": 5},
        {"field": "minute_of_day", "op": "ge", "value": 1200},
    ]

    page.goto(f"/admin/policy/{draft.pk}/edit/")
    expect(page.locator("[data-rule-sentence]").first).to_have_text(SENTENCE)
    expect(page.locator('select[name="rules-0-when-0-value"] option:checked')).to_have_text("周五")
    page.locator('input[name="quotas-min_per_week"]').fill("-1")
    page.locator('form[data-policy-editor] button[type="submit"]').click()
    expect(page.locator("#section-quotas")).to_contain_text("请输入不小于 0 的数。")
    expect(page.get_by_role("button", name="转到第一个错误")).to_be_visible()
    page.locator("#section-quotas").screenshot(path=f"{SHOTS}/policy-rule-terms-error.png")
    page.locator('[data-rule="0"]').screenshot(path=f"{SHOTS}/policy-rule-terms-sentence.png")
    body = page.locator("main").inner_text()
    assert "Input should be" not in body and "quotas.min_per_week" not in body
    draft.refresh_from_db()
    assert draft.document["quotas"]["min_per_week"] == 1  # nothing stored
    assert not server_errors
