"""Fixtures of the channel's tests: a wechatpy client and accounts on the WeChat sandbox, the callback secrets, the
delivery settings, due pushes. The `sandbox` itself is in sandbox_fixture.py (a plugin of tests/conftest.py), the
plain helpers in sandbox_access.py."""

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse

from tests.wechat_channel.callback_requests import KEY, TOKEN
from tests.wechat_channel.pushes import due_push
from tests.wechat_channel.sandbox_access import APPID, SECRET, SITE_AES_KEY, SITE_CALLBACK_TOKEN, SandboxWeChatClient
from wechat_channel.models import Push, WeChatAccount


@pytest.fixture
def wechat_client(sandbox):
    return SandboxWeChatClient(sandbox.url, APPID, SECRET, timeout=5)


@pytest.fixture
def callback_env(monkeypatch):
    """The secrets of `callback_requests.make_account`'s accounts, in the environment as an operator sets them."""
    monkeypatch.setenv("WECHAT_CB_SECRET", "secret")
    monkeypatch.setenv("WECHAT_CB_TOKEN", TOKEN)
    monkeypatch.setenv("WECHAT_CB_AES_KEY", KEY)


@pytest.fixture
def account_for(sandbox, live_server, monkeypatch, settings, tmp_path):
    """A WeChat account of the given type on the sandbox, with its callbacks aimed at the live site."""
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    monkeypatch.setenv("WECHAT_CAMPUS_TOKEN", SITE_CALLBACK_TOKEN)
    monkeypatch.setenv("WECHAT_CAMPUS_AES_KEY", SITE_AES_KEY)

    def make(kind, verified):
        account = WeChatAccount.objects.create(
            name="校园",
            slug="campus",
            appid=APPID,
            kind=kind,
            verified=verified,
            api_base_url=sandbox.url,
            secret_env="WECHAT_CAMPUS_SECRET",
            callback_token_env="WECHAT_CAMPUS_TOKEN",
            aes_key_env="WECHAT_CAMPUS_AES_KEY",
        )
        callback_url = live_server.url + reverse("wechat_callback", args=[account.slug])
        requests.post(
            sandbox.url + "/sandbox/accounts",
            timeout=5,
            json={
                "appid": APPID,
                "kind": kind,
                "verified": verified,
                "callback_url": callback_url,
                "callback_token": SITE_CALLBACK_TOKEN,
                "encoding_aes_key": SITE_AES_KEY,
            },
        ).raise_for_status()
        return account

    return make


@pytest.fixture
def delivery_settings(settings, tmp_path, monkeypatch):
    """What the delivery tests run under: media in a temporary folder, short timeouts, polling at once."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WECHAT_CHANNEL = {
        **settings.WECHAT_CHANNEL,
        "TIMEOUT": 0.5,
        "RESULT_POLL_AFTER_SECONDS": 0,
        "CLAIM_LEASE_SECONDS": 60,
    }
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    cache.clear()


@pytest.fixture
def account(sandbox):
    return WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        kind="service",
        verified=True,
        api_base_url=sandbox.url,
        secret_env="WECHAT_CAMPUS_SECRET",
    )


@pytest.fixture
def push_of(account, article_factory, people):
    """A due push of `n` live articles in `mode`."""

    def make(n=2, mode=Push.Mode.MASS_SEND):
        return due_push(account, article_factory, people["dept_a"], n=n, mode=mode)

    return make
