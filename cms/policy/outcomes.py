"""The policy reports' stored outcomes follow the site's data: a change to what the facts are made of asks the
worker to recompute them (`policy_rules.reports.recompute`), once the transaction commits and once a burst.

Each receiver says the earliest day its change can reach, so only the periods ending on or after it (and the
running one) are recomputed; a change to people, departments, semesters or the calendar reaches every period.
Bulk writes send no signal: the hourly schedule catches them.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published

from cms.models import (
    ArticlePage,
    CalendarOverride,
    Department,
    Person,
    ReviewError,
    Semester,
    Submission,
    Vacation,
    YearArrangement,
)
from policy_rules.reports.recompute import request_recomputation
from wechat_channel.signals import push_done


def _day(moment):
    return timezone.localdate(moment) if moment is not None else None


def submission_changed(sender, instance, **kwargs):
    # Errors and pushes that count a submission come after it was submitted.
    request_recomputation(since=_day(instance.submitted_at))


def error_changed(sender, instance, **kwargs):
    request_recomputation(since=_day(instance.found_at))


def article_published(sender, instance, **kwargs):
    submitted = Submission.objects.filter(page_id=instance.pk).values_list("submitted_at", flat=True).first()
    if submitted is not None:
        request_recomputation(since=_day(submitted))


def push_went_out(sender, push, **kwargs):
    request_recomputation(since=_day(push.sent_at or push.slot))


def override_changed(sender, instance, **kwargs):
    request_recomputation(since=instance.date)


def everything_changed(sender, **kwargs):
    request_recomputation()


RECEIVERS = (
    (Submission, submission_changed),
    (ReviewError, error_changed),
    (CalendarOverride, override_changed),
    (Person, everything_changed),
    (Department, everything_changed),
    (Semester, everything_changed),
    (Vacation, everything_changed),
    (YearArrangement, everything_changed),
)


def register_outcome_receivers():
    """Connected from `cms.signal_handlers`; each asks for a recomputation after commit."""
    for model, receiver in RECEIVERS:
        uid = f"newsroom_policy_outcomes_{model._meta.model_name}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}_deleted")
    page_published.connect(article_published, sender=ArticlePage, dispatch_uid="newsroom_policy_outcomes_published")
    push_done.connect(push_went_out, dispatch_uid="newsroom_policy_outcomes_push_done")
