"""Plain HTTP helpers of the WeChat client, free of wechatpy: kept sessions, token lifetimes, request bodies and
answers read defensively. `client.py` is their only user."""

import io
import os
import threading
from urllib.parse import parse_qs, urlsplit

import requests
from requests.cookies import RequestsCookieJar
from requests.hooks import default_hooks
from requests.structures import CaseInsensitiveDict

TOKEN_EARLY_SECONDS = 300  # stable tokens rotate 5 minutes before expiry (§1.2): cache for expires_in - 300


def token_ttl(expires_in):
    """Seconds to keep a stable token: `expires_in - 300`, never below a minute or half its life."""
    expires_in = int(expires_in)
    return max(1, expires_in - TOKEN_EARLY_SECONDS, min(60, expires_in // 2))


_sessions = threading.local()


class WeChatSession(requests.Session):
    """A requests session for WeChat's API: one host, no cookies, no auth, no per-call hooks.

    `Session.request` merges cookie jars, headers, parameters, hooks and the environment's settings on every
    call, then reads the answer's cookies; for an API that uses none of them that was about a fifth of a call's
    CPU (bench/wechat_push.py). Here a call prepares its URL, headers and body with requests' own code and goes
    to the same adapter (connection pool, timeouts, errors mapped to requests' exceptions), redirects included;
    a call that asks for anything else goes the usual way.
    """

    def request(self, method, url, params=None, data=None, headers=None, files=None, timeout=None, json=None, **rest):
        plain = isinstance(params, dict | None) and not (rest or self.cookies or self.auth or self.hooks["response"])
        if not plain:
            return super().request(
                method, url, params=params, data=data, headers=headers, files=files, timeout=timeout, json=json, **rest
            )
        merged = CaseInsensitiveDict(self.headers)
        merged.update(headers or {})
        prepared = requests.PreparedRequest()
        prepared.method = method.upper()
        prepared.prepare_url(url, {**self.params, **(params or {})})
        prepared.prepare_headers({name: value for name, value in merged.items() if value is not None})
        prepared.prepare_body(data or {}, files, json)
        prepared.hooks = default_hooks()
        settings = {"timeout": timeout, "verify": self.verify, "proxies": self.proxies, "cert": self.cert}
        response = self.get_adapter(prepared.url).send(prepared, stream=False, **settings)
        response.content  # noqa: B018 - read the answer, so the connection goes back to the pool
        if response.is_redirect:
            prepared._cookies = RequestsCookieJar()  # what requests' redirect handling expects of a request
            history = [response, *self.resolve_redirects(response, prepared, stream=False, **settings)]
            response = history.pop()
            response.history = history
        return response


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
        session = sessions[base_url] = WeChatSession()
        session.trust_env = False
        session.proxies = requests.utils.get_environ_proxies(base_url)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            session.verify = bundle
    return session


def used_token(exc):
    """The access_token a failed wechatpy request carried (so a refresh replaces exactly that one)."""
    url = getattr(getattr(exc, "request", None), "url", None) or ""
    return (parse_qs(urlsplit(url).query).get("access_token") or [None])[0]


def may_have_arrived(exc):
    """False only when the request surely never left: the connection was never made."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError):
        text = repr(exc)
        return not any(s in text for s in ("NewConnectionError", "Connection refused", "NameResolutionError"))
    return True


def named_file(image):
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


def as_str(value):
    return "" if value is None else str(value)


def as_id(value):
    """Numeric ids go out as JSON numbers (live answers and SPR use int64, §4.1); others unchanged."""
    text = as_str(value)
    return int(text) if text.isdigit() else value


def json_of(response):
    try:
        body = response.json() if response is not None else None
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
