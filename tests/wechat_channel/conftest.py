"""Fixtures for the WeChat sandbox: a live server on an ephemeral port and a wechatpy client pointed at it."""

import time

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse
from wechatpy import WeChatClient

from tests.wechat_channel.callback_requests import KEY, TOKEN
from tests.wechat_channel.pushes import due_push
from wechat_channel.models import Push, WeChatAccount
from wechat_channel.sandbox.server import SandboxServer
from wechat_channel.sandbox.state import Clock

APPID = "wx1234567890abcdef"
SECRET = "sandbox-secret-0123456789abcdef"
# The live site's callback secrets for `account_for`'s accounts (the sandbox signs and encrypts with them).
SITE_CALLBACK_TOKEN = "site-callback-token"
SITE_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SHORT_SPACING = {"retry_pause": 0.05}  # seconds between event delivery attempts in tests (WeChat: 5)


@pytest.fixture
def sandbox():
    """A SandboxServer with one account and a frozen clock, serving on 127.0.0.1 from a background thread.

    Failed event deliveries are retried 0.05 s apart instead of WeChat's 5 s, so tests stay fast.
    """
    server = SandboxServer(
        port=0, seed=7, accounts={APPID: SECRET}, clock=Clock(frozen=True), publishing=SHORT_SPACING
    ).start()
    yield server
    server.stop()


class SandboxWeChatClient(WeChatClient):
    """wechatpy 2.0.0a26 hardcodes https://api.weixin.qq.com/cgi-bin/token in fetch_access_token,
    so API_BASE_URL alone does not reach the sandbox for token fetches."""

    def __init__(self, base_url, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.API_BASE_URL = base_url + "/cgi-bin/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


@pytest.fixture
def wechat_client(sandbox):
    return SandboxWeChatClient(sandbox.url, APPID, SECRET, timeout=5)


def fetch_token(sandbox, appid=APPID, secret=SECRET):
    return requests.get(
        sandbox.url + "/cgi-bin/token",
        params={"grant_type": "client_credential", "appid": appid, "secret": secret},
        timeout=5,
    ).json()


def stable_token(sandbox, force_refresh=False):
    body = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": force_refresh}
    return requests.post(sandbox.url + "/cgi-bin/stable_token", json=body, timeout=5).json()


def call_api(sandbox, token, timeout=5):
    params = {} if token is None else {"access_token": token}
    return requests.get(sandbox.url + "/cgi-bin/get_api_domain_ip", params=params, timeout=timeout)


def wait_for(predicate, seconds=5):
    """Poll `predicate` until it holds or `seconds` pass (the sandbox works in its own threads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


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
