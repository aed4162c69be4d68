"""Pushes that went out before the site ran (wechat_channel/past.py): placed as the planner would have then, and
recorded as WeChat answered, with each article's link (the demo's history, issue 14)."""

import datetime
import zoneinfo

import pytest

from tests.wechat_channel.delivery import planning_adapter
from wechat_channel import comments, past
from wechat_channel.models import Push, PushItem, WeChatAccount

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
FRIDAY = datetime.datetime(2026, 10, 30, 15, 0, tzinfo=TZ)  # reached the office; the next working day is Monday
MONDAY = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=TZ)  # the office approves


@pytest.fixture
def account(db, settings):
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.PlanningAdapter"}
    }
    planning_adapter.ENTERED.clear()
    return WeChatAccount.objects.create(
        name="校园", slug="campus", appid="wx0123456789abcdef", secret_env="WECHAT_CAMPUS_SECRET", verified=True
    )


def test_a_past_push_is_placed_then_and_recorded_as_sent_with_its_links(account, article_factory, people):
    pages = [article_factory(department=people["dept_a"]) for _ in range(2)]
    for page in pages:
        planning_adapter.ENTERED[page.pk] = FRIDAY
        past.place(page, MONDAY)
    push = Push.objects.get(account=account)
    assert push.slot.astimezone(TZ) == MONDAY.replace(hour=16, minute=0)  # A11.2's first window, after A16's 12 h

    assert past.went_out(push, 3200, "http://127.0.0.1:8765/")
    push.refresh_from_db()
    assert (push.state, push.sent_at, push.followers_sent) == (Push.State.DONE, push.slot, 3200)
    assert list(push.items.order_by("position").values_list("state", "wechat_url")) == [
        (PushItem.State.PUBLISHED, f"http://127.0.0.1:8765/s/past-{push.pk}-1"),
        (PushItem.State.PUBLISHED, f"http://127.0.0.1:8765/s/past-{push.pk}-2"),
    ]
    assert list(push.events.values_list("action", flat=True)) == [
        "article_added",
        "article_added",
        "sent",
        "followers",
        "done",
    ]
    assert not past.went_out(push, 3200, "http://127.0.0.1:8765/")  # once only


def test_a_past_push_carries_the_msg_data_id_its_comments_are_fetched_by(account, article_factory, people):
    # A13: the comment page lists the articles WeChat can name, (msg_data_id, 0-based index) (WECHAT.md §8.1).
    pages = [article_factory(department=people["dept_a"]) for _ in range(2)]
    for page in pages:
        planning_adapter.ENTERED[page.pk] = FRIDAY
        past.place(page, MONDAY)
    push = Push.objects.get(account=account)
    assert list(comments.published_items(account, now=MONDAY)) == []  # not out yet

    past.went_out(push, 3200, "http://127.0.0.1:8765/")
    push.refresh_from_db()
    assert push.msg_data_id == str(2_000_000_000 + push.pk)  # below the sandbox's own ids: never the same
    items = list(comments.published_items(account, now=push.slot + datetime.timedelta(days=1)))
    assert [(item.pk, comments.article_index(item)) for item in items] == [
        (item.pk, index) for index, item in enumerate(push.items.order_by("position"))
    ]


def test_a_past_push_recorded_before_msg_data_ids_were_kept_is_named_once(account, article_factory, people):
    page = article_factory(department=people["dept_a"])
    planning_adapter.ENTERED[page.pk] = FRIDAY
    past.place(page, MONDAY)
    push = Push.objects.get(account=account)
    past.went_out(push, 3200, "http://127.0.0.1:8765/")
    Push.objects.filter(pk=push.pk).update(msg_data_id="")  # as a demo seeded before it kept them
    live = Push.objects.create(account=account, slot=MONDAY, state=Push.State.FAILED)  # not a past one: left alone

    assert past.name_earlier(account) == 1
    assert past.name_earlier(account) == 0
    push.refresh_from_db()
    live.refresh_from_db()
    assert (push.msg_data_id, live.msg_data_id) == (str(2_000_000_000 + push.pk), "")
