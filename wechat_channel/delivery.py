"""A push from its slot to WeChat, exactly once.

Each step records its result before the next begins, so a step that runs twice
(a retried task, a killed worker) finds its work done and goes on:

    planned → preparing (images, covers) → drafted (one draft per push)
            → sending → submitted (publish_id / msg_id) → done
                     ↘ unknown (the answer was lost) → reconciled, never blindly resent

A worker holds a push through a claim (`claimed_by`, `claimed_at`) taken with a
compare-and-set UPDATE: on PostgreSQL the row lock of that UPDATE, re-checked
under READ COMMITTED, lets exactly one worker win; SQLite serialises writers.
Every later write is fenced by the same claim and by the state the worker last saw,
so a worker whose lease expired cannot overwrite the one that took over, nor a
holding worker an outcome WeChat's word settled meanwhile (`results`).
"""

import datetime
import os
import socket
import threading

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wechat_channel import drafting, push_rows, quotas, results
from wechat_channel.adapters import adapters_for
from wechat_channel.conf import get_conf
from wechat_channel.content.article import ContentRejected
from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import Push, PushEvent, PushItem, WeChatAccount
from wechat_channel.notify import planner_told, system_error
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

S = Push.State
RUNNABLE = (S.PLANNED, S.PREPARING, S.DRAFTED, S.SENDING, S.UNKNOWN, S.SUBMITTED)  # the states a worker advances
MASS_SEND_USED = 45028  # sends for this period used up (WECHAT.md §5)
CLIENTMSGID_TOO_FAST = 45066  # the same clientmsgid again within a minute (WECHAT.md §5, §12): later, not failed
LOST_ANSWER_RECHECK = datetime.timedelta(seconds=5)
UNCONFIRMED_AFTER = datetime.timedelta(days=1)  # an unknown publish nobody can find is parked after this


class LostClaim(Exception):
    """Another worker took the push over (this one's lease expired); stop without writing."""


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(push_id, worker, now=None):
    """The push, held by `worker`, when it is due and free (or its holder's lease expired); else None."""
    now = now or timezone.now()
    lease = now - datetime.timedelta(seconds=get_conf("CLAIM_LEASE_SECONDS"))
    if not push_rows.claim(Push, push_id, worker, now, lease, RUNNABLE):
        return None
    return push_rows.get_with(Push, "account", pk=push_id)


def _save(push, worker, **fields):
    """Write `fields` only while `worker` still holds the push and it is in the state the worker last saw.

    WeChat's verdict may settle a push while a worker holds it (a result event, `results.match_mass_event`): the
    worker then stops instead of writing its older state over the outcome (a push "done" twice otherwise)."""
    now = timezone.now()
    fields.setdefault("claimed_at", now)
    fields["updated_at"] = now
    if not push_rows.update(Push, fields, pk=push.pk, claimed_by=worker, state=push.state):
        raise LostClaim(push.pk)
    for name, value in fields.items():
        setattr(push, name, value)


def _client(push):
    """The account's WeChat client, made once per `advance`: the push object lives as long as the claim."""
    client = getattr(push, "_wechat_client", None)
    if client is None:
        client = push._wechat_client = client_for(push.account)
    return client


def _release(push, worker):
    push_rows.update(Push, {"claimed_by": "", "claimed_at": None}, pk=push.pk, claimed_by=worker)


def advance(push_id, worker=None, now=None):
    """Take the push as far as it can go now; None when it was not due or another worker holds it."""
    worker = worker or worker_name()
    push = claim(push_id, worker, now=now)
    if push is None:
        return None
    try:
        for _step in range(8):
            step = STEPS.get(push.state)
            if step is None or not step(push, worker):
                break
    except LostClaim:
        return push
    except WeChatCallError as error:
        _call_failed(push, worker, error)
    finally:
        _release(push, worker)
    return push


# The steps: each returns True when the push moved on and the next step may run now.


def _start(push, worker):
    _save(push, worker, state=S.PREPARING, step_started_at=timezone.now())
    record(push, "started", Note("started", mode=push.mode))
    return True


def _fall_back(push, worker, text):
    """The mass-send allowance is used: publish instead (no notification), or leave a draft."""
    fallback = Push.Mode.PUBLISH if quotas.can_publish(push.account) else Push.Mode.DRAFT_ONLY
    _save(push, worker, mode=fallback, state=S.DRAFTED, clientmsgid="", sent_at=None)
    record(push, "mass_send_used", Note(text, mode=fallback))
    return True


def _heartbeat(push, worker):
    """Renew the claim during long uploads, at most a few times per lease."""
    if timezone.now() - (push.claimed_at or timezone.now()) > datetime.timedelta(
        seconds=get_conf("CLAIM_LEASE_SECONDS") / 4
    ):
        _save(push, worker)


def _prepare(push, worker):
    client = _client(push)
    queued = push.items.filter(state=PushItem.State.QUEUED).annotate(page_type=F("page__content_type_id"))
    items = list(queued.order_by("position", "pk"))
    adapters = adapters_for(
        [item.page_id for item in items if item.page_id], page_types={item.page_id: item.page_type for item in items}
    )
    ready = []
    for item in items:
        if item.page_id not in adapters:
            _park_item(item, Note("page_gone"))
        else:
            ready.append(item)
    draft = drafting.Draft(
        push.account, client, [adapters[item.page_id] for item in ready], progress=lambda: _heartbeat(push, worker)
    )
    articles, kept, refused = [], [], []
    for index, (item, article) in enumerate(zip(ready, draft.build(), strict=True)):
        if isinstance(article, ContentRejected):
            note = Note.of_problems(article.problems)
            _park_item(item, note, article.problems)
            refused.append(Note("article_failed", title=item.title, reason=note.as_dict()).as_dict())
        else:
            articles.append(article)
            kept.append(index)
    if not articles:
        _park(push, worker, Note("nothing_sendable_because", reasons=refused) if refused else Note("nothing_sendable"))
        return False
    if push.draft_media_id:
        _save(push, worker, state=S.DRAFTED)
        return True
    titles = [article["title"] for article in articles]
    requested = push_rows.latest(PushEvent, ("id", "data"), push=push.pk, action="draft_requested")
    failed_titles = _failed_draft_titles(push, requested)
    if failed_titles is not None:
        removed = drafting.remove_drafts(client, failed_titles)  # the draft box's backup of what WeChat failed
        if removed:
            record(push, "backup_removed", Note("backup_removed", n=len(removed)), media_ids=removed)
    elif requested is not None:
        found = drafting.find_draft(client, titles)  # an earlier draft/add whose answer was lost
        if found:
            _save(push, worker, draft_media_id=found, state=S.DRAFTED)
            record(push, "draft_found", Note("draft_found"), media_id=found)
            return True
    record(push, "draft_requested", "", titles=titles)
    media_id = draft.add(articles, kept, on_refresh=lambda count: _images_refreshed(push, count))
    _save(push, worker, draft_media_id=media_id, state=S.DRAFTED)
    record(push, "drafted", Note("drafted", n=len(articles)), media_id=media_id)
    return True


def _failed_draft_titles(push, requested):
    """The titles of the draft WeChat failed, when no draft was asked for since (a retry after its verdict);
    `requested` is the push's latest "draft_requested" history line, or None."""
    if requested is None:
        return None
    if not push.events.filter(action="failed", data__text__in=results.WECHAT_FAILED, pk__gt=requested.pk).exists():
        return None
    return requested.data.get("titles") or None


def _images_refreshed(push, count):
    record(push, "images_refreshed", Note("images_refreshed", n=count))


def _send(push, worker):
    client = _client(push)
    now = timezone.now()
    if push.mode == Push.Mode.DRAFT_ONLY:
        push.items.filter(state=PushItem.State.QUEUED).update(state=PushItem.State.DRAFTED)
        _save(push, worker, state=S.DONE, finished_at=now)
        record(push, "done", Note("draft_waits"))
        return False
    if push.mode == Push.Mode.MASS_SEND:
        with transaction.atomic():
            # Checking the allowance and taking it (state sending counts as used) happen under the account's
            # lock, so two pushes due together do not both mass-send on a subscription account's one-a-day.
            WeChatAccount.objects.select_for_update().filter(pk=push.account_id).first()
            if not quotas.mass_send_left(push.account, now, exclude=push):
                return _fall_back(push, worker, "mass_send_used")
            clientmsgid = push.clientmsgid or f"newsroom-{push.pk}"
            _save(push, worker, state=S.SENDING, clientmsgid=clientmsgid, sent_at=now)
        try:
            answer = client.mass.send_to_all(push.draft_media_id, clientmsgid)
        except WeChatCallError as error:
            if _draft_lost(push, worker, error):
                return True
            if error.code != MASS_SEND_USED:
                raise
            # WeChat counts sends made elsewhere too (mp.weixin.qq.com); it answered, so nothing was sent.
            return _fall_back(push, worker, "mass_send_used_on_wechat")
        _save(push, worker, state=S.SUBMITTED, msg_id=answer["msg_id"], msg_data_id=answer.get("msg_data_id") or "")
        record(push, "sent", Note("mass_send_accepted"), msg_id=answer["msg_id"], duplicate=answer.get("duplicate"))
    else:
        _save(push, worker, state=S.SENDING, sent_at=now)
        try:
            answer = client.publishing.submit(push.draft_media_id)
        except WeChatCallError as error:
            if _taken_by_a_lost_submit(push, error):
                record(push, "draft_taken", Note("draft_taken"))
                _save(push, worker, state=S.UNKNOWN)
                return _unconfirmed(push, worker)
            if _draft_lost(push, worker, error):
                return True
            raise
        _save(
            push,
            worker,
            state=S.SUBMITTED,
            publish_id=answer["publish_id"],
            msg_data_id=answer.get("msg_data_id") or "",
        )
        record(push, "sent", Note("publishing_accepted"), publish_id=answer["publish_id"])
    return results.apply_waiting(push)  # the result event may have come before we saved the ids


def _since(push, *actions):
    """The pk of the push's latest history line among `actions` (0 when none): what came after it is current."""
    latest = push.events.filter(action__in=actions).order_by("-pk").values_list("pk", flat=True).first()
    return latest or 0


def _taken_by_a_lost_submit(push, error):
    """40007 for a draft whose earlier submit lost its answer: that submit may have been processed after the draft
    was seen still there (WeChat answers late, or acts on a request whose answer timed out). The draft was taken by
    it, so nothing is made again: the push waits for WeChat's word (the result event, `freepublish/batchget`)."""
    if error.code != drafting.MEDIA_ID_INVALID:
        return False
    made = _since(push, "drafted", "draft_found", "retried")
    return push.events.filter(action="answer_lost", pk__gt=made).exists()


def _draft_lost(push, worker, error):
    """WeChat answered 40007 for the push's draft (deleted on mp.weixin.qq.com, a restarted sandbox): nothing went
    out, so the draft is made again, once per editor's retry. True when the push went back to preparing."""
    if error.code != drafting.MEDIA_ID_INVALID:
        return False
    if push.events.filter(action="draft_lost", pk__gt=_since(push, "retried")).exists():
        return False
    _save(push, worker, state=S.PREPARING, draft_media_id="", sent_at=None)
    record(push, "draft_lost", Note("draft_lost"))
    return True


def _reconcile(push, worker):
    """The send's answer was lost: find out what WeChat did instead of sending again blindly."""
    if push.state == S.SENDING:
        # Its worker stopped during the call (killed, or its lease ran out). WeChat may still act on that send later,
        # as on one whose answer was lost, so it counts as one: a 40007 for the draft after a submit again then means
        # that send took the draft (`_taken_by_a_lost_submit`), not that the draft is gone and must be made again.
        _save(push, worker, state=S.UNKNOWN)
        record(push, "answer_lost", Note("stopped_mid_call"))
    client = _client(push)
    if push.mode == Push.Mode.MASS_SEND:
        # The same clientmsgid is deduplicated by WeChat for 24 h: 45065 returns the msg_id of the first send (asked
        # no sooner than a minute after the last try: `_resend_wait`).
        try:
            answer = client.mass.send_to_all(push.draft_media_id, push.clientmsgid)
        except WeChatCallError as error:
            if error.code != drafting.MEDIA_ID_INVALID:
                raise
            # Whether WeChat checks the clientmsgid before the draft is undocumented: 40007 here may mean the lost
            # send took the draft. Nothing says it failed, so the push keeps waiting for WeChat's word: its result
            # event, which may have come already under a MsgID the site never saw.
            if results.waiting_mass_event(push):
                return False
            return _unconfirmed(push, worker)
        _save(push, worker, state=S.SUBMITTED, msg_id=answer["msg_id"], msg_data_id=answer.get("msg_data_id") or "")
        record(
            push, "reconciled", Note("mass_send_confirmed"), msg_id=answer["msg_id"], duplicate=answer.get("duplicate")
        )
        return results.apply_waiting(push)
    if client.drafts.get(push.draft_media_id) is not None:
        _save(push, worker, state=S.DRAFTED)  # the draft is still there: the submit never took
        record(push, "reconciled", Note("not_submitted"))
        return True
    found = drafting.find_published(client, push)
    if found is not None:
        _save(push, worker, article_id=found["article_id"])
        results.complete(push, found["article_id"], found["urls"])
        record(push, "reconciled", Note("found_published"))
        return False
    return _unconfirmed(push, worker)


def _unconfirmed(push, worker):
    """Nothing found of a send whose answer was lost: look again later; a day on, a person must check."""
    if push.sent_at and timezone.now() - push.sent_at > UNCONFIRMED_AFTER:
        _park(push, worker, Note("never_confirmed"))
        return False
    _save(
        push, worker, next_attempt_at=timezone.now() + datetime.timedelta(seconds=get_conf("RESULT_POLL_AFTER_SECONDS"))
    )
    return False


def _resend_wait(push, error):
    """How long before asking again: a mass send's clientmsgid may not be sent again within a minute (45066)."""
    if push.mode == Push.Mode.MASS_SEND and (error.lost or error.code == CLIENTMSGID_TOO_FAST):
        return datetime.timedelta(seconds=get_conf("MASS_RESEND_AFTER_SECONDS"))
    return None


def _await(push, worker):
    """Submitted: the callback usually settles it; poll WeChat when it is late."""
    now = timezone.now()
    due = (push.sent_at or now) + datetime.timedelta(seconds=get_conf("RESULT_POLL_AFTER_SECONDS"))
    if now < due:
        _save(push, worker, next_attempt_at=due)
        return False
    client = _client(push)
    if push.mode == Push.Mode.PUBLISH:
        status = client.publishing.get(push.publish_id)
        urls = {
            int(item["idx"]): item.get("article_url", "")
            for item in (status.get("article_detail") or {}).get("item", [])
        }
        settled = results.publish_finished(
            push.account,
            push.publish_id,
            int(status.get("publish_status", 1)),
            status.get("article_id", ""),
            urls,
            status.get("fail_idx") or [],
        )
    else:
        # `mass/get` says only whether it went out; the article URLs come in MASSSENDJOBFINISH alone (WeChat has
        # no API that lists mass-sent articles), so a stored event not yet processed is applied first.
        results.apply_waiting(push)
        if Push.objects.filter(pk=push.pk).exclude(state__in=results.WAITING).exists():
            return False
        status = client.mass.get(push.msg_id)
        text = {"SEND_SUCCESS": "send success", "SEND_FAIL": "send fail"}.get(status.get("msg_status"))
        settled = bool(text) and results.mass_send_finished(push.account, push.msg_id, text, {})
    if not settled:
        _save(push, worker, next_attempt_at=now + datetime.timedelta(seconds=get_conf("RESULT_POLL_AFTER_SECONDS")))
    return False


STEPS = {
    S.PLANNED: _start,
    S.PREPARING: _prepare,
    S.DRAFTED: _send,
    S.SENDING: _reconcile,  # a worker died during the call: same as a lost answer
    S.UNKNOWN: _reconcile,
    S.SUBMITTED: _await,
}


# Failures.


def _backoff(attempts):
    return min(get_conf("BACKOFF_CAP_SECONDS"), get_conf("BACKOFF_SECONDS") * 2 ** max(0, attempts - 1))


def _call_failed(push, worker, error):
    now = timezone.now()
    note = Note.of_error(error)
    fields = {
        "error_code": error.code,
        "error_kind": error.kind,
        "error_message": str(error)[:2000],
        "error_note": note.as_dict(),
    }
    try:
        if error.lost and push.state == S.SENDING:
            wait = _resend_wait(push, error) or LOST_ANSWER_RECHECK
            _save(push, worker, state=S.UNKNOWN, next_attempt_at=now + wait, **fields)
            record(push, "answer_lost", note, code=error.code)
            return
        if error.kind == "permanent":
            _park(push, worker, note, **fields)
            return
        attempts = push.attempts + 1
        if attempts >= get_conf("MAX_ATTEMPTS"):
            _park(push, worker, Note("gave_up", n=attempts, error=note.params["error"]), attempts=attempts, **fields)
            return
        state = S.DRAFTED if push.state == S.SENDING else push.state  # WeChat answered: it did not send
        wait = max(datetime.timedelta(seconds=_backoff(attempts)), _resend_wait(push, error) or datetime.timedelta())
        _save(push, worker, state=state, attempts=attempts, next_attempt_at=now + wait, **fields)
        record(push, "retry_later", note, code=error.code, attempts=attempts)
    except LostClaim:
        pass


def _park(push, worker, note, **fields):
    """Park the push as failed for a person, with `note` (a `history.Note`) as the reason."""
    fields.pop("error_message", None)
    fields["error_note"] = note.as_dict()
    _save(push, worker, state=S.FAILED, finished_at=timezone.now(), error_message=str(note)[:2000], **fields)
    record(push, "failed", note)
    system_error(push, note)
    # Articles that failed on their own were told already (`_park_item`); the rest failed with the push.
    for item in push.items.filter(state=PushItem.State.QUEUED):
        planner_told(item, note)


def _park_item(item, note, problems=()):
    item.state = PushItem.State.FAILED
    item.error_message = str(note)[:2000]
    item.error_note = note.as_dict()
    item.problems = [problem.as_data() for problem in problems]
    item.save(update_fields=["state", "error_message", "error_note", "problems"])
    record(item.push, "article_failed", Note("article_failed", title=item.title, reason=note.as_dict()), item=item.pk)
    planner_told(item, note)
