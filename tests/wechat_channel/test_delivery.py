"""Exactly once: each step recorded before the next, lost answers reconciled, claims fenced (issue 4)."""

import datetime

import pytest
import requests
from django.core import mail
from django.core.cache import cache
from django.utils import timezone, translation

from tests.wechat_channel.conftest import APPID, SECRET, wait_for
from tests.wechat_channel.pushes import due_push
from wechat_channel import delivery
from wechat_channel.conf import get_conf
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.wechat.errors import WeChatCallError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages and history lines are asserted in English; the site's default is Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WECHAT_CHANNEL = {
        **settings.WECHAT_CHANNEL,
        "TIMEOUT": 0.5,
        "RESULT_POLL_AFTER_SECONDS": 0,
        "CLAIM_LEASE_SECONDS": 60,
    }
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    cache.clear()


@pytest.fixture
def account(sandbox):
    return WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        kind="service",
        verified=True,
        api_base_url=sandbox.url,
        secret_env="WECHAT_CAMPUS_SECRET",
    )


@pytest.fixture
def push_of(account, article_factory, people):
    """A due push of `n` live articles in `mode`."""

    def make(n=2, mode=Push.Mode.MASS_SEND):
        return due_push(account, article_factory, people["dept_a"], n=n, mode=mode)

    return make


def faults(sandbox, **config):
    requests.post(sandbox.url + "/sandbox/faults", json=config, timeout=5).raise_for_status()


def succeeded(sandbox, path):
    return [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/" + path and c["errcode"] == 0]


def wechat_drafts(sandbox):
    return len(sandbox.sandbox.drafts.of_account(APPID))


def later(seconds=60):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_a_push_goes_out_once_and_a_second_run_changes_nothing(sandbox, push_of):
    push = push_of(3)

    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED and push.msg_id and push.clientmsgid == f"newsroom-{push.pk}"
    assert delivery.advance(push.pk) is None or Push.objects.get(pk=push.pk).state != Push.State.PLANNED
    requests.post(sandbox.url + "/sandbox/publishing/complete", timeout=5)
    delivery.advance(push.pk, now=later())  # no callback here: polling settles it

    push.refresh_from_db()
    assert push.state == Push.State.DONE
    assert len(succeeded(sandbox, "draft/add")) == 1 and len(succeeded(sandbox, "message/mass/sendall")) == 1
    assert set(push.items.values_list("state", flat=True)) == {PushItem.State.PUBLISHED}
    assert list(push.events.values_list("action", flat=True))[:3] == ["started", "draft_requested", "drafted"]


def test_a_lost_mass_send_answer_is_reconciled_by_clientmsgid_without_a_second_send(sandbox, push_of):
    push = push_of(2)
    faults(sandbox, paths={"message/mass/sendall": {"timeout": 1.0}}, timeout_seconds=1.0)

    delivery.advance(push.pk)

    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN and push.error_kind == "retryable"
    assert wait_for(lambda: succeeded(sandbox, "message/mass/sendall"))  # WeChat did send it
    faults(sandbox)
    assert delivery.advance(push.pk, now=later(30)) is None  # not before a minute: WeChat would answer 45066

    a_minute = get_conf("MASS_RESEND_AFTER_SECONDS")
    sandbox.sandbox.state.clock.advance(a_minute)
    delivery.advance(push.pk, now=later(a_minute))

    push.refresh_from_db()
    assert push.state in (Push.State.SUBMITTED, Push.State.DONE) and push.msg_id
    sends = [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/message/mass/sendall"]
    assert [c["errcode"] for c in sends] == [0, 45065]  # asked again, WeChat answered "already sent"
    assert push.events.filter(action="answer_lost").exists() and push.events.filter(action="reconciled").exists()


def test_asked_again_too_soon_a_mass_send_waits_a_minute_and_is_never_failed(sandbox, push_of):
    """45066 (the same clientmsgid within a minute) means "later": the push waits a minute and then learns its
    msg_id; it is neither failed nor sent twice (WECHAT.md §5, §12)."""
    push = push_of(2)
    faults(sandbox, paths={"message/mass/sendall": {"timeout": 1.0}}, timeout_seconds=1.0)
    delivery.advance(push.pk)
    assert wait_for(lambda: succeeded(sandbox, "message/mass/sendall"))
    faults(sandbox)

    a_minute = get_conf("MASS_RESEND_AFTER_SECONDS")
    delivery.advance(push.pk, now=later(a_minute))  # the site's minute has passed, WeChat's has not
    push.refresh_from_db()
    assert (push.state, push.error_code, push.error_kind) == (Push.State.UNKNOWN, 45066, "retryable")
    assert push.next_attempt_at >= later(a_minute - 1)

    sandbox.sandbox.state.clock.advance(a_minute)
    delivery.advance(push.pk, now=later(3 * a_minute))
    push.refresh_from_db()
    assert push.state in (Push.State.SUBMITTED, Push.State.DONE) and push.msg_id
    sends = [c["errcode"] for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/message/mass/sendall"]
    assert sends == [0, 45066, 45065] and len(sandbox.sandbox.mass.sends) == 1


def test_a_lost_publish_answer_is_found_instead_of_published_again(sandbox, push_of):
    push = push_of(2, mode=Push.Mode.PUBLISH)
    faults(sandbox, paths={"freepublish/submit": {"timeout": 1.0}}, timeout_seconds=1.0)
    requests.post(sandbox.url + "/sandbox/publishing", json={"publish_delay": 0}, timeout=5)

    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN
    assert wait_for(lambda: succeeded(sandbox, "freepublish/submit"))
    faults(sandbox)
    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert len(succeeded(sandbox, "freepublish/submit")) == 1  # never submitted twice
    assert all(url.startswith(sandbox.url) for url in push.items.values_list("wechat_url", flat=True))


def test_a_draft_taken_by_a_lost_submit_that_was_processed_late_is_never_made_and_submitted_again(sandbox, push_of):
    """The soak's 26 submits for 25 pushes (issue 12): a submit's answer was lost; reconciling still saw the draft
    (WeChat had not yet acted on that request), so the push submitted it again; by then the lost submit had taken it
    and WeChat answered 40007. That 40007 is not a lost draft: nothing is made again, and the push waits for
    WeChat's word, which then finds the one publication."""
    push = push_of(2, mode=Push.Mode.PUBLISH)
    faults(sandbox, paths={"freepublish/submit": {"timeout": 1.0}}, timeout_seconds=1.0)
    requests.post(sandbox.url + "/sandbox/publishing", json={"publish_delay": 0}, timeout=5)
    delivery.advance(push.pk)
    assert wait_for(lambda: succeeded(sandbox, "freepublish/submit"))  # the lost submit, processed late
    faults(sandbox)
    # What reconciling wrote when it looked before WeChat acted: the draft was there, so submit it again.
    Push.objects.filter(pk=push.pk).update(state=Push.State.DRAFTED, next_attempt_at=None)

    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN and push.events.filter(action="draft_taken").exists()
    assert "took it" in push.events.get(action="draft_taken").message

    delivery.advance(push.pk, now=later())
    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert len(succeeded(sandbox, "freepublish/submit")) == 1 and len(succeeded(sandbox, "draft/add")) == 1
    assert len(sandbox.sandbox.publisher.published(APPID)) == 1


def test_a_publish_wechat_failed_is_retried_from_a_new_draft_and_its_backup_is_removed(sandbox, push_of):
    """WeChat keeps a backup of a draft whose publishing failed (草稿箱功能说明, 五): the editor's retry removes it and
    publishes a draft made from the pages now: one publication, nothing left in the draft box (issue 12 item 2)."""
    push = push_of(2, mode=Push.Mode.PUBLISH)
    requests.post(sandbox.url + "/sandbox/publishing", json={"publish_delay": 0}, timeout=5)
    faults(sandbox, jobs={"publish_failure": 1.0})
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=later())  # polled: freepublish/get says 3
    push.refresh_from_db()
    assert push.state == Push.State.FAILED and "publishing failed" in push.error_message
    assert wechat_drafts(sandbox) == 1  # WeChat's backup

    faults(sandbox)
    delivery.retry(push)
    assert push.state == Push.State.PREPARING and not push.draft_media_id and not push.publish_id
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert set(push.items.values_list("state", flat=True)) == {PushItem.State.PUBLISHED}
    assert len(sandbox.sandbox.publisher.published(APPID)) == 1 and wechat_drafts(sandbox) == 0
    assert len(succeeded(sandbox, "draft/delete")) == 1 and len(succeeded(sandbox, "freepublish/submit")) == 2
    assert push.events.filter(action="backup_removed").exists()


def test_a_mass_send_wechat_failed_is_sent_again_under_a_new_clientmsgid(sandbox, push_of):
    """The old clientmsgid would be answered with the failed send (45065): the retry sends under a new one."""
    push = push_of(1)
    requests.post(sandbox.url + "/sandbox/publishing", json={"mass_delay": 0}, timeout=5)
    faults(sandbox, jobs={"mass_failure": 1.0})
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=later())  # polled: mass/get says SEND_FAIL
    push.refresh_from_db()
    assert push.state == Push.State.FAILED and push.clientmsgid == f"newsroom-{push.pk}"

    faults(sandbox)
    delivery.retry(push)
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert push.clientmsgid == f"newsroom-{push.pk}-1"
    assert [c["errcode"] for c in sandbox.calls.as_list() if c["path"].endswith("mass/sendall")] == [0, 0]
    assert wechat_drafts(sandbox) == 0


def test_a_submit_wechat_refused_is_made_again_and_an_unknown_one_with_its_draft_still_there_too(sandbox, push_of):
    unknown = push_of(1, mode=Push.Mode.PUBLISH)
    faults(sandbox, paths={"freepublish/submit": {"system_error": 1.0}})
    delivery.advance(unknown.pk)
    unknown.refresh_from_db()
    assert unknown.state == Push.State.DRAFTED and unknown.attempts == 1  # WeChat answered -1: not sent
    Push.objects.filter(pk=unknown.pk).update(state=Push.State.UNKNOWN, next_attempt_at=None)
    faults(sandbox)
    delivery.advance(unknown.pk)

    unknown.refresh_from_db()
    assert unknown.state == Push.State.SUBMITTED
    assert unknown.events.filter(action="reconciled", message__contains="not submitted").exists()


def test_only_one_worker_claims_a_push_and_a_late_worker_cannot_write(push_of):
    push = push_of(1)
    assert delivery.claim(push.pk, "worker-a") is not None
    assert delivery.claim(push.pk, "worker-b") is None  # held

    taken = delivery.claim(push.pk, "worker-b", now=later(3600))  # worker-a went silent past its lease
    assert taken is not None and Push.objects.get(pk=push.pk).claimed_by == "worker-b"
    with pytest.raises(delivery.LostClaim):
        delivery._save(push, "worker-a", state=Push.State.FAILED)
    assert Push.objects.get(pk=push.pk).state == Push.State.PLANNED


def test_a_worker_killed_mid_send_leaves_a_push_the_sweep_reconciles(sandbox, push_of):
    push = push_of(1)
    delivery.advance(push.pk)
    push.refresh_from_db()
    # A worker that died after sendall went out but before it saved the answer: state sending, claim held.
    Push.objects.filter(pk=push.pk).update(
        state=Push.State.SENDING, msg_id="", claimed_by="dead", claimed_at=timezone.now()
    )

    assert delivery.advance(push.pk) is None  # still held
    sandbox.sandbox.state.clock.advance(3600)  # an hour on for WeChat too
    delivery.advance(push.pk, now=later(3600))

    push.refresh_from_db()
    assert push.state in (Push.State.SUBMITTED, Push.State.DONE) and push.msg_id
    assert len(succeeded(sandbox, "message/mass/sendall")) == 1


def test_a_permanent_error_parks_the_push_and_tells_the_channel_administrators(sandbox, push_of, people):
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "verified": False}, timeout=5)
    push = push_of(1)

    delivery.advance(push.pk)

    push.refresh_from_db()
    assert push.state == Push.State.FAILED and push.error_code == 48001
    assert "48001" in push.error_message or "权限" in push.error_message or "unauthori" in push.error_message
    assert mail.outbox and push.account.name in mail.outbox[0].subject
    assert people["channel"].email in mail.outbox[0].to


def test_retry_resumes_from_the_step_it_stopped_at_and_cancel_releases_the_articles(sandbox, push_of):
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "verified": False}, timeout=5)
    push = push_of(2)
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.FAILED and push.draft_media_id

    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "verified": True}, timeout=5)
    delivery.retry(push)
    assert push.state == Push.State.UNKNOWN  # it had been sent: reconcile first
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state in (Push.State.SUBMITTED, Push.State.DONE)
    assert len(succeeded(sandbox, "draft/add")) == 1  # the draft was kept

    other = push_of(1)
    delivery.cancel(other)
    assert other.state == Push.State.CANCELLED and not other.items.exists()
    with pytest.raises(ValueError, match="gone out"):
        delivery.cancel(push)  # it went out


def test_an_article_wechat_refuses_is_parked_and_the_rest_go_out(sandbox, push_of):
    push = push_of(2)
    item = push.items.get(position=1)
    type(item.page.specific).objects.filter(pk=item.page_id).update(text_author="很长的作者名字" * 4)  # > 16 字

    delivery.advance(push.pk)

    push.refresh_from_db()
    item.refresh_from_db()
    assert push.state == Push.State.SUBMITTED
    assert item.state == PushItem.State.FAILED and "16" in item.error_message


def test_two_pushes_due_together_on_a_subscription_account_mass_send_once(sandbox, account, push_of):
    WeChatAccount.objects.filter(pk=account.pk).update(kind="subscription")
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "kind": "subscription"}, timeout=5)
    first, second = push_of(1), push_of(1)

    delivery.advance(first.pk)
    delivery.advance(second.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.mode, first.state) == (Push.Mode.MASS_SEND, Push.State.SUBMITTED)
    assert (second.mode, second.state) == (Push.Mode.PUBLISH, Push.State.SUBMITTED)  # published without notifying
    assert len(succeeded(sandbox, "message/mass/sendall")) == 1 and len(succeeded(sandbox, "freepublish/submit")) == 1
    assert second.events.filter(action="mass_send_used").exists()


def test_a_mass_send_used_on_mp_weixin_falls_back_to_publishing(sandbox, account, push_of):
    WeChatAccount.objects.filter(pk=account.pk).update(kind="subscription")
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "kind": "subscription"}, timeout=5)
    elsewhere = push_of(1)
    delivery.advance(elsewhere.pk)  # the day's one mass send, which the site then forgets about
    Push.objects.filter(pk=elsewhere.pk).delete()
    push = push_of(1)

    delivery.advance(push.pk)

    push.refresh_from_db()
    assert (push.mode, push.state) == (Push.Mode.PUBLISH, Push.State.SUBMITTED)
    sends = [c["errcode"] for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/message/mass/sendall"]
    assert sends == [0, 45028]


def test_an_outcome_learned_twice_settles_the_push_once(sandbox, push_of):
    from wechat_channel import results

    push = push_of(2)
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED

    # The callback, the poll and a reconciling worker may all learn the outcome; the first one wins.
    assert results.complete(push, "article-1", {1: "http://a/1", 2: "http://a/2"}) is True
    assert results.complete(push, "article-1", {1: "http://b/1"}) is False
    assert results.fail(push, Note("never_confirmed")) is False

    push.refresh_from_db()
    assert push.state == Push.State.DONE and push.events.filter(action="done").count() == 1
    assert list(push.items.order_by("position").values_list("wechat_url", flat=True)) == ["http://a/1", "http://a/2"]


def test_a_result_event_after_polling_settled_the_push_still_brings_the_urls(sandbox, push_of):
    from wechat_channel import results

    push = push_of(2)
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED and push.msg_id

    # `message/mass/get` answers only "sent": polling settles the push without URLs ...
    assert results.mass_send_finished(push.account, push.msg_id, "send success", {}) is True
    assert list(push.items.values_list("wechat_url", flat=True)) == ["", ""]
    # ... and the MASSSENDJOBFINISH that comes later fills them in, once, without settling it again.
    urls = {1: "http://wx/s/1", 2: "http://wx/s/2"}
    assert results.mass_send_finished(push.account, push.msg_id, "send success", urls) is True
    assert results.mass_send_finished(push.account, push.msg_id, "send success", {1: "http://other/1"}) is False

    push.refresh_from_db()
    assert push.state == Push.State.DONE and push.events.filter(action="done").count() == 1
    assert list(push.items.order_by("position").values_list("wechat_url", flat=True)) == list(urls.values())


def test_polling_alone_brings_the_article_urls_of_a_publish(sandbox, push_of):
    """No result event ever comes (no callback URL): `freepublish/get` still gives every article its link."""
    push = push_of(2, mode=Push.Mode.PUBLISH)
    delivery.advance(push.pk)
    requests.post(sandbox.url + "/sandbox/publishing/complete", timeout=5)

    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE
    urls = list(push.items.order_by("position").values_list("wechat_url", flat=True))
    assert len(urls) == 2 and all(url.startswith(sandbox.url + "/s/") for url in urls)
    assert all(requests.get(url, timeout=5).status_code == 200 for url in urls)  # readers can open them


def test_polling_a_mass_send_applies_its_result_event_waiting_in_the_queue(sandbox, push_of):
    """`mass/get` has no URLs: a MASSSENDJOBFINISH stored but not processed yet settles the push with them."""
    from wechat_channel.models import CallbackEvent

    push = push_of(2)
    delivery.advance(push.pk)
    push.refresh_from_db()
    items = [{"ArticleIdx": str(i), "ArticleUrl": f"http://wx/s/{i}"} for i in (1, 2)]
    CallbackEvent.objects.create(
        account=push.account,
        dedupe_key=f"mass:{push.msg_id}",
        event="MASSSENDJOBFINISH",
        payload={
            "MsgID": push.msg_id,
            "Status": "send success",
            "ArticleUrlResult": {"Count": "2", "ResultList": {"item": items}},
        },
    )

    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE
    assert list(push.items.order_by("position").values_list("wechat_url", flat=True)) == [
        "http://wx/s/1",
        "http://wx/s/2",
    ]


def lost_mass_send(sandbox, push):
    """The push's sendall went out but its answer was lost: WeChat's msg_id, which the site never saw."""
    faults(sandbox, paths={"message/mass/sendall": {"timeout": 1.0}}, timeout_seconds=1.0)
    delivery.advance(push.pk)
    assert wait_for(lambda: succeeded(sandbox, "message/mass/sendall"))
    faults(sandbox)
    push.refresh_from_db()
    assert (push.state, push.msg_id) == (Push.State.UNKNOWN, "")
    (send,) = sandbox.sandbox.mass.sends.values()
    return str(send.msg_id)


def result_event(push, msg_id, n=2):
    from wechat_channel.models import CallbackEvent

    items = [{"ArticleIdx": str(i), "ArticleUrl": f"http://wx/s/{msg_id}-{i}"} for i in range(1, n + 1)]
    return CallbackEvent.objects.create(
        account=push.account,
        dedupe_key=f"mass:{msg_id}",
        event="MASSSENDJOBFINISH",
        payload={
            "MsgID": msg_id,
            "Status": "send success",
            **{"TotalCount": "5", "FilterCount": "5", "SentCount": "5", "ErrorCount": "0"},
            "ArticleUrlResult": {"Count": str(n), "ResultList": {"item": items}},
        },
    )


def test_a_result_event_under_an_unseen_msg_id_settles_the_only_mass_send_whose_answer_was_lost(sandbox, push_of):
    """Issue 12 item 4: a re-send answered 40007 (WeChat checked the draft first) leaves the push without its msg_id;
    the account sends to everyone once a day, so the result event that came meanwhile is this push's."""
    from wechat_channel import callbacks

    push = push_of(2)
    msg_id = lost_mass_send(sandbox, push)
    event = result_event(push, msg_id)
    Push.objects.filter(pk=push.pk).update(state=Push.State.SENDING)  # it came while the worker was in the call
    assert callbacks.apply(event) is False  # nothing waits without a msg_id yet: kept, unclaimed
    Push.objects.filter(pk=push.pk).update(state=Push.State.UNKNOWN, clientmsgid="newsroom-other")  # → 40007

    a_minute = get_conf("MASS_RESEND_AFTER_SECONDS")
    sandbox.sandbox.state.clock.advance(a_minute)
    delivery.advance(push.pk, now=later(a_minute))

    push.refresh_from_db()
    assert (push.state, push.msg_id, push.followers_sent) == (Push.State.DONE, msg_id, 5), push.error_message
    assert list(push.items.order_by("position").values_list("wechat_url", flat=True)) == [
        f"http://wx/s/{msg_id}-1",
        f"http://wx/s/{msg_id}-2",
    ]
    sends = [c["errcode"] for c in sandbox.calls.as_list() if c["path"].endswith("mass/sendall")]
    assert sends == [0, 40007] and push.events.filter(data__text="mass_event_matched").exists()


def test_an_unseen_msg_id_is_claimed_on_arrival_only_when_one_push_can_be_its_own(sandbox, push_of):
    from wechat_channel import callbacks

    push = push_of(2)
    msg_id = lost_mass_send(sandbox, push)
    other = push_of(3)  # a second mass push waiting without a msg_id: which one sent it cannot be told
    Push.objects.filter(pk=other.pk).update(state=Push.State.UNKNOWN, sent_at=timezone.now())
    assert callbacks.apply(result_event(push, msg_id)) is False
    assert set(Push.objects.filter(pk__in=[push.pk, other.pk]).values_list("msg_id", flat=True)) == {""}

    Push.objects.filter(pk=other.pk).update(state=Push.State.CANCELLED)
    assert callbacks.apply(result_event(push, msg_id + "0", n=3)) is False  # another send's three articles
    assert callbacks.apply(result_event(push, msg_id + "1")) is True  # on arrival, once it is the only one
    push.refresh_from_db()
    assert (push.state, push.msg_id) == (Push.State.DONE, msg_id + "1")


def test_a_worker_never_writes_over_an_outcome_wechat_gave_while_it_held_the_push(sandbox, push_of):
    """The soak's "done twice" (issue 12): a mass send's result event settled the push while a worker, holding it,
    was asking WeChat again; the worker's timeout then wrote "answer lost" over "done" and the push was done again
    later. The worker now stops: the outcome stands, recorded once."""
    from wechat_channel import callbacks

    push = push_of(2)
    msg_id = lost_mass_send(sandbox, push)
    held = delivery.claim(push.pk, "worker-a", now=later(120))  # asking again, its call still out
    assert held is not None and held.state == Push.State.UNKNOWN
    assert callbacks.apply(result_event(push, msg_id)) is True  # meanwhile WeChat's word settles it

    timeout = WeChatCallError(None, "message/mass/sendall", "read timed out", lost=True, reason="timeout")
    delivery._call_failed(held, "worker-a", timeout)

    push.refresh_from_db()
    assert push.state == Push.State.DONE and push.msg_id == msg_id
    assert push.events.filter(action="done").count() == 1
    assert not push.events.filter(action__in=("answer_lost", "retry_later"), pk__gt=push.events.get(action="done").pk)
