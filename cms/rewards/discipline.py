"""Errors against departments (A20): count, classify, and notify once per level per semester."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from cms.admin.queue import enqueue
from cms.models import Department, DisciplineNotice, ProviderKind, ReviewError
from cms.rewards import audit
from cms.rewards.points import semester_on
from policy_rules.decisions import active_version, decide

LEVELS = tuple(audit.NOTICES)  # ("warning", "escalation"), mildest first


def counted_errors(department, semester, kinds):
    """Errors in material the department provided, of the counted kinds, in the semester (A20)."""
    errors = ReviewError.objects.filter(department=department, provider_kind=ProviderKind.DEPARTMENT, kind__in=kinds)
    if semester is not None:
        errors = errors.filter(found_at__date__range=(semester.start, semester.end))
    return errors.count()


@transaction.atomic
def check_department(department_id, when=None):
    """Classify the department's errors so far; raise each level it reached once per semester."""
    department = Department.objects.select_for_update().get(pk=department_id)
    when = when or timezone.now()
    semester = semester_on(timezone.localdate(when))
    version = active_version()
    kinds = [str(kind) for kind in version.parsed().discipline.counted_kinds]
    errors = counted_errors(department, semester, kinds)
    decision = decide("department_errors", {"errors": errors}, version=version)
    reached = [level for level in LEVELS if f"discipline:{level}" in decision.verdicts]
    if "escalation" in reached:
        reached = ["warning", "escalation"]  # crossing 8 at once still warns the head first
    raised = []
    for level in reached:
        if DisciplineNotice.objects.filter(department=department, semester=semester, level=level).exists():
            continue
        notice = DisciplineNotice.objects.create(
            department=department,
            semester=semester,
            level=level,
            errors=errors,
            policy_version=decision.version_label,
        )
        log(
            instance=department,
            action=audit.NOTICES[level].code,
            data={
                "errors": errors,
                "semester": str(semester) if semester else None,
                "policy_version": decision.version_label,
            },
        )
        enqueue("cms.tasks.notify_discipline", notice.pk)
        raised.append(notice)
    return raised


def notices_for(user, limit=10):
    """The latest notices `user` should see: their departments' as head or leader, or all with view permission."""
    notices = DisciplineNotice.objects.select_related("department", "semester")
    if not user.has_perm("cms.view_disciplinenotice"):
        notices = notices.filter(Q(department__heads=user) | Q(department__supervising_leader=user)).distinct()
    return list(notices.order_by("-created_at")[:limit])
