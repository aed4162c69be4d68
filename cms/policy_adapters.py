"""What policy_rules asks of the site, answered from cms (the plugin never imports cms)."""

from . import calendar


def day_types(start, end):
    """The site's working-day calendar (official calendar, overrides, vacations) as policy day types."""
    return {day.date: str(day.day_type) for day in calendar.days(start, end)}


PROVIDER = {"office": "office", "department": "department", "staff": "personal", "student": "personal"}


def _iso(value):
    return value.isoformat() if value is not None else None


def facts_for_period(start, end):
    """The facts document (v1, docs/facts-document.md) of `start`–`end` from the database.

    Four queries whatever the period holds. Submissions are those first submitted
    in the period plus any an in-period error refers to. Pushes come from the
    channel once it exists; until then the list is empty.
    """
    from django.db.models import Q

    from .models import Department, Person, ReviewError, Submission

    errors = list(
        ReviewError.objects.filter(found_at__date__range=(start, end)).values(
            "page_id", "department_id", "provider_kind", "kind", "found_at"
        )
    )
    error_pages = {error["page_id"] for error in errors}
    submissions = list(
        Submission.objects.filter(Q(submitted_at__date__range=(start, end)) | Q(page_id__in=error_pages))
        .values(
            "page_id",
            "provider_kind",
            "contributor_id",
            "department_id",
            "submitted_at",
            "reached_office_at",
            "accepted_at",
            "page__first_published_at",
        )
        .order_by("submitted_at", "page_id")
    )
    contributor_ids = {row["contributor_id"] for row in submissions if row["contributor_id"]}
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": d["id"], "name": d["name"]} for d in Department.objects.values("id", "name")],
        "contributors": [
            {"id": p["id"], "kind": p["kind"], "department": p["department_id"]}
            for p in Person.objects.filter(pk__in=contributor_ids).values("id", "kind", "department_id")
        ],
        "submissions": [
            {
                "id": row["page_id"],
                "provider": PROVIDER[row["provider_kind"]],
                "contributor": row["contributor_id"],
                "department": row["department_id"],
                "submitted_at": _iso(row["submitted_at"]),
                "reached_office_at": _iso(row["reached_office_at"]),
                "accepted": row["accepted_at"] is not None,
                "published_at": _iso(row["page__first_published_at"]),
            }
            for row in submissions
        ],
        "errors": [
            {
                "submission": error["page_id"],
                "department": error["department_id"],
                "provider": PROVIDER[error["provider_kind"]],
                "kind": error["kind"],
                "found_at": _iso(error["found_at"]),
            }
            for error in errors
        ],
        "pushes": [],
    }


def periods():
    """The site's semesters, newest first: the periods the policy reports offer."""
    from .models import Semester

    return [
        {"key": str(semester.pk), "name": semester.name, "start": semester.start, "end": semester.end}
        for semester in Semester.objects.order_by("-start")
    ]


def names(kind, ids):
    """Display names for the policy reports: people (`"contributor"`) or departments, by id."""
    from .models import Department, Person

    model = {"contributor": Person, "department": Department}.get(kind)
    pks = [int(i) for i in ids if str(i).isdigit()]
    if model is None or not pks:
        return {}
    return {str(pk): name for pk, name in model.objects.filter(pk__in=pks).values_list("pk", "name")}
