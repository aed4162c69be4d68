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


@dataclass
class Route:
    path: str
    method: str  # "GET" or "POST"
    handler: object  # callable(sandbox, request) -> dict
    auth: bool = True
    body: str = "json"  # "json", "raw" (handler reads request.raw, e.g. multipart) or "none"


ROUTES: dict[str, Route] = {}


def api(path, method="POST", auth=True, body=None):
    """Register a handler for `/cgi-bin/<path>`; GET routes read no body."""

    def register(handler):
        full = API_PREFIX + path.strip("/")
        ROUTES[full] = Route(full, method, handler, auth, body or ("none" if method == "GET" else "json"))
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
