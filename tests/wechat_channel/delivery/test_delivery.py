"""Exactly once: each step recorded before the next, lost answers reconciled, claims fenced (issue 4)."""

import pytest
import requests
from django.core import mail
from django.utils import timezone, translation

from tests.wechat_channel.delivery.deliveries import faults, later, succeeded
from tests.wechat_channel.sandbox_access import APPID, wait_for
from wechat_channel import delivery, push_actions
from wechat_channel.conf import get_conf
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem, WeChatAccount

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_settings")]


@pytest.fixture(autouse=True)
def english():
    """Messages and history lines are asserted in English; the site's default is Chinese."""
    with translation.override("en"):
        yield


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
    push_actions.retry(push)
    assert push.state == Push.State.UNKNOWN  # it had been sent: reconcile first
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state in (Push.State.SUBMITTED, Push.State.DONE)
    assert len(succeeded(sandbox, "draft/add")) == 1  # the draft was kept

    other = push_of(1)
    push_actions.cancel(other)
    assert other.state == Push.State.CANCELLED and not other.items.exists()
    with pytest.raises(ValueError, match="gone out"):
        push_actions.cancel(push)  # it went out


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
