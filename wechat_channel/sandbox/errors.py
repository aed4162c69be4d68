"""WeChat error codes and their exact errmsgs (WECHAT.md §1.3, §9), and the HTTP-200 envelope."""

import secrets

OK = 0
SYSTEM_ERROR = -1
INVALID_CREDENTIAL = 40001
INVALID_GRANT_TYPE = 40002
INVALID_APPID = 40013
INVALID_ACCESS_TOKEN = 40014
INVALID_APPSECRET = 40125
ACCESS_TOKEN_MISSING = 41001
APPID_MISSING = 41002
APPSECRET_MISSING = 41004
ACCESS_TOKEN_EXPIRED = 42001
REQUIRE_GET = 43001
REQUIRE_POST = 43002
EMPTY_POST_DATA = 44002
DAILY_QUOTA = 45009
MINUTE_QUOTA = 45011
DATA_FORMAT_ERROR = 47001
API_UNAUTHORIZED = 48001
NOT_FOUND = 99999  # a path the sandbox does not serve (HTTP 404); the placeholder wechatpy's own tests use

ERRMSGS = {
    OK: "ok",
    SYSTEM_ERROR: "system error",
    INVALID_CREDENTIAL: "invalid credential, access_token is invalid or not latest",
    INVALID_GRANT_TYPE: "invalid grant_type",
    INVALID_APPID: "invalid appid",
    INVALID_ACCESS_TOKEN: "invalid access_token",
    INVALID_APPSECRET: "invalid appsecret",
    ACCESS_TOKEN_MISSING: "access_token missing",
    APPID_MISSING: "appid missing",
    APPSECRET_MISSING: "appsecret missing",
    ACCESS_TOKEN_EXPIRED: "access_token expired",
    REQUIRE_GET: "require GET method",
    REQUIRE_POST: "require POST method",
    EMPTY_POST_DATA: "empty post data",
    DAILY_QUOTA: "reach max api daily quota limit",
    MINUTE_QUOTA: "api minute-quota reach limit mustslower retry next minute",
    DATA_FORMAT_ERROR: "data format error",
    API_UNAUTHORIZED: "api unauthorized",
    NOT_FOUND: "no such api in the sandbox",
}


def new_rid():
    """A trace id shaped like the live one: three groups of eight hex digits."""
    return "-".join(secrets.token_hex(4) for _ in range(3))


def envelope(code, errmsg=None):
    """The error body for `code`: `{"errcode", "errmsg"}` with the live ` rid: …` suffix (sent with HTTP 200)."""
    if code == OK:
        return {"errcode": 0, "errmsg": "ok"}
    text = errmsg or ERRMSGS.get(code, "unknown error")
    return {"errcode": code, "errmsg": f"{text} rid: {new_rid()}"}


class WeChatError(Exception):
    """Raised by handlers to answer with an error envelope."""

    def __init__(self, code, errmsg=None):
        super().__init__(code)
        self.code = code
        self.errmsg = errmsg

    def body(self):
        return envelope(self.code, self.errmsg)
