"""The sandbox draft box (WECHAT.md §3) driven through wechatpy: validation codes, sanitising, preview links."""

import requests

from tests.wechat_channel.sandbox.helpers import (
    JPEG,
    add_draft,
    article,
    content_image,
    control,
    errcode,
    logged,
    named,
    thumb_id,
)
from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient


def test_add_then_get_returns_the_article_with_a_working_preview_link(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    answer = wechat_client.draft.add([article(thumb, author="Reporter", content="<p>Hello <b>readers</b></p>")])
    assert set(answer) == {"media_id"}
    (item,) = wechat_client.draft.get(answer["media_id"])["news_item"]
    assert (item["title"], item["author"], item["thumb_media_id"]) == ("Title", "Reporter", thumb)
    assert item["content"] == "<p>Hello <b>readers</b></p>"
    assert item["digest"] == "Hello readers"  # single article without digest: the body's first 54 characters
    assert item["url"].startswith(sandbox.url + "/s?__biz=") and "tempkey=" in item["url"]
    page = requests.get(item["url"], timeout=5)
    assert page.status_code == 200 and "Hello <b>readers</b>" in page.text and "<title>Title</title>" in page.text


def test_content_is_sanitised_silently(sandbox, wechat_client):
    thumb, hosted = thumb_id(wechat_client), content_image(wechat_client)
    dirty = (
        f'<p onclick="steal()">Hi</p><script>alert(1)</script><style>p{{}}</style><link rel="x" href="y">'
        f'<img src="{hosted}"><img src="http://example.com/cat.png"><a href="javascript:alert(1)">x</a>'
        '<meta name="a" content="b"><a href="https://example.org/">ok</a>'
    )
    media_id = add_draft(wechat_client, article(thumb, content=dirty))
    content = wechat_client.draft.get(media_id)["news_item"][0]["content"]
    assert content == f'<p>Hi</p><img src="{hosted}"><a>x</a><a href="https://example.org/">ok</a>'


def test_validation_codes(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    add = wechat_client.draft.add
    assert errcode(add, []) == 44003
    assert errcode(add, [article(thumb)] * 9) == 45008
    assert len(add([article(thumb)] * 8)["media_id"]) == 64
    assert errcode(add, [article(thumb, title="标" * 33)]) == 45003  # the API page's 32 (WECHAT.md §12)
    assert "media_id" in add([article(thumb, title="标" * 32)])
    assert errcode(add, [article(thumb, title="")]) == 45003
    assert errcode(add, [article(thumb, author="a" * 17)]) == 45110
    assert errcode(add, [article(thumb, digest="d" * 129)]) == 45004
    assert errcode(add, [article(thumb, content="x" * 20_000)]) == 45002
    assert errcode(add, [article(thumb, content="")]) == 45002
    assert errcode(add, [article(thumb, content_source_url="http://e.com/" + "u" * 1011)]) == 45005
    assert errcode(add, [article("no-such-media-id")]) == 40007
    temporary = wechat_client.media.upload("image", named(JPEG, "temp.jpg"))
    if "media_id" in temporary:  # a temporary media_id is never a cover (§2.3)
        assert errcode(add, [article(temporary["media_id"])]) == 40007


def test_multi_article_drafts_drop_digests(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    media_id = add_draft(wechat_client, article(thumb, digest="one"), article(thumb, title="Second", digest="two"))
    items = wechat_client.draft.get(media_id)["news_item"]
    assert [(i["title"], i["digest"]) for i in items] == [("Title", ""), ("Second", "")]


def test_update_count_batchget_and_delete(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    media_id = add_draft(wechat_client, article(thumb), article(thumb, title="Second"))
    other = add_draft(wechat_client, article(thumb, title="Other"))
    ok = {"errcode": 0, "errmsg": "ok"}
    assert wechat_client.draft.update(media_id, 1, article(thumb, title="Second, revised")) == ok
    assert [i["title"] for i in wechat_client.draft.get(media_id)["news_item"]] == ["Title", "Second, revised"]
    assert errcode(wechat_client.draft.update, media_id, 2, article(thumb)) == 40114
    assert errcode(wechat_client.draft.update, "unknown", 0, article(thumb)) == 40007
    assert wechat_client.draft.count() == {"total_count": 2}
    page = wechat_client.draft.batchget(offset=0, count=20, no_content=1)
    assert (page["total_count"], page["item_count"]) == (2, 2)
    assert {i["media_id"] for i in page["item"]} == {media_id, other}
    assert all("content" not in n for i in page["item"] for n in i["content"]["news_item"])
    assert errcode(wechat_client.draft.batchget, offset=0, count=21) == 40002
    assert wechat_client.draft.delete(other) == ok
    assert errcode(wechat_client.draft.get, other) == 40007
    assert wechat_client.draft.count() == {"total_count": 1}


def test_drafts_belong_to_their_account(sandbox, wechat_client):
    control(sandbox, "accounts", {"appid": "wxother", "secret": "other-secret"})
    other = SandboxWeChatClient(sandbox.url, "wxother", "other-secret", timeout=5)
    media_id = add_draft(wechat_client, article(thumb_id(wechat_client)))
    assert errcode(other.draft.get, media_id) == 40007
    assert other.draft.count() == {"total_count": 0}


def test_call_log_fingerprints_draft_titles(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    wechat_client.draft.add([article(thumb, title="A"), article(thumb, title="B")])
    wechat_client.draft.add([article(thumb, title="A"), article(thumb, title="B")])
    calls = logged(sandbox, "/cgi-bin/draft/add", 2)
    assert [c["fingerprint"] for c in calls] == ["titles=A|B", "titles=A|B"]
    listed = control(sandbox, "calls", method="GET")["calls"]
    assert sum(c["fingerprint"] == "titles=A|B" for c in listed) == 2


def test_fault_plan_applies_to_draft_paths(sandbox, wechat_client):
    thumb = thumb_id(wechat_client)
    control(sandbox, "faults", {"paths": {"draft/add": {"system_error": 1.0}}})
    assert errcode(wechat_client.draft.add, [article(thumb)]) == -1
    assert wechat_client.draft.count() == {"total_count": 0}


def test_reset_forgets_drafts(sandbox, wechat_client):
    add_draft(wechat_client, article(thumb_id(wechat_client)))
    control(sandbox, "reset")
    client = SandboxWeChatClient(sandbox.url, APPID, SECRET, timeout=5)
    assert client.draft.count() == {"total_count": 0}
