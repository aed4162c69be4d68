"""The one module that talks to WeChat's API through wechatpy (STYLE.md practice 3); its tokens are `tokens.py`'s.

`client_for(account)` gives a `ChannelClient`: a small facade over a wechatpy `WeChatClient` that
- fetches tokens from `cgi-bin/stable_token` (wechatpy only knows `cgi-bin/token`, WECHAT.md §1.2, §1.4),
- keeps the token in Django's cache so every process shares it, refreshed single-flight under a cache lock,
- refreshes at most once per call on 40001/40014/41001/42001 (wechatpy would loop forever, §1.4),
- retries -1 and transport failures a bounded number of times, except where a lost answer may hide a
  completed send (`draft/add`, `freepublish/submit`, `message/mass/sendall`): those raise `lost=True`,
- turns every failure into a `WeChatCallError` that says what it means and what to do.
"""

import io
import logging
import time
from urllib.parse import parse_qs, urlsplit

import requests
from wechatpy.exceptions import WeChatClientException, WeChatOAuthException
from wechatpy.oauth import WeChatOAuth

from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors
from wechat_channel.wechat.errors import WeChatCallError
from wechat_channel.wechat.tokens import StableTokenClient, http_session

logger = logging.getLogger(__name__)

RETRY_BACKOFF_SECONDS = 0.5  # first pause between in-call retries, doubled each time

# A timeout here may hide a draft created, a publish submitted or a mass send started (§3.2, §4.1, §5).
NOT_IDEMPOTENT = frozenset({"draft/add", "freepublish/submit", "message/mass/sendall"})
# Only these are worth retrying within one call; quota errors (45011, 53501) wait for the task's backoff.
RETRY_IN_CALL = frozenset({-1, errors.TIMEOUT, errors.CONNECTION, errors.HTTP})
MEDIA_ID_INVALID = 40007
CLIENTMSGID_EXISTS = 45065
UNKNOWN_API = 99999  # the sandbox's answer for a path it does not serve (HTTP 404)


def _used_token(exc):
    """The access_token a failed wechatpy request carried (so a refresh replaces exactly that one)."""
    url = getattr(getattr(exc, "request", None), "url", None) or ""
    return (parse_qs(urlsplit(url).query).get("access_token") or [None])[0]


def _may_have_arrived(exc):
    """False only when the request surely never left: the connection was never made."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        text = repr(exc)
        return not any(s in text for s in ("NewConnectionError", "Connection refused", "NameResolutionError"))
    return True


def _named_file(image):
    """A fresh file object with an ASCII name whose extension matches its bytes (§2.4: 40005, 41005)."""
    data = image.data
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        ext = "png"
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        ext = "gif"
    elif data[:2] == b"BM":
        ext = "bmp"
    else:
        ext = "jpg"
    stream = io.BytesIO(data)
    stream.name = f"image.{ext}"
    return stream


def _as_str(value):
    return "" if value is None else str(value)


def _as_id(value):
    """Numeric ids go out as JSON numbers (live answers and SPR use int64, §4.1); others unchanged."""
    text = _as_str(value)
    return int(text) if text.isdigit() else value


class TimedOAuth(WeChatOAuth):
    """wechatpy's web authorization for one account: its API and authorize addresses (the sandbox's in the demo),
    and a timeout, which wechatpy leaves out."""

    def __init__(self, account, redirect_uri="", state=""):
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
                    self.api.refresh_token(stale=_used_token(exc))
                    continue
            except requests.RequestException as exc:
                reason = errors.TIMEOUT if isinstance(exc, requests.Timeout) else errors.CONNECTION
                unsent = not _may_have_arrived(exc)
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
        error = WeChatCallError(int(exc.errcode), path, _as_str(exc.errmsg))
        error.body = _json_of(response)
        return error

    def post(self, path, data, idempotent=None, **kwargs):
        return self.call(path, lambda: self.api.post(path, data=data, **kwargs), idempotent=idempotent)

    # Media (§2).

    def upload_content_image(self, image):
        """Upload an `ImageFile` (jpg/png, < 1 MB) for article content; its WeChat URL."""
        return self.call("media/uploadimg", lambda: self.api.media.upload_image(_named_file(image)))

    def add_cover(self, image):
        """Upload an `ImageFile` as permanent image material (≤ 10 MB); its media_id."""
        result = self.call("material/add_material", lambda: self.api.material.add("image", _named_file(image)))
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
        return {"publish_id": _as_str(result.get("publish_id")), "msg_data_id": _as_str(result.get("msg_data_id"))}

    def get_publish(self, publish_id):
        return self.post("freepublish/get", {"publish_id": _as_id(publish_id)})

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
                return {"msg_id": _as_str(existing), "msg_data_id": _as_str(body.get("msg_data_id")), "duplicate": True}
            raise
        return {
            "msg_id": _as_str(result.get("msg_id")),
            "msg_data_id": _as_str(result.get("msg_data_id")),
            "duplicate": False,
        }

    def get_mass(self, msg_id):
        return self.post("message/mass/get", {"msg_id": _as_id(msg_id)})

    def preview(self, media_id, towxname):
        """Send the draft to one WeChat ID for a look on a phone (≤ 100 a day)."""
        body = {"towxname": towxname, "mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
        return self.post("message/mass/preview", body)

    # Comments and the blacklist (§8): `index` is 0-based and `count` < 50, unlike wechatpy's defaults.

    def list_comments(self, msg_data_id, index, begin=0, count=49, comment_type=0):
        """One page of an article's comments: `{"total", "comment": [...]}`."""
        body = {"msg_data_id": _as_id(msg_data_id), "index": index, "begin": begin, "count": count}
        return self.post("comment/list", {**body, "type": comment_type})

    def delete_comment(self, msg_data_id, index, user_comment_id):
        body = {"msg_data_id": _as_id(msg_data_id), "index": index, "user_comment_id": user_comment_id}
        return self.post("comment/delete", body)

    def open_comments(self, msg_data_id, index):
        return self.post("comment/open", {"msg_data_id": _as_id(msg_data_id), "index": index})

    def close_comments(self, msg_data_id, index):
        return self.post("comment/close", {"msg_data_id": _as_id(msg_data_id), "index": index})

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
            raise WeChatCallError(int(exc.errcode), path, _as_str(exc.errmsg)) from exc
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


def _json_of(response):
    try:
        body = response.json() if response is not None else None
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def client_for(account):
    """The `ChannelClient` of a `WeChatAccount`."""
    return ChannelClient(account)
