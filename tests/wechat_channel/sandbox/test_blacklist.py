"""Followers and the blacklist against the live sandbox (WECHAT.md §8.2), through wechatpy's `client.tag`."""

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient
from wechat_channel.sandbox.followers import default_openids


def openid(n):
    return f"oFollower{n:019d}"  # 28 characters, like a live openid


def followers(sandbox, appid=APPID):
    return requests.get(sandbox.url + "/sandbox/followers", params={"appid": appid}, timeout=5).json()["openids"]


def add_followers(sandbox, openids, appid=APPID):
    return requests.post(sandbox.url + "/sandbox/followers", json={"appid": appid, "openids": openids}, timeout=5)


def errcode_of(call):
    with pytest.raises(WeChatClientException) as exc:
        call()
    return exc.value.errcode


def test_every_account_starts_with_five_deterministic_followers(sandbox):
    openids = followers(sandbox)
    assert openids == default_openids(APPID) and len(openids) == 5
    assert all(len(o) == 28 and o.startswith("o") for o in openids)
    assert default_openids("wx00000000000000cc") != openids


def test_empty_blacklist(wechat_client):
    assert wechat_client.tag.get_black_list() == {"total": 0, "count": 0, "next_openid": ""}


def test_blacklist_round_trip(sandbox, wechat_client):
    first, second = followers(sandbox)[:2]
    assert wechat_client.tag.batch_black_list([first, second]) == {"errcode": 0, "errmsg": "ok"}
    body = wechat_client.tag.get_black_list()
    assert body == {"total": 2, "count": 2, "data": {"openid": [first, second]}, "next_openid": second}
    wechat_client.tag.batch_unblack_list([first])
    assert wechat_client.tag.get_black_list()["data"]["openid"] == [second]


def test_blacklisting_twice_lists_once(sandbox, wechat_client):
    first = followers(sandbox)[0]
    wechat_client.tag.batch_black_list([first])
    wechat_client.tag.batch_black_list([first])
    assert wechat_client.tag.get_black_list()["total"] == 1


def test_pages_of_1000_continue_from_next_openid(sandbox, wechat_client):
    many = [openid(n) for n in range(1020)]
    assert add_followers(sandbox, many).json() == {"appid": APPID, "count": 1025}
    for start in range(0, len(many), 20):
        wechat_client.tag.batch_black_list(many[start : start + 20])
    page = wechat_client.tag.get_black_list()
    assert (page["total"], page["count"], page["next_openid"]) == (1020, 1000, many[999])
    rest = wechat_client.tag.get_black_list(page["next_openid"])
    assert (rest["total"], rest["count"], rest["data"]["openid"]) == (1020, 20, many[1000:])
    assert wechat_client.tag.get_black_list(rest["next_openid"])["count"] == 0


def test_batch_size_is_1_to_20(sandbox, wechat_client):
    add_followers(sandbox, [openid(n) for n in range(21)])
    assert errcode_of(lambda: wechat_client.tag.batch_black_list([openid(n) for n in range(21)])) == 40032
    assert errcode_of(lambda: wechat_client.tag.batch_black_list([])) == 40032
    wechat_client.tag.batch_black_list([openid(n) for n in range(20)])


def test_malformed_openid_is_40003_and_nothing_changes(sandbox, wechat_client):
    good = followers(sandbox)[0]
    with pytest.raises(WeChatClientException) as exc:
        wechat_client.tag.batch_black_list([good, "not-an-openid"])
    assert exc.value.errcode == 40003 and exc.value.errmsg.startswith("invalid openid rid: ")
    assert wechat_client.tag.get_black_list()["total"] == 0


def test_someone_elses_follower_is_49003(sandbox, wechat_client):
    stranger = openid(1)  # well-formed, but follows nobody here
    assert errcode_of(lambda: wechat_client.tag.batch_black_list([stranger])) == 49003
    sandbox.state.add_account("wx00000000000000cc", SECRET)
    other = SandboxWeChatClient(sandbox.url, "wx00000000000000cc", SECRET, timeout=5)
    assert errcode_of(lambda: other.tag.batch_unblack_list([followers(sandbox)[0]])) == 49003


def test_unverified_accounts_get_48001(sandbox, wechat_client):
    sandbox.state.accounts[APPID].verified = False
    assert errcode_of(lambda: wechat_client.tag.batch_black_list([followers(sandbox)[0]])) == 48001
    assert errcode_of(wechat_client.tag.get_black_list) == 48001


def test_follower_control_rejects_malformed_openids(sandbox):
    assert add_followers(sandbox, ["short"]).status_code == 400
    assert add_followers(sandbox, [openid(1)], appid="wx-unknown").status_code == 400


def test_reset_forgets_the_blacklist_and_added_followers(sandbox, wechat_client):
    add_followers(sandbox, [openid(1)])
    wechat_client.tag.batch_black_list([openid(1)])
    requests.post(sandbox.url + "/sandbox/reset", timeout=5)
    assert followers(sandbox) == default_openids(APPID)
    assert wechat_client.tag.get_black_list()["total"] == 0
