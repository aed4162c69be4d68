"""The sandbox is restarted between two pushes: the second push still succeeds, with nobody stepping in (issue 11,
item 4), as the office sees it in Chromium.

Two approved articles share one cover. The first is planned and pushed by the real cluster through the sandbox
(A12, A14) and gets its WeChat URL; the site remembers the cover's permanent media id. Then the SANDBOX PROCESS is
restarted: it forgets its materials, as WeChat does when someone deletes the cover on mp.weixin.qq.com, so the
remembered media id is stale and `draft/add` answers 40007. The second push reuses it, drops it, uploads the cover
again once and goes out: published exactly once. The office editor (zh-CN) sees both pushes' WeChat links in the
admin and, in the second push's history, the line saying the images were uploaded again.

The articles are approved server-side (tests/publishing.py: the office review, A6.3.1) — the review in the browser
is the spine journey's part; here the browser shows what the office sees afterwards. Everything after approval
(planning, pushing, the result events) runs in the journey's real processes (tests/browser/journey.py).
"""

import pytest
import requests

from tests.browser.journey import journey_account
from tests.browser.steps import SHOTS, approved, cover_image, log_in, pushed
from wechat_channel.models import Push, PushItem

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("open_window")]  # a slot comes at once

FIRST, SECOND = "运动会开幕", "运动会闭幕"


def sandbox_calls(journey, path, errcode=0):
    """The calls the (current) sandbox process answered on `path` with `errcode`; a restart empties its log."""
    calls = requests.get(f"{journey.sandbox_url}/sandbox/calls", params={"path": path}, timeout=5).json()["calls"]
    return [call for call in calls if call["path"] == path and call["errcode"] == errcode]


def test_after_a_sandbox_restart_the_next_push_goes_out_with_nobody_stepping_in(
    journey, journey_context, site_tree, people
):
    account = journey_account(journey)
    cover = cover_image()

    # 1. The first article is approved, planned at once (an open window) and pushed: its URL comes back.
    first = pushed(journey, approved(site_tree, people, FIRST, cover))
    assert first.wechat_url.startswith(f"{journey.sandbox_url}/s/")
    assert len(sandbox_calls(journey, "/cgi-bin/material/add_material")) == 1  # the cover, remembered from now on

    # 2. The sandbox process restarts: it forgets the cover, as WeChat forgets a material deleted on the website.
    journey.sandbox.restart()
    assert sandbox_calls(journey, "/cgi-bin/material/add_material") == []

    # 3. The second article, same cover: the remembered media id is stale (40007), the cover is uploaded again
    #    once, and the push goes out — nobody retries, nobody edits.
    second = pushed(journey, approved(site_tree, people, SECOND, cover))
    push = Push.objects.get(pk=second.push_id)
    assert push.pk != first.push_id and push.account_id == account.pk
    assert push.slot != Push.objects.get(pk=first.push_id).slot  # never two pushes at one instant on an account
    assert second.state == PushItem.State.PUBLISHED and push.state == Push.State.DONE, push.error_message
    assert second.wechat_url.startswith(f"{journey.sandbox_url}/s/") and second.wechat_url != first.wechat_url
    assert len(sandbox_calls(journey, "/cgi-bin/draft/add", errcode=40007)) == 1  # the remembered cover was gone
    assert len(sandbox_calls(journey, "/cgi-bin/material/add_material")) == 1  # uploaded again, once
    assert len(sandbox_calls(journey, "/cgi-bin/draft/add")) == 1
    assert len(sandbox_calls(journey, "/cgi-bin/freepublish/submit")) == 1  # published exactly once
    assert push.events.filter(action="images_refreshed").count() == 1
    assert push.events.filter(action="done").count() == 1
    assert push.events.filter(action="failed").count() == 0
    assert Push.objects.get(pk=first.push_id).events.filter(action="done").count() == 1

    # 4. The office editor sees both pushes done, each with its WeChat link, and the history line in Chinese.
    office = log_in(journey_context(), "office")
    office.goto(f"/admin/wechat/pushes/?account={account.pk}")
    for item in (first, second):
        row = office.locator(f'tr[data-push="{item.push_id}"]')
        assert row.get_attribute("data-state") == Push.State.DONE
        assert "已完成" in row.inner_text()
    office.screenshot(path=f"{SHOTS}/restart-journey-pushes.png", full_page=True)
    for item in (first, second):
        office.goto(f"/admin/wechat/pushes/{item.push_id}/")
        link = office.locator(f'tr[data-item="{item.pk}"] a[href="{item.wechat_url}"]')
        assert link.inner_text() == "在微信中打开"
    history = office.locator('tr[data-event="images_refreshed"]')
    assert history.count() == 1
    assert "图片已重新上传" in history.inner_text()
    assert "微信上已没有记住的 1 张图片（40007）：已重新上传" in history.inner_text()
    history.scroll_into_view_if_needed()
    office.screenshot(path=f"{SHOTS}/restart-journey-second-push.png")

    assert journey.server_errors() == []
