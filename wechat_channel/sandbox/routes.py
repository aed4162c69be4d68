"""The route table: which path answers which method, whether it needs an access token, and how its body is read."""

import json
from dataclasses import dataclass

from wechat_channel.sandbox import errors

API_PREFIX = "/cgi-bin/"


@dataclass
class Request:
    """One parsed request as handlers see it; `data` is the JSON body for `body="json"` routes."""

    method: str
    path: str
    query: dict
    headers: dict
    raw: bytes = b""
    data: object = None
    token: object = None  # the IssuedToken for authenticated routes
    client_ip: str = ""  # the TCP peer address (IP whitelists, §1.5)
    fingerprint: str | None = None  # a short summary of the body for the call log (see Route.fingerprint)


@dataclass
class RawResponse:
    """A handler's non-JSON answer (downloaded media); `errcode` is what the call log records."""

    status: int
    content_type: str
    data: bytes
    errcode: int = 0

    @classmethod
    def plain_error(cls, body):
        """A JSON error body sent as `text/plain`, as WeChat's media download endpoints do (WECHAT.md §0)."""
        return cls(200, "text/plain", json.dumps(body, ensure_ascii=False).encode("utf-8"), body.get("errcode"))


@dataclass
class Route:
    path: str
    method: str  # "GET" or "POST"
    handler: object  # callable(sandbox, request) -> dict, or RawResponse for downloads
    auth: bool = True
    body: str = "json"  # "json", "raw" (handler reads request.raw, e.g. multipart) or "none"
    fingerprint: object = None  # callable(data) -> str, so the call log can tell duplicate POSTs apart
    plain_errors: bool = False  # media downloads send their error envelopes as text/plain


def fingerprint_of(route, request):
    """The route's fingerprint of a parsed JSON body, or None (never raises: the log must not break a call)."""
    if route.fingerprint is None or not isinstance(request.data, dict):
        return None
    try:
        return route.fingerprint(request.data)
    except Exception:  # noqa: BLE001 - any odd body just goes unfingerprinted
        return None


ROUTES: dict[str, Route] = {}


def api(path, method="POST", auth=True, body=None, fingerprint=None, plain_errors=False, prefix=API_PREFIX):
    """Register a handler for `/cgi-bin/<path>` (or `<prefix><path>`, e.g. `/sns/`); GET routes read no body."""

    def register(handler):
        full = prefix + path.strip("/")
        kind = body or ("none" if method == "GET" else "json")
        ROUTES[full] = Route(full, method, handler, auth, kind, fingerprint, plain_errors)
        return handler

    return register


def parse_body(route, request):
    """Apply the POST body rules (44002 empty, 47001 not JSON) whatever the Content-Type says."""
    if route.method != "POST" or route.body == "none":
        return
    if not request.raw.strip():
        raise errors.WeChatError(errors.EMPTY_POST_DATA)
    if route.body == "json":
        try:
            request.data = json.loads(request.raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise errors.WeChatError(errors.DATA_FORMAT_ERROR) from exc
        if not isinstance(request.data, dict):
            raise errors.WeChatError(errors.DATA_FORMAT_ERROR)


def check_method(route, method):
    if method != route.method:
        raise errors.WeChatError(errors.REQUIRE_GET if route.method == "GET" else errors.REQUIRE_POST)
