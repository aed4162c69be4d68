"""The menu-change application in Chromium (A6.4, zh-hans): 申请时间 already reads today, a refused 保存并提交 says
why at the top and marks the fields, and the corrected application goes to the department head."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import MenuChangeApplication
from tests.browser.steps import SHOTS, log_in, wait_for_url
from tests.wechat_channel.admin_factories import make_account

pytestmark = pytest.mark.browser


def submit(page):
    page.get_by_role("button", name="保存并提交").click()


def test_the_date_is_today_a_refused_submit_says_why_and_the_corrected_one_is_sent(
    site_tree, people, open_context, server_errors
):
    account = make_account(name="瑞安学院")
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "head_a")
    page.goto("/admin/menu-changes/add/")
    form = page.locator("[data-menu-change-form]")
    expect(form.locator('input[name="date"]')).to_have_value(timezone.localdate().isoformat())

    submit(page)  # nothing filled in: the browser does not stop it, the server answers

    refusal = page.locator(".messages .error")
    expect(refusal).to_contain_text("未保存：请更正标出的项目：微信公众号、科室、更改理由、申请的菜单。")
    expect(form.locator('select[name="account"]')).to_have_attribute("aria-invalid", "true")
    expect(form.locator('textarea[name="reason"]')).to_have_attribute("aria-invalid", "true")
    expect(form.locator('input[name="date"]')).to_have_value(timezone.localdate().isoformat())
    expect(form.locator("[data-menu-errors]")).to_be_visible()
    expect(refusal).to_be_in_viewport()
    page.screenshot(path=f"{SHOTS}/menu-change-refused-zh.png")
    page.screenshot(path=f"{SHOTS}/menu-change-refused-full-zh.png", full_page=True)
    assert not MenuChangeApplication.objects.exists()

    form.locator('select[name="account"]').select_option(str(account.pk))
    form.locator('select[name="department"]').select_option(str(people["dept_a"].pk))
    form.locator('textarea[name="reason"]').fill("新增「校园服务」入口")
    form.locator('input[name="date"]').fill("")
    form.locator('input[name="b0-name"]').fill("校园服务")
    form.locator('select[name="b0-type"]').select_option("click")
    form.locator('input[name="b0-key"]').fill("CAMPUS")
    submit(page)

    expect(refusal).to_contain_text("未保存：请更正标出的项目：申请时间。")
    expect(form.locator('input[name="date"]')).to_have_attribute("aria-invalid", "true")
    expect(form.locator('input[name="b0-name"]')).to_have_value("校园服务")  # what was typed is kept
    page.screenshot(path=f"{SHOTS}/menu-change-refused-date-zh.png", full_page=True)

    form.locator('input[name="date"]').fill(timezone.localdate().isoformat())
    submit(page)

    wait_for_url(page, re.compile(r"/admin/menu-changes/\d+/$"), "submitting the corrected application")
    application = MenuChangeApplication.objects.get()
    expect(page.locator(".messages .success")).to_contain_text(f"{application.number} 已提交部门负责人。")
    assert application.status == MenuChangeApplication.Status.SUBMITTED
    assert application.date == timezone.localdate()
    assert not server_errors
