"""From office approval to a published WeChat article with its URL, against the sandbox over HTTP.

The sandbox is a real server on a loopback port; the site is pytest-django's live
server, so the sandbox's PUBLISHJOBFINISH / MASSSENDJOBFINISH arrive at the real
callback endpoint, signed and encrypted.
"""

import pytest
import requests

from tests.review_steps import CHECKED, act, submit
from tests.wechat_channel.pushes import settled, wagtail_image
from tests.wechat_channel.sandbox_access import wait_for
from wechat_channel import delivery
from wechat_channel.models import Push, PushItem

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def approve(article_factory, people):
    """An article with a cover and a photo, through the three review stages; office approval publishes it."""
    page = article_factory(
        title="运动会开幕",
        digest="第十届运动会今天开幕。",
        department=people["dept_a"],
        cover_image=wagtail_image("cover", (200, 10, 10)),
        body=[
            {"type": "paragraph", "value": '<p>详见<a href="https://example.com/n">通知</a>。</p>'},
            {
                "type": "image",
                "value": {"image": wagtail_image("photo", (10, 200, 10)).pk, "caption": "入场式"},
            },
        ],
    )
    submit(page, people["contributor"])
    act(page, people["head_a"], "approve")
    act(page, people["leader_a"], "approve")
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live
    return page


def deliveries(sandbox):
    return requests.get(sandbox.url + "/sandbox/deliveries", timeout=5).json()["deliveries"]


def paths(sandbox):
    return [call["path"].removeprefix("/cgi-bin/") for call in sandbox.calls.as_list() if call["errcode"] == 0]


@pytest.mark.parametrize(
    ("kind", "verified", "mode", "send_path", "event"),
    [
        ("subscription", True, Push.Mode.MASS_SEND, "message/mass/sendall", "MASSSENDJOBFINISH"),
        ("service", True, Push.Mode.MASS_SEND, "message/mass/sendall", "MASSSENDJOBFINISH"),
        ("service", False, Push.Mode.PUBLISH, "freepublish/submit", "PUBLISHJOBFINISH"),
    ],
)
def test_an_approved_article_ends_on_wechat_with_its_url(
    account_for, sandbox, article_factory, people, kind, verified, mode, send_path, event
):
    account = account_for(kind, verified)
    page = approve(article_factory, people)

    item = PushItem.objects.get(account=account, page=page)  # office approval planned it (A12)
    push = item.push
    assert push.state == Push.State.PLANNED and push.mode == mode
    delivery.advance(push.pk, now=max(push.slot, push.created_at))  # its slot has come

    push = settled(push)
    item.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert item.state == PushItem.State.PUBLISHED
    assert item.wechat_url.startswith(sandbox.url + "/s/")
    article = requests.get(item.wechat_url, timeout=5)
    assert article.status_code == 200 and "运动会开幕" in article.text  # people can open it

    calls = paths(sandbox)
    assert calls.count("draft/add") == 1 and calls.count(send_path) == 1
    assert calls.count("media/uploadimg") == 1  # the photo inside the article
    assert calls.count("material/add_material") == 1  # the cover, as permanent material
    assert calls.count("stable_token") == 1
    # The sandbox records a delivery once the site has answered it, which may be after polling settled the push.
    assert wait_for(lambda: deliveries(sandbox), seconds=15)
    assert [(d["event"], d["ok"]) for d in deliveries(sandbox)] == [(event, True)]  # one signed, encrypted event
    assert push.events.filter(action="done").count() == 1


def test_an_unverified_subscription_account_leaves_a_draft_for_an_editor(account_for, sandbox, article_factory, people):
    account = account_for("subscription", False)
    page = approve(article_factory, people)
    push = PushItem.objects.get(account=account, page=page).push

    delivery.advance(push.pk, now=max(push.slot, push.created_at))

    push.refresh_from_db()
    assert (push.mode, push.state) == (Push.Mode.DRAFT_ONLY, Push.State.DONE)
    assert PushItem.objects.get(page=page).state == PushItem.State.DRAFTED
    calls = paths(sandbox)
    assert "draft/add" in calls and "freepublish/submit" not in calls and "message/mass/sendall" not in calls
