"""The blacklist (WECHAT.md §8.2): `tags/members/getblacklist`, `batchblacklist`, `batchunblacklist`.

All three calls answer 48001 for an unverified account (`Account.verified`, default verified); the batch calls then
check 40032 list size (1..20), 40003 malformed openid, 49003 openid that does not follow this account
(`followers.Audience`). A batch is all or nothing. Blacklisted users stay followers. The list pages 1,000 openids in
blacklisting order; `next_openid` is the last openid of a non-empty page, and an empty page carries no `data`.
"""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.followers import INVALID_OPENID, OPENID, fail
from wechat_channel.sandbox.routes import api


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
