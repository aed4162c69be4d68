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

from wechat_channel import activity, report_messages, results
from wechat_channel.conf import get_conf
from wechat_channel.models import CallbackEvent
from wechat_channel.payload import MASS_SEND_EVENT, PUBLISH_EVENTS, mapping_of, text_of

logger = logging.getLogger(__name__)


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
    """Hand a stored event to its domain, processed or not; True when a push was updated.

    A result event goes to the push's results (`results.apply_event`, which `results.apply_waiting` also calls when
    a push records its ids after its result already came); subscribes, messages and menu clicks are recorded.
    """
    if results.is_result_event(event):
        return results.apply_event(event)
    # Subscribes, messages, menu clicks: recorded with the follower's openid and time (A14).
    activity.record_from_event(event)
    report_messages.report_from_event(event)  # A6.5.2: a message starting with a report keyword
    return False
