"""The sandbox's web authorization, user information and follower control endpoints, over HTTP (A21 bindings)."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from tests.wechat_channel.sandbox_access import APPID, SECRET, stable_token, wait_for
from wechat_channel.sandbox.followers import default_openids, former_follower

REDIRECT = "http://site.example/wechat/bind/news/"
NEWCOMER = "oNewcomer000000000000000000A"


def authorize(sandbox, **overrides):
    query = {
        "appid": APPID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "snsapi_base",
        "state": "s-1",
        **overrides,
    }
    return requests.get(sandbox.url + "/connect/oauth2/authorize?" + urlencode(query), timeout=5)


def choose(sandbox, openid):
    """Open the authorize page, follow the follower's link; the code and state it redirects back with."""
    page = authorize(sandbox)
    link = re.search(rf'data-openid="{openid}" href="([^"]+)"', page.text).group(1)
    answer = requests.get(sandbox.url + unescape(link), allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location._replace(query="").geturl() == REDIRECT
    query = parse_qs(location.query)
    return query["code"][0], query["state"][0]


def exchange(sandbox, code, secret=SECRET):
    params = {"appid": APPID, "secret": secret, "code": code, "grant_type": "authorization_code"}
    return requests.get(sandbox.url + "/sns/oauth2/access_token", params=params, timeout=5).json()


def batchget(sandbox, openids):
    token = stable_token(sandbox)["access_token"]
    body = {"user_list": [{"openid": o, "lang": "zh_CN"} for o in openids]}
    return requests.post(
        sandbox.url + "/cgi-bin/user/info/batchget", params={"access_token": token}, json=body, timeout=5
    ).json()


def test_the_authorize_page_lists_followers_and_a_chosen_one_comes_back_with_a_single_use_code(sandbox):
    follower = default_openids(APPID)[0]
    page = authorize(sandbox)
    assert page.status_code == 200 and "authorize as follower" in page.text
    assert all(openid in page.text for openid in default_openids(APPID))

    code, state = choose(sandbox, follower)
    assert state == "s-1"
    answer = exchange(sandbox, code)
    assert answer["openid"] == follower and answer["scope"] == "snsapi_base" and answer["expires_in"] == 7200
    assert exchange(sandbox, code)["errcode"] == 40163  # a code works once


def test_invalid_expired_and_wrongly_authenticated_codes_are_refused(sandbox):
    assert exchange(sandbox, "no-such-code")["errcode"] == 40029
    code, _state = choose(sandbox, default_openids(APPID)[1])
    assert exchange(sandbox, code, secret="wrong")["errcode"] == 40125
    requests.post(sandbox.url + "/sandbox/clock", json={"advance": 301}, timeout=5)
    assert exchange(sandbox, code)["errcode"] == 40029  # five minutes, then it is gone


def test_unknown_appid_and_bad_redirect_uri_get_an_error_page(sandbox):
    unknown = authorize(sandbox, appid="wx00000000000000ff")
    bad_redirect = authorize(sandbox, redirect_uri="javascript:alert(1)")
    assert unknown.status_code == 400 and "appid" in unknown.text
    assert bad_redirect.status_code == 400 and "redirect_uri" in bad_redirect.text
    assert "code=" not in bad_redirect.headers.get("Location", "")


def test_someone_typed_in_is_known_to_user_info_and_follows_only_when_asked(sandbox):
    query = {"appid": APPID, "redirect_uri": REDIRECT, "response_type": "code", "scope": "snsapi_base"}
    url = sandbox.url + "/connect/oauth2/authorize/confirm?" + urlencode({**query, "openid": NEWCOMER})
    assert requests.get(url, allow_redirects=False, timeout=5).status_code == 302

    users = batchget(sandbox, [NEWCOMER, default_openids(APPID)[0]])["user_info_list"]
    assert [(u["openid"], u["subscribe"]) for u in users] == [(NEWCOMER, 0), (default_openids(APPID)[0], 1)]


def test_user_info_refuses_unknown_openids_and_oversized_batches(sandbox):
    assert batchget(sandbox, ["oNeverSeen00000000000000000A"])["errcode"] == 40003
    assert batchget(sandbox, default_openids(APPID) * 21)["errcode"] == 40032  # 105 > 100
    assert batchget(sandbox, [])["errcode"] == 40032


def test_a_follower_leaving_is_pushed_to_the_callback_and_seen_by_user_info(sandbox):
    leaver = default_openids(APPID)[2]
    left = requests.post(
        sandbox.url + "/sandbox/followers/unsubscribe",
        json={"appid": APPID, "openid": leaver, "wait": True},
        timeout=10,
    )
    assert left.status_code == 200 and left.json()["event"] == "unsubscribe"
    assert wait_for(lambda: sandbox.sandbox.notifier.as_list(event="unsubscribe"))
    delivery = sandbox.sandbox.notifier.as_list(event="unsubscribe")[0]
    assert f"<FromUserName><![CDATA[{leaver}]]></FromUserName>" in delivery["xml"]
    assert batchget(sandbox, [leaver])["user_info_list"][0]["subscribe"] == 0

    again = requests.post(
        sandbox.url + "/sandbox/followers/unsubscribe", json={"appid": APPID, "openid": leaver}, timeout=5
    )
    assert again.status_code == 400  # no longer a follower
    back = requests.post(
        sandbox.url + "/sandbox/followers/subscribe", json={"appid": APPID, "openid": leaver}, timeout=5
    )
    assert back.json()["event"] == "subscribe"
    assert batchget(sandbox, [leaver])["user_info_list"][0]["subscribe"] == 1


def test_every_account_knows_one_former_follower(sandbox):
    users = batchget(sandbox, [former_follower(APPID)])["user_info_list"]
    assert users == [{"subscribe": 0, "openid": former_follower(APPID), "tagid_list": []}]
    assert former_follower(APPID) not in default_openids(APPID)
