"""`POST cgi-bin/user/info/batchget`: whether each openid follows the account (subscribe 1/0), ≤ 100 a call.

An openid the account has never seen (not a follower, never authorized, never left) or a malformed one
answers 40003 for the whole batch, as WeChat does; more than 100 (or none) answers 40032.
"""

from wechat_channel.sandbox.followers import INVALID_OPENID, INVALID_OPENID_LIST_SIZE, OPENID, fail
from wechat_channel.sandbox.routes import api

MAX_USERS = 100


@api("user/info/batchget")
def batchget(sandbox, request):
    appid = request.token.appid
    users = request.data.get("user_list")
    if not isinstance(users, list) or not 1 <= len(users) <= MAX_USERS:
        raise fail(INVALID_OPENID_LIST_SIZE)
    openids = [user.get("openid") if isinstance(user, dict) else None for user in users]
    followers = set(sandbox.audience.follower_list(appid))
    for openid in openids:
        if not isinstance(openid, str) or not OPENID.match(openid):
            raise fail(INVALID_OPENID)
        if openid not in followers and not sandbox.oauth.is_known(appid, openid):
            raise fail(INVALID_OPENID)
    return {"user_info_list": [_info(openid, openid in followers, sandbox) for openid in openids]}


def _info(openid, subscribed, sandbox):
    if not subscribed:
        return {"subscribe": 0, "openid": openid, "tagid_list": []}
    return {
        "subscribe": 1,
        "openid": openid,
        "language": "zh_CN",
        "subscribe_time": int(sandbox.state.clock.now()),
        "remark": "",
        "groupid": 0,
        "tagid_list": [],
        "subscribe_scene": "ADD_SCENE_OTHERS",
        "qr_scene": 0,
        "qr_scene_str": "",
    }
