"""Access tokens for the WeChat client (WECHAT.md §1.2, §1.4): `cgi-bin/stable_token`, shared by every process.

wechatpy only knows `cgi-bin/token`; `StableTokenClient` fetches stable tokens instead, keeps them in Django's
cache (Redis in production) and refreshes them single-flight under a cache lock. `client.py` is the only user.
"""

import json
import os
import threading
import time
import uuid

import requests
from django.core.cache import cache
from wechatpy import WeChatClient
from wechatpy.session import SessionStorage

from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors
from wechat_channel.wechat.errors import WeChatCallError

CACHE_PREFIX = "wechat_channel:"
TOKEN_EARLY_SECONDS = 300  # stable tokens rotate 5 minutes before expiry (§1.2): cache for expires_in - 300
LOCK_SECONDS = 30  # a token fetch holding the lock longer than this is presumed dead
WAIT_FOR_FETCH_SECONDS = 10  # how long a loser of the refresh race waits for the winner's token
TOKEN_CODES = frozenset({40001, 40014, 41001, 42001})


class CacheSessionStorage(SessionStorage):
    """wechatpy's session seam over Django's cache (Redis in production), so every process shares one token."""

    def __init__(self, prefix=CACHE_PREFIX):
        self.prefix = prefix

    def key(self, key):
        return f"{self.prefix}{key}"

    def get(self, key, default=None):
        value = cache.get(self.key(key))
        return default if value is None else value

    def set(self, key, value, ttl=None):
        cache.set(self.key(key), value, ttl)

    def delete(self, key):
        cache.delete(self.key(key))

    def add(self, key, value, ttl):
        """Set only when absent; True for the caller that set it (the single-flight lock)."""
        return cache.add(self.key(key), value, ttl)


def token_ttl(expires_in):
    """Seconds to keep a stable token: `expires_in - 300`, never below a minute or half its life."""
    expires_in = int(expires_in)
    return max(1, expires_in - TOKEN_EARLY_SECONDS, min(60, expires_in // 2))


_sessions = threading.local()


def http_session(base_url):
    """This thread's HTTP session to `base_url`: kept, so its connections are reused across push steps.

    requests reads the proxy and CA variables of the environment on every request (about half a millisecond
    each); every call through this session goes to one host, so they are read once, when it is made.
    """
    sessions = getattr(_sessions, "by_url", None)
    if sessions is None:
        sessions = _sessions.by_url = {}
    session = sessions.get(base_url)
    if session is None:
        session = sessions[base_url] = requests.Session()
        session.trust_env = False
        session.proxies = requests.utils.get_environ_proxies(base_url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
    return session


class StableTokenClient(WeChatClient):
    """A wechatpy client for one account: stable tokens, shared through the cache, and no automatic retries."""

    def __init__(self, account):
        super().__init__(
            account.appid,
            account.secret,
            session=CacheSessionStorage(),
            timeout=get_conf("TIMEOUT"),
            auto_retry=False,  # ChannelClient refreshes once and resends once; wechatpy would never stop
        )
        self.API_BASE_URL = account.base_url + "/cgi-bin/"
        self._http = http_session(self.API_BASE_URL)

    @property
    def lock_key(self):
        return f"{self.appid}_access_token_lock"

    @property
    def access_token(self):
        return self.session.get(self.access_token_key) or self.refresh_token()

    def fetch_access_token(self):
        """wechatpy's hook: a token from `stable_token`, as wechatpy's result dict."""
        return {"access_token": self.refresh_token()}

    def refresh_token(self, stale=None):
        """The shared token, fetched by one process at a time; `stale` is a token WeChat just refused."""
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + WAIT_FOR_FETCH_SECONDS
        while True:
            token = self.session.get(self.access_token_key)
            if token and token != stale:
                return token
            if self.session.add(self.lock_key, owner, LOCK_SECONDS):
                try:
                    token = self.session.get(self.access_token_key)  # a winner that just finished
                    if token and token != stale:
                        return token
                    return self.fetch_stable_token()
                finally:
                    if self.session.get(self.lock_key) == owner:
                        self.session.delete(self.lock_key)
            if time.monotonic() > deadline:
                # The lock holder is stuck; normal-mode stable_token is idempotent, so fetching too is safe.
                return self.fetch_stable_token()
            time.sleep(0.05)

    def fetch_stable_token(self, force_refresh=False):
        """POST `cgi-bin/stable_token` and store the token for `expires_in - 300` s (§1.2)."""
        path = "stable_token"
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        if force_refresh:
            body["force_refresh"] = True
        try:
            response = self._http.post(
                self.API_BASE_URL + path, data=json.dumps(body).encode("utf-8"), timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise WeChatCallError(None, path, str(exc), reason=errors.TIMEOUT) from exc
        except requests.RequestException as exc:
            raise WeChatCallError(None, path, str(exc), reason=errors.CONNECTION) from exc
        if response.status_code >= 400:
            raise WeChatCallError(None, path, response.reason, http_status=response.status_code)
        try:
            result = response.json()
        except ValueError as exc:
            raise WeChatCallError(None, path, "not JSON", http_status=response.status_code) from exc
        if int(result.get("errcode") or 0) != 0:
            code = int(result["errcode"])
            # A refused token request is about credentials, not a stale token: never a "token" error here.
            kind = errors.PERMANENT if code in TOKEN_CODES else None
            raise WeChatCallError(code, path, result.get("errmsg", ""), kind=kind)
        token, expires_in = result["access_token"], int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, token, token_ttl(expires_in))
        self.session.set(self.access_token_expires_at_key, int(time.time()) + expires_in, token_ttl(expires_in))
        return token
