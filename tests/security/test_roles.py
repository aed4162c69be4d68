"""Roles no wider than the regulation (hole 9) and the weekly plan's bad ids (hole 8), attacked over HTTP.

The weekly plan is the office's (A12.1): a channel administrator sees it and handles parked pushes
(A6.5.1) but does not plan, nor cancel a push that is not parked. Material is seen by whoever provides
or reviews it (A6.1): a contributor does not find another contributor's draft anywhere in the admin.
Escalated comment reports reach the office head, who moderates comments (A13, A6.5.2).
"""

import pytest
from wagtail.log_actions import log

from tests.factories import make_article, make_user
from tests.security.visitor import assert_no_server_error
from tests.wechat_channel.admin_factories import at, make_account, make_push
from wechat_channel.models import Push, PushItem

# Slots in the fixed week of Monday 7 December 2026 are in the future, whatever day the tests run.
pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

PLAN = "/admin/wechat/plan/"
SECRET_TITLE = "他人草稿标题甲乙"


def plan_state():
    """Every planned article's push and position, and every push's slot: what a plan change would alter."""
    items = sorted(PushItem.objects.values_list("pk", "push_id", "position"))
    pushes = sorted(Push.objects.values_list("pk", "slot", "state"))
    return items, pushes


@pytest.fixture
def week(people):
    """Two planned pushes of one account: Monday with two articles, Tuesday with one."""
    account = make_account()
    return make_push(account, at(0, 16), titles=("甲", "乙")), make_push(account, at(1, 16), titles=("丙",))


def test_the_channel_administrator_cannot_change_the_weekly_plan(signed_in, week):
    """A12.1: reorder, move and reschedule are the office's; the channel administrator gets 403, nothing moves."""
    monday, tuesday = week
    channel = signed_in("channel")
    second = monday.items.get(title="乙")
    before = plan_state()

    attempts = [
        (f"{PLAN}push/{monday.pk}/reorder/", {"item": second.pk, "direction": "up"}),
        (f"{PLAN}item/{second.pk}/move/", {"target": tuesday.pk}),
        (f"{PLAN}push/{monday.pk}/reschedule/", {"at": "2026-12-08T20:30"}),
    ]
    for path, data in attempts:
        response = channel.post(path, data, form_path=PLAN)
        assert_no_server_error(response)
        assert response.status_code == 403, (path, response.headers.get("Location"))

    assert plan_state() == before
    assert channel.get(PLAN).status_code == 200  # still sees the plan (view_push)


def test_the_office_editor_still_plans(signed_in, week):
    """The same reorder by the office editor goes through: the refusal above is the role's, not the form's."""
    monday, _tuesday = week
    second = monday.items.get(title="乙")

    response = signed_in("office").post(
        f"{PLAN}push/{monday.pk}/reorder/", {"item": second.pk, "direction": "up"}, form_path=PLAN
    )

    assert response.status_code == 302
    assert list(monday.items.order_by("position").values_list("title", flat=True)) == ["乙", "甲"]


@pytest.mark.parametrize("bad", ["abc", "１２", "²", "9" * 40, "-1", "1.5"])
def test_a_plan_change_with_a_malformed_id_is_a_400(signed_in, week, bad):
    """Hole 8: item=abc or target=abc was a 500; now a clear 400 and the plan is untouched."""
    monday, _tuesday = week
    office = signed_in("office")
    item = monday.items.first()
    before = plan_state()

    reorder = office.post(f"{PLAN}push/{monday.pk}/reorder/", {"item": bad, "direction": "up"}, form_path=PLAN)
    move = office.post(f"{PLAN}item/{item.pk}/move/", {"target": bad}, form_path=PLAN)

    for response in (reorder, move):
        assert_no_server_error(response)
        assert response.status_code == 400
    assert plan_state() == before


@pytest.fixture
def others_draft(people, index):
    """A draft by a second contributor of department B, with an entry in the site history."""
    other = make_user("contributor_b", "contributor")
    page = make_article(index, owner=other, department=people["dept_b"], title=SECRET_TITLE)
    log(instance=page, action="wagtail.edit", user=other)
    return page


def admin_views_of_pages(index):
    """Every admin view that lists pages: the explorer, page search, the chooser and its search, site history."""
    return [
        f"/admin/pages/{index.pk}/",
        "/admin/pages/search/?q=草稿",
        f"/admin/choose-page/{index.pk}/",
        "/admin/choose-page/search/?q=草稿",
        "/admin/reports/site-history/",
    ]


def test_a_contributor_does_not_find_another_contributors_draft(signed_in, people, index, others_draft):
    """A6.1: a contributor's admin shows their own material only; the other draft's title appears nowhere."""
    own = make_article(index, owner=people["contributor"], department=people["dept_a"], title="我的草稿标题")
    log(instance=own, action="wagtail.edit", user=people["contributor"])
    contributor = signed_in("contributor")

    for path in admin_views_of_pages(index):
        response = contributor.get(path)
        assert_no_server_error(response)
        assert response.status_code == 200, path
        assert SECRET_TITLE not in response.text, path
    assert "我的草稿标题" in contributor.get(f"/admin/pages/{index.pk}/").text  # the explorer still works
    explorer_of_draft = contributor.get(f"/admin/pages/{others_draft.pk}/")  # its title heads that page
    assert_no_server_error(explorer_of_draft)
    assert explorer_of_draft.status_code == 302 and SECRET_TITLE not in explorer_of_draft.text


def test_a_department_head_does_not_find_another_departments_draft(signed_in, people, index, others_draft):
    """A6.1: the head of department A reviews A's material, not B's; the chooser offered B's draft before."""
    head = signed_in("head_a")

    for path in admin_views_of_pages(index):
        response = head.get(path)
        assert_no_server_error(response)
        assert SECRET_TITLE not in response.text, path


def test_the_head_of_the_drafts_department_finds_it_in_site_history(signed_in, others_draft):
    """The review needs the material: department B's head finds B's draft's history (A6.1)."""
    response = signed_in("head_b").get("/admin/reports/site-history/")

    assert response.status_code == 200 and SECRET_TITLE in response.text


def test_the_office_head_opens_comment_moderation(signed_in, people):
    """A13, A6.5.2: comment reports are escalated to the office head, who can open the moderation page."""
    response = signed_in("policy").get("/admin/wechat/comments/")

    assert_no_server_error(response)
    assert response.status_code == 200


@pytest.fixture
def parked_and_planned(people):
    account = make_account()
    planned = make_push(account, at(0, 16), titles=("甲",))
    parked = make_push(account, at(-1, 16), titles=("乙",), state=Push.State.FAILED)
    return parked, planned


def test_the_channel_administrator_cannot_cancel_a_planned_push(signed_in, parked_and_planned):
    """A12.1: cancelling a planned push takes its articles out of the plan, which is the office's: 403."""
    _parked, planned = parked_and_planned
    before = plan_state()

    response = signed_in("channel").post(
        f"/admin/wechat/pushes/{planned.pk}/cancel/", form_path=f"/admin/wechat/pushes/{planned.pk}/"
    )

    assert_no_server_error(response)
    assert response.status_code == 403
    assert plan_state() == before


def test_the_channel_administrator_still_cancels_a_parked_push(signed_in, parked_and_planned):
    """A6.5.1: a failed push is a system error, the channel administrators' to retry or cancel."""
    parked, _planned = parked_and_planned

    response = signed_in("channel").post(
        f"/admin/wechat/pushes/{parked.pk}/cancel/", form_path=f"/admin/wechat/pushes/{parked.pk}/"
    )

    assert response.status_code == 302
    parked.refresh_from_db()
    assert parked.state == Push.State.CANCELLED


def test_the_office_cancels_a_planned_push(signed_in, parked_and_planned):
    _parked, planned = parked_and_planned

    response = signed_in("office").post(
        f"/admin/wechat/pushes/{planned.pk}/cancel/", form_path=f"/admin/wechat/pushes/{planned.pk}/"
    )

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.state == Push.State.CANCELLED
