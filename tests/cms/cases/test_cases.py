"""Cases (A6.5): numbering, the steps and their refusals, the history, escalation of late cases."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation
from django.utils.module_loading import import_string
from django_q.models import Schedule

from cms.cases import services as cases
from cms.models import Case, CaseEvent
from cms.rewards.period_checks import CASE_ESCALATION, ensure_case_schedule

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
OPENED = datetime.datetime(2026, 3, 2, 9, tzinfo=TZ)
Action = CaseEvent.Action


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched by their English text here; their Chinese is the catalogue's (tests/cms/test_i18n.py)."""
    with translation.override("en"):
        yield


def report(now=OPENED, **fields):
    return cases.open_report(fields.pop("text", "有人在评论区发布赌博广告"), Case.Source.SITE, now=now, **fields)


def system_error(key="push:1", now=OPENED, message="errcode 45009"):
    return cases.open_system_error(message, key=key, now=now)[0]


def history(case):
    return list(case.events.values_list("action", flat=True))


# Opening and numbering


def test_numbers_are_assigned_per_kind_and_year(db):
    first, second = report(), report()
    error = system_error()
    next_year = report(now=OPENED.replace(year=2027))

    assert [first.number, second.number, error.number, next_year.number] == [
        "JB-2026-0001",
        "JB-2026-0002",
        "XT-2026-0001",
        "JB-2027-0001",
    ]


def test_a_taken_number_is_skipped(db, monkeypatch):
    report()
    original, calls = Case.objects.filter, []

    def stale(*args, **kwargs):  # another worker took 0001 after this one read the sequence
        query = original(*args, **kwargs)
        if "year" in kwargs and not calls:
            calls.append(kwargs)
            return query.none()
        return query

    monkeypatch.setattr(Case.objects, "filter", stale)
    case = report()
    assert case.number == "JB-2026-0002"


def test_a_report_opens_new_unowned_with_the_policy_deadline(db):
    case = report(name="李老师", contact="13800000000", link="https://mp.weixin.qq.com/s/x")

    assert (case.status, case.owner, case.escalation_count) == (Case.Status.NEW, None, 0)
    assert case.deadline == OPENED + datetime.timedelta(hours=48)  # cases.report_deadline_hours
    assert (case.reporter_name, case.reporter_contact) == ("李老师", "13800000000")
    assert history(case) == [Action.OPENED]


@pytest.mark.parametrize("text", ["", "   ", "字" * (cases.TEXT_MAX_LENGTH + 1)])
def test_a_report_without_text_or_too_long_is_refused(db, text):
    with pytest.raises(ValidationError):
        report(text=text)
    assert not Case.objects.exists()


def test_a_report_key_opens_one_case_for_ever(db, people):
    first = report(key="callback:7")
    cases.resolve(first, people["office"], "Handled.")
    assert report(key="callback:7") == first
    assert Case.objects.count() == 1


def test_the_database_refuses_a_second_open_case_of_one_push(db):
    system_error(key="push:9")
    duplicate = Case(
        kind=Case.Kind.SYSTEM_ERROR,
        source=Case.Source.CHANNEL,
        summary="x",
        text="x",
        dedupe_key="push:9",
        deadline=OPENED,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


# The steps


def test_the_handling_path_is_recorded(db, people):
    office, policy = people["office"], people["policy"]
    case = report()

    cases.assign(case, policy, office)
    cases.start(case, office)
    cases.add_note(case, office, "Asked the comment's author to remove it.")
    later = OPENED + datetime.timedelta(days=5)
    cases.extend_deadline(case, office, later, "Waiting for the department's answer.", now=OPENED)
    case = cases.resolve(case, office, "Comment deleted, author blacklisted (A13).")

    assert (case.status, case.owner, case.deadline) == (Case.Status.RESOLVED, office, later)
    assert case.resolution == "Comment deleted, author blacklisted (A13)." and case.resolved_at
    assert history(case) == [
        Action.OPENED,
        Action.ASSIGNED,
        Action.STARTED,
        Action.NOTE,
        Action.EXTENDED,
        Action.RESOLVED,
    ]
    assert list(case.events.values_list("by__username", flat=True)) == [
        None,
        "policy",
        "office",
        "office",
        "office",
        "office",
    ]
    assert "Waiting for the department's answer." in case.events.get(action=Action.EXTENDED).note


def test_starting_makes_the_starter_the_owner(db, people):
    case = cases.start(report(), people["office"])
    assert (case.status, case.owner) == (Case.Status.IN_PROGRESS, people["office"])


def test_dismissing_needs_a_reason_and_resolving_a_note(db, people):
    case = report()
    with pytest.raises(ValidationError, match="why the case is dismissed"):
        cases.dismiss(case, people["office"], "  ")
    with pytest.raises(ValidationError, match="what was done"):
        cases.resolve(case, people["office"], "")
    case = cases.dismiss(case, people["office"], "A joke between students, nothing to act on.")
    assert case.status == Case.Status.DISMISSED


def test_a_closed_case_refuses_every_step(db, people):
    office = people["office"]
    case = cases.resolve(report(), office, "Done.")
    for step in (
        lambda: cases.start(case, office),
        lambda: cases.assign(case, office, office),
        lambda: cases.add_note(case, office, "more"),
        lambda: cases.resolve(case, office, "again"),
        lambda: cases.dismiss(case, office, "again"),
        lambda: cases.extend_deadline(case, office, OPENED + datetime.timedelta(days=9), "why", now=OPENED),
    ):
        with pytest.raises(ValidationError, match="is closed"):
            step()
    assert history(case) == [Action.OPENED, Action.RESOLVED]


def test_starting_twice_and_an_empty_note_are_refused(db, people):
    case = cases.start(report(), people["office"])
    with pytest.raises(ValidationError, match="already started"):
        cases.start(case, people["office"])
    with pytest.raises(ValidationError):
        cases.add_note(case, people["office"], "")


def test_the_deadline_moves_only_later_and_with_a_reason(db, people):
    case, office = report(), people["office"]
    with pytest.raises(ValidationError, match="why the deadline"):
        cases.extend_deadline(case, office, OPENED + datetime.timedelta(days=9), "", now=OPENED)
    with pytest.raises(ValidationError, match="later"):
        cases.extend_deadline(case, office, OPENED + datetime.timedelta(hours=1), "sooner", now=OPENED)
    with pytest.raises(ValidationError, match="later"):
        cases.extend_deadline(case, office, None, "none", now=OPENED)


@pytest.mark.parametrize("role", ["channel", "contributor", "head_a", "leader_a", "college_leader"])
def test_only_the_office_and_its_head_handle_reports(db, people, role):
    case = report()
    with pytest.raises(PermissionDenied):
        cases.start(case, people[role])
    with pytest.raises(PermissionDenied):
        cases.add_note(case, people[role], "note")


@pytest.mark.parametrize("role", ["office", "policy", "contributor", "head_a", "leader_a"])
def test_only_channel_administrators_handle_system_errors(db, people, role):
    with pytest.raises(PermissionDenied):
        cases.start(system_error(), people[role])


def test_a_case_is_assigned_only_to_someone_who_may_handle_its_kind(db, people):
    with pytest.raises(ValidationError, match="may not handle"):
        cases.assign(report(), people["office"], people["channel"])
    with pytest.raises(ValidationError, match="may not handle"):
        cases.assign(system_error(), people["channel"], people["policy"])  # sees system errors, does not handle
    assert cases.assign(system_error(key="push:2"), people["channel"], people["channel"]).owner == people["channel"]


def test_a_superuser_handles_both(db, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.edu.cn", "pw")
    assert cases.start(report(), root).owner == root
    assert cases.start(system_error(), root).owner == root


def test_a_repeated_error_is_a_history_line_not_a_case(db):
    first, created = cases.open_system_error("timeout", key="push:3", now=OPENED)
    again, created_again = cases.open_system_error("timeout", key="push:3", now=OPENED)
    assert (created, created_again, again) == (True, False, first)
    assert history(first) == [Action.OPENED, Action.REPEATED]


# Escalation


def test_a_late_report_is_escalated_once_to_the_office_head(db, people):
    case = report()
    deadline = case.deadline

    assert cases.escalate_late(deadline - datetime.timedelta(minutes=1)) == []
    assert cases.escalate_late(deadline + datetime.timedelta(minutes=1)) == [case.number]
    assert cases.escalate_late(deadline + datetime.timedelta(minutes=16)) == []  # the next run of the schedule

    case.refresh_from_db()
    assert (case.escalation_count, case.escalated_at) == (1, deadline + datetime.timedelta(minutes=1))
    assert history(case) == [Action.OPENED, Action.ESCALATED]
    [message] = mail.outbox
    assert message.to == [people["policy"].email]
    assert case.number in message.subject and f"/admin/cases/{case.pk}/" in message.body


def test_a_late_system_error_goes_to_channel_administrators_the_office_head_and_the_owner(db, people):
    case = system_error()
    cases.assign(case, people["channel"], people["channel"])
    cases.escalate_late(case.deadline)
    [message] = mail.outbox
    assert sorted(message.to) == sorted([people["channel"].email, people["policy"].email])


def test_still_open_a_whole_period_later_it_is_escalated_again(db, people):
    case = report()
    first = case.deadline + datetime.timedelta(minutes=1)
    cases.escalate_late(first)
    assert cases.escalate_late(first + datetime.timedelta(hours=47)) == []
    assert cases.escalate_late(first + datetime.timedelta(hours=48)) == [case.number]
    case.refresh_from_db()
    assert case.escalation_count == 2


def test_an_extended_deadline_that_passes_escalates_again(db, people):
    case = report()
    escalated = case.deadline + datetime.timedelta(minutes=1)
    cases.escalate_late(escalated)
    new_deadline = escalated + datetime.timedelta(hours=2)
    cases.extend_deadline(case, people["office"], new_deadline, "Waiting for the police.", now=escalated)

    assert cases.escalate_late(new_deadline - datetime.timedelta(minutes=1)) == []
    assert cases.escalate_late(new_deadline) == [case.number]


def test_closed_cases_are_not_escalated(db, people):
    case = cases.dismiss(report(), people["office"], "Spam.")
    assert cases.escalate_late(case.deadline + datetime.timedelta(days=30)) == []
    assert not mail.outbox


def test_the_escalation_runs_every_15_minutes(db):
    schedule = Schedule.objects.get(name=CASE_ESCALATION)
    assert (schedule.func, schedule.schedule_type, schedule.minutes) == ("cms.cases.services.escalate_late", "I", 15)


def test_a_site_set_up_before_the_cases_moved_keeps_its_escalation_under_the_new_path(db):
    """Issue 13 moved `cms.cases` to `cms.cases.services`: the set-up after migrate moves the stored schedule too,
    keeping an administrator's changes to it; the worker then finds the function."""
    Schedule.objects.filter(name=CASE_ESCALATION).update(func="cms.cases.escalate_late", minutes=30)
    ensure_case_schedule()
    schedule = Schedule.objects.get(name=CASE_ESCALATION)
    assert (schedule.func, schedule.minutes) == ("cms.cases.services.escalate_late", 30)
    assert callable(import_string(schedule.func))


def test_a_case_may_be_assigned_to_exactly_those_who_handle_its_kind_in_one_query(
    people, django_user_model, django_assert_num_queries
):
    """Handlers through their role's group, a permission given directly, or superusers; never anyone else."""
    from django.contrib.auth.models import Permission

    from cms.people.roles import OFFICE_EDITOR, group_for

    direct = django_user_model.objects.create_user(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="handle_report"))
    django_user_model.objects.create_superuser(username="root", password="pw")
    for n in range(20):
        django_user_model.objects.create_user(username=f"editor{n:02d}").groups.add(group_for(OFFICE_EDITOR))
        django_user_model.objects.create_user(username=f"bystander{n:02d}")
    django_user_model.objects.create_user(username="former", is_active=False).groups.add(group_for(OFFICE_EDITOR))

    with django_assert_num_queries(1):
        report_handlers = cases.handlers(Case.Kind.REPORT)

    names = {user.username for user in report_handlers}
    assert {people["office"].username, people["policy"].username, "direct", "root"} <= names
    assert {f"editor{n:02d}" for n in range(20)} <= names
    assert not names & {"former", people["channel"].username, people["contributor"].username, "bystander00"}
    assert names == {user.username for user in django_user_model.objects.all() if cases.may_handle(user, "report")}
    assert {user.username for user in cases.handlers(Case.Kind.SYSTEM_ERROR)} == {people["channel"].username, "root"}
