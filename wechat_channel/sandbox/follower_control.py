"""Control endpoints that make a follower leave or come back, pushing the `unsubscribe` / `subscribe` event.

`POST /sandbox/followers/unsubscribe {"appid", "openid", "wait"?}` and `POST /sandbox/followers/subscribe {…}`
change the sandbox's audience and deliver the event XML to the account's callback, signed and (in safe mode)
encrypted like every other event push (WECHAT.md §6). So the demo and tests can show a member of staff
unfollowing reaching the site (A21).
"""

from wechat_channel.sandbox.blacklist_api import OPENID
from wechat_channel.sandbox.notify import _cdata

EVENTS = {"followers/subscribe": "subscribe", "followers/unsubscribe": "unsubscribe"}


def follower_event_xml(account, openid, event, now):
    return (
        f"<xml><ToUserName>{_cdata(account.ghid)}</ToUserName><FromUserName>{_cdata(openid)}</FromUserName>"
        f"<CreateTime>{int(now)}</CreateTime><MsgType>{_cdata('event')}</MsgType><Event>{_cdata(event)}</Event>"
        f"<EventKey>{_cdata('')}</EventKey></xml>"
    )


def handle(sandbox, method, name, query, data):
    """(status, body) for the names above, or None; ValueError for a bad request (HTTP 400)."""
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
