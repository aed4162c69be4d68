"""Small factories for the channel's admin tests: accounts, pushes and their articles, built directly."""

import datetime
import itertools
import zoneinfo

from wechat_channel.models import Push, PushItem, WeChatAccount

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 12, 7, tzinfo=TZ)  # a working Monday of ISO week 2026-W50
WEEK = "2026-W50"
_appids = itertools.count(1)
SECRET_VALUE = "s3cr3t-value-never-shown-0123456789"  # in the environment; never on a page or in a log


def at(day, hour, minute=0):
    return MONDAY + datetime.timedelta(days=day, hours=hour, minutes=minute)


def make_account(**fields):
    n = next(_appids)
    values = {
        "name": f"校园{n}",
        "slug": f"campus-{n}",
        "appid": f"wx{n:016x}",
        "secret_env": "WECHAT_CAMPUS_SECRET",
        "callback_token_env": "WECHAT_CAMPUS_TOKEN",
        "aes_key_env": "WECHAT_CAMPUS_AES_KEY",
        "verified": True,
        **fields,
    }
    return WeChatAccount.objects.create(**values)


def form_data(account, **changes):
    """The account form as the admin posts it, with `changes` applied."""
    data = {
        "name": account.name,
        "slug": account.slug,
        "wechat_id": "raxy-wzvtc",
        "original_id": "",
        "appid": account.appid,
        "kind": account.kind,
        "verified": "on",
        "secret_env": account.secret_env,
        "callback_token_env": account.callback_token_env,
        "aes_key_env": account.aes_key_env,
        "callback_mode": account.callback_mode,
        "api_base_url": "",
        "delivery_mode": account.delivery_mode,
        "policy_scope": "default",
        "push_approved": "on",
        "preview_wxnames": "",
        "is_active": "on",
    }
    return {**data, **changes}


def make_push(account, slot, titles=("稿件",), state=Push.State.PLANNED, pages=None, **fields):
    push = Push.objects.create(account=account, slot=slot, state=state, **fields)
    for position, title in enumerate(titles):
        page = pages[position] if pages else None
        PushItem.objects.create(push=push, account=account, page=page, title=title, position=position)
    return push


def titles_of(push):
    return list(push.items.order_by("position").values_list("title", flat=True))


def refused(response):
    """Wagtail answers a refused admin request with 403, or a redirect home with "no permission" for a page."""
    return response.status_code == 403 or (response.status_code == 302 and response.url.rstrip("/") == "/admin")
