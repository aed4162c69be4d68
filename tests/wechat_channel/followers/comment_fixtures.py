"""A push published through the sandbox, and follower comments seeded on its articles (issue 5, A13)."""

import datetime

import pytest
import requests
from django.core.cache import cache
from django.utils import timezone

from tests.wechat_channel.pushes import due_push
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import delivery
from wechat_channel.models import Push, WeChatAccount
from wechat_channel.sandbox.followers import default_openids

FOLLOWERS = default_openids(APPID)


@pytest.fixture
def channel(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WECHAT_CHANNEL = {**settings.WECHAT_CHANNEL, "TIMEOUT": 2, "RESULT_POLL_AFTER_SECONDS": 0}
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    cache.clear()


@pytest.fixture
def account(sandbox, channel):
    return WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        kind="service",
        verified=True,
        api_base_url=sandbox.url,
        secret_env="WECHAT_CAMPUS_SECRET",
    )


@pytest.fixture
def published(sandbox, account, article_factory, people):
    """A mass-sent push of two articles, done: its items published, its msg_data_id known."""
    push = due_push(account, article_factory, people["dept_a"])
    delivery.advance(push.pk)
    requests.post(sandbox.url + "/sandbox/publishing/complete", timeout=5)
    delivery.advance(push.pk, now=timezone.now() + datetime.timedelta(minutes=1))
    push.refresh_from_db()
    assert push.state == Push.State.DONE and push.msg_data_id
    return push


def seed(sandbox, push, index, content, openid=FOLLOWERS[0]):
    """A follower comments on the push's article at `index`; its user_comment_id."""
    body = {"appid": APPID, "msg_data_id": int(push.msg_data_id), "index": index, "content": content, "openid": openid}
    response = requests.post(sandbox.url + "/sandbox/comments", json=body, timeout=5)
    response.raise_for_status()
    return response.json()["user_comment_id"]


def wechat(sandbox, path, body):
    """Ask the sandbox directly, as WeChat's own admin would see it."""
    token = requests.post(
        sandbox.url + "/cgi-bin/stable_token",
        json={"grant_type": "client_credential", "appid": APPID, "secret": SECRET},
        timeout=5,
    ).json()["access_token"]
    return requests.post(sandbox.url + "/cgi-bin/" + path, params={"access_token": token}, json=body, timeout=5).json()


def listed(sandbox, push, index):
    return wechat(sandbox, "comment/list", {"msg_data_id": int(push.msg_data_id), "index": index, "count": 49})


def blacklisted(sandbox):
    return (wechat(sandbox, "tags/members/getblacklist", {"begin_openid": ""}).get("data") or {}).get("openid", [])
