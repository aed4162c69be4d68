"""Followers (WECHAT.md §8.2; A21): whether bound staff still follow, and the blacklist."""

from wechat_channel.wechat.api.base import Area


class Followers(Area):
    def info_batch(self, openids):
        """`user/info/batchget` for up to 100 openids: the `user_info_list` (each with `openid`, `subscribe` 0/1)."""
        body = {"user_list": [{"openid": openid, "lang": "zh_CN"} for openid in openids]}
        return self.post("user/info/batchget", body).get("user_info_list", [])

    def blacklist(self, openids):
        """Blacklist up to 20 followers of the account (verified accounts only: else 48001)."""
        return self.post("tags/members/batchblacklist", {"openid_list": list(openids)})

    def get_blacklist(self, begin_openid=""):
        """One page of blacklisted openids: `{"total", "count", "data": {"openid": [...]}, "next_openid"}`."""
        return self.post("tags/members/getblacklist", {"begin_openid": begin_openid})
