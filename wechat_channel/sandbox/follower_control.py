"""Control endpoints that make a follower leave or come back, pushing the `unsubscribe` / `subscribe` event.

`POST /sandbox/followers/unsubscribe {"appid", "openid", "wait"?}` and `POST /sandbox/followers/subscribe {…}`
change the sandbox's audience and deliver the event XML to the account's callback, signed and (in safe mode)
encrypted like every other event push (WECHAT.md §6). So the demo and tests can show a member of staff
unfollowing reaching the site (A21).

`POST /sandbox/mass/by-hand {"appid", "openids"?}` is a mass send made on mp.weixin.qq.com: to everyone (no
`openids`; it uses the day's and the month's send to everyone, 409 when none is left) or to the given followers (a
tag). Each follower reached counts towards their four a month (mass.py). `GET /sandbox/mass/received?appid=&openid=`
says how many mass messages a follower received this month.
"""

from wechat_channel.sandbox.event_push import _cdata
from wechat_channel.sandbox.followers import OPENID

EVENTS = {"followers/subscribe": "subscribe", "followers/unsubscribe": "unsubscribe"}


def follower_event_xml(account, openid, event, now):
    return (
        f"<xml><ToUserName>{_cdata(account.ghid)}</ToUserName><FromUserName>{_cdata(openid)}</FromUserName>"
        f"<CreateTime>{int(now)}</CreateTime><MsgType>{_cdata('event')}</MsgType><Event>{_cdata(event)}</Event>"
        f"<EventKey>{_cdata('')}</EventKey></xml>"
    )


def _by_hand(sandbox, data):
    account = sandbox.state.accounts.get(data.get("appid"))
    if account is None:
        raise ValueError("appid must name a sandbox account")
    followers = sandbox.audience.follower_list(account.appid)
    openids = data.get("openids")
    if openids is not None and (not isinstance(openids, list) or any(o not in followers for o in openids)):
        raise ValueError("openids must be a list of the account's followers")
    reach = sandbox.mass.send_by_hand(account, openids or followers, openids is None, sandbox.state.clock.now())
    if reach is None:
        return 409, {"error": "no send to everyone is left today or this month (45028)"}
    return 200, {"appid": account.appid, "total": reach[0], "reached": reach[1]}


def handle(sandbox, method, name, query, data):
    """(status, body) for the names above, or None; ValueError for a bad request (HTTP 400)."""
    if (method, name) == ("POST", "mass/by-hand"):
        if not isinstance(data, dict):
            raise ValueError("a JSON object body is required")
        return _by_hand(sandbox, data)
    if (method, name) == ("GET", "mass/received"):
        appid, openid = query.get("appid"), query.get("openid")
        return 200, {"received": sandbox.mass.received_this_month(appid, openid, sandbox.state.clock.now())}
    event = EVENTS.get(name) if method == "POST" else None
    if event is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("a JSON object body is required")
    appid, openid = data.get("appid"), data.get("openid")
    account = sandbox.state.accounts.get(appid)
    if account is None:
        raise ValueError("appid must name a sandbox account")
    if not isinstance(openid, str) or not OPENID.match(openid):
        raise ValueError("openid must be 28 characters of [A-Za-z0-9_-]")
    if event == "unsubscribe":
        count = sandbox.audience.unfollow(appid, openid)
        sandbox.oauth.remember(appid, openid)  # a former follower: user/info says subscribe 0, not 40003
    else:
        count = sandbox.audience.follow(appid, [openid])
    xml = follower_event_xml(account, openid, event, sandbox.state.clock.now())
    event_id = sandbox.notifier.push(appid, event, xml, wait=bool(data.get("wait")))
    return 200, {"appid": appid, "openid": openid, "event": event, "event_id": event_id, "followers": count}
