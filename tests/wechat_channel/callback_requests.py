"""Requests to the callback endpoint as WeChat makes them (WECHAT.md §6): signed, or signed and encrypted, for an
account whose secrets are in the environment (the `callback_env` fixture, tests/wechat_channel/conftest.py)."""

import time
import uuid
from urllib.parse import urlencode

from django.urls import reverse

from wechat_channel.models import WeChatAccount
from wechat_channel.sandbox import crypto

TOKEN = "callback-token"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OTHER_KEY = "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut"
APPID = "wx0123456789abcdef"
T0 = int(time.time())  # WeChat's CreateTime is near the server's clock (A14 keeps WeChat's time)


def make_account(slug="news", mode=WeChatAccount.CallbackMode.SAFE, appid=APPID, **fields):
    return WeChatAccount.objects.create(
        name=slug,
        slug=slug,
        appid=appid,
        secret_env="WECHAT_CB_SECRET",
        callback_token_env="WECHAT_CB_TOKEN",
        aes_key_env="WECHAT_CB_AES_KEY",
        callback_mode=mode,
        **fields,
    )


def url(slug="news", **query):
    return reverse("wechat_callback", args=[slug]) + ("?" + urlencode(query) if query else "")


def fresh():
    return str(int(time.time())), uuid.uuid4().hex[:10]


def plain_post(client, xml, slug="plain", token=TOKEN, timestamp=None, nonce=None, **extra):
    ts, n = fresh()
    query = crypto.plain_query(token, timestamp or ts, nonce or n)
    body = xml if isinstance(xml, bytes) else xml.encode()
    return client.post(url(slug, **query), data=body, content_type="text/xml", **extra)


def safe_request(xml, key=KEY, appid=APPID, token=TOKEN, timestamp=None):
    ts, n = fresh()
    return crypto.envelope(token, key, appid, xml, timestamp or ts, n)


def safe_post(client, xml, slug="news", **kwargs):
    body, query = safe_request(xml, **kwargs)
    return client.post(url(slug, **query), data=body.encode(), content_type="text/xml")


def message(body, sender="o_follower", created=T0, msg_type="event"):
    """A follower's message or event as WeChat words it, before signing: `created` is its CreateTime."""
    return (
        f"<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[{sender}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}</xml>"
    )
