"""The URL WeChat calls (服务器配置): verification on GET, messages and events on POST (WECHAT.md §6)."""

import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from wechat_channel import callbacks
from wechat_channel.conf import get_conf
from wechat_channel.models import WeChatAccount
from wechat_channel.wechat.callback import (
    CallbackRefused,
    open_message,
    refuse_replay,
    verify_signature,
    verify_url,
)

logger = logging.getLogger(__name__)


@csrf_exempt
def callback(request, account):
    """Answer within WeChat's 5 s: check, store once, queue the work, say `success`."""
    try:
        if request.method not in ("GET", "POST"):
            response = _plain("method not allowed", 405)
            response["Allow"] = "GET, POST"
            return response
        wechat_account = WeChatAccount.objects.filter(slug=account, is_active=True).first()
        if wechat_account is None:
            raise CallbackRefused(404, "unknown account")
        # Every genuine signature is spent before anything else is read: the GET's is a plain-mode POST's too.
        verify_signature(wechat_account, request.GET)
        if request.method == "GET":
            refuse_replay(wechat_account, request.GET, None)
            return _plain(verify_url(wechat_account, request.GET))
        try:
            body = _read_body(request)
        except CallbackRefused:
            refuse_replay(wechat_account, request.GET, None)  # no body may follow this signature either
            raise
        repeat = refuse_replay(wechat_account, request.GET, body)
        data = _open(wechat_account, request.GET, body)
        if repeat and callbacks.dedupe_key(data) is None:
            raise CallbackRefused(403, "replayed request")  # nothing tells WeChat's retry from a replay
    except CallbackRefused as refused:
        logger.info("WeChat callback for %r refused: %s", account, refused)
        return _plain(refused.reason, refused.status)
    callbacks.receive(wechat_account, data)
    return _plain("success")


def _read_body(request):
    limit = get_conf("CALLBACK_MAX_BYTES")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise CallbackRefused(400, "bad Content-Length") from None
    if declared > limit:
        raise CallbackRefused(413, "body too large")
    # Read one byte past the limit, never the whole stream, so a lying header cannot make us buffer more.
    return request.read(limit + 1)


def _open(account, query, body):
    try:
        return open_message(account, query, body)
    except CallbackRefused:
        raise
    except Exception:  # a malformed delivery must never become a 500
        logger.exception("unexpected failure reading a WeChat callback for %s", account.slug)
        raise CallbackRefused(400, "bad request") from None


def _plain(text, status=200):
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
