"""How tests reach the WeChat sandbox: its account's appid and secret, the live site's callback secrets, a
wechatpy client that fetches tokens from the sandbox, token and API calls over HTTP, and a wait for its threads.

Plain helpers; the fixtures built on them are `sandbox` (tests/wechat_channel/sandbox_fixture.py) and the
accounts and clients of tests/wechat_channel/conftest.py.
"""

import time

import requests
from wechatpy import WeChatClient

APPID = "wx1234567890abcdef"
SECRET = "sandbox-secret-0123456789abcdef"
# The live site's callback secrets for `account_for`'s accounts (the sandbox signs and encrypts with them).
SITE_CALLBACK_TOKEN = "site-callback-token"
SITE_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SHORT_SPACING = {"retry_pause": 0.05}  # seconds between event delivery attempts in tests (WeChat: 5)


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
