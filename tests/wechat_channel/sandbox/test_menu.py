"""Custom menus against the live sandbox (WECHAT.md §7), through wechatpy's `client.menu`."""

import io
import json

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient, fetch_token

MENU = {
    "button": [
        {"type": "click", "name": "今日要闻", "key": "NEWS_TODAY"},
        {
            "name": "栏目",
            "sub_button": [
                {"type": "view", "name": "时政新闻", "url": "https://example.org/politics"},
                {"type": "click", "name": "点赞", "key": "LIKE"},
            ],
        },
    ]
}


def errcode_of(call):
    with pytest.raises(WeChatClientException) as exc:
        call()
    return exc.value.errcode


def create_code(client, buttons):
    return errcode_of(lambda: client.menu.create({"button": buttons}))


def click(name="新闻", key="K"):
    return {"type": "click", "name": name, "key": key}


def parent(subs, name="栏目"):
    return {"name": name, "sub_button": subs}


def test_round_trip_shows_sub_button_on_every_button(wechat_client):
    assert wechat_client.menu.get() is None  # 46003 `menu no exist`, which wechatpy turns into None
    assert wechat_client.menu.create(MENU) == {"errcode": 0, "errmsg": "ok"}
    menu = wechat_client.menu.get()["menu"]["button"]
    assert menu[0] == {"type": "click", "name": "今日要闻", "key": "NEWS_TODAY", "sub_button": []}
    assert menu[1]["name"] == "栏目" and "type" not in menu[1]
    assert [b["name"] for b in menu[1]["sub_button"]] == ["时政新闻", "点赞"]
    assert menu[1]["sub_button"][0]["url"] == "https://example.org/politics"


def test_what_get_returns_can_be_created_again(wechat_client):
    wechat_client.menu.create(MENU)
    fetched = wechat_client.menu.get()["menu"]
    wechat_client.menu.create(fetched)
    assert wechat_client.menu.get()["menu"] == fetched


def test_delete_then_get_is_46003(sandbox, wechat_client):
    wechat_client.menu.create(MENU)
    assert wechat_client.menu.delete() == {"errcode": 0, "errmsg": "ok"}
    token = fetch_token(sandbox)["access_token"]
    body = requests.get(sandbox.url + "/cgi-bin/menu/get", params={"access_token": token}, timeout=5).json()
    assert body["errcode"] == 46003 and body["errmsg"].startswith("menu no exist rid: ")


def test_selfmenu_info_nests_sub_buttons_under_list(wechat_client):
    assert wechat_client.menu.get_menu_info()["is_menu_open"] == 0
    wechat_client.menu.create(MENU)
    info = wechat_client.menu.get_menu_info()
    assert info["is_menu_open"] == 1
    top = info["selfmenu_info"]["button"]
    assert top[0] == {"type": "click", "name": "今日要闻", "key": "NEWS_TODAY"}
    assert [b["name"] for b in top[1]["sub_button"]["list"]] == ["时政新闻", "点赞"]


def test_menus_are_per_account(sandbox, wechat_client):
    sandbox.state.add_account("wx00000000000000aa", SECRET)
    other = SandboxWeChatClient(sandbox.url, "wx00000000000000aa", SECRET, timeout=5)
    wechat_client.menu.create(MENU)
    assert other.menu.get() is None


def test_reset_forgets_menus(sandbox, wechat_client):
    wechat_client.menu.create(MENU)
    requests.post(sandbox.url + "/sandbox/reset", timeout=5)
    fresh = SandboxWeChatClient(sandbox.url, APPID, SECRET, timeout=5)  # reset also forgot the old token
    assert fresh.menu.get() is None


def test_button_counts(wechat_client):
    assert create_code(wechat_client, []) == 40016
    assert create_code(wechat_client, [click(key=str(n)) for n in range(4)]) == 40016
    assert create_code(wechat_client, [parent([click(key=str(n)) for n in range(6)])]) == 40023
    wechat_client.menu.create({"button": [parent([click(key=str(n)) for n in range(5)])] * 3})


def test_top_name_limit_is_16_bytes_so_five_chinese_characters(wechat_client):
    wechat_client.menu.create({"button": [click("五个汉字啊")]})  # 15 bytes
    assert create_code(wechat_client, [click("六个汉字不行")]) == 40018  # 18 bytes, though only 6 characters
    wechat_client.menu.create({"button": [click("a" * 16)]})
    assert create_code(wechat_client, [click("a" * 17)]) == 40018
    assert create_code(wechat_client, [click("")]) == 40018


def test_sub_name_limit_is_60_bytes(wechat_client):
    wechat_client.menu.create({"button": [parent([click("二" * 20)])]})  # 60 bytes
    assert create_code(wechat_client, [parent([click("二" * 21)])]) == 40025


@pytest.mark.parametrize(
    ("button", "top_code", "sub_code"),
    [
        ({"type": "sing", "name": "x", "key": "k"}, 40017, 40024),
        ({"type": "click", "name": "x"}, 40019, 40026),
        ({"type": "click", "name": "x", "key": "k" * 129}, 40019, 40026),
        ({"type": "view", "name": "x"}, 40020, 40027),
        ({"type": "view", "name": "x", "url": "https://e.org/" + "a" * 1024}, 40020, 40027),
        ({"type": "view", "name": "x", "url": "javascript:alert(1)"}, 40055, 40054),
        ({"type": "media_id", "name": "x"}, 40007, 40007),
        ({"type": "media_id", "name": "x", "media_id": "not-a-material"}, 40007, 40007),
        ({"type": "article_id", "name": "x"}, 53600, 53600),
    ],
)
def test_leaf_rules_with_top_and_sub_codes(wechat_client, button, top_code, sub_code):
    assert create_code(wechat_client, [button]) == top_code
    assert create_code(wechat_client, [parent([button])]) == sub_code


def test_key_limit_is_bytes_and_128_fits(wechat_client):
    wechat_client.menu.create({"button": [click(key="k" * 128)]})
    assert create_code(wechat_client, [click(key="键" * 43)]) == 40019  # 129 bytes


def test_parent_with_type_is_rejected(wechat_client):
    assert create_code(wechat_client, [{"type": "click", "key": "k", **parent([click()])}]) == 40017


def test_media_id_button_accepts_a_permanent_material(wechat_client):
    jpeg = io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9")
    jpeg.name = "cover.jpg"
    media_id = wechat_client.material.add("thumb", jpeg)["media_id"]
    wechat_client.menu.create({"button": [{"type": "media_id", "name": "封面", "media_id": media_id}]})
    assert wechat_client.menu.get()["menu"]["button"][0]["media_id"] == media_id


def test_escaped_names_are_40033_but_utf8_passes(sandbox, wechat_client):
    token = fetch_token(sandbox)["access_token"]
    url = sandbox.url + "/cgi-bin/menu/create"
    escaped = json.dumps(MENU)  # ensure_ascii=True: 今日要闻 becomes \\u4eca\\u65e5...
    body = requests.post(url, params={"access_token": token}, data=escaped, timeout=5).json()
    assert body["errcode"] == 40033 and body["errmsg"].startswith("invalid charset")
    raw = json.dumps(MENU, ensure_ascii=False).encode("utf-8")
    assert requests.post(url, params={"access_token": token}, data=raw, timeout=5).json()["errcode"] == 0


def test_methods_follow_the_common_rules(sandbox):
    token = fetch_token(sandbox)["access_token"]
    res = requests.post(sandbox.url + "/cgi-bin/menu/get", params={"access_token": token}, data="{}", timeout=5)
    assert res.json()["errcode"] == 43001
    res = requests.get(sandbox.url + "/cgi-bin/menu/create", params={"access_token": token}, timeout=5)
    assert res.json()["errcode"] == 43002
