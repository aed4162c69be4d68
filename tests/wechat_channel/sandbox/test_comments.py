"""Comments against the live sandbox (WECHAT.md §8.1): wechatpy's `client.material.*_comment` calls, with
comments seeded through `POST /sandbox/comments` as followers would write them."""

import io
import json

import pytest
import requests
from django.core.management import CommandError, call_command
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient
from wechat_channel.sandbox.server import SandboxServer

MSG = 2247483650  # a msg_data_id registered by seeding, two articles long


def seed(sandbox, content="写得好", index=0, msg_data_id=MSG, article_count=2, **extra):
    body = {"appid": APPID, "msg_data_id": msg_data_id, "index": index, "content": content, **extra}
    if article_count is not None:
        body["article_count"] = article_count
    return requests.post(sandbox.url + "/sandbox/comments", json=body, timeout=5)


def seeded(sandbox, *contents, index=0):
    return [seed(sandbox, content, index=index).json()["user_comment_id"] for content in contents]


def listing(client, index=0, begin=0, count=49, type=0, msg_data_id=MSG):
    return client.material.list_comment(msg_data_id, index=index, begin=begin, count=count, type=type)


def errcode_of(call):
    with pytest.raises(WeChatClientException) as exc:
        call()
    return exc.value.errcode


def test_seeded_comments_are_listed_oldest_first(sandbox, wechat_client):
    first, second = seeded(sandbox, "第一条", "第二条")
    body = listing(wechat_client)
    assert (body["errcode"], body["total"]) == (0, 2)
    assert [(c["user_comment_id"], c["content"], c["comment_type"]) for c in body["comment"]] == [
        (first, "第一条", 0),
        (second, "第二条", 0),
    ]
    assert all(len(c["openid"]) == 28 and "reply" not in c for c in body["comment"])


def test_index_is_zero_based_and_per_article(sandbox, wechat_client):
    seeded(sandbox, "on the second article", index=1)
    assert listing(wechat_client, index=0)["total"] == 0
    assert [c["content"] for c in listing(wechat_client, index=1)["comment"]] == ["on the second article"]


def test_index_past_the_articles_or_unknown_msg_data_id_is_88001(sandbox, wechat_client):
    seeded(sandbox, "x")
    assert errcode_of(lambda: listing(wechat_client, index=2)) == 88001
    assert errcode_of(lambda: listing(wechat_client, msg_data_id=1)) == 88001


def test_wechatpy_defaults_miss_the_first_article_and_the_count_rule(sandbox, wechat_client):
    seed(sandbox, "x", article_count=1)
    assert errcode_of(lambda: wechat_client.material.list_comment(MSG, index=0)) == 88010  # count=50
    assert errcode_of(lambda: wechat_client.material.list_comment(MSG, count=49)) == 88001  # index=1


@pytest.mark.parametrize("count", [0, -1, 50, 100])
def test_count_outside_1_to_49_is_88010(sandbox, wechat_client, count):
    seeded(sandbox, "x")
    with pytest.raises(WeChatClientException) as exc:
        listing(wechat_client, count=count)
    assert exc.value.errcode == 88010
    assert exc.value.errmsg.startswith("count range error. cout <= 0 or count > 50 rid: ")


def test_paging_with_begin_and_count(sandbox, wechat_client):
    ids = seeded(sandbox, *[f"c{n}" for n in range(5)])
    page = listing(wechat_client, begin=3, count=2)
    assert page["total"] == 5 and [c["user_comment_id"] for c in page["comment"]] == ids[3:]


def test_elected_comments_and_list_types(sandbox, wechat_client):
    plain, chosen = seeded(sandbox, "plain", "chosen")
    assert wechat_client.material.markelect_comment(MSG, 0, chosen)["errcode"] == 0
    assert [c["user_comment_id"] for c in listing(wechat_client, type=2)["comment"]] == [chosen]
    assert [c["user_comment_id"] for c in listing(wechat_client, type=1)["comment"]] == [plain]
    assert [c["comment_type"] for c in listing(wechat_client, type=0)["comment"]] == [0, 1]
    wechat_client.material.unmarkelect_comment(MSG, 0, chosen)
    assert listing(wechat_client, type=2)["total"] == 0


def test_elected_limit_is_100_per_article(sandbox, wechat_client):
    ids = seeded(sandbox, *[f"c{n}" for n in range(101)])
    for user_comment_id in ids[:100]:
        wechat_client.material.markelect_comment(MSG, 0, user_comment_id)
    assert errcode_of(lambda: wechat_client.material.markelect_comment(MSG, 0, ids[100])) == 88003
    wechat_client.material.markelect_comment(MSG, 0, ids[0])  # re-electing an elected one is fine


def test_reply_once_then_delete_it(sandbox, wechat_client):
    (cid,) = seeded(sandbox, "问个问题")
    wechat_client.material.add_reply_comment(MSG, 0, cid, "谢谢关注")
    reply = listing(wechat_client)["comment"][0]["reply"]
    assert reply["content"] == "谢谢关注" and isinstance(reply["create_time"], int)
    assert errcode_of(lambda: wechat_client.material.add_reply_comment(MSG, 0, cid, "again")) == 88005
    wechat_client.material.delete_reply_comment(MSG, 0, cid)
    assert "reply" not in listing(wechat_client)["comment"][0]
    assert errcode_of(lambda: wechat_client.material.delete_reply_comment(MSG, 0, cid)) == 88009


def test_reply_length_is_1_to_600_characters(sandbox, wechat_client):
    (cid,) = seeded(sandbox, "x")
    assert errcode_of(lambda: wechat_client.material.add_reply_comment(MSG, 0, cid, "")) == 88007
    assert errcode_of(lambda: wechat_client.material.add_reply_comment(MSG, 0, cid, "长" * 601)) == 88007
    wechat_client.material.add_reply_comment(MSG, 0, cid, "长" * 600)


def test_deleted_or_unknown_comments_are_88008(sandbox, wechat_client):
    (cid,) = seeded(sandbox, "spam")
    wechat_client.material.delete_comment(MSG, 0, cid)
    assert listing(wechat_client)["total"] == 0
    for call in (
        lambda: wechat_client.material.delete_comment(MSG, 0, cid),
        lambda: wechat_client.material.markelect_comment(MSG, 0, cid),
        lambda: wechat_client.material.add_reply_comment(MSG, 0, 999, "hi"),
    ):
        assert errcode_of(call) == 88008


def test_closed_comments_are_88000_until_reopened(sandbox, wechat_client):
    (cid,) = seeded(sandbox, "x")
    assert wechat_client.material.close_comment(MSG, index=0)["errcode"] == 0
    assert errcode_of(lambda: listing(wechat_client)) == 88000
    assert errcode_of(lambda: wechat_client.material.add_reply_comment(MSG, 0, cid, "hi")) == 88000
    assert seed(sandbox, "late").status_code == 400  # followers cannot comment either
    assert listing(wechat_client, index=1)["total"] == 0  # the other article stays open
    wechat_client.material.open_comment(MSG, index=0)
    assert listing(wechat_client)["total"] == 1


def test_omitted_index_means_the_first_article(sandbox, wechat_client):
    seeded(sandbox, "x")
    body = wechat_client.post("comment/list", data={"msg_data_id": MSG, "begin": 0, "count": 10, "type": 0})
    assert body["total"] == 1


def test_comments_belong_to_the_seeding_account(sandbox, wechat_client):
    seeded(sandbox, "x")
    sandbox.state.add_account("wx00000000000000bb", SECRET)
    other = SandboxWeChatClient(sandbox.url, "wx00000000000000bb", SECRET, timeout=5)
    assert errcode_of(lambda: listing(other)) == 88001


def test_seed_control_endpoint(sandbox):
    res = seed(sandbox, "有 openid", openid="o" + "A" * 27)
    assert res.status_code == 200 and res.json() == {"user_comment_id": 1}
    assert seed(sandbox, "unknown msg_data_id", msg_data_id=7, article_count=None).status_code == 400
    assert seed(sandbox, "").status_code == 400
    assert seed(sandbox, "x", index=5).status_code == 400
    assert requests.post(sandbox.url + "/sandbox/comments", json={"appid": "wx-nope"}, timeout=5).status_code == 400


def test_reset_forgets_comments(sandbox, wechat_client):
    seeded(sandbox, "x")
    requests.post(sandbox.url + "/sandbox/reset", timeout=5)
    assert errcode_of(lambda: listing(wechat_client)) == 88001


def test_a_comment_seeded_with_an_earlier_create_time_keeps_it_and_a_future_one_is_refused(sandbox, wechat_client):
    assert seed(sandbox, "昨天的评论", create_time=1_700_000_000).status_code == 200
    assert [c["create_time"] for c in listing(wechat_client)["comment"]] == [1_700_000_000]
    refused = seed(sandbox, "明天的评论", create_time=4_000_000_000)
    assert refused.status_code == 400 and "create_time" in refused.json()["error"]


def test_the_command_starts_with_the_comments_of_a_file_and_refuses_a_bad_one(tmp_path, monkeypatch):
    # The sandbox keeps nothing across restarts: the demo's comments come back from its file each start.
    started = {}
    monkeypatch.setattr(
        SandboxServer, "serve_forever", lambda server: started.update(s=server) or server.httpd.server_close()
    )
    path = tmp_path / "comments.json"
    comments = [
        {
            "appid": APPID,
            "msg_data_id": "2000000042",
            "index": 1,
            "content": "写得好",
            "openid": "o" + "a" * 27,
            "create_time": 1_700_000_000,
        },
        {"appid": APPID, "msg_data_id": "2000000042", "index": 1, "content": "加微信办证"},
    ]
    articles = [
        {"appid": APPID, "msg_data_id": "2000000042", "article_count": 2},
        {"appid": APPID, "msg_data_id": "2000000043", "article_count": 1},  # no comments yet, but listable
    ]
    path.write_text(json.dumps({"articles": articles, "comments": comments}, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    call_command("wechat_sandbox", "--port", "0", "--account", f"{APPID}:{SECRET}", "--comments", str(path), stdout=out)
    article = started["s"].sandbox.comments.article("2000000042", 1)
    kept = [(c.content, c.openid, c.create_time) for c in article.comments.values()]
    assert kept[0] == ("写得好", "o" + "a" * 27, 1_700_000_000)
    assert kept[1][0] == "加微信办证"
    assert "2 follower comments" in out.getvalue()
    assert started["s"].sandbox.comments.registered_count(APPID, "2000000043") == 1

    path.write_text(json.dumps({"comments": [{"appid": APPID, "msg_data_id": "9", "content": "x"}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="comment 1: no such article"):
        call_command("wechat_sandbox", "--port", "0", "--account", f"{APPID}:{SECRET}", "--comments", str(path))
