"""Scheduled checks of the policy over closed periods: a day (A11.1), a week (A8), a semester (A8, A17, A18, A20).

Each check evaluates the period's facts under the active policy and tells the
people concerned. They run as django-q2 schedules (`ensure_schedules`, called
after migrate) and are safe to run twice: they only read and send.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_q.models import Schedule

from cms.admin.params import parse_id
from cms.models import Department, Semester
from cms.people.notifications import send_digest
from cms.people.roles import OFFICE_EDITOR
from cms.policy.adapters import facts_for_period
from policy_rules.decisions import active_version
from policy_rules.evaluation import evaluate
from policy_rules.gc_pause import collection_paused

SCHEDULES = (
    # name, task, schedule type, first run (days from today, hour)
    ("newsroom: daily push coverage (A11.1)", "cms.tasks.daily_check", "D", 6),
    ("newsroom: weekly department quotas (A8)", "cms.tasks.weekly_check", "W", 7),
    ("newsroom: semester close (A8, A17, A18, A20)", "cms.tasks.semester_check", "D", 5),
)


def _office_addresses():
    users = get_user_model().objects.filter(is_active=True, groups__name=OFFICE_EDITOR.name).exclude(email="")
    return list(users.values_list("email", flat=True).distinct())


def _evaluate(start, end):
    version = active_version()
    with collection_paused():  # the facts too: a worker froze its start-up, so collections come often (issue 15)
        return evaluate(version, facts_for_period(start, end)), version


def daily_check(today=None):
    """Working days of yesterday without enough pushes (A11.1): tell the office."""
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    outcomes, version = _evaluate(yesterday, yesterday)
    missed = {day: row for day, row in outcomes["working_days"].items() if not row["met"]}
    if not missed:
        return 0
    return send_digest("daily_coverage", {"days": missed, "version": version.label}, _office_addresses())


def weekly_check(today=None):
    """Departments below the weekly quota last week (A8): tell their heads and the office."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7)
    sunday = monday + datetime.timedelta(days=6)
    outcomes, version = _evaluate(monday, sunday)
    short = {key: row for key, row in outcomes["departments"].items() if any(not week["met"] for week in row["weeks"])}
    if not short:
        return 0
    ids = [pk for pk in map(parse_id, map(str, short)) if pk is not None]
    heads = Department.objects.filter(pk__in=ids).values_list("heads__email", flat=True)
    context = {"departments": short, "week_start": monday, "week_end": sunday, "version": version.label}
    return send_digest("weekly_quota", context, [*_office_addresses(), *[h for h in heads if h]])


def semester_check(today=None):
    """The day after a semester ends: its standings (quotas, prizes, certificates, discipline) to the office."""
    today = today or timezone.localdate()
    semester = Semester.objects.filter(end=today - datetime.timedelta(days=1)).first()
    if semester is None:
        return 0
    outcomes, version = _evaluate(semester.start, semester.end)
    context = {"semester": semester, "outcomes": outcomes, "version": version.label}
    return send_digest("semester_close", context, _office_addresses())


def ensure_schedules():
    """Create the django-q2 schedules once; an administrator's later changes to them stand."""
    now = timezone.localtime()
    for name, func, schedule_type, hour in SCHEDULES:
        first = (now + datetime.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
        if schedule_type == "W":
            first += datetime.timedelta(days=(7 - first.weekday()) % 7)  # the coming Monday
        Schedule.objects.get_or_create(
            name=name, defaults={"func": func, "schedule_type": schedule_type, "next_run": first, "repeats": -1}
        )


CASE_ESCALATION = "newsroom: escalate late cases (A6.5)"
CASE_ESCALATION_FUNC = "cms.cases.services.escalate_late"
CASE_ESCALATION_FUNC_BEFORE = "cms.cases.escalate_late"
STALLED_REVIEWS = "newsroom: remind about stalled reviews (A6.2)"


def ensure_case_schedule():
    """Every 15 minutes, escalate open reports and system errors past their deadline (`cms.cases.services`)."""
    # Sites set up before the cases moved into their folder (issue 13) keep their schedule, under the new path.
    Schedule.objects.filter(name=CASE_ESCALATION, func=CASE_ESCALATION_FUNC_BEFORE).update(func=CASE_ESCALATION_FUNC)
    Schedule.objects.get_or_create(
        name=CASE_ESCALATION,
        defaults={"func": CASE_ESCALATION_FUNC, "schedule_type": Schedule.MINUTES, "minutes": 15, "repeats": -1},
    )


def ensure_stalled_review_schedule():
    """Every hour, remind about review stages past the policy's time (`cms.review.stalls.remind`)."""
    Schedule.objects.get_or_create(
        name=STALLED_REVIEWS,
        defaults={"func": "cms.review.stalls.remind", "schedule_type": Schedule.HOURLY, "repeats": -1},
    )
