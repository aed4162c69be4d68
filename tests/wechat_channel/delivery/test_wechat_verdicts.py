"""WeChat's word on a push, and what the channel does with it (issue 12): a lost submit WeChat acted on late, a
publish or mass send WeChat failed and an editor retries, a result event under a MsgID the site never saw, and a
worker that must not write over an outcome settled while it held the push."""

import pytest
import requests
from django.utils import timezone, translation

from tests.wechat_channel.delivery.deliveries import (
    faults,
    later,
    lost_mass_send,
    result_event,
    succeeded,
    wechat_drafts,
)
from tests.wechat_channel.sandbox_access import APPID, wait_for
from wechat_channel import callbacks, delivery, push_actions
from wechat_channel.conf import get_conf
from wechat_channel.models import Push, PushItem
from wechat_channel.wechat.api.drafts import Drafts
from wechat_channel.wechat.errors import WeChatCallError

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_settings")]


@pytest.fixture(autouse=True)
def english():
    """Messages and history lines are asserted in English; the site's default is Chinese."""
    with translation.override("en"):
        yield


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


def test_a_draft_taken_by_the_submit_of_a_worker_killed_mid_call_is_never_made_and_submitted_again(
    sandbox, push_of, monkeypatch
):
    """The soak's 26 publications for 25 pushes, again (2026-12-06, PostgreSQL): a worker was killed during its
    submit, so nothing recorded a lost answer; the next worker still saw the draft (WeChat had not yet acted on that
    request) and submitted it again; by then the killed worker's submit had taken it, WeChat answered 40007, and the
    push read it as a deleted draft and published a new one. A push found in "sending" counts as a lost answer."""
    push = push_of(2, mode=Push.Mode.PUBLISH)
    requests.post(sandbox.url + "/sandbox/publishing", json={"publish_delay": 0}, timeout=5)
    faults(sandbox, paths={"freepublish/submit": {"timeout": 1.0}}, timeout_seconds=1.0)
    delivery.advance(push.pk)
    assert wait_for(lambda: succeeded(sandbox, "freepublish/submit"))  # the killed worker's submit, acted on late
    faults(sandbox)
    # What the killed worker left: state sending, no lost answer recorded, its claim held until its lease ran out.
    push.events.filter(action="answer_lost").delete()
    Push.objects.filter(pk=push.pk).update(state=Push.State.SENDING, claimed_by="dead", claimed_at=timezone.now())
    # The next worker looks before WeChat has acted on that submit: the draft is still there.
    taken = Push.objects.get(pk=push.pk).draft_media_id
    real_get = Drafts.get
    monkeypatch.setattr(Drafts, "get", lambda self, media_id: [] if media_id == taken else real_get(self, media_id))
    delivery.advance(push.pk, now=later(3600))
    monkeypatch.setattr(Drafts, "get", real_get)

    push.refresh_from_db()
    actions = list(push.events.values_list("action", flat=True))
    assert push.state == Push.State.UNKNOWN and "draft_taken" in actions and "draft_lost" not in actions, actions
    delivery.advance(push.pk, now=later(7200))
    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert len(succeeded(sandbox, "draft/add")) == 1
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
    push_actions.retry(push)
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
    push_actions.retry(push)
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=later())

    push.refresh_from_db()
    assert push.state == Push.State.DONE, push.error_message
    assert push.clientmsgid == f"newsroom-{push.pk}-1"
    assert [c["errcode"] for c in sandbox.calls.as_list() if c["path"].endswith("mass/sendall")] == [0, 0]
    assert wechat_drafts(sandbox) == 0


def test_a_result_event_under_an_unseen_msg_id_settles_the_only_mass_send_whose_answer_was_lost(sandbox, push_of):
    """Issue 12 item 4: a re-send answered 40007 (WeChat checked the draft first) leaves the push without its msg_id;
    the account sends to everyone once a day, so the result event that came meanwhile is this push's."""
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
