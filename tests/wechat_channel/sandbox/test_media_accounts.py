"""Media ids belong to the account that uploaded them (issue 12, item 3; WECHAT.md §12: the official 素材管理 pages
describe every call on one account's access_token, and another account's media_id is 40007 "invalid media_id").

Two accounts in one sandbox: the second may not read, delete, list, count, use as a draft cover or put in a menu
what the first uploaded; the first keeps all of it. Image URLs stay public, as mmbiz.qpic.cn's are.
"""

import pytest
import requests

from tests.wechat_channel.sandbox.helpers import JPEG, errcode, named
from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient
from wechat_channel.sandbox.server import SandboxServer
from wechat_channel.sandbox.state import Clock

OTHER_APPID, OTHER_SECRET = "wx00000000000000b2", "other-sandbox-secret"


@pytest.fixture
def two_accounts():
    server = SandboxServer(
        port=0, seed=7, accounts={APPID: SECRET, OTHER_APPID: OTHER_SECRET}, clock=Clock(frozen=True)
    ).start()
    first = SandboxWeChatClient(server.url, APPID, SECRET, timeout=5)
    second = SandboxWeChatClient(server.url, OTHER_APPID, OTHER_SECRET, timeout=5)
    yield server, first, second
    server.stop()


def article(thumb_media_id):
    return {"title": "运动会", "content": "<p>正文</p>", "thumb_media_id": thumb_media_id}


def test_another_accounts_material_is_unknown_here(two_accounts):
    _server, first, second = two_accounts
    uploaded = first.material.add("image", named(JPEG, "cover.jpg"))
    media_id = uploaded["media_id"]

    assert errcode(lambda: second.material.get(media_id)) == 40007
    assert errcode(lambda: second.material.delete(media_id)) == 40007
    assert second.material.batchget("image")["total_count"] == 0
    assert second.material.get_count()["image_count"] == 0
    assert errcode(lambda: second.draft.add([article(media_id)])) == 40007  # not a cover of this account
    menu = {"button": [{"type": "media_id", "name": "封面", "media_id": media_id}]}
    assert errcode(lambda: second.menu.create(menu)) == 40007

    # The owner still has it, can use it, and its URL answers anyone (a CDN URL).
    assert first.material.batchget("image")["total_count"] == 1
    assert first.draft.add([article(media_id)])["media_id"]
    assert requests.get(uploaded["url"], timeout=5).content == JPEG
    first.material.delete(media_id)
    assert first.material.get_count()["image_count"] == 0


def test_temporary_media_are_per_account_too(two_accounts):
    _server, first, second = two_accounts
    media_id = first.media.upload("image", named(JPEG, "temp.jpg"))["media_id"]
    assert errcode(lambda: second.media.download(media_id).raise_for_status()) == 40007
    assert first.media.download(media_id).content == JPEG
