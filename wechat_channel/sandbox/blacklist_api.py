"""Followers and the blacklist (WECHAT.md §8.2): `tags/members/getblacklist`, `batchblacklist`, `batchunblacklist`.

Each account starts with DEFAULT_FOLLOWERS deterministic followers (`default_openids`), so a demo has someone
to blacklist; `POST /sandbox/followers` adds more. All three calls answer 48001 for an unverified account
(`Account.verified`, default verified); the batch calls then check 40032 list size (1..20), 40003 malformed
openid, 49003 openid that does not follow this account.
A batch is all or nothing. Blacklisted users stay followers. The list pages 1,000 openids in blacklisting
order; `next_openid` is the last openid of a non-empty page, and an empty page carries no `data`.
"""

import hashlib
import re
import threading
from base64 import urlsafe_b64encode

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.routes import api

INVALID_OPENID = 40003
INVALID_OPENID_LIST_SIZE = 40032
OPENID_NOT_OF_APPID = 49003

ERRMSGS = {
    INVALID_OPENID: "invalid openid",
    INVALID_OPENID_LIST_SIZE: "invalid openid list size",
    OPENID_NOT_OF_APPID: "not same appid with appid of access_token",
}

DEFAULT_FOLLOWERS = 5
MAX_BATCH = 20
PAGE_SIZE = 1000
OPENID = re.compile(r"^[A-Za-z0-9_-]{28}$")  # live openids: 28 url-safe characters, e.g. oLVPpjqs9BhvzwPj5A-vTYAX3GLc


def fail(code):
    return errors.WeChatError(code, ERRMSGS[code])


def default_openids(appid):
    """The DEFAULT_FOLLOWERS openids every account starts with: "o" + 27 characters derived from the appid."""
    return [
        "o" + urlsafe_b64encode(hashlib.sha256(f"{appid}:{n}".encode()).digest()).decode()[:27]
        for n in range(DEFAULT_FOLLOWERS)
    ]


class Audience:
    """Followers and blacklisted openids per appid, both in insertion order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.followers: dict[str, dict[str, None]] = {}
        self.blacklist: dict[str, dict[str, None]] = {}

    def _followers(self, appid):
        if appid not in self.followers:
            self.followers[appid] = dict.fromkeys(default_openids(appid))
        return self.followers[appid]

    def follower_list(self, appid):
        with self.lock:
            return list(self._followers(appid))

    def follow(self, appid, openids):
        """Add followers (ValueError for a malformed openid); return the follower count."""
        bad = [o for o in openids if not isinstance(o, str) or not OPENID.match(o)]
        if bad:
            raise ValueError(f"openids must be 28 characters of [A-Za-z0-9_-]: {bad[:3]}")
        with self.lock:
            followers = self._followers(appid)
            followers.update(dict.fromkeys(openids))
            return len(followers)

    def unfollow(self, appid, openid):
        """The follower leaves (ValueError when `openid` does not follow); return the follower count."""
        with self.lock:
            followers = self._followers(appid)
            if openid not in followers:
                raise ValueError(f"{openid!r} does not follow {appid}")
            del followers[openid]
            return len(followers)

    def change_blacklist(self, appid, openids, blacklisted):
        """Validate a batch (40032, 40003, 49003) and apply it whole."""
        if not isinstance(openids, list) or not 1 <= len(openids) <= MAX_BATCH:
            raise fail(INVALID_OPENID_LIST_SIZE)
        if any(not isinstance(o, str) or not OPENID.match(o) for o in openids):
            raise fail(INVALID_OPENID)
        with self.lock:
            followers = self._followers(appid)
            if any(o not in followers for o in openids):
                raise fail(OPENID_NOT_OF_APPID)
            listed = self.blacklist.setdefault(appid, {})
            for openid in openids:
                if blacklisted:
                    listed.setdefault(openid, None)
                else:
                    listed.pop(openid, None)

    def blacklist_page(self, appid, begin_openid):
        """(total, page) of blacklisted openids after `begin_openid` ("" = from the start)."""
        with self.lock:
            listed = list(self.blacklist.get(appid, {}))
        start = 0
        if begin_openid:
            start = listed.index(begin_openid) + 1 if begin_openid in listed else len(listed)
        return len(listed), listed[start : start + PAGE_SIZE]


def require_verified(sandbox, appid):
    account = sandbox.state.accounts.get(appid)
    if not getattr(account, "verified", True):
        raise errors.WeChatError(errors.API_UNAUTHORIZED)


@api("tags/members/getblacklist")
def getblacklist(sandbox, request):
    require_verified(sandbox, request.token.appid)
    begin = request.data.get("begin_openid") or ""
    if not isinstance(begin, str) or (begin and not OPENID.match(begin)):
        raise fail(INVALID_OPENID)
    total, page = sandbox.audience.blacklist_page(request.token.appid, begin)
    body = {"total": total, "count": len(page)}
    if page:
        body["data"] = {"openid": page}
    body["next_openid"] = page[-1] if page else ""
    return body


@api("tags/members/batchblacklist")
def batchblacklist(sandbox, request):
    require_verified(sandbox, request.token.appid)
    sandbox.audience.change_blacklist(request.token.appid, request.data.get("openid_list"), blacklisted=True)
    return errors.envelope(errors.OK)


@api("tags/members/batchunblacklist")
def batchunblacklist(sandbox, request):
    require_verified(sandbox, request.token.appid)
    sandbox.audience.change_blacklist(request.token.appid, request.data.get("openid_list"), blacklisted=False)
    return errors.envelope(errors.OK)
