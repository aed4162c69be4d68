"""The one module that talks to WeChat's API through wechatpy (STYLE.md practice 3).

`client_for(account)` gives a `ChannelClient`: a small facade over a wechatpy `WeChatClient` that
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
from wechatpy.exceptions import WeChatClientException, WeChatOAuthException
from wechatpy.oauth import WeChatOAuth
from wechatpy.session import SessionStorage

from wechat_channel import trust
from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors
from wechat_channel.wechat.errors import WeChatCallError
from wechat_channel.wechat.transport import (
    as_id,
    as_str,
    http_session,
    json_of,
    may_have_arrived,
    named_file,
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
MEDIA_ID_INVALID = 40007
CLIENTMSGID_EXISTS = 45065
UNKNOWN_API = 99999  # the sandbox's answer for a path it does not serve (HTTP 404)


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


class TimedOAuth(WeChatOAuth):
    """wechatpy's web authorization for one account: its API and authorize addresses (the sandbox's in the demo),
    and a timeout, which wechatpy leaves out."""

    def __init__(self, account, redirect_uri="", state=""):
        refusal = trust.refusal(account)
        if refusal:  # neither the secret nor a follower's browser goes to an address the site does not trust
            raise refusal
        super().__init__(account.appid, account.secret, redirect_uri, scope="snsapi_base", state=state)
        self.API_BASE_URL = account.base_url + "/"
        self.OAUTH_BASE_URL = account.authorize_base_url + "/connect/"
        self._http = http_session(self.API_BASE_URL)

    def _request(self, method, url_or_endpoint, **kwargs):
        kwargs.setdefault("timeout", get_conf("TIMEOUT"))
        return super()._request(method, url_or_endpoint, **kwargs)


class ChannelClient:
    """What the channel asks of WeChat for one account; every method raises `WeChatCallError` on failure."""

    def __init__(self, account):
        self.account = account
        self.api = StableTokenClient(account)

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

    # Media (§2).

    def upload_content_image(self, image):
        """Upload an `ImageFile` (jpg/png, < 1 MB) for article content; its WeChat URL."""
        return self.call("media/uploadimg", lambda: self.api.media.upload_image(named_file(image)))

    def add_cover(self, image):
        """Upload an `ImageFile` as permanent image material (≤ 10 MB); its media_id."""
        result = self.call("material/add_material", lambda: self.api.material.add("image", named_file(image)))
        return result["media_id"]

    # Drafts (§3).

    def add_draft(self, articles):
        """Create one draft of `articles` (all fields kept, unlike wechatpy's draft.add); its media_id."""
        return self.post("draft/add", {"articles": list(articles)})["media_id"]

    def get_draft(self, media_id):
        """The draft's `news_item` list, or None when WeChat no longer has it (40007)."""
        try:
            return self.post("draft/get", {"media_id": media_id}).get("news_item", [])
        except WeChatCallError as error:
            if error.code == MEDIA_ID_INVALID:
                return None
            raise

    def batchget_drafts(self, offset=0, count=20, no_content=1):
        return self.post("draft/batchget", {"offset": offset, "count": count, "no_content": no_content})

    def delete_draft(self, media_id):
        return self.post("draft/delete", {"media_id": media_id})

    # Publishing (§4).

    def submit_publish(self, media_id):
        """Submit a draft for publishing: `{"publish_id", "msg_data_id"}` as strings."""
        result = self.post("freepublish/submit", {"media_id": media_id})
        return {"publish_id": as_str(result.get("publish_id")), "msg_data_id": as_str(result.get("msg_data_id"))}

    def get_publish(self, publish_id):
        return self.post("freepublish/get", {"publish_id": as_id(publish_id)})

    def batchget_published(self, offset=0, count=20, no_content=1):
        return self.post("freepublish/batchget", {"offset": offset, "count": count, "no_content": no_content})

    # Mass send (§5).

    def send_to_all(self, media_id, clientmsgid):
        """Mass-send a draft to every follower: `{"msg_id", "msg_data_id", "duplicate"}`.

        The same `clientmsgid` within 24 h answers 45065 with the first send's msg_id: returned with
        duplicate=True, so asking again after a lost answer is how a caller learns what happened.
        """
        body = {
            "filter": {"is_to_all": True},
            "mpnews": {"media_id": media_id},
            "msgtype": "mpnews",
            "send_ignore_reprint": 0,
            "clientmsgid": clientmsgid,
        }
        try:
            result = self.post("message/mass/sendall", body)
        except WeChatCallError as error:
            existing = (getattr(error, "body", None) or {}).get("msg_id")
            if error.code == CLIENTMSGID_EXISTS and existing is not None:
                body = error.body
                return {"msg_id": as_str(existing), "msg_data_id": as_str(body.get("msg_data_id")), "duplicate": True}
            raise
        return {
            "msg_id": as_str(result.get("msg_id")),
            "msg_data_id": as_str(result.get("msg_data_id")),
            "duplicate": False,
        }

    def get_mass(self, msg_id):
        return self.post("message/mass/get", {"msg_id": as_id(msg_id)})

    def preview(self, media_id, towxname):
        """Send the draft to one WeChat ID for a look on a phone (≤ 100 a day)."""
        body = {"towxname": towxname, "mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
        return self.post("message/mass/preview", body)

    # Comments and the blacklist (§8): `index` is 0-based and `count` < 50, unlike wechatpy's defaults.

    def list_comments(self, msg_data_id, index, begin=0, count=49, comment_type=0):
        """One page of an article's comments: `{"total", "comment": [...]}`."""
        body = {"msg_data_id": as_id(msg_data_id), "index": index, "begin": begin, "count": count}
        return self.post("comment/list", {**body, "type": comment_type})

    def delete_comment(self, msg_data_id, index, user_comment_id):
        body = {"msg_data_id": as_id(msg_data_id), "index": index, "user_comment_id": user_comment_id}
        return self.post("comment/delete", body)

    def open_comments(self, msg_data_id, index):
        return self.post("comment/open", {"msg_data_id": as_id(msg_data_id), "index": index})

    def close_comments(self, msg_data_id, index):
        return self.post("comment/close", {"msg_data_id": as_id(msg_data_id), "index": index})

    def blacklist(self, openids):
        """Blacklist up to 20 followers of the account (verified accounts only: else 48001)."""
        return self.post("tags/members/batchblacklist", {"openid_list": list(openids)})

    def get_blacklist(self, begin_openid=""):
        """One page of blacklisted openids: `{"total", "count", "data": {"openid": [...]}, "next_openid"}`."""
        return self.post("tags/members/getblacklist", {"begin_openid": begin_openid})

    # Followers (A21): whether bound staff still follow, ≤ 100 openids a call.

    def user_info_batch(self, openids):
        """`user/info/batchget` for up to 100 openids: the `user_info_list` (each with `openid`, `subscribe` 0/1)."""
        body = {"user_list": [{"openid": openid, "lang": "zh_CN"} for openid in openids]}
        return self.post("user/info/batchget", body).get("user_info_list", [])

    # Web authorization (网页授权, snsapi_base): who a follower is, from the code WeChat hands the site.

    def oauth(self, redirect_uri="", state=""):
        return TimedOAuth(self.account, redirect_uri, state)

    def authorize_url(self, redirect_uri, state):
        """The `connect/oauth2/authorize` link a follower opens in WeChat; it comes back to `redirect_uri`."""
        return self.oauth(redirect_uri, state).authorize_url

    def openid_for_code(self, code):
        """The openid a web-authorization `code` stands for. Never retried: a code works once (40163)."""
        path = "sns/oauth2/access_token"
        api = self.oauth()
        try:
            return api.fetch_access_token(code)["openid"]
        except WeChatOAuthException as exc:
            if exc.errcode is None:
                status = getattr(exc.response, "status_code", None) or 0
                raise WeChatCallError(None, path, "", http_status=status) from exc
            raise WeChatCallError(int(exc.errcode), path, as_str(exc.errmsg)) from exc
        except requests.Timeout as exc:
            raise WeChatCallError(None, path, str(exc)[:500], reason=errors.TIMEOUT) from exc
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise WeChatCallError(None, path, str(exc)[:500], reason=errors.CONNECTION) from exc

    # Health.

    def check_token(self):
        """Whether this account can get a token and use it: `{"ok", ...}` with the classified error if not."""
        try:
            cached = bool(self.api.session.get(self.api.access_token_key))
            self.call("get_api_domain_ip", lambda: self.api.get("get_api_domain_ip"))
        except WeChatCallError as error:
            return {"ok": False, "cached": False, "error": error.as_dict(), "message": str(error)}
        return {"ok": True, "cached": cached, "error": None, "message": ""}

    def quota(self, cgi_path):
        """`openapi/quota/get` for `cgi_path` (e.g. "/cgi-bin/draft/add"): `{"daily_limit", "used", "remain"}`.

        None where the API is not served (the sandbox may not know it).
        """
        try:
            result = self.post("openapi/quota/get", {"cgi_path": cgi_path})
        except WeChatCallError as error:
            if error.http_status == 404 or error.code == UNKNOWN_API:
                return None
            raise
        return result.get("quota")


def client_for(account):
    """The `ChannelClient` of a `WeChatAccount`."""
    return ChannelClient(account)
