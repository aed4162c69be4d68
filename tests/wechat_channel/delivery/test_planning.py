"""Office approval puts an article into the next push the policy allows (A11, A12, A16, A10.3)."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from policy_rules import versions
from policy_rules.models import PolicyVersion
from tests.policy_rules import governance
from tests.wechat_channel.delivery import planning_adapter
from wechat_channel import planning
from wechat_channel.models import Push, PushItem, WeChatAccount

# Slots in the fixed week of Monday 7 December 2026 are in the future, whatever day the tests run.
pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 12, 7, tzinfo=TZ)  # a working Monday; windows 16–18 and 20–21, lead 12 h


def at(day, hour, minute=0):
    return MONDAY + datetime.timedelta(days=day, hours=hour, minutes=minute)


@pytest.fixture(autouse=True)
def english():
    """Messages and history lines are asserted in English; the site's default is Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def account(db, settings):
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.PlanningAdapter"}
    }
    planning_adapter.ENTERED.clear()
    return WeChatAccount.objects.create(
        name="校园", slug="campus", appid="wx0123456789abcdef", secret_env="WECHAT_CAMPUS_SECRET", verified=True
    )


@pytest.fixture
def approved(article_factory, people):
    """An approved article that reached the office at `entered`."""

    def make(entered, **fields):
        page = article_factory(department=people["dept_a"], **fields)
        planning_adapter.ENTERED[page.pk] = entered
        return page

    return make


def slots_of(account):
    return [
        (push.slot.astimezone(TZ), [i.page_id for i in push.items.order_by("position")])
        for push in Push.objects.filter(account=account).order_by("slot", "pk")
    ]


def test_an_approved_article_goes_into_the_first_window_after_its_lead_time(account, approved):
    page = approved(at(0, 2))  # reached the office at 02:00: 12 h later is 14:00, the next window opens at 16:00

    [item] = planning.place(page, now=at(0, 3))

    assert item.push.slot.astimezone(TZ) == at(0, 16)
    assert item.push.state == Push.State.PLANNED and item.push.mode == Push.Mode.MASS_SEND
    assert item.push.policy_version == PolicyVersion.active_for("default").label


def test_lead_time_past_the_last_window_moves_the_article_to_the_next_working_day(account, approved):
    page = approved(at(0, 10))  # 22:00 is after the 20–21 window: Tuesday 16:00

    [item] = planning.place(page, now=at(0, 10))

    assert item.push.slot.astimezone(TZ) == at(1, 16)


def test_articles_of_a_day_share_its_push_time_sensitive_first(account, approved):
    first = approved(at(0, 1))
    urgent = approved(at(0, 2), time_sensitive=True)
    third = approved(at(0, 1, 30))
    for page in (first, urgent, third):
        planning.place(page, now=at(0, 3))

    assert slots_of(account) == [(at(0, 16), [urgent.pk, first.pk, third.pk])]  # A12.2, then by arrival


def test_a_full_push_starts_another(account, approved):
    pages = [approved(at(0, 1)) for _ in range(9)]
    for page in pages:
        planning.place(page, now=at(0, 2))

    sizes = [len(ids) for _, ids in slots_of(account)]
    assert sizes == [8, 1]
    # A12: never two pushes of one account at one instant; the next free minute the policy allows.
    assert [slot for slot, _ in slots_of(account)] == [at(0, 16), at(0, 16, 1)]


def test_the_policy_can_keep_pushes_shorter(account, approved):
    versions.activate(governance.ready(schedule__max_articles_per_push=2), None)
    for _ in range(3):
        planning.place(approved(at(0, 1)), now=at(0, 2))

    assert [len(ids) for _, ids in slots_of(account)] == [2, 1]


def test_a_page_is_pushed_once_per_account(account, approved):
    page = approved(at(0, 1))
    planning.place(page, now=at(0, 2))
    assert planning.place(page, now=at(0, 2)) == []  # published again after a correction: not pushed again
    assert PushItem.objects.filter(page=page).count() == 1


def test_breaking_news_gets_a_push_of_its_own_at_once(account, approved):
    planning.place(approved(at(0, 1)), now=at(0, 2))
    breaking = approved(None, breaking=True)

    [item] = planning.place(breaking, now=at(0, 23))  # outside every window: breaking is exempt (A11.1)

    assert item.push.kind == Push.Kind.BREAKING and item.push.slot.astimezone(TZ) == at(0, 23)
    assert item.push.mode == Push.Mode.MASS_SEND


def test_breaking_news_after_the_days_mass_send_publishes_without_notifying(account, approved):
    Push.objects.create(account=account, slot=at(0, 16), state=Push.State.DONE, mode="mass_send", sent_at=at(0, 16))

    [item] = planning.place(approved(None, breaking=True), now=at(0, 19))

    assert item.push.kind == Push.Kind.BREAKING and item.push.mode == Push.Mode.PUBLISH


def test_breaking_news_waits_for_the_next_mass_send_when_the_policy_says_so(account, approved):
    versions.activate(governance.ready(schedule__breaking_when_mass_used="wait"), None)
    Push.objects.create(account=account, slot=at(0, 16), state=Push.State.DONE, mode="mass_send", sent_at=at(0, 16))
    tomorrow = approved(at(0, 1))
    planning.place(tomorrow, now=at(1, 2))
    breaking = approved(None, breaking=True)

    [item] = planning.place(breaking, now=at(0, 19))

    assert item.push.kind == Push.Kind.SCHEDULED
    assert [ids for _, ids in slots_of(account)][-1][0] == breaking.pk  # it leads the next push


def test_moving_an_article_is_checked_against_the_policy(account, approved):
    early = approved(at(0, 1))
    late = approved(at(0, 7))  # needs 19:00 or later: the 20:00 push
    planning.place(early, now=at(0, 8))
    planning.place(late, now=at(0, 8))
    four, eight = Push.objects.order_by("slot")
    assert eight.slot.astimezone(TZ) == at(0, 20)

    with pytest.raises(planning.PlanningError, match=r"A16|h before"):
        planning.move_item(PushItem.objects.get(page=late), four)
    planning.move_item(PushItem.objects.get(page=early), eight)

    assert slots_of(account)[-1] == (at(0, 20), [early.pk, late.pk])
    assert Push.objects.get(pk=four.pk).state == Push.State.CANCELLED  # nothing left in it


def test_reorder_and_reschedule(account, approved):
    a, b = approved(at(0, 1)), approved(at(0, 1, 5))
    planning.place(a, now=at(0, 2))
    planning.place(b, now=at(0, 2))
    push = Push.objects.get()
    planning.reorder(push, [PushItem.objects.get(page=b).pk, PushItem.objects.get(page=a).pk])
    assert slots_of(account) == [(at(0, 16), [b.pk, a.pk])]

    with pytest.raises(planning.PlanningError, match="windows"):
        planning.reschedule(push, at(0, 19))  # between the windows
    planning.reschedule(push, at(0, 20, 30))
    assert slots_of(account) == [(at(0, 20, 30), [b.pk, a.pk])]  # the editor's order is kept


def test_a_push_that_started_no_longer_changes(account, approved):
    planning.place(approved(at(0, 1)), now=at(0, 2))
    push = Push.objects.get()
    Push.objects.filter(pk=push.pk).update(state=Push.State.DRAFTED)
    push.refresh_from_db()

    with pytest.raises(planning.PlanningError, match="no longer change"):
        planning.reschedule(push, at(0, 20, 30))


def test_articles_approved_during_a_window_join_the_push_about_to_go_out(account, approved):
    first, second = approved(None), approved(None)  # arrival unknown: no lead time to wait for

    planning.place(first, now=at(0, 16, 5))
    planning.place(second, now=at(0, 16, 6))  # the 16:05 push is still planned: it takes this one too

    assert slots_of(account) == [(at(0, 16, 5), [first.pk, second.pk])]


def test_a_refusal_is_a_code_and_parameters_worded_in_the_readers_language(account, approved):
    """A16 inside a Chinese sentence is Chinese, and the same refusal reads in English for an English reader."""
    early, late = approved(at(0, 1)), approved(at(0, 7))
    planning.place(early, now=at(0, 8))
    planning.place(late, now=at(0, 8))
    four = Push.objects.order_by("slot").first()

    with pytest.raises(planning.PlanningError) as refusal:
        planning.move_item(PushItem.objects.get(page=late), four)

    assert refusal.value.code == "policy" and refusal.value.params["reasons"][0]["rule"] == "A16"
    assert refusal.value.message().startswith("The policy does not allow this article then: A16")
    with translation.override("zh-hans"):
        chinese = refusal.value.message()
    assert chinese.startswith("政策不允许") and "9.0 小时" in chinese and "12 小时" in chinese
    assert "material" not in chinese and "before" not in chinese
