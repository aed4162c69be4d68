"""Fixtures for the WeChat sandbox: a live server on an ephemeral port and a wechatpy client pointed at it."""

import time

import pytest
import requests
from wechatpy import WeChatClient

from wechat_channel.sandbox.server import SandboxServer
from wechat_channel.sandbox.state import Clock

APPID = "wx1234567890abcdef"
SECRET = "sandbox-secret-0123456789abcdef"
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
