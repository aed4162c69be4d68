"""The dry run reads like a report, in Chinese (issue 14 item 3).

The policy administrator dry-runs a version with a stricter weekly quota (A8), more points per accepted submission
(A17.1) and lower discipline thresholds (A20) over the fortnight of 学生处 and 教务科: the report lists the changes in
sections by what they affect, each with its count, naming the department and the contributor 张同学 of 学生处, and no
week is listed a second time as a new violation.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.steps import SHOTS, log_in, speak, wait_for_url
from tests.policy_rules.governance import END, START, people_facts_provider, validated  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser


@pytest.mark.usefixtures("people_facts_provider")
def test_a_dry_run_lists_changes_by_section_with_names(site_tree, people, open_context, server_errors):
    version = validated(
        people["policy"],
        quotas__min_per_week=2,
        rewards__points_per_accepted=2,
        discipline__warning_at=3,
        discipline__escalation_at=6,
    )
    speak("policy", "zh-hans")
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    page.goto(f"/admin/policy/{version.pk}/")
    page.get_by_role("link", name="试运行", exact=True).click()
    page.locator('input[name="start"]').fill(START)
    page.locator('input[name="end"]').fill(END)
    page.get_by_role("button", name="重算这段时间").click()
    wait_for_url(page, re.compile(rf"/admin/policy/{version.pk}/dry-run/\d+/$"), "replaying the fortnight")

    changes = page.locator("[data-policy-changes]")
    expect(changes.get_by_role("heading", name="4 项结果变化")).to_be_visible()
    sections = changes.locator("[data-dry-run-section]")
    expect(sections).to_have_count(3)
    departments, contributors, discipline = sections.nth(0), sections.nth(1), sections.nth(2)
    expect(departments.get_by_role("heading")).to_have_text("科室供稿任务（A8） · 2 项")
    expect(departments.locator("li")).to_have_text(
        [
            "教务科，2026-03-02 当周（供稿 1 篇）：每周供稿任务 达到 → 未达到",
            "教务科，2026-03-09 当周（供稿 1 篇）：每周供稿任务 达到 → 未达到",
        ]
    )
    expect(contributors.get_by_role("heading")).to_have_text("投稿人积分与奖项（A17、A18） · 1 项")
    expect(contributors.locator("li")).to_have_text(["张同学（学生处，学生）：积分 3 → 6"])
    expect(discipline.get_by_role("heading")).to_have_text("差错处理级别（A20） · 1 项")
    expect(discipline.locator("li")).to_have_text(["学生处：警告 → 上报分管领导（2026-03-07 起）"])
    said = changes.inner_text()
    assert "新增违规" not in said and f"投稿人 {people['student'].pk}" not in said
    page.screenshot(path=f"{SHOTS}/policy-dry-run-sections.png", full_page=True)
    assert not server_errors
