"""Followers who have had their four mass messages this month are left out of a mass send (issue 12 item 1), as
the channel administrator sees it in Chromium, after the send and before the next one.

WeChat (服务号 → 群发消息 Batch_Sends.html): each follower of a service account receives at most four mass messages
a calendar month, sends made on mp.weixin.qq.com included; a send past that is accepted and leaves the follower
out, and MASSSENDJOBFINISH says how many (`TotalCount` − `FilterCount`). Here two of the account's five followers
had four sends by hand on mp.weixin.qq.com this month (the sandbox's `/sandbox/mass/by-hand`). An approved article
is planned at once and mass-sent by the real cluster; the sandbox's result event reaches the site's callback. The
push is done, and its page says it reached 3 of 5 followers and why 2 were left out. A push planned later the same
day says, before it goes out, that the day's send to everyone is used (it will be published instead) and that it
can reach at most about 3 followers.
"""

import datetime

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.journey import APPID, journey_account
from tests.browser.steps import SHOTS, approved, cover_image, log_in, pushed
from tests.live_processes import poll
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.sandbox.followers import default_openids

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("open_window")]  # a slot comes at once


def verified_mass_sender(journey):
    """The journey's account, verified on both sides, so its pushes are mass sends (群发)."""
    requests.post(f"{journey.sandbox_url}/sandbox/accounts", json={"appid": APPID, "verified": True}, timeout=5)
    account = journey_account(journey)
    WeChatAccount.objects.filter(pk=account.pk).update(verified=True, delivery_mode="mass_send")
    return account


def later_today():
    """Ten minutes on, but never past the end of the local day: the day's send is what the page must count."""
    now = timezone.localtime()
    end_of_day = now.replace(hour=23, minute=59, second=0, microsecond=0)
    return min(now + datetime.timedelta(minutes=10), end_of_day)


def test_followers_past_their_four_are_left_out_and_the_administrator_sees_it_before_and_after(
    journey, journey_context, site_tree, people
):
    account = verified_mass_sender(journey)
    for _ in range(4):  # four tag sends made by hand on mp.weixin.qq.com reach two followers this month
        answer = requests.post(
            f"{journey.sandbox_url}/sandbox/mass/by-hand",
            json={"appid": APPID, "openids": default_openids(APPID)[:2]},
            timeout=5,
        )
        assert answer.json()["reached"] == 2

    # 1. An approved article is mass-sent by the cluster; WeChat's result event says who it reached.
    item = pushed(journey, approved(site_tree, people, "校运会开幕", cover_image()))
    push = poll(lambda: Push.objects.filter(pk=item.push_id, followers_total__isnull=False).first(), 30, every=0.2)
    assert push is not None, journey.worker.log_tail()
    assert (push.mode, push.state) == (Push.Mode.MASS_SEND, Push.State.DONE)
    assert (push.followers_total, push.followers_ready, push.followers_sent) == (5, 3, 3)

    channel = log_in(journey_context(), "channel")
    channel.goto(f"/admin/wechat/pushes/{push.pk}/")
    after = channel.locator('[data-reach="after"]')
    expect(after).to_contain_text("微信已将这次群发发送给 5 位粉丝中的 3 位")
    expect(after).to_contain_text("2 位粉丝本月已收满 4 条群发消息")
    expect(channel.locator('tr[data-event="followers"]')).to_contain_text("被略过")
    channel.screenshot(path=f"{SHOTS}/followers-after.png", full_page=True)

    # 2. A push planned later today: before it goes out, the page says what it will meet.
    nxt = Push.objects.create(account=account, slot=later_today(), mode=Push.Mode.MASS_SEND)
    PushItem.objects.create(push=nxt, account=account, title="校运会闭幕", position=0)
    channel.goto(f"/admin/wechat/pushes/{nxt.pk}/")
    before = channel.locator('[data-reach="before"]')
    expect(before).to_contain_text("本月已群发给全部粉丝 1 次（上限 4 次）")
    expect(before.locator("[data-reach-used]")).to_contain_text("将改为发布")
    expect(before.locator("[data-reach-filtered]")).to_contain_text("这次预计最多送达约 3 位粉丝")
    channel.screenshot(path=f"{SHOTS}/followers-before.png", full_page=True)
    assert journey.server_errors() == []
