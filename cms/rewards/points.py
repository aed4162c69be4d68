"""Rewards on office acceptance (A17, A18, A19), decided by the active policy."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cms.models import PointAward, ProviderKind, Semester
from policy_rules.decisions import active_version, decide


def semester_on(date):
    return Semester.objects.filter(start__lte=date, end__gte=date).first()


@transaction.atomic
def award_points(article, when=None):
    """+points for a student's own accepted submission, capped per semester (A17.1); None otherwise.

    Department submissions (A19) and staff submissions (A18: certificates at
    semester end instead) earn no points. Safe to call twice for one article.
    """
    if article.provider_kind != ProviderKind.STUDENT or not article.contributor_id:
        return None
    existing = PointAward.objects.filter(page=article).first()
    if existing is not None:
        return existing
    when = when or timezone.now()
    semester = semester_on(timezone.localdate(when))
    earlier = PointAward.objects.select_for_update().filter(person_id=article.contributor_id, semester=semester)
    so_far = earlier.aggregate(total=Sum("points"))["total"] or 0
    version = active_version()
    rewards = version.parsed().rewards
    accepted_before = earlier.count()
    decision = decide("student_points", {"accepted": accepted_before}, version=version)
    room = 0 if "points:capped" in decision.verdicts else max(0, rewards.points_cap - so_far)
    return PointAward.objects.create(
        person_id=article.contributor_id,
        page=article,
        semester=semester,
        points=min(rewards.points_per_accepted, room),
        policy_version=decision.version_label,
        awarded_at=when,
    )
