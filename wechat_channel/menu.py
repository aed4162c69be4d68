"""The custom menu (自定义菜单, WECHAT.md §7): WeChat's limits on a menu, and reading and setting it.

The platform's rules live here with the channel, which owns the account; the site keeps only the approval of a
menu change (A6.4, `cms.menu_changes`). Names, keys and urls are measured in UTF-8 bytes, as WeChat counts them,
so a 16-byte top-level name holds five Chinese characters. `validate_menu` names every button WeChat would refuse
before WeChat sees the menu; the sandbox enforces the same limits on its own side (`sandbox/menu_api.py`).
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

MAX_BUTTONS = 3
MAX_SUB_BUTTONS = 5
MAX_TOP_NAME = 16  # bytes of UTF-8: five Chinese characters
MAX_SUB_NAME = 60
MAX_KEY = 128
MAX_URL = 1024
MENU_NO_EXIST = 46003

KEY_TYPES = (
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
)
MEDIA_TYPES = ("media_id", "view_limited")
ARTICLE_TYPES = ("article_id", "article_view_limited")
BUTTON_TYPES = ("view", *KEY_TYPES, "miniprogram", *MEDIA_TYPES, *ARTICLE_TYPES)
FIELDS = ("type", "name", "key", "url", "media_id", "article_id", "appid", "pagepath")


def _bytes(value):
    return len(value.encode("utf-8"))


def _label(position, name, parent=None):
    if parent is None:
        return _("Menu %(n)d “%(name)s”") % {"n": position, "name": name}
    return _("Sub-menu %(n)d “%(name)s” of menu %(parent)d") % {"n": position, "name": name, "parent": parent}


def _check_text(errors, label, field, value, limit, required):
    if not value:
        if required:
            errors.append(_("%(button)s needs a %(field)s.") % {"button": label, "field": field})
        return
    size = _bytes(value)
    if size > limit:
        errors.append(
            _("%(button)s: %(field)s is %(size)d bytes; WeChat allows at most %(limit)d bytes.")
            % {"button": label, "field": field, "size": size, "limit": limit}
        )


def _check_name(errors, label, name, limit):
    if not name:
        errors.append(_("%(button)s has no name.") % {"button": label})
        return
    size = _bytes(name)
    if size > limit:
        errors.append(
            _("%(button)s: the name is %(size)d bytes; WeChat allows at most %(limit)d bytes.")
            % {"button": label, "size": size, "limit": limit}
        )


def _check_leaf(errors, label, button):
    kind = button.get("type") or ""
    if kind not in BUTTON_TYPES:
        errors.append(
            _("%(button)s: “%(type)s” is not a button type WeChat accepts.") % {"button": label, "type": kind}
        )
        return
    _check_text(errors, label, "key", button.get("key"), MAX_KEY, required=kind in KEY_TYPES)
    url = button.get("url") or ""
    _check_text(errors, label, "url", url, MAX_URL, required=kind in ("view", "miniprogram"))
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.append(_("%(button)s: the url must start with http:// or https://.") % {"button": label})
    if kind == "miniprogram":
        for field in ("appid", "pagepath"):
            _check_text(errors, label, field, button.get(field), MAX_URL, required=True)
    if kind in MEDIA_TYPES:
        _check_text(errors, label, "media_id", button.get("media_id"), MAX_KEY, required=True)
    if kind in ARTICLE_TYPES:
        _check_text(errors, label, "article_id", button.get("article_id"), MAX_KEY, required=True)


def validate_menu(menu):
    """The list of reasons WeChat would refuse `menu` (`{"button": [...]}`), each naming the button; [] if none."""
    buttons = (menu or {}).get("button") or []
    errors = []
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        errors.append(
            _("A menu has 1 to %(max)d buttons; this one has %(count)d.") % {"max": MAX_BUTTONS, "count": len(buttons)}
        )
    for position, button in enumerate(buttons, start=1):
        name = button.get("name") or ""
        label = _label(position, name)
        _check_name(errors, label, name, MAX_TOP_NAME)
        subs = button.get("sub_button") or []
        if not subs:
            _check_leaf(errors, label, button)
            continue
        if button.get("type"):
            errors.append(_("%(button)s opens sub-menus, so it has no type of its own.") % {"button": label})
        if len(subs) > MAX_SUB_BUTTONS:
            errors.append(
                _("%(button)s has %(count)d sub-menus; WeChat allows at most %(max)d.")
                % {"button": label, "count": len(subs), "max": MAX_SUB_BUTTONS}
            )
        for sub_position, sub in enumerate(subs, start=1):
            sub_name = sub.get("name") or ""
            sub_label = _label(sub_position, sub_name, parent=position)
            _check_name(errors, sub_label, sub_name, MAX_SUB_NAME)
            _check_leaf(errors, sub_label, sub)
    return errors


def clean_menu(menu):
    """`menu` as WeChat wants it: known fields only, no empty values, `sub_button` only where there are some."""
    result = []
    for button in (menu or {}).get("button") or []:
        subs = [{field: sub[field] for field in FIELDS if sub.get(field)} for sub in button.get("sub_button") or []]
        if subs:
            result.append({"name": button.get("name", ""), "sub_button": subs})
        else:
            result.append({field: button[field] for field in FIELDS if button.get(field)})
    return {"button": result}


def current_menu(account):
    """The account's menu as `menu/get` reads it (`{"button": [...]}`); an empty menu when it has none (46003)."""
    try:
        result = client_for(account).menu.get()
    except WeChatCallError as error:
        if error.code == MENU_NO_EXIST:
            return {"button": []}
        raise
    return {"button": (result.get("menu") or {}).get("button") or []}


def create_menu(account, menu):
    """Set the account's menu (`menu/create`) to `menu`, cleaned to what WeChat wants; raises `WeChatCallError`."""
    return client_for(account).menu.create(clean_menu(menu))
