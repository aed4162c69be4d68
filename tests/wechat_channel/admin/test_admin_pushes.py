"""Pushes in the admin: state, articles with WeChat URLs, history, errors in plain words, retry and cancel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.wechat_channel.admin_factories import at, make_account, make_push, refused
from wechat_channel.events import record
from wechat_channel.models import Push, PushItem


@pytest.fixture
def account(db):
    return make_account()


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    return client


def failed_push(account):
    push = make_push(
        account,
        at(0, 16),
        titles=("甲",),
        state=Push.State.FAILED,
        error_code=40164,
        error_message="服务器 IP 不在公众号的 IP 白名单中",
    )
    record(push, "failed", "gave up")
    return push


def test_the_list_shows_newest_slot_first_with_state_and_article_count(office, account):
    make_push(account, at(0, 16), titles=("甲",))
    make_push(account, at(2, 16), titles=("乙", "丙"), state=Push.State.DONE)

    html = office.get("/admin/wechat/pushes/").content.decode()

    assert html.index("2026-12-09 16:00") < html.index("2026-12-07 16:00")
    assert 'data-state="done"' in html


def test_the_list_filters_by_state(office, account):
    make_push(account, at(0, 20), titles=("甲",))
    failed_push(account)

    html = office.get("/admin/wechat/pushes/", {"state": "failed"}).content.decode()

    assert 'data-state="failed"' in html and 'data-state="planned"' not in html
    assert "IP 白名单" in html


def test_the_push_page_shows_articles_in_order_with_their_wechat_urls_and_history(office, account):
    push = make_push(account, at(0, 16), titles=("头条", "次条"), state=Push.State.DONE)
    PushItem.objects.filter(push=push, title="头条").update(wechat_url="https://mp.weixin.qq.com/s/abc")
    record(push, "sent", "mass send accepted")

    html = office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()

    assert html.index("头条") < html.index("次条")
    assert 'href="https://mp.weixin.qq.com/s/abc"' in html
    assert "mass send accepted" in html
    assert "/retry/" not in html and "/cancel/" not in html  # done: neither button


def test_a_failed_push_shows_its_error_and_is_retried(office, account, django_capture_on_commit_callbacks):
    push = failed_push(account)
    html = office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()
    assert "IP 白名单" in html and "40164" in html and f"/admin/wechat/pushes/{push.pk}/retry/" in html

    with django_capture_on_commit_callbacks() as queued:
        response = office.post(f"/admin/wechat/pushes/{push.pk}/retry/")

    assert response.status_code == 302
    push.refresh_from_db()
    assert push.state == Push.State.PLANNED and push.error_message == ""
    assert len(queued) == 1  # advance_push queued once the retry committed


def test_retry_is_refused_for_a_push_that_did_not_fail(office, account):
    push = make_push(account, at(0, 16), state=Push.State.DONE)

    response = office.post(f"/admin/wechat/pushes/{push.pk}/retry/", follow=True)

    push.refresh_from_db()
    assert push.state == Push.State.DONE
    [message] = [str(m) for m in response.context["messages"]]
    assert message in response.content.decode()


def test_a_planned_push_is_cancelled_and_its_articles_released(office, account):
    push = make_push(account, at(0, 16), titles=("甲", "乙"))

    office.post(f"/admin/wechat/pushes/{push.pk}/cancel/")

    push.refresh_from_db()
    assert push.state == Push.State.CANCELLED and not push.items.exists()


def test_a_push_that_went_out_cannot_be_cancelled(office, account):
    push = make_push(account, at(0, 16), state=Push.State.SUBMITTED)

    response = office.post(f"/admin/wechat/pushes/{push.pk}/cancel/", follow=True)

    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED
    assert len(list(response.context["messages"])) == 1


def test_only_editors_of_pushes_retry_or_cancel(client, people, account):
    push = failed_push(account)
    client.force_login(people["contributor"])

    assert refused(client.post(f"/admin/wechat/pushes/{push.pk}/retry/"))
    assert refused(client.post(f"/admin/wechat/pushes/{push.pk}/cancel/"))
    assert refused(client.get(f"/admin/wechat/pushes/{push.pk}/"))
    push.refresh_from_db()
    assert push.state == Push.State.FAILED


def test_the_list_costs_the_same_queries_for_many_pushes(office, account, django_assert_max_num_queries):
    make_push(account, at(0, 16))
    with CaptureQueriesContext(connection) as small:
        office.get("/admin/wechat/pushes/")

    for day in range(20):
        make_push(account, at(day, 20), titles=("一", "二", "三"), state=Push.State.DONE)
    with django_assert_max_num_queries(len(small.captured_queries)):
        office.get("/admin/wechat/pushes/")
