"""A service account's followers receive at most four mass messages a month (issue 12 item 1).

WeChat (服务号 → 群发消息 Batch_Sends.html) accepts a send past a follower's four and leaves that follower out;
MASSSENDJOBFINISH says how many (`TotalCount` − `FilterCount`). The office must see it after the send (the push is
not simply "done"), and before the next one (how many it can still reach, whether a send is left at all).
Sends made by hand on mp.weixin.qq.com count: the sandbox's `/sandbox/mass/by-hand` makes them.
The result event comes to pytest-django's live server through the real callback endpoint, signed and encrypted.
"""

import datetime

import pytest
import requests
from django.urls import reverse
from django.utils import timezone, translation

from tests.wechat_channel.pushes import due_push_with_photo, settled
from tests.wechat_channel.sandbox_access import APPID, wait_for
from wechat_channel import delivery, quotas
from wechat_channel.models import Push

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def by_hand(sandbox, openids=None):
    body = {"appid": APPID} if openids is None else {"appid": APPID, "openids": openids}
    answer = requests.post(f"{sandbox.url}/sandbox/mass/by-hand", json=body, timeout=5)
    answer.raise_for_status()
    return answer.json()


def page_of(client, people, push):
    client.force_login(people["channel"])
    return client.get(reverse("wechat_admin:push", args=[push.pk])).content.decode()


def test_followers_past_their_four_are_left_out_and_the_office_is_told_after_and_before(
    account_for,
    sandbox,
    article_factory,
    people,
    client,
):
    account = account_for("service", True)
    followers = sandbox.sandbox.audience.follower_list(APPID)
    for _ in range(4):  # tag sends on mp.weixin.qq.com: two followers have had their four this month
        by_hand(sandbox, followers[:2])

    push = due_push_with_photo(account, article_factory, people["dept_a"], "校运会")
    delivery.advance(push.pk)
    assert settled(push).state == Push.State.DONE, push.error_message
    assert wait_for(lambda: Push.objects.get(pk=push.pk).followers_total is not None)  # the result event came

    push.refresh_from_db()
    assert (push.followers_total, push.followers_ready, push.followers_sent, push.followers_filtered) == (5, 3, 3, 2)
    with translation.override("zh-hans"):
        line = str(push.events.get(action="followers").text)
    assert "5 位粉丝中的 3 位" in line and "2 位本月已收满 4 条群发消息" in line
    html = page_of(client, people, push)
    assert 'data-reach="after"' in html and "微信已将这次群发发送给 5 位粉丝中的 3 位" in html
    assert "2 位粉丝本月已收满 4 条群发消息" in html

    # Before the next one: the day's send to everyone is used, and the same two will be left out again.
    later = Push.objects.create(account=account, slot=timezone.now() + datetime.timedelta(minutes=1))
    outlook = quotas.outlook(later)
    assert (outlook["left"], outlook["day_used"], outlook["last"]) == (0, 1, push)
    html = page_of(client, people, later)
    assert "data-reach-used" in html and "将改为发布" in html
    assert "data-reach-filtered" in html and "这次预计最多送达约 3 位粉丝" in html
