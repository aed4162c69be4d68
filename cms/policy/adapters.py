"""What policy_rules asks of the site, answered from cms (the plugin never imports cms)."""

import datetime
from operator import itemgetter

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cms.admin.params import parse_id
from cms.calendar import services as calendar
from cms.models import Department, Person, ReviewError, Semester, Submission
from cms.policy.instants import UtcText
from policy_rules.bounds import EARLIEST, LATEST
from wechat_channel.models import Push, PushItem


def day_types(start, end):
    """The site's working-day calendar (official calendar, overrides, vacations) as policy day types."""
    return {day.date: str(day.day_type) for day in calendar.days(start, end)}


PROVIDER = {"office": "office", "department": "department", "staff": "personal", "student": "personal"}


def _day_bounds(start, end):
    """`start` 00:00 and the midnight after `end` in the current time zone.

    `field__gte`/`field__lt` these select what `field__date__range=(start, end)` does,
    but compare the stored column directly, so the indexes serve it and SQLite
    calls no Python function per row.
    """

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    # Nothing is stored outside policy_rules' accepted range, and clamping to it keeps the day after
    # `end` and the time zone's offset within datetime's years 1–9999.
    start, end = max(start, EARLIEST), min(end, LATEST)
    return midnight(start), midnight(end + datetime.timedelta(days=1))


def facts_for_period(start, end):
    """The facts document (v1, docs/facts-document.md) of `start`–`end` from the database.

    Five queries whatever the period holds; the ids in-period errors refer to and
    the contributors stay in the database as subqueries, never as long parameter
    lists. Instants are ISO text in UTC written by the database (`instants.UtcText`):
    loading them as datetimes cost a fifth of an evaluation (issue 15). Submissions
    are those first submitted in the period plus any an in-period error refers to
    or an in-period push carries. Pushes are the
    channel's pushes that went out in the period (mass sent or published), by
    the time they were sent, with the articles that have a submission.
    """
    begin, stop = _day_bounds(start, end)
    period_errors = ReviewError.objects.filter(found_at__gte=begin, found_at__lt=stop)
    errors = list(period_errors.values("page_id", "department_id", "provider_kind", "kind", found=UtcText("found_at")))
    pushes, pushed_pages = _pushes(begin, stop)
    period_submissions = Submission.objects.filter(
        Q(submitted_at__gte=begin, submitted_at__lt=stop)
        | Q(page_id__in=period_errors.values("page_id"))
        | Q(page_id__in=pushed_pages)
    )
    # Sorted here, not by the database: SQLite's sort of a semester's rows cost more than the rest of its query.
    submissions = sorted(
        period_submissions.values_list(
            "page_id",
            "provider_kind",
            "contributor_id",
            "department_id",
            UtcText("submitted_at"),
            UtcText("reached_office_at"),
            ExpressionWrapper(Q(accepted_at__isnull=False), output_field=BooleanField()),
            UtcText("page__first_published_at"),
        ),
        key=itemgetter(4, 0),
    )
    contributors = Person.objects.filter(pk__in=period_submissions.values("contributor_id"))
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": d["id"], "name": d["name"]} for d in Department.objects.values("id", "name")],
        "contributors": [
            {"id": p["id"], "kind": p["kind"], "department": p["department_id"]}
            for p in contributors.values("id", "kind", "department_id")
        ],
        "submissions": [
            {
                "id": page_id,
                "provider": PROVIDER[provider_kind],
                "contributor": contributor_id,
                "department": department_id,
                "submitted_at": submitted_at,
                "reached_office_at": reached_office_at,
                "accepted": accepted,
                "published_at": published_at,
            }
            for (
                page_id,
                provider_kind,
                contributor_id,
                department_id,
                submitted_at,
                reached_office_at,
                accepted,
                published_at,
            ) in submissions
        ],
        "errors": [
            {
                "submission": error["page_id"],
                "department": error["department_id"],
                "provider": PROVIDER[error["provider_kind"]],
                "kind": error["kind"],
                "found_at": error["found"],
            }
            for error in errors
        ],
        "pushes": pushes,
    }


def _pushes(begin, stop):
    """(pushes of the facts document, a subquery of their pages) for pushes sent in [begin, stop)."""
    sent = (
        Push.objects.filter(state=Push.State.DONE)
        .exclude(mode=Push.Mode.DRAFT_ONLY)
        .filter(Q(sent_at__gte=begin, sent_at__lt=stop) | Q(sent_at__isnull=True, slot__gte=begin, slot__lt=stop))
    )
    items = (
        PushItem.objects.filter(push__in=sent, page_id__in=Submission.objects.values("page_id"))
        .exclude(state=PushItem.State.FAILED)
        .order_by("push__slot", "push_id", "position")
        .values_list("push_id", UtcText(Coalesce("push__sent_at", "push__slot")), "push__kind", "page_id")
    )
    pushes = {}
    for push_id, at, kind, page_id in items:
        push = pushes.setdefault(
            push_id, {"id": push_id, "at": at, "breaking": kind == Push.Kind.BREAKING, "articles": []}
        )
        if len(push["articles"]) < 8:
            push["articles"].append(page_id)
    pages = PushItem.objects.filter(push__in=sent).exclude(state=PushItem.State.FAILED).values("page_id")
    return list(pushes.values()), pages


def periods():
    """The site's semesters, newest first: the periods the policy reports offer."""
    return [
        {"key": str(semester.pk), "name": semester.name, "start": semester.start, "end": semester.end}
        for semester in Semester.objects.order_by("-start")
    ]


def names(kind, ids):
    """Display names for the policy reports: people (`"contributor"`) or departments, by id."""
    model = {"contributor": Person, "department": Department}.get(kind)
    pks = [pk for pk in map(parse_id, map(str, ids)) if pk is not None]
    if model is None or not pks:
        return {}
    return {str(pk): name for pk, name in model.objects.filter(pk__in=pks).values_list("pk", "name")}
