"""The review in the admin (A6.1, A6.2): its audit-log actions, and two dashboard panels — departments nobody can
review for, and stages waiting too long. Imported by cms/wagtail_hooks.py."""

from django.utils import timezone

from cms.admin.features import DashboardPanel, Feature, register_feature
from cms.models.routing import HEAD_STAGE, acting
from cms.people.roles import POLICY_ADMIN, is_office
from cms.review import audit, stalls
from cms.review.routing import unstaffed_departments


def _sees_setup(user):
    return is_office(user) or user.groups.filter(name=POLICY_ADMIN.name).exists()


def unstaffed_departments_panel(request):
    """The office's warning: active departments without a head or supervising leader who can act, and who stands
    in."""
    user = request.user
    if not _sees_setup(user):
        return None
    departments = list(unstaffed_departments().select_related("supervising_leader"))
    if not departments:
        return None
    rows = [(department, acting(HEAD_STAGE, department)) for department in departments]
    return DashboardPanel(
        "unstaffed_departments",
        55,
        "cms/panels/unstaffed_departments.html",
        rows=rows,
        can_edit=user.has_perm("cms.change_department"),
    )


def stalled_reviews_panel(request):
    """Review stages past the policy's time, oldest first, for the office and for those who must act."""
    reviews, total = stalls.stalled_reviews(request.user)
    if not total:
        return None
    return DashboardPanel(
        "stalled_reviews",
        56,
        "cms/panels/stalled_reviews.html",
        reviews=reviews,
        total=total,
        more=total - len(reviews),
        working_days=stalls.stalled_after_working_days(),
        now=timezone.now(),
    )


register_feature(
    Feature(name="review", panels=[unstaffed_departments_panel, stalled_reviews_panel], audit=audit.ACTIONS)
)
