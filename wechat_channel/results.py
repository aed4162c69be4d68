"""WeChat's verdict on a submitted push: from the callback event or from polling, applied once.

Articles are matched to WeChat's 1-based indexes in push order, counting only the
articles that went into the draft (those parked before it are left out).
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from wechat_channel import push_rows
from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import CallbackEvent, Push, PushItem
from wechat_channel.notify import system_error
from wechat_channel.payload import MASS_SEND_EVENT, PUBLISH_EVENTS, mass_send_result, publish_result
from wechat_channel.signals import push_done

logger = logging.getLogger(__name__)

S = Push.State


def _sent_items(push):
    return list(push.items.exclude(state=PushItem.State.FAILED).order_by("position", "pk"))


WAITING = (S.SUBMITTED, S.UNKNOWN, S.SENDING)
WECHAT_FAILED = ("publish_failed", "mass_send_failed")  # notes of WeChat's own verdict: the job ended, nothing went out


def _settle(push, **fields):
    """Move a waiting push to its outcome; False when another path settled it first (a compare-and-set)."""
    return bool(
        Push.objects.filter(pk=push.pk, state__in=WAITING).update(
            finished_at=timezone.now(), next_attempt_at=None, updated_at=timezone.now(), **fields
        )
    )


def complete(push, article_id, urls):
    """Mark the push done and each article published with its WeChat URL (`urls`: 1-based index → URL).

    Once only: the callback, polling and reconciling may all learn the outcome; the first one settles it.
    """
    with transaction.atomic():
        settled = _settle(
            push,
            state=S.DONE,
            article_id=article_id or push.article_id,
            error_code=None,
            error_kind="",
            error_message="",
        )
        if not settled:
            return False
        items = _sent_items(push)
        for index, item in enumerate(items, start=1):
            item.state = PushItem.State.PUBLISHED
            item.wechat_url = urls.get(index, "") or item.wechat_url
            item.save(update_fields=["state", "wechat_url"])
        record(push, "done", Note("out_on_wechat", n=len(items)), article_id=article_id)
        transaction.on_commit(lambda: push_done.send(Push, push=push))
    return True


def fill_urls(push, urls):
    """Give the published articles of a done push the WeChat URLs they lack; True when any was missing.

    Polling (`mass/get`) settles a push without URLs; the result event that comes after it still brings them.
    """
    filled = False
    for index, item in enumerate(_sent_items(push), start=1):
        url = urls.get(index, "")
        if url and not item.wechat_url and item.state == PushItem.State.PUBLISHED:
            PushItem.objects.filter(pk=item.pk, wechat_url="").update(wechat_url=url)
            filled = True
    return filled


def fail(push, note, failed_indexes=()):
    """Mark the push failed with `note` (a `history.Note`), and the articles WeChat names (1-based) with it."""
    message, error_note = str(note)[:2000], note.as_dict()
    with transaction.atomic():
        if not _settle(push, state=S.FAILED, error_kind="permanent", error_message=message, error_note=error_note):
            return False
        items = _sent_items(push)
        for index in failed_indexes:
            if 1 <= index <= len(items):
                items[index - 1].state = PushItem.State.FAILED
                items[index - 1].error_message = message
                items[index - 1].error_note = error_note
                items[index - 1].save(update_fields=["state", "error_message", "error_note"])
        record(push, "failed", note, fail_idx=list(failed_indexes))
    system_error(push, note)
    return True


def _locked(account, **lookup):
    return Push.objects.select_for_update().filter(account=account, **lookup).first()


def publish_finished(account, publish_id, status, article_id, urls, fail_idx):
    """PUBLISHJOBFINISH or `freepublish/get`: True when a waiting push was settled."""
    if not publish_id:
        return False
    with transaction.atomic():
        push = _locked(account, publish_id=str(publish_id))
        if push is not None and push.state == S.DONE and int(status) == 0:
            return fill_urls(push, urls)
        if push is None or push.state not in WAITING:
            return False
        if int(status) == 0:
            return complete(push, article_id, urls)
        if int(status) == 1:
            return False  # still publishing
        indexes = [int(i) for i in fail_idx or []]
        return fail(push, Note("publish_failed", reason=int(status)), indexes)


def mass_send_finished(account, msg_id, status, urls, reach=None):
    """MASSSENDJOBFINISH or `message/mass/get`: True when a waiting push was settled.

    `reach` is the event's counts (`Push.followers_*`); `mass/get` has none. They are kept whichever path settled
    the push, so its page says how many followers WeChat actually sent it to (issue 12 item 1)."""
    if not msg_id:
        return False
    with transaction.atomic():
        push = _locked(account, msg_id=str(msg_id))
        if push is not None and reach:
            _keep_reach(push, reach)
        if push is not None and push.state == S.DONE and str(status).strip().lower() == "send success":
            return fill_urls(push, urls)
        if push is None or push.state not in WAITING:
            return False
        if str(status).strip().lower() == "send success":
            return complete(push, "", urls)
        return fail(push, Note("mass_send_failed", status=str(status)))


def _keep_reach(push, reach):
    """Store the event's counts once, and say in the history how many followers WeChat left out."""
    if push.followers_total is not None:
        return
    Push.objects.filter(pk=push.pk, followers_total__isnull=True).update(**reach)
    for field, value in reach.items():
        setattr(push, field, value)
    note = Note("followers_reached", sent=push.followers_sent or 0, total=push.followers_total)
    if push.followers_filtered:
        note = Note(
            "followers_filtered", sent=push.followers_sent or 0, total=push.followers_total, n=push.followers_filtered
        )
    record(push, "followers", note, **reach)


def match_mass_event(event, result):
    """Give a MASSSENDJOBFINISH whose MsgID no push holds to the one mass push it can only belong to; True if it did.

    A mass send whose answer was lost has no msg_id; asked again, WeChat may answer 40007 (the lost send took the
    draft) instead of 45065 with the msg_id. Its result event then names a MsgID the site never saw. An account
    sends to everyone once a day (Batch_Sends), so an event that comes after such a push was sent, with its number of
    articles, while it is the account's only mass push waiting without a msg_id, is its result. Anything less
    certain is left for `mass/get`, the Health page and a person (`verdicts.py`).
    """
    if result is None or Push.objects.filter(account=event.account, msg_id=result["msg_id"]).exists():
        return False
    since = event.received_at - datetime.timedelta(days=1)
    waiting = list(
        Push.objects.filter(
            account=event.account,
            mode=Push.Mode.MASS_SEND,
            state=S.UNKNOWN,
            msg_id="",
            sent_at__gte=since,
            sent_at__lte=event.received_at,
        )[:2]
    )
    if len(waiting) != 1:
        return False
    if result["urls"] and len(_sent_items(waiting[0])) != len(result["urls"]):
        return False  # another send's articles (WeChat's events sometimes carry none: then the day's rule decides)
    push = waiting[0]
    if not Push.objects.filter(pk=push.pk, state=S.UNKNOWN, msg_id="").update(msg_id=result["msg_id"]):
        return False
    push.msg_id = result["msg_id"]
    record(push, "reconciled", Note("mass_event_matched", msg_id=result["msg_id"]), msg_id=result["msg_id"])
    return bool(mass_send_finished(event.account, **result))


def waiting_mass_event(push):
    """After a re-send answered 40007: a stored result event nobody claimed that can only be this push's."""
    events = CallbackEvent.objects.filter(
        account=push.account, event__iexact="MASSSENDJOBFINISH", received_at__gte=push.sent_at
    ).order_by("received_at")
    return any(match_mass_event(event, mass_send_result(event.payload)) for event in events)


def is_result_event(event):
    """Whether a stored callback is WeChat's verdict on a publish or a mass send."""
    name = event.event.upper()
    return name in PUBLISH_EVENTS or name == MASS_SEND_EVENT


def apply_event(event):
    """Apply a stored result event (PUBLISHJOBFINISH, MASSSENDJOBFINISH); True when a push was updated."""
    name = event.event.upper()
    if name in PUBLISH_EVENTS:
        result = publish_result(event.payload)
        if result is None:
            logger.warning("WeChat %s event %s without a usable PublishEventInfo", name, event.pk)
            return False
        return bool(publish_finished(event.account, **result))
    result = mass_send_result(event.payload)
    if result is None:
        logger.warning("WeChat MASSSENDJOBFINISH event %s without MsgID", event.pk)
        return False
    return bool(mass_send_finished(event.account, **result)) or match_mass_event(event, result)


def apply_waiting(push):
    """Apply a result event that arrived before the push recorded its ids; always False (no further step)."""
    if push.publish_id:
        key = f"publish:{push.publish_id}"
    elif push.msg_id:
        key = f"mass:{push.msg_id}"
    else:
        return False
    event = push_rows.get(CallbackEvent, account=push.account_id, dedupe_key=key)
    if event is not None and is_result_event(event):
        apply_event(event)
    return False
