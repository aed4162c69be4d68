"""The one module that talks to WeChat's API through wechatpy (STYLE.md practice 3).

`client_for(account)` gives a `ChannelClient`: a small facade over a wechatpy `WeChatClient`, with one attribute
per API area (`client.drafts`, `client.publishing`, `client.mass`…: `wechat_channel/wechat/api/`), that
- fetches tokens from `cgi-bin/stable_token` (wechatpy only knows `cgi-bin/token`, WECHAT.md §1.2, §1.4),
- keeps the token in Django's cache so every process shares it, refreshed single-flight under a cache lock,
- refreshes at most once per call on 40001/40014/41001/42001 (wechatpy would loop forever, §1.4),
- retries -1 and transport failures a bounded number of times, except where a lost answer may hide a
  completed send (`draft/add`, `freepublish/submit`, `message/mass/sendall`): those raise `lost=True`,
- turns every failure into a `WeChatCallError` that says what it means and what to do,
- sends nothing for an account that names a variable or an address `trust` refuses (`trust.UntrustedAccount`).
"""

import json
import logging
import time
import uuid

import requests
from django.core.cache import cache
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from wechat_channel import trust
from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors
from wechat_channel.wechat.api.comments import Comments
from wechat_channel.wechat.api.drafts import Drafts
from wechat_channel.wechat.api.followers import Followers
from wechat_channel.wechat.api.health import Health
from wechat_channel.wechat.api.mass import MassSend
from wechat_channel.wechat.api.media import Media
from wechat_channel.wechat.api.menu import Menu
from wechat_channel.wechat.api.publishing import Publishing
from wechat_channel.wechat.api.web_auth import WebAuth
from wechat_channel.wechat.errors import WeChatCallError
from wechat_channel.wechat.transport import (
    as_str,
    http_session,
    json_of,
    may_have_arrived,
    token_ttl,
    used_token,
)

logger = logging.getLogger(__name__)

CACHE_PREFIX = "wechat_channel:"
LOCK_SECONDS = 30  # a token fetch holding the lock longer than this is presumed dead
WAIT_FOR_FETCH_SECONDS = 10  # how long a loser of the refresh race waits for the winner's token
RETRY_BACKOFF_SECONDS = 0.5  # first pause between in-call retries, doubled each time

# A timeout here may hide a draft created, a publish submitted or a mass send started (§3.2, §4.1, §5).
NOT_IDEMPOTENT = frozenset({"draft/add", "freepublish/submit", "message/mass/sendall"})
# Only these are worth retrying within one call; quota errors (45011, 53501) wait for the task's backoff.
RETRY_IN_CALL = frozenset({-1, errors.TIMEOUT, errors.CONNECTION, errors.HTTP})
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


class StableTokenClient(WeChatClient):
    """A wechatpy client for one account: stable tokens, shared through the cache, and no automatic retries."""

    def __init__(self, account):
        self.refusal = trust.refusal(account)
        super().__init__(
            account.appid,
            "" if self.refusal else account.secret,
            session=CacheSessionStorage(),
            timeout=get_conf("TIMEOUT"),
            auto_retry=False,  # ChannelClient refreshes once and resends once; wechatpy would never stop
        )
        self.API_BASE_URL = account.base_url + "/cgi-bin/"
        self._http = http_session(self.API_BASE_URL)

    def _request(self, method, url_or_endpoint, **kwargs):
        # Every API call passes here: a cached token goes to an untrusted host no more than the secret does.
        if self.refusal:
            raise self.refusal
        return super()._request(method, url_or_endpoint, **kwargs)

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
        if self.refusal:
            raise self.refusal
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


class ChannelClient:
    """What the channel asks of WeChat for one account; every method raises `WeChatCallError` on failure."""

    def __init__(self, account):
        self.account = account
        self.api = StableTokenClient(account)
        self.media = Media(self)
        self.drafts = Drafts(self)
        self.publishing = Publishing(self)
        self.mass = MassSend(self)
        self.comments = Comments(self)
        self.followers = Followers(self)
        self.web_auth = WebAuth(self)
        self.health = Health(self)
        self.menu = Menu(self)

    # The call discipline.

    def call(self, path, send, idempotent=None):
        """Run `send()` (one wechatpy request) with one token refresh and bounded retries; return its result.

        A call that is not idempotent is retried only when its request surely never left (a failed token
        fetch, a refused connection); an answer that may be lost raises `lost=True`, any other failure at once.
        """
        idempotent = path not in NOT_IDEMPOTENT if idempotent is None else idempotent
        refreshed = False
        retries = 0
        while True:
            try:
                return send()
            except WeChatCallError as error:  # from a token fetch: the request itself was never sent
                failure, unsent = error, True
            except WeChatClientException as exc:
                failure, unsent = self._classified(path, exc, idempotent), False
                if failure.kind == errors.TOKEN and not refreshed:
                    refreshed = True
                    self.api.refresh_token(stale=used_token(exc))
                    continue
            except requests.RequestException as exc:
                reason = errors.TIMEOUT if isinstance(exc, requests.Timeout) else errors.CONNECTION
                unsent = not may_have_arrived(exc)
                lost = not idempotent and not unsent
                failure = WeChatCallError(None, path, str(exc)[:500], lost=lost, reason=reason)
            key = failure.code if failure.code is not None else failure.reason
            retry = key in RETRY_IN_CALL and failure.kind == errors.RETRYABLE and not failure.lost
            if not retry or not (idempotent or unsent) or retries >= get_conf("CALL_RETRIES"):
                raise failure
            retries += 1
            logger.info("WeChat %s failed (%s); retry %s", path, key, retries)
            time.sleep(RETRY_BACKOFF_SECONDS * 2 ** (retries - 1))

    def _classified(self, path, exc, idempotent=True):
        response = getattr(exc, "response", None)
        if exc.errcode is None:
            status = getattr(response, "status_code", None) or 0
            lost = not idempotent and status >= 500  # a gateway error may hide a completed send
            return WeChatCallError(None, path, getattr(response, "reason", "") or "", http_status=status, lost=lost)
        error = WeChatCallError(int(exc.errcode), path, as_str(exc.errmsg))
        error.body = json_of(response)
        return error

    def post(self, path, data, idempotent=None, **kwargs):
        return self.call(path, lambda: self.api.post(path, data=data, **kwargs), idempotent=idempotent)


def client_for(account):
    """The `ChannelClient` of a `WeChatAccount`."""
    return ChannelClient(account)
