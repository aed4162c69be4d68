"""The channel administrator settles a push WeChat never confirmed, in Chromium (issue 12, "stuck in reconciling").

The push's submit answer was lost and WeChat showed nothing afterwards; it was parked a day later. Retry and
Cancel used to be refused, so nobody could act. The administrator opens the push from the Health page, reads what
to check on mp.weixin.qq.com, pastes the first article's address and marks it out: the push is done, the article
links to WeChat, and the history names who said so.
"""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.steps import log_in, wait_for_url
from wechat_channel.models import Push, PushItem, WeChatAccount

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots"  # looked at by people; not asserted on
URL = "https://mp.weixin.qq.com/s/Rq3yV8f0l2pZ"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"settle-{name}.png"), full_page=True)


def test_the_channel_administrator_marks_an_unconfirmed_push_as_out(site_tree, people, open_context, server_errors):
    account = WeChatAccount.objects.create(name="学院微信", slug="news", appid="wx0000000000000001")
    push = Push.objects.create(
        account=account,
        slot=timezone.now(),
        state=Push.State.FAILED,
        sent_at=timezone.now() - timezone.timedelta(days=1, hours=1),
        draft_media_id="gone",
        error_message="WeChat took the push but never confirmed it; check mp.weixin.qq.com.",
        error_note={"text": "never_confirmed"},
    )
    PushItem.objects.create(push=push, account=account, title="春季运动会闭幕", position=0)

    page = log_in(open_context(), "channel")
    page.goto(f"/admin/wechat/pushes/{push.pk}/")
    settle = page.locator("[data-settle]")
    expect(settle).to_contain_text("微信尚未确认这次推送")
    expect(settle).to_contain_text("发表记录")
    shot(page, "1-unconfirmed")

    # A wrong address is refused with the reason, and nothing changes.
    settle.locator('textarea[name="urls"]').fill("https://evil.example/s/abc")
    settle.locator('form:has(input[value="published"]) button[type="submit"]').click()
    wait_for_url(page, re.compile(rf"/admin/wechat/pushes/{push.pk}/$"), "refusing a wrong address")
    expect(page.locator(".messages")).to_contain_text("不是 mp.weixin.qq.com 上的文章地址")
    push.refresh_from_db()
    assert push.state == Push.State.FAILED

    page.locator('[data-settle] textarea[name="urls"]').fill(URL)
    page.locator('[data-settle] form:has(input[value="published"]) button[type="submit"]').click()
    wait_for_url(page, re.compile(rf"/admin/wechat/pushes/{push.pk}/$"), "marking the push as out")
    expect(page.locator(".messages")).to_contain_text("已标记为已在微信发出")
    expect(page.locator("[data-settle]")).to_have_count(0)
    expect(page.locator('[data-item] a[href="' + URL + '"]')).to_have_count(1)
    expect(page.locator('[data-event="settled_by_person"]')).to_contain_text("channel")
    shot(page, "2-settled")
    push.refresh_from_db()
    assert push.state == Push.State.DONE
    assert server_errors == []
