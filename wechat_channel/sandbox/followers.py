"""The sandbox's followers: who follows each account, who left, who is blacklisted (WECHAT.md §8.2).

Each account starts with DEFAULT_FOLLOWERS deterministic followers (`default_openids`), so a demo has someone to
blacklist or bind, and knows one openid who followed and left (`former_follower`); `POST /sandbox/followers` adds
more. An openid is 28 url-safe characters, as live ones are. The blacklist's calls are `blacklist_api.py`.
"""

import hashlib
import re
import threading
from base64 import urlsafe_b64encode

from wechat_channel.sandbox import errors

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


def former_follower(appid):
    """One openid every account knows from the start as someone who followed and left (subscribe 0): the demo's
    member of staff who unfollowed."""
    return "o" + urlsafe_b64encode(hashlib.sha256(f"{appid}:former".encode()).digest()).decode()[:27]
