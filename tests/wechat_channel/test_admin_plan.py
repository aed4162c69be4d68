"""The weekly plan in the admin (A12): days and pushes, the editors' changes, the A11.1 warning."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.wechat_channel import planning_adapter
from tests.wechat_channel.admin_factories import WEEK, at, make_account, make_push, refused, titles_of
from wechat_channel.models import Push

# Slots in the fixed week of Monday 7 December 2026 are in the future, whatever day the tests run.
pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

PLAN = "/admin/wechat/plan/"


@pytest.fixture
def account(db, settings):
    settings.WECHAT_CHANNEL = {"ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.planning_adapter.PlanningAdapter"}}
    planning_adapter.ENTERED.clear()
    return make_account()


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    return client


def plan(client, account):
    return client.get(PLAN, {"week": WEEK, "account": account.pk}).content.decode()


def day_section(html, date):
    start = html.index(f'data-day="{date}"')
    end = html.find("data-day=", start + 10)
    return html[start : end if end > 0 else len(html)]


def test_the_plan_shows_each_days_pushes_headline_first(office, account):
    make_push(account, at(0, 16), titles=("头条", "第二条"))

    html = plan(office, account)

    monday = day_section(html, "2026-12-07")
    assert "16:00" in monday and monday.index("头条") < monday.index("第二条")
    assert "头条" not in day_section(html, "2026-12-08")


def test_a_working_day_without_a_push_carries_a_warning(office, account):
    """A11.1: at least one push on every working day; the weekend needs none."""
    make_push(account, at(0, 16))

    html = plan(office, account)

    assert "data-short-day" not in day_section(html, "2026-12-07")  # Monday has its push
    assert "data-short-day" in day_section(html, "2026-12-08")  # Tuesday has none
    assert "data-short-day" not in day_section(html, "2026-12-12")  # Saturday is a rest day


def test_a_cancelled_push_does_not_count_for_the_day(office, account):
    make_push(account, at(1, 16), state=Push.State.CANCELLED)

    assert "data-short-day" in day_section(plan(office, account), "2026-12-08")


def test_previous_and_next_week_links(office, account):
    html = plan(office, account)

    assert "week=2026-W49" in html and "week=2026-W51" in html


def test_an_editor_moves_an_article_up(office, account):
    push = make_push(account, at(0, 16), titles=("甲", "乙", "丙"))
    third = push.items.get(title="丙")

    response = office.post(f"/admin/wechat/plan/push/{push.pk}/reorder/", {"item": third.pk, "direction": "up"})

    assert response.status_code == 302
    assert titles_of(push) == ["甲", "丙", "乙"]
    push.refresh_from_db()
    assert push.manually_ordered


def test_an_editor_moves_an_article_to_another_push_of_the_week(office, account):
    monday = make_push(account, at(0, 16), titles=("甲", "乙"))
    tuesday = make_push(account, at(1, 16), titles=("丙",))
    moving = monday.items.get(title="乙")

    office.post(f"/admin/wechat/plan/item/{moving.pk}/move/", {"target": tuesday.pk})

    assert titles_of(monday) == ["甲"] and sorted(titles_of(tuesday)) == ["丙", "乙"]


def test_a_refused_move_shows_the_planners_reason(office, account):
    monday = make_push(account, at(0, 16), titles=("甲",))
    sent = make_push(account, at(1, 16), titles=("丙",), state=Push.State.DONE)
    item = monday.items.get()

    response = office.post(f"/admin/wechat/plan/item/{item.pk}/move/", {"target": sent.pk}, follow=True)

    assert titles_of(monday) == ["甲"]
    [message] = [str(m) for m in response.context["messages"]]
    assert message in response.content.decode() and sent.get_state_display() in message


def test_an_editor_reschedules_a_push(office, account):
    push = make_push(account, at(0, 16))

    office.post(f"/admin/wechat/plan/push/{push.pk}/reschedule/", {"at": "2026-12-08T20:30"})

    push.refresh_from_db()
    assert push.slot == at(1, 20, 30)


def test_the_policy_refuses_a_slot_outside_the_windows(office, account, article_factory, people):
    """A11.2: Monday to Friday, pushes go out 16–18 or 20–21; the planner's reason is shown."""
    page = article_factory(department=people["dept_a"])
    planning_adapter.ENTERED[page.pk] = at(-2, 8)
    push = make_push(account, at(0, 16), pages=[page])

    response = office.post(
        f"/admin/wechat/plan/push/{push.pk}/reschedule/", {"at": "2026-12-08T10:00", "next": PLAN}, follow=True
    )

    push.refresh_from_db()
    assert push.slot == at(0, 16)
    [message] = [str(m) for m in response.context["messages"]]
    assert message.startswith(("The policy does not allow", "政策")) and message in response.content.decode()


def test_viewers_cannot_change_the_plan(client, people, account):
    push = make_push(account, at(0, 16), titles=("甲", "乙"))
    client.force_login(people["contributor"])

    assert refused(client.get(PLAN))
    second = push.items.get(title="乙")
    assert refused(client.post(f"/admin/wechat/plan/push/{push.pk}/reorder/", {"item": second.pk, "direction": "up"}))
    assert titles_of(push) == ["甲", "乙"]


def test_the_plan_costs_the_same_queries_for_a_full_week(office, account, django_assert_max_num_queries):
    make_push(account, at(0, 16), titles=("甲",))
    with CaptureQueriesContext(connection) as small:
        plan(office, account)

    for day in range(7):
        for hour in (16, 20):
            make_push(account, at(day, hour), titles=("一", "二", "三", "四"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        plan(office, account)
