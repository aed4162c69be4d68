"""What a person does to a push from the admin: retry a failed one, cancel one that has not gone out.

Settling a push WeChat never confirmed is `verdicts.py`; the worker's own steps are `delivery.py`.
"""

from django.utils.translation import gettext as _

from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem
from wechat_channel.results import WECHAT_FAILED

S = Push.State


def retry(push, user=None):
    """Put a failed push back to work from the step it stopped at; its results so far are kept.

    A push WeChat itself failed (PUBLISHJOBFINISH 2/3/4, MASSSENDJOBFINISH `err(…)`) used up its draft: it is made
    again from the pages as they are now (the draft box's backup of the failed one is removed first, `_prepare`),
    and a mass send gets a new `clientmsgid`, since WeChat would answer the old one with the failed send (45065).
    """
    if push.state != S.FAILED:
        raise ValueError(_("Only a failed push can be retried."))
    state, fresh = S.PLANNED, {}
    if (push.error_note or {}).get("text") in WECHAT_FAILED:
        state = S.PREPARING
        again = push.events.filter(action="failed", data__text__in=WECHAT_FAILED).count()
        fresh = {"draft_media_id": "", "sent_at": None, "publish_id": "", "msg_id": "", "msg_data_id": ""}
        fresh["clientmsgid"] = f"newsroom-{push.pk}-{again}" if push.clientmsgid else ""
    elif push.sent_at:
        state = S.UNKNOWN  # it may have gone out: reconcile first
    elif push.draft_media_id:
        state = S.DRAFTED
    push.items.filter(state=PushItem.State.FAILED).update(
        state=PushItem.State.QUEUED, error_message="", error_note={}, problems=[]
    )
    Push.objects.filter(pk=push.pk, state=S.FAILED).update(
        state=state,
        attempts=0,
        next_attempt_at=None,
        error_code=None,
        error_kind="",
        error_message="",
        error_note={},
        finished_at=None,
        claimed_by="",
        claimed_at=None,
        **fresh,
    )
    record(push, "retried", Note("retried"), by=getattr(user, "pk", None))
    push.refresh_from_db()
    return push


def cancel(push, user=None):
    """Cancel a push that has not gone out; its articles are released for planning again."""
    if push.state in (S.SENDING, S.UNKNOWN, S.SUBMITTED, S.DONE, S.CANCELLED):
        raise ValueError(_("This push has gone out or is going out and cannot be cancelled."))
    if not Push.objects.filter(pk=push.pk, state=push.state, claimed_by="").update(state=S.CANCELLED):
        raise ValueError(_("The push is being worked on; try again in a moment."))
    titles = list(push.items.values_list("title", flat=True))
    push.items.all().delete()
    record(push, "cancelled", Note("cancelled"), by=getattr(user, "pk", None), titles=titles)
    push.refresh_from_db()
    return push
