"""Admin wiring: the records' menus (ModelViewSets), who sees which pages and images, the review's guards.

Each feature registers its own URLs, menu item, dashboard panels and audit-log actions in its `hooks.py`
(`cms/admin/features.py`), imported here; credentials (A6.6) are the channel's.
"""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from django_q.models import Failure, Schedule
from wagtail import hooks
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.admin.params import bounded_formfield
from cms.articles import visibility as page_visibility
from cms.calendar import hooks as calendar_hooks  # noqa: F401 - registers itself
from cms.cases import hooks as case_hooks  # noqa: F401 - registers itself
from cms.contributions import hooks as contribution_hooks  # noqa: F401 - registers itself
from cms.images import visibility as image_visibility
from cms.menu_changes import hooks as menu_change_hooks  # noqa: F401 - registers itself
from cms.models import (
    ArticlePage,
    CalendarOverride,
    Contribution,
    Department,
    DisciplineNotice,
    Person,
    PointAward,
    ReviewError,
    Semester,
    SendBack,
    Submission,
)
from cms.onboarding import hooks as onboarding_hooks  # noqa: F401 - registers itself
from cms.people.imports import hooks as people_import_hooks  # noqa: F401 - registers itself
from cms.policy import content as content_policy
from cms.review import guards
from cms.review import hooks as review_hooks  # noqa: F401 - registers itself
from cms.review import routing as review_routing
from cms.rewards import hooks as reward_hooks  # noqa: F401 - registers itself
from cms.staff_duty import hooks as staff_duty_hooks  # noqa: F401 - registers itself
from cms.wechat_fields import hooks as wechat_fields_hooks  # noqa: F401 - registers itself

# A6.1: explorer, search, chooser and site history show a contributor their own material, a reviewer their
# departments'. Registered before anything asks for the page policy, so no other is cached first.
register_permission_policy(Page, page_visibility.page_policy)
hooks.register("construct_page_chooser_queryset", page_visibility.chooser_pages)
hooks.register("construct_reports_menu", page_visibility.hide_whole_tree_reports)
# A6.1: the image chooser offers a contributor, head or leader their own uploads and live pages' images, never
# held public uploads; the office chooses any image. Exact class: it wins over the policy wagtail.images registers
# in its ready(), whichever of the two runs first.
register_permission_policy(get_image_model(), image_visibility.image_policy, exact_class=True)


@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    return page_visibility.ArticlePageViewSet("article_pages", model=ArticlePage)


class RecordPermissionPolicy(ModelPermissionPolicy):
    """Records the review and the policy write (A6.1, A17, A20): read in the admin, never made or edited by hand."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)


for _record in (Submission, SendBack, ReviewError, Contribution, PointAward, DisciplineNotice, Failure):
    register_permission_policy(_record, RecordPermissionPolicy(_record))


class BlankAwareInspectView(InspectView):
    """Wagtail's inspect view prints an empty value as the English word "None"; readers see a dash."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value


class BoundedModelViewSet(ModelViewSet):
    """A ModelViewSet whose forms refuse a related id the database cannot hold (a field error, not a 500)."""

    inspect_view_class = BlankAwareInspectView

    def formfield_for_dbfield(self, db_field, **kwargs):
        return bounded_formfield(db_field, **kwargs)


class RecordViewSet(BoundedModelViewSet):
    """A read-only list of records (their policy is RecordPermissionPolicy): nothing to add, edit or delete."""

    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []


class DepartmentViewSet(BoundedModelViewSet):
    model = Department
    icon = "group"
    form_fields = ["name", "code", "heads", "supervising_leader", "active"]
    list_display = ["name", "code", "supervising_leader", "active"]
    search_fields = ["name", "code"]

    def get_form_class(self, for_update=False):
        return review_routing.department_form(super().get_form_class(for_update))


class PersonViewSet(BoundedModelViewSet):
    model = Person
    icon = "user"
    form_fields = ["name", "kind", "number", "department", "email", "phone", "user"]
    list_display = ["name", "kind", "number", "department"]
    list_filter = ["kind", "department"]
    search_fields = ["name", "number"]


class SemesterViewSet(BoundedModelViewSet):
    model = Semester
    icon = "date"
    list_display = ["name", "start", "end"]


class CalendarOverrideViewSet(BoundedModelViewSet):
    model = CalendarOverride
    icon = "calendar-alt"
    form_fields = ["date", "day_type", "note"]
    list_display = ["date", "day_type", "note", "entered"]
    list_filter = ["day_type"]


class SubmissionViewSet(RecordViewSet):
    model = Submission
    icon = "tasks"
    list_display = ["page", "provider_kind", "department", "submitted_at", "reached_office_at", "accepted_at"]
    list_filter = ["provider_kind", "department"]


class SendBackViewSet(RecordViewSet):
    model = SendBack
    icon = "undo"
    list_display = ["page", "stage", "reason", "reviewer", "created_at"]
    list_filter = ["reason"]


class ReviewErrorViewSet(RecordViewSet):
    model = ReviewError
    icon = "warning"
    list_display = ["page", "department", "kind", "provider_kind", "found_at"]
    list_filter = ["kind", "provider_kind", "department"]


class ContributionViewSet(RecordViewSet):
    model = Contribution
    icon = "mail"
    list_display = ["page", "person", "on_behalf_of", "created_at", "revised_at"]
    list_filter = ["on_behalf_of"]


class PointAwardViewSet(RecordViewSet):
    model = PointAward
    icon = "pick"
    list_display = ["person", "page", "points", "semester", "policy_version", "awarded_at"]
    list_filter = ["semester"]


class DisciplineNoticeViewSet(RecordViewSet):
    model = DisciplineNotice
    icon = "warning"
    list_display = ["department", "level", "errors", "semester", "policy_version", "created_at"]
    list_filter = ["level", "semester"]


class ScheduleViewSet(BoundedModelViewSet):
    """The periodic checks (cms/rewards/period_checks.py) as django-q2 runs them."""

    model = Schedule
    icon = "time"
    menu_label = _("Scheduled checks")
    list_display = ["name", "func", "schedule_type", "next_run", "repeats"]
    form_fields = ["name", "schedule_type", "next_run", "repeats"]
    inspect_view_enabled = True


class FailedTaskViewSet(RecordViewSet):
    """Tasks the worker could not finish, and why: where a system error's cause is read (A6.5.1)."""

    model = Failure
    icon = "warning"
    menu_label = _("Failed tasks")
    list_display = ["name", "func", "stopped", "attempt_count"]
    inspect_view_fields = ["func", "args", "kwargs", "result", "group", "started", "stopped", "attempt_count"]


class NewsroomViewSetGroup(ViewSetGroup):
    menu_label = _("Newsroom")
    menu_icon = "doc-full-inverse"
    menu_order = 150
    items = (
        DepartmentViewSet("departments"),
        PersonViewSet("people"),
        SemesterViewSet("semesters"),
        CalendarOverrideViewSet("calendar_overrides"),
        SubmissionViewSet("submissions"),
        SendBackViewSet("send_backs"),
        ReviewErrorViewSet("review_errors"),
        ContributionViewSet("contributions"),
        PointAwardViewSet("point_awards"),
        DisciplineNoticeViewSet("discipline_notices"),
        ScheduleViewSet("scheduled_checks"),
        FailedTaskViewSet("failed_tasks"),
    )


@hooks.register("register_admin_viewset")
def register_newsroom_viewsets():
    return NewsroomViewSetGroup()


hooks.register("construct_page_action_menu", guards.hide_review_bypasses)
hooks.register("before_publish_page", guards.refuse_direct_publish)
hooks.register("before_bulk_action", guards.refuse_bulk_publish)
hooks.register("before_edit_page", guards.refuse_reviewer_cancel)
hooks.register("after_edit_page", guards.reviewer_lands_on_dashboard)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_long_titles(request, page):
    """A10.1: a title longer than the policy recommends is a warning, never a block."""
    if isinstance(page.specific, ArticlePage):
        warning = content_policy.title_warning(page.specific)
        if warning:
            messages.warning(request, warning)
