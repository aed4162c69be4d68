"""Custom menu endpoints (WECHAT.md §7): `menu/create`, `menu/get`, `menu/delete`, `get_current_selfmenu_info`.

One menu per appid. Checks run top-level button by button, in the order WeChat lists its codes: 40033 for a
`\\uXXXX` escape in a name (checked on the raw body first), then counts, then per button name, type, key, url.
Names, keys and urls are measured in UTF-8 bytes, so a 16-byte top-level name holds five Chinese characters.
"""

import copy
import re
import threading
from urllib.parse import urlsplit

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.media import media_store
from wechat_channel.sandbox.routes import api

INVALID_MEDIA_ID = 40007
INVALID_CHARSET = 40033
MENU_NO_EXIST = 46003
ARTICLE_ID_INVALID = 53600

ERRMSGS = {
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40054: "invalid sub button url domain",
    40055: "invalid button url domain",
    INVALID_MEDIA_ID: "invalid media_id",
    INVALID_CHARSET: "invalid charset",
    MENU_NO_EXIST: "menu no exist",
    ARTICLE_ID_INVALID: "Article ID 无效",
}

KEY_TYPES = {
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
}
MEDIA_TYPES = {"media_id", "view_limited"}
ARTICLE_TYPES = {"article_id", "article_view_limited"}
BUTTON_TYPES = KEY_TYPES | MEDIA_TYPES | ARTICLE_TYPES | {"view", "miniprogram"}
FIELDS = ("type", "name", "key", "url", "media_id", "article_id", "appid", "pagepath")  # kept and returned

# A JSON string value of a "name" member that holds a \uXXXX escape (what `ensure_ascii=True` clients send).
ESCAPED_NAME = re.compile(rb'"name"\s*:\s*"(?:[^"\\]|\\.)*?\\u[0-9a-fA-F]{4}')


class Level:
    """Error codes and limits of one menu level: top-level buttons or sub-buttons."""

    def __init__(self, size, kind, name, key, url, domain, max_name, max_count):
        self.size, self.type, self.name, self.key, self.url, self.domain = size, kind, name, key, url, domain
        self.max_name = max_name
        self.max_count = max_count


TOP = Level(40016, 40017, 40018, 40019, 40020, 40055, max_name=16, max_count=3)
SUB = Level(40023, 40024, 40025, 40026, 40027, 40054, max_name=60, max_count=5)
MAX_KEY = 128
MAX_URL = 1024


def fail(code):
    return errors.WeChatError(code, ERRMSGS[code])


def _bytes(value):
    return len(value.encode("utf-8"))


class MenuBook:
    """The current menu of each appid, as `menu/get` returns it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.menus: dict[str, list] = {}

    def set(self, appid, buttons):
        with self.lock:
            self.menus[appid] = buttons

    def get(self, appid):
        with self.lock:
            buttons = self.menus.get(appid)
        return copy.deepcopy(buttons)

    def delete(self, appid):
        with self.lock:
            self.menus.pop(appid, None)


def _check_string(button, field, level_code, max_bytes, required):
    value = button.get(field)
    if value is None or value == "":
        if required:
            raise fail(level_code)
        return
    if not isinstance(value, str) or _bytes(value) > max_bytes:
        raise fail(level_code)


def _check_leaf(media, button, level):
    kind = button.get("type")
    if kind not in BUTTON_TYPES:
        raise fail(level.type)
    _check_string(button, "key", level.key, MAX_KEY, required=kind in KEY_TYPES)
    _check_string(button, "url", level.url, MAX_URL, required=kind in ("view", "miniprogram"))
    url = button.get("url")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise fail(level.domain)
    if kind == "miniprogram" and not (button.get("appid") and button.get("pagepath")):
        raise fail(level.type)
    if kind in MEDIA_TYPES:
        media_id = button.get("media_id")
        if not isinstance(media_id, str) or media.get(media_id) is None:
            raise fail(INVALID_MEDIA_ID)  # a permanent material of this account is required
    if kind in ARTICLE_TYPES and not (isinstance(button.get("article_id"), str) and button["article_id"]):
        raise fail(ARTICLE_ID_INVALID)


def _check_name(button, level):
    name = button.get("name")
    if not isinstance(name, str) or not name or _bytes(name) > level.max_name:
        raise fail(level.name)


def _normalised(button, subs):
    """The button as `menu/get` shows it: known fields only, and `sub_button` on every button."""
    out = {field: button[field] for field in FIELDS if field in button}
    out["sub_button"] = subs
    return out


def validate_menu(media, data):
    """Return the normalised button list of a `menu/create` body, or raise its WeChat error; `media` is the
    account's (`media_store`)."""
    buttons = data.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= TOP.max_count:
        raise fail(TOP.size)
    result = []
    for button in buttons:
        if not isinstance(button, dict):
            raise fail(TOP.type)
        _check_name(button, TOP)
        subs = button.get("sub_button") or []  # menu/get shows `"sub_button": []` on leaves; accept it back
        if not subs:
            _check_leaf(media, button, TOP)
            result.append(_normalised(button, []))
            continue
        if "type" in button:
            raise fail(TOP.type)  # a button with sub-buttons only opens them
        if not isinstance(subs, list) or len(subs) > SUB.max_count:
            raise fail(SUB.size)
        checked = []
        for sub in subs:
            if not isinstance(sub, dict) or sub.get("sub_button"):
                raise fail(SUB.type)  # menus nest two levels deep at most
            _check_name(sub, SUB)
            _check_leaf(media, sub, SUB)
            checked.append(_normalised(sub, []))
        result.append({"name": button["name"], "sub_button": checked})
    return result


@api("menu/create", method="POST")
def create(sandbox, request):
    if ESCAPED_NAME.search(request.raw):
        raise fail(INVALID_CHARSET)
    buttons = validate_menu(media_store(sandbox, request.token.appid), request.data)
    sandbox.menus.set(request.token.appid, buttons)
    return errors.envelope(errors.OK)


@api("menu/get", method="GET")
def get(sandbox, request):
    buttons = sandbox.menus.get(request.token.appid)
    if buttons is None:
        raise fail(MENU_NO_EXIST)
    return {"menu": {"button": buttons}}


@api("menu/delete", method="GET")
def delete(sandbox, request):
    sandbox.menus.delete(request.token.appid)
    return errors.envelope(errors.OK)


def _selfmenu_button(button):
    subs = button.get("sub_button") or []
    if subs:
        leaves = [{k: v for k, v in sub.items() if k != "sub_button"} for sub in subs]
        return {"name": button["name"], "sub_button": {"list": leaves}}
    return {k: v for k, v in button.items() if k != "sub_button"}


@api("get_current_selfmenu_info", method="GET")
def selfmenu_info(sandbox, request):
    """The menu in the shape of the 'current self-menu' API: sub-buttons under `{"list": [...]}`."""
    buttons = sandbox.menus.get(request.token.appid)
    if buttons is None:
        return {"is_menu_open": 0, "selfmenu_info": {"button": []}}
    return {"is_menu_open": 1, "selfmenu_info": {"button": [_selfmenu_button(b) for b in buttons]}}
