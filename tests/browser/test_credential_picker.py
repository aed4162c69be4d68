"""The credential-holder picker in Chromium (A6.6.1, 专人管理; zh-hans): the channel administrator tells two 李老师
apart by department and login, is never offered a student, and gives the credentials to the one meant."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import Person, PersonKind
from tests.browser.steps import SHOTS, log_in, wait_for_url
from tests.factories import make_user
from tests.wechat_channel.admin_factories import make_account
from wechat_channel.models import CredentialHolder

pytestmark = pytest.mark.browser


def person(username, role, name, kind, number, department):
    user = make_user(username, role)
    user.first_name = name
    user.save()
    Person.objects.create(user=user, name=name, kind=kind, number=number, department=department)
    return user


@pytest.fixture
def teachers(site_tree, people):
    """Two members of staff both called 李老师, in 学生处 and 教务科; a student who is also an office editor."""
    return {
        "li_a": person("li_a", "contributor", "李老师", PersonKind.STAFF, "T001", people["dept_a"]),
        "li_b": person("li_b", "contributor", "李老师", PersonKind.STAFF, "T002", people["dept_b"]),
        "student": person("wang", "office_editor", "王同学", PersonKind.STUDENT, "2026000002", people["dept_a"]),
    }


def test_the_channel_administrator_tells_the_two_li_apart_and_is_offered_no_student(
    teachers, people, open_context, server_errors
):
    account = make_account(name="瑞安学院", slug="raxy")
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "channel")
    page.goto(f"/admin/credentials/{account.pk}/")

    picker = page.locator('select[name="assign-user"]')
    expect(picker).to_be_visible()
    offered = picker.locator("option").all_inner_texts()
    assert "李老师（学生处 · li_a）" in offered and "李老师（教务科 · li_b）" in offered
    assert not [label for label in offered if "王同学" in label or "wang" in label]  # a student is never offered
    assert not [label for label in offered if "张同学" in label or label.startswith("contributor")]
    picker.evaluate("select => { select.size = select.options.length }")  # the screenshot shows every option
    page.screenshot(path=f"{SHOTS}/credentials-picker-two-li-zh.png", full_page=True)

    picker.select_option(label="李老师（教务科 · li_b）")
    page.locator("[data-assign-form] button[type=submit]").click()
    wait_for_url(page, re.compile(rf"/admin/credentials/{account.pk}/$"), "assigning the credentials")

    expect(page.locator(".messages .success")).to_contain_text("李老师（教务科 · li_b）")
    expect(page.locator(f'[data-holder="{teachers["li_b"].pk}"]')).to_contain_text("李老师（教务科 · li_b）")
    expect(page.locator(f'[data-holder="{teachers["li_a"].pk}"]')).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/credentials-assigned-li-b-zh.png", full_page=True)
    assert list(CredentialHolder.objects.filter(ended_at=None).values_list("user__username", flat=True)) == ["li_b"]
    assert not server_errors
