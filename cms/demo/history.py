"""The demo semester so far: weeks of material, reviews, errors and pushes, so every report has something true.

Each article goes the way any contribution does, through the product's own services: filed on the public
form (`contributions.services.submit_contribution`), approved by the department head and the supervising
leader, checked by the office (`review.actions.perform`; a typo or a wrong fact is sent back and recorded
against the department, A20, then revised through `revise_contribution`), given its credits and cover by the
office, approved and published (A6.3.1), rewarded (`award_points`, A17), and placed into the push the channel's
planner would have chosen then (`wechat_channel.past.place`). Who reviews is whoever the routing names
(A6.1). Which weeks a department provides material, and what goes wrong, is `history_data.py`.

Time: the services stamp "now". Each step runs, then `_backdate` moves every stamp the step made to the
moment it is meant to have happened (the timestamps in `STAMPS`, rows stamped since the step began): the one
place the demo rewrites time. The services that take a moment are given it (the planner's `now`, the
points' and discipline's `when`), so they decide as they would have then. Steps dated later than now are
not taken. No e-mail is sent, and the background work the services queue (e-mails about each stage,
placing the page into a push) is dropped for the past (`_past_only`): nobody is e-mailed today about
September, and the history places and rewards each article itself, at its moment.

Pushes: the sandbox is not running while the demo is seeded, so a push whose slot is past is recorded as
WeChat would have answered it (`wechat_channel.past.went_out`: the mass send accepted, then the result with
sandbox-style article URLs, through the channel's own `results.mass_send_finished`). The sandbox does not
serve those old URLs.
"""

import datetime
import itertools
from contextlib import contextmanager

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision, TaskState, WorkflowState

from cms.calendar import services as calendar
from cms.demo import history_steps as steps_
from cms.demo.covers import COVER_COLORS, cover
from cms.demo.history_data import PLANS
from cms.models import (
    ArticlePage,
    Contribution,
    DayType,
    DisciplineNotice,
    PointAward,
    RateLimitCounter,
    ReviewError,
    SendBack,
    Submission,
)
from wechat_channel.models import Push, PushEvent, PushItem

# Every timestamp the services of the history stamp with "now".
STAMPS = (
    (Page, ("first_published_at", "last_published_at", "latest_revision_created_at")),
    (Revision, ("created_at",)),
    (WorkflowState, ("created_at",)),
    (TaskState, ("started_at", "finished_at")),
    (PageLogEntry, ("timestamp",)),
    (Contribution, ("created_at", "revised_at")),
    (Submission, ("submitted_at", "reached_office_at", "accepted_at")),
    (SendBack, ("created_at",)),
    (ReviewError, ("found_at",)),
    (PointAward, ("awarded_at",)),
    (DisciplineNotice, ("created_at",)),
    (RateLimitCounter, ("window_started_at",)),
    (Push, ("created_at", "updated_at", "finished_at")),
    (PushItem, ("created_at",)),
    (PushEvent, ("at",)),
)
QUEUES = ("cms.admin.queue", "wechat_channel.queue")  # where the services queue their background work
SILENT = "django.core.mail.backends.dummy.EmailBackend"
FOLLOWERS = 3200  # the demo account's followers, as WeChat's mass-send result counts them


def _backdate(since, moment):
    """Move every stamp made since `since` to `moment`: the one place the demo rewrites time."""
    for model, fields in STAMPS:
        for field in fields:
            model._base_manager.filter(**{f"{field}__gte": since}).update(**{field: moment})


@contextmanager
def _past_only():
    """Run the block in a transaction, sending no e-mail (Wagtail's own "submitted for review" included), and drop
    the background work it queued: it all belonged to the past.

    Django keeps the work queued with `on_commit` in `connection.run_on_commit` until the outermost commit
    (Django's own `captureOnCommitCallbacks` reads it the same way); work queued elsewhere is kept.
    """
    with transaction.atomic(), override_settings(EMAIL_BACKEND=SILENT):
        connection = transaction.get_connection()
        before = len(connection.run_on_commit)
        yield
        kept = [entry for entry in connection.run_on_commit[before:] if entry[1].__module__ not in QUEUES]
        connection.run_on_commit[before:] = kept


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Timeline:
    """The working days around the semester, and the one after a given day (A11: pushes on working days)."""

    def __init__(self, start, end):
        self.working = [d.date for d in calendar.days(start, end) if d.day_type == DayType.WORKING]

    def after(self, day):
        return next((d for d in self.working if d > day), None)


def ensure_history(semester, account, office):
    """Seed the semester up to yesterday once; nothing when its first article exists already."""
    first_title = PLANS["student-affairs"]["titles"][0]
    if ArticlePage.objects.filter(title=first_title).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    timeline = Timeline(semester.start - datetime.timedelta(days=7), semester.end + datetime.timedelta(days=30))
    steps = []
    for item in _items(semester, timeline, today):
        steps.extend(_steps(item, timeline, office))
    with _past_only():
        covers = {code: cover(f"封面 · {code}", color) for code, color in zip(PLANS, COVER_COLORS, strict=True)}
        for moment, step in sorted(steps, key=lambda s: s[0]):  # in time order: a check counts what came before
            if moment >= now:
                continue  # not yet: the item waits where it stands
            since = timezone.now()
            step(moment, covers)
            _backdate(since, moment)
        for push in Push.objects.filter(account=account, state=Push.State.PLANNED, slot__lt=now).order_by("slot"):
            since = timezone.now()
            steps_.send_push(push, FOLLOWERS)
            _backdate(since, push.slot + datetime.timedelta(minutes=3))


def _items(semester, timeline, today):
    """The articles of the weeks so far, each on the working day it was submitted, spread over the week."""
    monday = semester.start - datetime.timedelta(days=semester.start.weekday())
    lists = {code: _titles(plan["titles"]) for code, plan in PLANS.items()}
    weeks = (semester.end - monday).days // 7 + 1
    items = []
    for week in range(weeks):
        start = monday + datetime.timedelta(weeks=week)
        days = [
            d
            for d in timeline.working
            if start <= d < start + datetime.timedelta(days=7)
            and d >= semester.start
            and timeline.after(d) is not None
            and timeline.after(d) < today
        ]
        queues = [
            [(code, *next(lists[code])) for _n in range(int(plan["weeks"][week % len(plan["weeks"])]))]
            for code, plan in PLANS.items()
        ]
        week_items = [entry for round_ in _rounds(queues) for entry in round_]
        for n, (code, ordinal, title) in enumerate(week_items):
            if days:
                items.append({"department": code, "ordinal": ordinal, "title": title, "day": days[n % len(days)]})
    return items


def _titles(titles):
    """(ordinal, title) for as many articles as the weeks ask: past the list, its titles again, numbered （二）…"""
    for ordinal in itertools.count():
        round_, index = divmod(ordinal, len(titles))
        yield ordinal, titles[index] if round_ == 0 else f"{titles[index]}（{ROUNDS[round_ % len(ROUNDS)]}）"


ROUNDS = "一二三四五"


def _rounds(queues):
    """One from each department in turn, so a week's material is spread over its days."""
    while any(queues):
        yield [queue.pop(0) for queue in queues if queue]


def _steps(item, timeline, office):
    """(moment, step) for one article: submitted, two approvals, office review (and revisions), published."""
    plan = PLANS[item["department"]]
    key, on_behalf = plan["rota"][item["ordinal"] % len(plan["rota"])]
    errors = [reason for ordinal, reason in plan["errors"] if ordinal == item["ordinal"]]
    day, spread = item["day"], (item["ordinal"] * 7) % 60
    state = {}
    steps = [
        (_at(day, 8, 30 + spread % 30), lambda m, c: state.update(page=steps_.submit(item, key, on_behalf))),
        (_at(day, 10, spread), lambda m, c: steps_.review(state["page"], "approve", comment="")),
        (_at(day, 15, spread % 30), lambda m, c: steps_.review(state["page"], "approve", comment="")),
    ]
    for reason in errors:
        day = timeline.after(day)
        steps.append((_at(day, 9, 30), lambda m, c, r=reason: steps_.send_back(state["page"], r, m)))
        steps.append((_at(day, 14, spread % 30), lambda m, c: steps_.revise(state["page"], item)))
    day = timeline.after(day)
    evening = day.toordinal() % 4 == 0  # some days the office approves late, and the push goes out at 20:00
    approved = _at(day, 19, 45) if evening else _at(day, 9, 30 + spread % 20)
    steps.append((approved, lambda m, c: steps_.accept(state["page"], item, office, c, m)))
    return steps
