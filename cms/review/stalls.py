"""Review stages waiting too long (A6.1, A6.2): flagged to the office and to whoever must act, never silent.

A stage is stalled once it has waited `review.stalled_after_working_days` working days (the policy's), counted on
the working-day calendar (A11.1: official calendar, overrides, vacations) in Asia/Shanghai time: only the hours of
working days count, so material that arrives on Friday afternoon is not late on Sunday.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, TaskState

from cms.calendar import services as calendar
from cms.models import DepartmentHeadTask, OfficeReviewTask, StalledReminder, Submission, SupervisingLeaderTask, routing
from cms.models.review import _article_ids_as_text, stage_label
from cms.people import notifications
from cms.people.roles import is_office
from cms.review import audit
from cms.review.routing import ACTING_LABELS
from policy_rules.decisions import NoActivePolicy, active_version
from policy_rules.document import Review

STAGES = {DepartmentHeadTask: routing.HEAD_STAGE, SupervisingLeaderTask: routing.LEADER_STAGE, OfficeReviewTask: None}
CALENDAR_CHUNK = 62  # days fetched at a time while counting back working days
CALENDAR_REACH = 400  # never count back further than this: a year of vacations and holidays


def stalled_after_working_days():
    """The policy's number of working days a stage may wait (A6.2), or the default while no policy is active."""
    try:
        return active_version(None).parsed().review.stalled_after_working_days
    except NoActivePolicy:
        return Review().stalled_after_working_days


def cutoff(now, working_days):
    """The latest start at which a stage has waited `working_days` working days by `now`.

    Only the time of working days counts: a stage started at or before the cutoff is stalled at `now`.
    """
    local = timezone.localtime(now)
    today = local.date()
    into_today = local - local.replace(hour=0, minute=0, second=0, microsecond=0)
    if not calendar.is_working_day(today):
        into_today = datetime.timedelta(0)
    found, end = 0, today - datetime.timedelta(days=1)
    while (today - end).days <= CALENDAR_REACH:
        start = end - datetime.timedelta(days=CALENDAR_CHUNK - 1)
        for day in reversed(calendar.days(start, end)):
            if day.is_working_day:
                found += 1
                if found == working_days:
                    midnight = timezone.make_aware(datetime.datetime.combine(day.date, datetime.time()))
                    # Today's working time so far, and the rest of this day back to the same time of day.
                    return midnight + into_today
        end = start - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(end, datetime.time()))


def _content_types():
    return {model: ContentType.objects.get_for_model(model) for model in STAGES}


def stalled_task_states(user, now=None):
    """In-progress review stages past the policy's time that `user` must see: all for the office, else their own."""
    now = now or timezone.now()
    types = _content_types()
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        started_at__lte=cutoff(now, stalled_after_working_days()),
        task__content_type__in=types.values(),
    )
    if is_office(user):
        return states
    condition = Q(pk__in=[])
    for model, stage in STAGES.items():
        if stage is None:
            continue  # the office stage is the office's, seen above
        mine = Submission.objects.filter(routing.submissions_acted_on_by(user, stage))
        condition |= Q(task__content_type=types[model], workflow_state__object_id__in=_article_ids_as_text(mine))
    return states.filter(condition)


@dataclass(frozen=True)
class StalledReview:
    page_id: int
    title: str
    stage: str
    department: str
    acting: str  # who must act, in words
    since: datetime.datetime


def stalled_reviews(user, limit=20, now=None):
    """(the oldest `limit` stalled stages `user` must see as StalledReview rows, how many there are in all)."""
    states = stalled_task_states(user, now)
    total = states.count()
    rows = list(states.select_related("task", "revision", "workflow_state").order_by("started_at")[:limit])
    page_ids = [int(state.workflow_state.object_id) for state in rows]
    submissions = {s.page_id: s for s in Submission.objects.filter(page_id__in=page_ids).only("page_id", "department")}
    department_ids = {s.department_id for s in submissions.values() if s.department_id}
    departments = routing.departments().filter(pk__in=department_ids).select_related("supervising_leader")
    departments = {department.pk: department for department in departments}
    stage_by_type = {content_type.pk: STAGES[model] for model, content_type in _content_types().items()}
    result = []
    for state in rows:
        page_id = int(state.workflow_state.object_id)
        submission = submissions.get(page_id)
        department = departments.get(submission.department_id) if submission else None
        stage = stage_by_type.get(state.task.content_type_id)
        result.append(
            StalledReview(
                page_id=page_id,
                title=state.revision.object_str if state.revision_id else "",
                stage=str(stage_label(state.task)),
                department=department.name if department else "",
                acting=_acting_words(stage, department),
                since=state.started_at,
            )
        )
    return result, total


def _acting_words(stage, department):
    """Who must act, in words: a stand-in says whom it stands in for."""
    who = routing.OFFICE if stage is None else routing.acting(stage, department)
    if who != routing.LEADER:
        words = ACTING_LABELS[who]
        return str(words if stage is None or who == routing.HEADS else _("the office, standing in (A5)"))
    leader = department.supervising_leader
    name = leader.get_full_name() or leader.get_username()
    if stage == routing.HEAD_STAGE:
        return _("the supervising leader %(name)s, standing in for the department head") % {"name": name}
    return _("the supervising leader %(name)s") % {"name": name}


REMINDED = audit.STALLED.code


def _claim(state):
    """Take the one reminder of `state`; False when another run took it (an insert, so SQLite and PostgreSQL alike
    let exactly one of two simultaneous runs win). A run that dies before its e-mail leaves the stage unreminded
    rather than reminded twice; the dashboards flag it either way."""
    try:
        with transaction.atomic():
            StalledReminder.objects.create(task_state_id=state.pk)
    except IntegrityError:
        return False
    return True


def remind(now=None):
    """E-mail once about each stalled stage: whoever must act, and the office (A6.2). Returns the task state ids.

    Each reminder is recorded in the article's history (`newsroom.review.stalled`), so a stage is reminded about once
    however often this runs; a stage that starts again (after a send-back) is a new stage and may be reminded again.
    """
    now = now or timezone.now()
    working_days = stalled_after_working_days()
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        started_at__lte=cutoff(now, working_days),
        task__content_type__in=_content_types().values(),
    ).select_related("workflow_state", "task")
    states = list(states)
    page_ids = [int(state.workflow_state.object_id) for state in states]
    logged = PageLogEntry.objects.filter(action=REMINDED, page_id__in=page_ids).values_list("data", flat=True)
    already = {data.get("task_state_id") for data in logged}
    reminded = []
    for state in states:
        if state.pk in already or not _claim(state):
            continue
        page = state.workflow_state.content_object.specific
        recipients = notifications.stalled_review(state, page, working_days)
        log(
            instance=page,
            action=REMINDED,
            user=None,
            data={"task_state_id": state.pk, "stage": state.task.name, "recipients": recipients},
        )
        reminded.append(state.pk)
    return reminded
