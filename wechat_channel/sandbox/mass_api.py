"""Mass-send endpoints `message/mass/{sendall,preview,get,delete}` (WECHAT.md §5, §10 item 8).

Checks run in this order: message shape (40008/47001), 48001 for unverified accounts, clientmsgid length
(45067), the same clientmsgid again within a minute (45066, "相同 clientmsgid 重试速度过快，请间隔1分钟重试":
WECHAT.md §5, §12), 24-h dedupe (45065 carrying the original `msg_id`, nothing is sent twice), the draft
(40007), then the period quota (45028). Dedupe comes before the draft check because the first send already took the
draft out of the draft box, and a client retrying a lost answer must learn its msg_id, not see 40007.
"""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.drafts import INVALID_ARGUMENT
from wechat_channel.sandbox.drafts import fail as draft_fail
from wechat_channel.sandbox.mass import SEND_SUCCESS, msg_ids
from wechat_channel.sandbox.publish import next_id
from wechat_channel.sandbox.publish_api import account_of
from wechat_channel.sandbox.routes import api

INVALID_OPENID = 40003
INVALID_MESSAGE_TYPE = 40008
INVALID_TAG_ID = 40152
NO_MASS_QUOTA = 45028
CLIENTMSGID_EXISTS = 45065
CLIENTMSGID_TOO_FAST = 45066
CLIENTMSGID_TOO_LONG = 45067
MAX_CLIENTMSGID_BYTES = 64  # wechatpy's docstring; MUD quotes 32 for the current page (§11)

ERRMSGS = {
    INVALID_OPENID: "invalid openid",
    INVALID_MESSAGE_TYPE: "invalid message type",
    INVALID_TAG_ID: "invalid tag_id",
    NO_MASS_QUOTA: "has no masssend quota",
    CLIENTMSGID_EXISTS: "clientmsgid exist",
    CLIENTMSGID_TOO_FAST: "相同 clientmsgid 重试速度过快，请间隔1分钟重试",
    CLIENTMSGID_TOO_LONG: "clientmsgid size out of limit",
}


def fail(code):
    return errors.WeChatError(code, ERRMSGS[code])


def require_mass_rights(account):
    """§5: mass sending through the API is for verified accounts only, of either kind."""
    if not account.verified:
        raise errors.WeChatError(errors.API_UNAUTHORIZED)


def mpnews_media_id(data):
    if data.get("msgtype") != "mpnews":
        raise fail(INVALID_MESSAGE_TYPE)  # the sandbox sends articles only
    mpnews = data.get("mpnews")
    if not isinstance(mpnews, dict):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    return mpnews.get("media_id")


def _sendall_fingerprint(data):
    return f"clientmsgid={data.get('clientmsgid')} media_id={(data.get('mpnews') or {}).get('media_id')}"


@api("message/mass/sendall", fingerprint=_sendall_fingerprint)
def sendall(sandbox, request):
    data, appid, now = request.data, request.token.appid, sandbox.state.clock.now()
    media_id = mpnews_media_id(data)
    account = account_of(sandbox, request)
    require_mass_rights(account)
    clientmsgid = data.get("clientmsgid")
    if clientmsgid is not None and not isinstance(clientmsgid, str):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    if clientmsgid and len(clientmsgid.encode()) > MAX_CLIENTMSGID_BYTES:
        raise fail(CLIENTMSGID_TOO_LONG)
    target = data.get("filter")
    if not isinstance(target, dict):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    is_to_all = target.get("is_to_all") in (True, 1, "true")
    if not is_to_all and target.get("tag_id") is None:
        raise fail(INVALID_TAG_ID)
    with sandbox.mass.lock:  # dedupe, quota and the send itself are one step
        if sandbox.mass.too_fast(appid, clientmsgid, now):
            raise fail(CLIENTMSGID_TOO_FAST)
        original = sandbox.mass.duplicate(appid, clientmsgid, now)
        if original is not None:
            return {**fail(CLIENTMSGID_EXISTS).body(), "msg_id": original.msg_id}
        sandbox.drafts.get(appid, media_id)
        if not sandbox.mass.quota_left(account, is_to_all, now):
            raise fail(NO_MASS_QUOTA)
        draft = sandbox.drafts.remove(appid, media_id)  # the draft leaves the draft box (§5)
        send = sandbox.mass.send(appid, draft, is_to_all, clientmsgid, now)
    return {
        "errcode": 0,
        "errmsg": "send job submission success",
        "msg_id": send.msg_id,
        "msg_data_id": send.msg_data_id,
    }


@api("message/mass/preview", fingerprint=lambda d: f"media_id={(d.get('mpnews') or {}).get('media_id')}")
def preview(sandbox, request):
    """§5: to one follower (`touser`) or WeChat ID (`towxname`); no quota used, the draft stays."""
    data, appid = request.data, request.token.appid
    media_id = mpnews_media_id(data)
    require_mass_rights(account_of(sandbox, request))
    if not any(isinstance(data.get(k), str) and data.get(k) for k in ("towxname", "touser")):
        raise fail(INVALID_OPENID)
    sandbox.drafts.get(appid, media_id)
    if not sandbox.mass.preview_allowed(appid, sandbox.state.clock.now()):
        raise errors.WeChatError(errors.DAILY_QUOTA)
    return {"errcode": 0, "errmsg": "preview success", "msg_id": next_id(msg_ids)}


def _send(sandbox, request):
    send = sandbox.mass.get(request.token.appid, request.data.get("msg_id"))
    if send is None:
        raise draft_fail(INVALID_ARGUMENT)
    return send


@api("message/mass/get", fingerprint=lambda d: f"msg_id={d.get('msg_id')}")
def get(sandbox, request):
    send = _send(sandbox, request)
    return {"msg_id": send.msg_id, "msg_status": send.status}


@api("message/mass/delete", fingerprint=lambda d: f"msg_id={d.get('msg_id')}")
def delete(sandbox, request):
    """§5: only successfully sent messages; `article_idx` 1-based, 0/omitted = all."""
    send = _send(sandbox, request)
    article_idx = request.data.get("article_idx", 0)
    if send.status != SEND_SUCCESS:
        raise draft_fail(INVALID_ARGUMENT)
    if isinstance(article_idx, bool) or not isinstance(article_idx, int) or not 0 <= article_idx <= len(send.pages):
        raise draft_fail(INVALID_ARGUMENT)
    sandbox.mass.delete(send, article_idx)
    return errors.envelope(errors.OK)
