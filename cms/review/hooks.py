"""Dashboard panels of the review (A6.1, A6.2): departments nobody can review for, and stages waiting too long.

Imported by cms/wagtail_hooks.py.
"""

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.people.roles import POLICY_ADMIN, is_office
from cms.review import routing, stalls


class UnstaffedDepartmentsPanel(Component):
    """The office's warning: active departments without a head or supervising leader who can act, and who stands in."""

    name = "unstaffed_departments"
    order = 55
    template_name = "cms/panels/unstaffed_departments.html"

    def __init__(self, rows, can_edit):
        self.rows, self.can_edit = rows, can_edit

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows, "can_edit": self.can_edit}


class StalledReviewsPanel(Component):
    """Review stages past the policy's time, oldest first, for the office and for those who must act."""

    name = "stalled_reviews"
    order = 56
    template_name = "cms/panels/stalled_reviews.html"

    def __init__(self, reviews, total, working_days):
        self.reviews, self.total, self.working_days = reviews, total, working_days

    def get_context_data(self, parent_context=None):
        return {
            "reviews": self.reviews,
            "total": self.total,
            "more": self.total - len(self.reviews),
            "working_days": self.working_days,
            "now": timezone.now(),
        }


def _sees_setup(user):
    return is_office(user) or user.groups.filter(name=POLICY_ADMIN.name).exists()


@hooks.register("construct_homepage_panels")
def add_review_panels(request, panels):
    user = request.user
    if _sees_setup(user):
        departments = list(routing.unstaffed_departments().select_related("supervising_leader"))
        if departments:
            rows = [(department, routing.acting(routing.HEAD_STAGE, department)) for department in departments]
            panels.insert(0, UnstaffedDepartmentsPanel(rows, user.has_perm("cms.change_department")))
    reviews, total = stalls.stalled_reviews(user)
    if total:
        panels.insert(0, StalledReviewsPanel(reviews, total, stalls.stalled_after_working_days()))


@hooks.register("register_log_actions")
def register_stall_log_action(actions):
    from django.utils.translation import gettext_lazy as _
    from wagtail.log_actions import LogFormatter

    @actions.register_action(stalls.REMINDED)
    class StalledFormatter(LogFormatter):
        label = _("Remind about stalled review")

        def format_message(self, log_entry):
            return _("Waited too long at %(stage)s: its reviewers and the office were reminded (A6.2)") % {
                "stage": log_entry.data.get("stage", "")
            }
