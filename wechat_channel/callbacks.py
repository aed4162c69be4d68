"""What the site does with a verified callback: keep it once, answer at once, act on it in the background.

WeChat re-sends a message it got no answer to within 5 s (3 attempts, WECHAT.md §6.4),
so each delivery is stored under a dedupe key and processed by a queued task.
"""

from __future__ import annotations

import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from wechat_channel.models import CallbackEvent

logger = logging.getLogger(__name__)

PUBLISH_EVENTS = {"PUBLISHJOBFINISH", "FREEPUBLISHJOBFINISH"}  # the second from an early doc sample (§4.4)
MASS_SEND_EVENT = "MASSSENDJOBFINISH"


def dedupe_key(data: dict) -> str | None:
    """The identity WeChat's retries share (§6.4); None for a message that carries none."""
    event = _text(data.get("Event"))
    if event.upper() in PUBLISH_EVENTS:
        publish_id = _text((_mapping(data.get("PublishEventInfo"))).get("publish_id"))
        if publish_id:
            return f"publish:{publish_id}"
    if event.upper() == MASS_SEND_EVENT and _text(data.get("MsgID")):
        return f"mass:{_text(data.get('MsgID'))}"
    if _text(data.get("MsgId")):
        return f"msg:{_text(data.get('MsgId'))}"
    sender, created = _text(data.get("FromUserName")), _text(data.get("CreateTime"))
    if event and sender and created:
        return f"event:{sender}:{created}:{event}"
    return None


def receive(account, data: dict) -> CallbackEvent | None:
    """Store a callback once and queue its processing; None when it is a duplicate delivery."""
    key = dedupe_key(data) or f"once:{uuid.uuid4().hex}"
    event_name = _text(data.get("Event")) or _text(data.get("MsgType"))
    try:
        with transaction.atomic():
            event = CallbackEvent.objects.create(
                account=account, dedupe_key=key[:200], event=event_name[:50], payload=data
            )
    except IntegrityError:
        logger.info("duplicate WeChat callback %s for %s ignored", key, account.slug)
        return None
    transaction.on_commit(lambda: async_task("wechat_channel.callbacks.process_event", event.pk))
    return event


def process_event(event_pk: int) -> bool:
    """Act on a stored callback once (safe to run twice); True when a push was updated."""
    with transaction.atomic():
        event = (
            CallbackEvent.objects.select_for_update()
            .select_related("account")
            .filter(pk=event_pk, processed_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        updated = apply(event)
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at"])
    return updated


def apply(event: CallbackEvent) -> bool:
    """Hand a stored result event to the push domain, processed or not; True when a push was updated.

    Also called when a push records its ids after its result event already came (`results.apply_waiting`).
    """
    data, name = event.payload, event.event.upper()
    if name in PUBLISH_EVENTS:
        result = publish_result(data)
        if result is None:
            logger.warning("WeChat %s event %s without a usable PublishEventInfo", name, event.pk)
            return False
        from wechat_channel import results

        return bool(results.publish_finished(event.account, **result))
    if name == MASS_SEND_EVENT:
        result = mass_send_result(data)
        if result is None:
            logger.warning("WeChat MASSSENDJOBFINISH event %s without MsgID", event.pk)
            return False
        from wechat_channel import results

        return bool(results.mass_send_finished(event.account, **result))
    # Subscribes, messages, menu clicks: recorded with the follower's openid and time (A14).
    from wechat_channel import activity, reports

    activity.record_from_event(event)
    reports.report_from_event(event)  # A6.5.2: a message starting with a report keyword
    return False


def publish_result(data: dict) -> dict | None:
    """`PublishEventInfo` (§4.4) as keyword arguments of `results.publish_finished`, or None if unusable."""
    info = _mapping(data.get("PublishEventInfo"))
    publish_id = _text(info.get("publish_id"))
    status = _int(info.get("publish_status"))
    if not publish_id or status is None:
        return None
    urls = {}
    for item in _items(_mapping(info.get("article_detail")).get("item")):
        idx = _int(item.get("idx"))
        if idx is not None:
            urls[idx] = _text(item.get("article_url"))
    fail_idx = [idx for idx in (_int(value) for value in _as_list(info.get("fail_idx"))) if idx is not None]
    return {
        "publish_id": publish_id,
        "status": status,
        "article_id": _text(info.get("article_id")),
        "urls": urls,
        "fail_idx": fail_idx,
    }


def mass_send_result(data: dict) -> dict | None:
    """A `MASSSENDJOBFINISH` (§5) as keyword arguments of `results.mass_send_finished`, or None if unusable."""
    msg_id = _text(data.get("MsgID"))
    if not msg_id:
        return None
    urls = {}
    for result_list in _items(_mapping(data.get("ArticleUrlResult")).get("ResultList")):
        for item in _items(result_list.get("item")):
            idx = _int(item.get("ArticleIdx"))
            if idx is not None:
                urls[idx] = _text(item.get("ArticleUrl"))
    return {"msg_id": msg_id, "status": _text(data.get("Status")), "urls": urls}


# xmltodict shapes: a string, None for an empty element, a dict with "#text" when attributes
# are present, and a list when an element repeats.
def _text(value) -> str:
    if isinstance(value, dict):
        value = value.get("#text")
    return value.strip() if isinstance(value, str) else ""


def _int(value) -> int | None:
    text = _text(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(value) -> list[dict]:
    return [item for item in _as_list(value) if isinstance(item, dict)]
