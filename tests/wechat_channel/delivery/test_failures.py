"""A failed push article is told to the editor who planned it, in their language, with the fix (issue 11 item 3)."""

import datetime

import pytest
import requests
from django.core import mail
from django.utils import translation
from wagtail.users.models import UserProfile

from cms.models import Case
from tests.publishing import publish_approved
from tests.wechat_channel.sandbox_access import APPID
from wechat_channel import delivery, failures, planning, push_actions, slots
from wechat_channel.adapters import adapter_for
from wechat_channel.models import Push, PushItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_settings")]


def planned(push, user):
    push.items.update(planned_by=user)


def without_cover(item):
    type(item.page.specific).objects.filter(pk=item.page_id).update(cover_image=None)


def prefers(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def mails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_a_push_with_no_cover_tells_its_planner_why_and_how_in_chinese(sandbox, push_of, people):
    push = push_of(1)
    planned(push, people["office"])
    prefers(people["office"], "zh-hans")
    item = push.items.get()
    without_cover(item)

    with translation.override("en"):  # the worker's language is not the reader's
        delivery.advance(push.pk)

    push.refresh_from_db()
    item.refresh_from_db()
    assert push.state == Push.State.FAILED and item.state == PushItem.State.FAILED
    assert item.problems == [{"field": "cover", "code": "no_cover", "params": {}, "blocking": True}]
    [told] = mails_to(people["office"])
    assert item.title in told.subject and "未推送到微信" in told.subject
    assert "没有封面图" in told.body and "请选择一张封面图" in told.body
    assert "微信设置" in told.body and f"/admin/articles/{item.page_id}/wechat/" in told.body  # the fix, no review
    assert f"/admin/wechat/pushes/{push.pk}/" in told.body and "重试" in told.body


def test_the_planner_reads_it_in_english_when_that_is_their_language(sandbox, push_of, people):
    push = push_of(1)
    planned(push, people["office"])
    prefers(people["office"], "en")
    without_cover(push.items.get())

    with translation.override("zh-hans"):
        delivery.advance(push.pk)

    [told] = mails_to(people["office"])
    assert "Not sent to WeChat" in told.subject
    assert "There is no cover image" in told.body and "WeChat settings" in told.body
    assert "没有封面图" not in told.body


def test_the_system_error_case_says_why(sandbox, push_of, people):
    push = push_of(1)
    item = push.items.get()
    without_cover(item)

    with translation.override("zh-hans"):
        delivery.advance(push.pk)

    case = Case.objects.get(push_id=push.pk)
    assert item.title in case.text and "没有封面图" in case.text


def test_a_title_too_long_is_fixed_by_editing_the_article_which_is_reviewed_again(sandbox, push_of, people):
    push = push_of(2)
    planned(push, people["office"])
    prefers(people["office"], "zh-hans")
    item = push.items.get(position=1)
    type(item.page.specific).objects.filter(pk=item.page_id).update(title="长" * 33)

    delivery.advance(push.pk)

    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED  # the other article went out
    [told] = mails_to(people["office"])
    assert "标题 33 字，微信最多 32 字" in told.body
    assert f"/admin/pages/{item.page_id}/edit/" in told.body and "重新审核" in told.body


def test_a_push_wechat_refuses_tells_every_planner_of_it(sandbox, push_of, people):
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "verified": False}, timeout=5)
    push = push_of(2)
    planned(push, people["office"])

    delivery.advance(push.pk)

    push.refresh_from_db()
    assert push.state == Push.State.FAILED
    assert len(mails_to(people["office"])) == 2  # one per article planned, each with WeChat's reason
    assert all("48001" in m.body or "权限" in m.body or "unauthori" in m.body for m in mails_to(people["office"]))


def test_nobody_planned_it_nobody_is_mailed_but_the_administrators(sandbox, push_of, people):
    push = push_of(1)
    without_cover(push.items.get())

    delivery.advance(push.pk)

    assert not mails_to(people["office"])
    assert mails_to(people["channel"])  # the system error (A6.5.1)


def test_the_dashboard_shows_the_planner_their_failed_article_until_it_is_retried(
    client,
    sandbox,
    push_of,
    people,
):
    push = push_of(1)
    planned(push, people["office"])
    prefers(people["office"], "zh-hans")
    item = push.items.get()
    without_cover(item)
    delivery.advance(push.pk)

    client.force_login(people["office"])
    html = client.get("/admin/").content.decode()
    assert f'data-failed-item="{item.pk}"' in html and "没有封面图" in html and "重试推送" in html
    client.force_login(people["channel"])
    assert "data-wechat-failed-panel" not in client.get("/admin/").content.decode()  # not theirs

    push.refresh_from_db()
    push_actions.retry(push)
    assert not failures.failed_for(people["office"]).exists()


def test_approval_records_the_office_editor_and_a_move_the_editor_who_moved_it(push_of, people):
    push = push_of(1)
    page = push.items.get().page
    publish_approved(page, people["office"])

    assert adapter_for(page).planned_by() == people["office"]

    # A week on, at the first moment the policy allows it then (A11.2's windows, A16's lead time): the test may
    # run at any hour, and a week from 00:40 is outside every window.
    week_on = push.slot + datetime.timedelta(days=7)
    decision = slots.check(slots.policy_for(push.account), week_on, **slots.facts_of(adapter_for(page)))
    other = Push.objects.create(account=push.account, slot=week_on if decision.allowed else decision.next_slot)
    item = push.items.get()
    planning.move_item(item, other, user=people["channel"])
    item.refresh_from_db()
    assert item.planned_by == people["channel"]
