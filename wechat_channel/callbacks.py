"""What the site does with a verified callback: keep it once, answer at once, act on it in the background.

WeChat re-sends a message it got no answer to within 5 s (3 attempts, WECHAT.md §6.4),
so each delivery is stored under a dedupe key and processed by a queued task. A processing
that fails is counted; after `CALLBACK_MAX_ATTEMPTS` the callback is parked with its reason
until a channel administrator retries it (A6.5.1).
"""

from __future__ import annotations

import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from wechat_channel.conf import get_conf
from wechat_channel.models import CallbackEvent
from wechat_channel.payload import int_of, items_of, list_of, mapping_of, text_of

logger = logging.getLogger(__name__)

PUBLISH_EVENTS = {"PUBLISHJOBFINISH", "FREEPUBLISHJOBFINISH"}  # the second from an early doc sample (§4.4)
MASS_SEND_EVENT = "MASSSENDJOBFINISH"


def dedupe_key(data: dict) -> str | None:
    """The identity WeChat's retries share (§6.4); None for a message that carries none."""
    event = text_of(data.get("Event"))
    if event.upper() in PUBLISH_EVENTS:
        publish_id = text_of((mapping_of(data.get("PublishEventInfo"))).get("publish_id"))
        if publish_id:
            return f"publish:{publish_id}"
    if event.upper() == MASS_SEND_EVENT and text_of(data.get("MsgID")):
        return f"mass:{text_of(data.get('MsgID'))}"
    if text_of(data.get("MsgId")):
        return f"msg:{text_of(data.get('MsgId'))}"
    sender, created = text_of(data.get("FromUserName")), text_of(data.get("CreateTime"))
    if event and sender and created:
        return f"event:{sender}:{created}:{event}"
    return None


def receive(account, data: dict) -> CallbackEvent | None:
    """Store a callback once and queue its processing; None when it is a duplicate delivery."""
    key = dedupe_key(data) or f"once:{uuid.uuid4().hex}"
    event_name = text_of(data.get("Event")) or text_of(data.get("MsgType"))
    try:
        with transaction.atomic():
            event = CallbackEvent.objects.create(
                account=account, dedupe_key=key[:200], event=event_name[:50], payload=data
            )
    except IntegrityError:
        logger.info("duplicate WeChat callback %s for %s ignored", key, account.slug)
        return None
    _queue(event.pk)
    return event


def _queue(event_pk: int) -> None:
    transaction.on_commit(lambda: async_task("wechat_channel.callbacks.process_event", event_pk))


def process_event(event_pk: int) -> bool:
    """Act on a stored callback once (safe to run twice); True when a push was updated.

    A parked callback is left alone. A failure rolls the processing back, is counted with its reason, and is
    raised again so the worker records it too.
    """
    try:
        with transaction.atomic():
            event = (
                CallbackEvent.objects.select_for_update()
                .select_related("account")
                .filter(pk=event_pk, processed_at__isnull=True, parked_at__isnull=True)
                .first()
            )
            if event is None:
                return False
            updated = apply(event)
            event.processed_at = timezone.now()
            event.save(update_fields=["processed_at"])
    except Exception as error:
        _count_failure(event_pk, error)
        raise
    return updated


def _count_failure(event_pk: int, error: Exception) -> None:
    """One more failed processing; parked after `CALLBACK_MAX_ATTEMPTS` so the sweep stops retrying it."""
    reason = f"{error.__class__.__name__}: {error}"[:500]
    try:
        with transaction.atomic():
            event = (
                CallbackEvent.objects.select_for_update()
                .filter(pk=event_pk, processed_at__isnull=True, parked_at__isnull=True)
                .first()
            )
            if event is None:
                return
            event.attempts += 1
            event.last_error = reason
            if event.attempts >= get_conf("CALLBACK_MAX_ATTEMPTS"):
                event.parked_at = timezone.now()
                logger.error("WeChat callback %s parked after %s failures: %s", event_pk, event.attempts, reason)
            event.save(update_fields=["attempts", "last_error", "parked_at"])
    except Exception:  # the database itself may be the failure: the original error is what matters
        logger.exception("could not count the failure of WeChat callback %s", event_pk)


def retry_parked(event_pk: int) -> bool:
    """A channel administrator's retry of a parked callback: a fresh count of attempts, processed in the background.

    False when it is not parked (already retried or processed), so a second click does nothing.
    """
    waiting = CallbackEvent.objects.filter(pk=event_pk, processed_at__isnull=True, parked_at__isnull=False)
    with transaction.atomic():
        retried = waiting.update(parked_at=None, attempts=0)
        if retried:
            _queue(event_pk)
    return bool(retried)


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

        return bool(results.mass_send_finished(event.account, **result)) or results.match_mass_event(event)
    # Subscribes, messages, menu clicks: recorded with the follower's openid and time (A14).
    from wechat_channel import activity, reports

    activity.record_from_event(event)
    reports.report_from_event(event)  # A6.5.2: a message starting with a report keyword
    return False


def publish_result(data: dict) -> dict | None:
    """`PublishEventInfo` (§4.4) as keyword arguments of `results.publish_finished`, or None if unusable."""
    info = mapping_of(data.get("PublishEventInfo"))
    publish_id = text_of(info.get("publish_id"))
    status = int_of(info.get("publish_status"))
    if not publish_id or status is None:
        return None
    urls = {}
    for item in items_of(mapping_of(info.get("article_detail")).get("item")):
        idx = int_of(item.get("idx"))
        if idx is not None:
            urls[idx] = text_of(item.get("article_url"))
    fail_idx = [idx for idx in (int_of(value) for value in list_of(info.get("fail_idx"))) if idx is not None]
    return {
        "publish_id": publish_id,
        "status": status,
        "article_id": text_of(info.get("article_id")),
        "urls": urls,
        "fail_idx": fail_idx,
    }


MAX_FOLLOWERS = 2_000_000_000  # more than WeChat has users; fits every database's integer column


def _count(value):
    number = int_of(value)
    return number if number is not None and number <= MAX_FOLLOWERS else None


def mass_send_result(data: dict) -> dict | None:
    """A `MASSSENDJOBFINISH` (§5) as keyword arguments of `results.mass_send_finished`, or None if unusable."""
    msg_id = text_of(data.get("MsgID"))
    if not msg_id:
        return None
    urls = {}
    for result_list in items_of(mapping_of(data.get("ArticleUrlResult")).get("ResultList")):
        for item in items_of(result_list.get("item")):
            idx = int_of(item.get("ArticleIdx"))
            if idx is not None:
                urls[idx] = text_of(item.get("ArticleUrl"))
    counts = {
        field: _count(data.get(name))
        for field, name in (
            ("followers_total", "TotalCount"),
            ("followers_ready", "FilterCount"),
            ("followers_sent", "SentCount"),
            ("followers_failed", "ErrorCount"),
        )
    }
    reach = counts if counts["followers_total"] is not None and counts["followers_ready"] is not None else None
    return {"msg_id": msg_id, "status": text_of(data.get("Status")), "urls": urls, "reach": reach}
