"""Web authorization (网页授权, `snsapi_base`) as WeChat serves it, so staff can bind their WeChat in the demo (A21).

`GET /connect/oauth2/authorize?appid=…&redirect_uri=…&response_type=code&scope=snsapi_base&state=…` shows a page
"WeChat sandbox — authorize as follower": pick one of the account's followers or type another openid, and the
browser is sent to `redirect_uri?code=…&state=…` (302). A code works once and for 5 minutes (sandbox clock).
`GET /sns/oauth2/access_token?appid&secret&code&grant_type=authorization_code` exchanges it for the openid:
40029 invalid (or expired, or another account's) code, 40163 code been used, 40125 invalid appsecret.
"""

import secrets
import threading
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode, urlsplit

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.followers import OPENID, former_follower
from wechat_channel.sandbox.routes import api

AUTHORIZE_PATH = "/connect/oauth2/authorize"
CONFIRM_PATH = AUTHORIZE_PATH + "/confirm"
HTML = "text/html; charset=utf-8"
CODE_LIFETIME = 300
SCOPES = ("snsapi_base", "snsapi_userinfo")
INVALID_CODE = 40029
MISSING_CODE = 41008
CODE_USED = 40163
ERRMSGS = {INVALID_CODE: "invalid code", MISSING_CODE: "missing code", CODE_USED: "code been used"}


@dataclass
class Code:
    appid: str
    openid: str
    scope: str
    expires_at: float
    used: bool = False


class OAuthDesk:
    """Codes handed out by the authorize page, and the openids of everyone who ever authorized, per appid."""

    def __init__(self):
        self.lock = threading.Lock()
        self.codes: dict[str, Code] = {}
        self.known: dict[str, set[str]] = {}

    def issue(self, appid, openid, scope, now):
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = Code(appid, openid, scope, now + CODE_LIFETIME)
            self.known.setdefault(appid, set()).add(openid)
        return code

    def redeem(self, appid, code, now):
        """The Code for a first use within its lifetime; 40029 or 40163 otherwise."""
        with self.lock:
            found = self.codes.get(code)
            if found is None or found.appid != appid or now >= found.expires_at:
                raise errors.WeChatError(INVALID_CODE, ERRMSGS[INVALID_CODE])
            if found.used:
                raise errors.WeChatError(CODE_USED, ERRMSGS[CODE_USED])
            found.used = True
            return found

    def remember(self, appid, openid):
        with self.lock:
            self.known.setdefault(appid, set()).add(openid)

    def is_known(self, appid, openid):
        with self.lock:
            return openid in self.known.get(appid, ()) or openid == former_follower(appid)


@api("oauth2/access_token", method="GET", auth=False, prefix="/sns/")
def access_token(sandbox, request):
    q = request.query
    if q.get("grant_type") != "authorization_code":
        raise errors.WeChatError(errors.INVALID_GRANT_TYPE)
    if not q.get("code"):
        raise errors.WeChatError(MISSING_CODE, ERRMSGS[MISSING_CODE])
    sandbox.state.check_credentials("client_credential", q.get("appid"), q.get("secret"))
    code = sandbox.oauth.redeem(q["appid"], q["code"], sandbox.state.clock.now())
    return {
        "access_token": secrets.token_urlsafe(60),
        "expires_in": 7200,
        "refresh_token": secrets.token_urlsafe(60),
        "openid": code.openid,
        "scope": code.scope,
    }


def is_authorize_path(path):
    return path in (AUTHORIZE_PATH, CONFIRM_PATH)


def serve_authorize(sandbox, path, query):
    """(status, headers, body) for the authorize page and its confirmation (a 302 back to the site)."""
    problem = _problem(sandbox, query)
    if problem:
        return _page(400, "Oops! Something went wrong :(", f"<p data-error>{escape(problem)}</p>")
    if path == AUTHORIZE_PATH:
        return _page(200, "WeChat sandbox — authorize as follower", _chooser(sandbox, query))
    openid = (query.get("openid") or "").strip()
    if not OPENID.match(openid):
        return _page(400, "Oops! Something went wrong :(", "<p data-error>openid: 28 characters of [A-Za-z0-9_-]</p>")
    if query.get("follow") and openid not in sandbox.audience.follower_list(query["appid"]):
        sandbox.audience.follow(query["appid"], [openid])
    code = sandbox.oauth.issue(query["appid"], openid, query["scope"], sandbox.state.clock.now())
    target = query["redirect_uri"]
    separator = "&" if "?" in target else "?"
    location = target + separator + urlencode({"code": code, "state": query.get("state", "")})
    return 302, {"Location": location}, b""


def _problem(sandbox, query):
    """What WeChat's authorize page would refuse (its 10003/10005-style errors), or ""."""
    if not query.get("appid") or query["appid"] not in sandbox.state.accounts:
        return "10016 appid 参数错误 (unknown appid)"
    redirect = urlsplit(query.get("redirect_uri") or "")
    if redirect.scheme not in ("http", "https") or not redirect.netloc:
        return "10003 redirect_uri 参数错误 (an absolute http(s) URL is required)"
    if query.get("response_type") != "code":
        return "response_type 参数错误 (must be code)"
    if query.get("scope") not in SCOPES:
        return "10005 scope 参数错误或没有 scope 权限"
    return ""


def _chooser(sandbox, query):
    keep = {k: query.get(k, "") for k in ("appid", "redirect_uri", "response_type", "scope", "state")}
    items = "".join(
        f'<li><a data-openid="{escape(o)}" href="{CONFIRM_PATH}?{escape(urlencode({**keep, "openid": o}))}">'
        f"<code>{escape(o)}</code></a></li>"
        for o in sandbox.audience.follower_list(query["appid"])
    )
    hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in keep.items())
    return (
        f"<p>Account <code>{escape(query['appid'])}</code> asks who you are ({escape(query['scope'])}); "
        f"you will return to <code>{escape(query['redirect_uri'])}</code>.</p>"
        f"<h2>Followers</h2><ul>{items or '<li>none</li>'}</ul>"
        f'<h2>Someone else</h2><form method="get" action="{CONFIRM_PATH}">{hidden}'
        '<label>openid <input name="openid" size="32" maxlength="28" pattern="[A-Za-z0-9_\\-]{28}" required></label> '
        '<label><input type="checkbox" name="follow" value="1" checked> and follow the account</label> '
        '<button type="submit">Authorize</button></form>'
    )


def _page(status, title, body):
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return status, {"Content-Type": HTML}, html.encode("utf-8")
