"""A push WeChat never confirmed can always be settled by a person (issue 12, "stuck in reconciling").

After a lost answer with nothing to find, the push waits in "answer lost" and, a day on, is parked: Retry and Cancel
were both refused, so nobody could act. Now the push page asks the person what mp.weixin.qq.com shows: out (with
the articles' URLs) or not (made and sent again). Both are recorded with their name; hostile input changes nothing.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests.wechat_channel.admin_factories import at, make_account, make_push
from wechat_channel import verdicts
from wechat_channel.models import Push, PushItem

URL = "https://mp.weixin.qq.com/s/Rq3yV8f0l2pZ"


@pytest.fixture
def account(db):
    return make_account()


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    return client


def lost(account, state=Push.State.UNKNOWN, titles=("头条", "次条")):
    """A push whose submit answer was lost and which WeChat never confirmed."""
    return make_push(
        account,
        at(0, 16),
        titles=titles,
        state=state,
        sent_at=timezone.now(),
        draft_media_id="gone-draft",
        error_message="WeChat took the push but never confirmed it; check mp.weixin.qq.com.",
    )


def settle(client, push, **data):
    return client.post(f"/admin/wechat/pushes/{push.pk}/settle/", data)


@pytest.mark.parametrize("state", [Push.State.UNKNOWN, Push.State.FAILED])
def test_seen_on_wechat_the_push_is_done_with_the_urls_and_the_person_named(office, account, people, state):
    push = lost(account, state)
    page = office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()
    assert "data-settle" in page and "发表记录" in page

    response = settle(office, push, outcome="published", urls=f"{URL}\n\n{URL}2\n")

    assert response.status_code == 302
    push.refresh_from_db()
    assert push.state == Push.State.DONE
    items = push.items.order_by("position")
    assert [(item.state, item.wechat_url) for item in items] == [
        (PushItem.State.PUBLISHED, URL),
        (PushItem.State.PUBLISHED, URL + "2"),
    ]
    event = push.events.get(action="settled_by_person")
    assert event.data["by"] == people["office"].pk and people["office"].get_username() in event.text
    assert "data-settle" not in office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()


def test_not_on_wechat_the_push_is_made_again_from_a_new_draft(office, account, django_capture_on_commit_callbacks):
    push = lost(account, Push.State.FAILED)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = settle(office, push, outcome="not_published")

    assert response.status_code == 302
    push.refresh_from_db()
    assert (push.state, push.draft_media_id, push.sent_at, push.error_message) == (Push.State.PREPARING, "", None, "")
    assert push.events.filter(action="settled_by_person").count() == 1
    assert queued  # the worker is asked to take it up again


@pytest.mark.parametrize(
    "urls",
    [
        "",
        "   \n  ",
        "javascript:alert(1)",
        "https://evil.example/s/abc",
        "https://mp.weixin.qq.com.evil.example/s/abc",
        "//mp.weixin.qq.com/s/abc",
        f"{URL}\n{URL}\n{URL}",  # more URLs than articles
        "https://mp.weixin.qq.com/s/" + "a" * 2000,
        "\x00\x01",
    ],
)
def test_hostile_or_wrong_urls_are_refused_and_change_nothing(office, account, urls):
    push = lost(account)
    response = settle(office, push, outcome="published", urls=urls)
    assert response.status_code == 302
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN
    assert not push.events.filter(action="settled_by_person").exists()
    page = office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()
    assert "未处理" in page and 'class="error"' in page  # the reason, on the page the person came from


def test_a_push_that_was_confirmed_or_never_sent_cannot_be_settled_by_hand(office, account):
    done = make_push(account, at(0, 16), titles=("甲",), state=Push.State.DONE, sent_at=timezone.now())
    planned = make_push(account, at(1, 16), titles=("乙",))
    parked_before_sending = make_push(account, at(2, 16), titles=("丙",), state=Push.State.FAILED)
    for push in (done, planned, parked_before_sending):
        before = push.state
        settle(office, push, outcome="not_published")
        settle(office, push, outcome="published", urls=URL)
        push.refresh_from_db()
        assert push.state == before and not push.events.filter(action="settled_by_person").exists()


def test_an_unknown_outcome_and_a_get_change_nothing(office, account):
    push = lost(account)
    assert settle(office, push, outcome="maybe").status_code == 302
    assert office.get(f"/admin/wechat/pushes/{push.pk}/settle/").status_code == 405
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN


def test_only_those_who_handle_pushes_may_settle(client, people, account):
    push = lost(account)
    for role in ("contributor", "head_a", "leader_a", "policy", "college_leader"):
        client.force_login(people[role])
        assert settle(client, push, outcome="not_published").status_code == 403
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN


def test_a_worker_holding_the_push_wins_over_the_person(account, people):
    push = lost(account)
    Push.objects.filter(pk=push.pk).update(claimed_by="host:1:1", claimed_at=timezone.now())
    with pytest.raises(ValueError, match="推送在此期间已有变化"):  # the site speaks Chinese
        verdicts.mark_not_published(push, people["office"])
    push.refresh_from_db()
    assert push.state == Push.State.UNKNOWN


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_settling_at_once_settle_it_once(account, people):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises the writers: the compare-and-set is proved on PostgreSQL")
    push = lost(account)
    outcomes = []

    def say(call):
        try:
            call()
            outcomes.append("settled")
        except ValueError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=say, args=(lambda: verdicts.mark_published(push, people["office"], URL),)),
        threading.Thread(target=say, args=(lambda: verdicts.mark_not_published(push, people["channel"]),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "settled"]
    assert Push.objects.get(pk=push.pk).events.filter(action="settled_by_person").count() == 1
