"""Review stages waiting longer than the policy's time are flagged (A6.2), to the office and to those who must act."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState

from cms.models import CalendarOverride, DayType
from cms.review import stalls
from policy_rules.models import PolicyVersion
from tests.review_steps import act, submit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


# -- counting working days -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "days", "expected"),
    [
        (at(2026, 12, 8, 10, 0), 2, at(2026, 12, 4, 10, 0)),  # Tuesday: back over the weekend to Friday
        (at(2026, 12, 9, 15, 30), 1, at(2026, 12, 8, 15, 30)),  # Wednesday: Tuesday, same time
        (at(2026, 12, 6, 10, 0), 2, at(2026, 12, 3, 0, 0)),  # Sunday counts nothing: Thursday and Friday whole
        (at(2026, 10, 8, 9, 0), 1, at(2026, 9, 30, 9, 0)),  # the National Day holiday does not count
    ],
)
def test_only_working_days_count(now, days, expected):
    assert stalls.cutoff(now, days) == expected


@pytest.mark.django_db
def test_an_administrators_override_counts_too():
    CalendarOverride.objects.create(date=datetime.date(2026, 12, 7), day_type=DayType.HOLIDAY, note="校庆")
    assert stalls.cutoff(at(2026, 12, 8, 10, 0), 2) == at(2026, 12, 3, 10, 0)


# -- who is told --------------------------------------------------------------------------------------------------


def waiting_since(page, when):
    """Pretend the page's current stage started at `when`."""
    TaskState.objects.filter(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS).update(
        started_at=when
    )


def a_week_ago():
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=10)


@pytest.fixture
def stalled(article_factory, people):
    """Department A material waiting ten days at the department head's stage."""
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    waiting_since(page, a_week_ago())
    return page


def flagged(user):
    return {review.page_id for review in stalls.stalled_reviews(user)[0]}


def test_a_stalled_head_stage_is_flagged_to_the_office_and_the_head_only(stalled, people):
    assert flagged(people["office"]) == {stalled.pk}
    assert flagged(people["head_a"]) == {stalled.pk}
    for other in ("leader_a", "head_b", "leader_b", "contributor", "channel", "college_leader"):
        assert flagged(people[other]) == set(), other


def test_the_flag_follows_the_stage_to_whoever_must_act(stalled, people):
    act(stalled, people["head_a"], "approve")
    assert flagged(people["head_a"]) == set()  # the new stage has just started
    waiting_since(stalled, a_week_ago())
    assert flagged(people["leader_a"]) == {stalled.pk} and flagged(people["head_a"]) == set()
    act(stalled, people["leader_a"], "approve")
    waiting_since(stalled, a_week_ago())
    assert flagged(people["office"]) == {stalled.pk} and flagged(people["leader_a"]) == set()


def test_the_stand_in_is_told_when_the_head_has_left(stalled, people):
    people["dept_a"].heads.clear()
    assert flagged(people["leader_a"]) == {stalled.pk}
    review = stalls.stalled_reviews(people["office"])[0][0]
    assert people["leader_a"].get_username() in review.acting


def test_fresh_material_is_not_flagged(article_factory, people):
    submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    assert flagged(people["office"]) == set()


def test_the_policy_sets_the_time(stalled, people):
    active = PolicyVersion.objects.get(status="active")
    active.document = {**active.document, "review": {"stalled_after_working_days": 30}}
    active.save()
    assert flagged(people["office"]) == set()
    assert stalls.stalled_after_working_days() == 30


def test_the_dashboard_shows_the_flag_in_words(client, stalled, people):
    client.force_login(people["head_a"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-newsroom-stalled-reviews" in html
    assert f'data-stalled-page="{stalled.pk}"' in html and stalled.title in html
    assert "2 个工作日" in html  # the policy's default, in the reader's language
    client.force_login(people["head_b"])
    assert "data-newsroom-stalled-reviews" not in client.get(reverse("wagtailadmin_home")).content.decode()


def dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(queries)


def test_the_dashboard_panel_costs_the_same_queries_as_stalled_material_grows(client, article_factory, people):
    client.force_login(people["office"])

    def add_stalled(count):
        for _ in range(count):
            page = submit(
                article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"]
            )
            waiting_since(page, a_week_ago())

    add_stalled(1)
    dashboard_queries(client)  # warm caches (content types, site)
    one = dashboard_queries(client)
    add_stalled(4)
    five = dashboard_queries(client)
    assert flagged(people["office"]) and len(flagged(people["office"])) == 5
    assert five == one


# -- the reminder e-mail --------------------------------------------------------------------------------------------


def test_a_stalled_stage_is_reminded_once_to_whoever_must_act_and_the_office(stalled, people, mailoutbox):
    assert stalls.remind() == [current_state_id(stalled)]
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted([people["head_a"].email, people["office"].email])
    assert stalled.title in message.subject and "2 个工作日" in message.body and "A6.2" in message.body
    assert stalls.remind() == [] and len(mailoutbox) == 1  # safe to run again: no second e-mail
    entry = PageLogEntry.objects.get(page=stalled, action=stalls.REMINDED)
    assert entry.data["task_state_id"] == current_state_id(stalled)


def test_a_stage_another_run_has_just_claimed_is_not_reminded_again(stalled, people, mailoutbox):
    """Two runs at once (the hourly schedule on two workers): the one that did not win the claim sends nothing,
    although the winner has not written its history line yet."""
    from cms.models import StalledReminder

    StalledReminder.objects.create(task_state_id=current_state_id(stalled))  # the other run, mid-e-mail
    assert stalls.remind() == [] and mailoutbox == []
    assert not PageLogEntry.objects.filter(page=stalled, action=stalls.REMINDED).exists()


def test_the_next_stage_is_reminded_in_its_turn(stalled, people, mailoutbox):
    stalls.remind()
    act(stalled, people["head_a"], "approve")
    assert stalls.remind() == []  # the leader's stage has just begun
    waiting_since(stalled, a_week_ago())
    assert stalls.remind() == [current_state_id(stalled)]
    assert people["leader_a"].email in mailoutbox[-1].to


def test_the_reminder_runs_every_hour(db):
    from django_q.models import Schedule

    from cms.rewards.period_checks import STALLED_REVIEWS

    schedule = Schedule.objects.get(name=STALLED_REVIEWS)
    assert (schedule.func, schedule.schedule_type) == ("cms.review.stalls.remind", Schedule.HOURLY)


def current_state_id(page):
    page.refresh_from_db()
    return page.current_workflow_task_state.pk
