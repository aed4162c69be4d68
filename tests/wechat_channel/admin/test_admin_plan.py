"""The weekly plan in the admin (A12): days and pushes, the editors' changes, the A11.1 warning."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.users.models import UserProfile

from tests.wechat_channel.admin_factories import WEEK, at, make_account, make_push, refused, titles_of
from tests.wechat_channel.delivery import planning_adapter
from wechat_channel.models import Push

# Slots in the fixed week of Monday 7 December 2026 are in the future, whatever day the tests run.
pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

PLAN = "/admin/wechat/plan/"


@pytest.fixture
def account(db, settings):
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.PlanningAdapter"}
    }
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
            make_push(account, at(day, hour, 30), titles=("一", "二", "三", "四"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        plan(office, account)


# The board (A12): day columns with day type and windows, articles with department and readiness.

MOVE = "/admin/wechat/plan/item/{}/move/"
JSON = {"HTTP_ACCEPT": "application/json"}


def speak(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def articles(settings, article_factory, people):
    """Articles as the site adapts them (cover, limits, department), reaching the office when the test says."""
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.ArticlePlanningAdapter"}
    }

    def make(entered=None, cover=True, **fields):
        image = Image.objects.create(title="封面", file=get_test_image_file())
        body = [{"type": "paragraph", "value": "<p>正文</p>"}, {"type": "image", "value": {"image": image.pk}}]
        page = article_factory(department=people["dept_a"], cover_image=image if cover else None, body=body, **fields)
        planning_adapter.ENTERED[page.pk] = entered if entered is not None else at(-3, 9)
        return page

    return make


def test_each_day_column_shows_its_day_type_and_the_policys_windows(office, account, people):
    speak(people["office"], "zh-hans")

    html = plan(office, account)

    monday, saturday = day_section(html, "2026-12-07"), day_section(html, "2026-12-12")
    assert "工作日" in monday and "16:00–18:00" in monday and "20:00–21:00" in monday  # A11.2
    assert "周末" in saturday and "16:00–18:00" not in saturday  # A11.3: no fixed window
    assert 'data-day-type="rest"' in saturday


def test_each_article_shows_its_department_and_whether_it_can_be_sent(office, account, articles, people):
    """The cover and WeChat's limits (`problems_of`) and the lead time (A16) decide; the reasons are in words."""
    speak(people["office"], "zh-hans")
    ready = articles(title="可以发送")
    no_cover = articles(title="没有封面", cover=False)
    late = articles(title="来得太晚", entered=at(0, 10))  # 6 h before 16:00, 12 h needed
    make_push(account, at(0, 16), titles=("可以发送", "没有封面", "来得太晚"), pages=[ready, no_cover, late])

    html = plan(office, account)

    def card(title):
        start = html.rindex("<li", 0, html.index(title))
        return html[start : html.index("</li>", html.index("data-refusal", start))]

    assert 'data-readiness="ready"' in card("可以发送") and people["dept_a"].name in card("可以发送")
    assert 'data-readiness="blocked"' in card("没有封面") and "没有封面图" in card("没有封面")
    assert 'data-readiness="blocked"' in card("来得太晚") and "A16" in card("来得太晚")
    assert "6.0" in card("来得太晚") and "12" in card("来得太晚")


def test_the_board_costs_the_same_queries_however_many_articles_it_holds(
    office, account, articles, django_assert_max_num_queries
):
    make_push(account, at(0, 16), titles=("甲",), pages=[articles()])
    plan(office, account)  # warm the site's caches
    with CaptureQueriesContext(connection) as small:
        plan(office, account)

    for day in range(7):
        for hour in (16, 20):
            pages = [articles() for _ in range(3)]
            make_push(account, at(day, hour, 30), titles=("一", "二", "三"), pages=pages)
    with django_assert_max_num_queries(len(small.captured_queries)):
        plan(office, account)


# Moves from the board: the same form, sent in the background; refusals worded for the reader.


def test_a_background_move_to_another_push_is_accepted(office, account):
    monday = make_push(account, at(0, 16), titles=("甲", "乙"))
    tuesday = make_push(account, at(1, 16), titles=("丙",))
    moving = monday.items.get(title="乙")

    response = office.post(MOVE.format(moving.pk), {"to": f"push-{tuesday.pk}"}, **JSON)

    assert response.status_code == 200 and response.json()["ok"]
    assert titles_of(monday) == ["甲"] and sorted(titles_of(tuesday)) == ["丙", "乙"]


def test_a_move_to_a_day_plans_a_new_push_at_the_first_allowed_time(office, account, articles):
    page = articles()
    monday = make_push(account, at(0, 16), titles=("甲", "乙"), pages=[page, articles()])
    item = monday.items.get(title="甲")

    response = office.post(MOVE.format(item.pk), {"to": "day-2026-12-09"}, **JSON)

    assert response.json()["ok"]
    item.refresh_from_db()
    assert item.push.slot == at(2, 16) and item.push.state == Push.State.PLANNED  # Wednesday's first window


def test_a_move_to_a_day_never_plans_two_pushes_at_one_instant(office, account, articles):
    """A12: Wednesday 16:00 is taken, so the new push goes at the next minute the policy allows."""
    make_push(account, at(2, 16), titles=("占位",))
    monday = make_push(account, at(0, 16), titles=("甲", "乙"), pages=[articles(), articles()])
    item = monday.items.get(title="甲")

    office.post(MOVE.format(item.pk), {"to": "day-2026-12-09"}, **JSON)

    item.refresh_from_db()
    assert item.push.slot == at(2, 16, 1)


def test_a_move_the_policy_refuses_is_worded_for_the_reader_and_changes_nothing(office, account, articles, people):
    """A16: material that reached the office Monday 10:00 cannot go out Monday 16:00."""
    late = articles(entered=at(0, 10))
    monday = make_push(account, at(0, 16), titles=("早",), pages=[articles()])
    tuesday = make_push(account, at(1, 16), titles=("晚",), pages=[late])
    item = tuesday.items.get()

    speak(people["office"], "zh-hans")
    chinese = office.post(MOVE.format(item.pk), {"to": f"push-{monday.pk}"}, **JSON)
    speak(people["office"], "en")
    english = office.post(MOVE.format(item.pk), {"to": f"push-{monday.pk}"}, **JSON)

    assert chinese.status_code == english.status_code == 409
    assert chinese.json()["code"] == "policy"
    assert "政策" in chinese.json()["message"] and "A16" in chinese.json()["message"]
    assert not re.search("[a-z]{3,}", chinese.json()["message"])  # no English inside the Chinese sentence
    assert english.json()["message"].startswith("The policy does not allow") and "A16" in english.json()["message"]
    assert titles_of(monday) == ["早"] and titles_of(tuesday) == ["晚"]


def test_a_move_to_a_day_without_an_allowed_time_is_refused(office, account, articles):
    """A16: reached the office Wednesday 12:00; Wednesday's last window closes at 21:00, 9 h later."""
    item = make_push(account, at(3, 16), titles=("甲",), pages=[articles(entered=at(2, 12))]).items.get()

    response = office.post(MOVE.format(item.pk), {"to": "day-2026-12-09"}, **JSON)

    assert response.status_code == 409 and response.json()["code"] == "no_slot_that_day"
    assert Push.objects.filter(account=account).count() == 1


def test_a_move_to_a_past_day_is_refused(office, account):
    item = make_push(account, at(0, 16), titles=("甲",)).items.get()

    response = office.post(MOVE.format(item.pk), {"to": "day-2026-12-05"}, **JSON)

    assert response.status_code == 409 and response.json()["code"] == "day_over"
    assert Push.objects.filter(account=account).count() == 1


def test_a_move_to_another_accounts_push_is_refused(office, account):
    other = make_push(make_account(), at(1, 16), titles=("别的号",))
    item = make_push(account, at(0, 16), titles=("甲",)).items.get()

    response = office.post(MOVE.format(item.pk), {"to": f"push-{other.pk}"}, **JSON)

    assert response.status_code == 409 and response.json()["code"] == "other_account"
    assert titles_of(other) == ["别的号"] and item.push.items.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"to": "push-abc"},
        {"to": "push-99999999999999999999"},
        {"to": "push-0"},
        {"to": "day-2026-13-45"},
        {"to": "day-0001-01-01"},
        {"to": "day-9999-12-31"},
        {"to": "day-2026-12-08T10:00"},
        {"to": "push-1 OR 1=1"},
        {},
    ],
)
def test_hostile_destinations_get_a_clear_refusal_and_change_nothing(office, account, fields):
    item = make_push(account, at(0, 16), titles=("甲",)).items.get()

    response = office.post(MOVE.format(item.pk), fields, **JSON)

    assert response.status_code in (400, 409)
    if response.status_code == 409:
        assert response.json()["message"]
    item.refresh_from_db()
    assert item.push.slot == at(0, 16) and Push.objects.filter(account=account).count() == 1


@pytest.mark.parametrize("item_id", ["999999", "99999999999999999999", "0"])
def test_a_move_of_an_unknown_article_is_refused(office, account, item_id):
    response = office.post(f"/admin/wechat/plan/item/{item_id}/move/", {"to": "day-2026-12-08"}, **JSON)

    assert response.status_code in (404, 409) and not Push.objects.exists()


def test_a_move_without_the_csrf_token_is_refused(people, account):
    item = make_push(account, at(0, 16), titles=("甲",)).items.get()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["office"])

    response = browser.post(MOVE.format(item.pk), {"to": "day-2026-12-08"}, **JSON)

    assert response.status_code == 403 and Push.objects.filter(account=account).count() == 1


def test_two_live_pushes_of_one_account_cannot_share_an_instant(account):
    """A12, enforced by the database: a cancelled push frees its instant."""
    make_push(account, at(0, 16), state=Push.State.CANCELLED)
    make_push(account, at(0, 16))

    with pytest.raises(IntegrityError), transaction.atomic():
        make_push(account, at(0, 16))
    make_push(make_account(), at(0, 16))  # another account may


def test_rescheduling_onto_a_taken_instant_is_refused(office, account):
    make_push(account, at(1, 16), titles=("占位",))
    push = make_push(account, at(0, 16), titles=("甲",))

    response = office.post(f"/admin/wechat/plan/push/{push.pk}/reschedule/", {"at": "2026-12-08T16:00"}, **JSON)

    assert response.status_code == 409 and response.json()["code"] == "slot_taken"
    push.refresh_from_db()
    assert push.slot == at(0, 16)


# Parallel editors: the database keeps one live push per account and instant (A12), whatever arrives first.


def in_parallel(people, requests):
    """POST each (path, data) from its own logged-in office browser at the same moment; the responses."""
    browsers = []
    for _request in requests:
        browser = Client()
        browser.force_login(people["office"])
        browsers.append(browser)
    start = threading.Barrier(len(requests))

    def send(n):
        path, data = requests[n]
        try:
            start.wait()
            return browsers[n].post(path, data, **JSON)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, range(len(requests))))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_reschedules_to_one_instant_one_wins(people, account):
    first = make_push(account, at(0, 16), titles=("甲",))
    second = make_push(account, at(0, 20), titles=("乙",))
    path = "/admin/wechat/plan/push/{}/reschedule/"

    responses = in_parallel(people, [(path.format(p.pk), {"at": "2026-12-08T16:00"}) for p in (first, second)])

    assert sorted(r.status_code for r in responses) == [200, 409]
    [refused_one] = [r for r in responses if r.status_code == 409]
    assert refused_one.json()["code"] == "slot_taken"
    assert Push.objects.filter(account=account, slot=at(1, 16)).count() == 1
    assert sorted(Push.objects.filter(account=account).values_list("slot", flat=True)) in (
        [at(0, 16), at(1, 16)],
        [at(0, 20), at(1, 16)],
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_moves_to_one_day_never_share_an_instant(people, account):
    items = [make_push(account, at(0, 16 + n), titles=(f"稿{n}",)).items.get() for n in range(2)]

    responses = in_parallel(people, [(MOVE.format(item.pk), {"to": "day-2026-12-09"}) for item in items])

    assert all(r.status_code in (200, 409) for r in responses)
    wednesday = Push.objects.filter(account=account, slot__date="2026-12-09").exclude(state=Push.State.CANCELLED)
    slots = list(wednesday.values_list("slot", flat=True))
    assert len(slots) == len(set(slots)) == sum(r.status_code == 200 for r in responses) >= 1
