"""Asking the worker to recompute the stored outcomes: after the transaction commits, one task a burst of changes.

The first change after the worker last started sets `OutcomeRecomputation.requested_at` and queues the task
(django-q2, by dotted path); later changes only widen `since` until the worker starts and clears it. A change
while the worker runs queues one more task, so the last change is always counted.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from ..conf import get_conf
from ..models import OutcomeRecomputation

TASK = "policy_rules.reports.tasks.recompute_outcomes"
# A worker that started longer ago than this has died (django-q2's timeout is shorter): nothing is pending then.
RUNNING_AT_MOST = datetime.timedelta(minutes=15)


def request_recomputation(since=None, scope=None):
    """Recompute `scope`'s outcomes once the current transaction commits: the periods ending on or after `since`
    (a date; None: every period) and the running ones."""
    if get_conf("RECOMPUTE_ON_CHANGE"):
        ask(since, scope)


def ask(since=None, scope=None):
    """Queue the recomputation after commit whatever the settings (a page that has nothing to show asks so)."""
    scope = scope or get_conf("DEFAULT_SCOPE")
    transaction.on_commit(lambda: _request(scope, since))


def _request(scope, since):
    with transaction.atomic():
        row, _created = OutcomeRecomputation.objects.select_for_update().get_or_create(scope=scope)
        queued = row.requested_at is not None
        wider = None if since is None or row.since is None else min(since, row.since)
        if queued and wider == row.since:
            return False
        row.since = wider if queued else since
        row.requested_at = row.requested_at or timezone.now()
        row.save(update_fields=["since", "requested_at"])
    if not queued:
        async_task(TASK, scope, group="policy_rules")
    return not queued


def pending(scope):
    """The recomputation rows that say newer figures are on their way (queued, or running)."""
    running = Q(started_at__gt=timezone.now() - RUNNING_AT_MOST)
    return OutcomeRecomputation.objects.filter(Q(requested_at__isnull=False) | running, scope=scope)


@dataclass(frozen=True)
class Request:
    """What the worker was asked when it started: whether anything changed, and since which day (None: all)."""

    requested: bool
    since: datetime.date | None


def start(scope):
    """The worker starts: take the pending request (a later change queues another task) and say it runs."""
    with transaction.atomic():
        row, _created = OutcomeRecomputation.objects.select_for_update().get_or_create(scope=scope)
        request = Request(requested=row.requested_at is not None, since=row.since)
        row.requested_at, row.since, row.started_at = None, None, timezone.now()
        row.save(update_fields=["requested_at", "since", "started_at"])
    return request


def finish(scope):
    OutcomeRecomputation.objects.filter(scope=scope).update(started_at=None)
