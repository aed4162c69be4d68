"""Admin wiring: menus for the editorial domain, audit-log actions, dashboard warnings."""

from django.contrib import messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_q.models import Failure, Schedule
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.images import get_image_model
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.admin.params import bounded_formfield
from cms.articles import visibility as page_visibility
from cms.calendar import services as calendar
from cms.images import visibility as image_visibility
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
from cms.policy import content as content_policy
from cms.review import guards
from cms.review import routing as review_routing

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
    list_display = ["date", "day_type", "note"]
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


@hooks.register("register_log_actions")
def register_newsroom_log_actions(actions):
    """Our own audit-log action names, so each review step can be filtered (issue #2, item 7)."""

    @actions.register_action("newsroom.review.send_back")
    class SendBackFormatter(LogFormatter):
        label = _("Request changes")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Sent back at %(stage)s: %(reason)s — %(comment)s") % {
                "stage": data.get("stage", ""),
                "reason": data.get("reason_label", data.get("reason", "")),
                "comment": data.get("comment", ""),
            }

    @actions.register_action("newsroom.review.error_recorded")
    class ErrorFormatter(LogFormatter):
        label = _("Record review error")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Error recorded against %(department)s: %(kind)s (A20)") % {
                "department": data.get("department") or "—",
                "kind": data.get("kind", ""),
            }

    @actions.register_action("newsroom.review.approve")
    class ApproveFormatter(LogFormatter):
        label = _("Approve review stage")

        def format_message(self, log_entry):
            return _("Approved at %(stage)s") % {"stage": log_entry.data.get("stage", "")}

    actions.register_action(
        "newsroom.review.checklist_confirmed", _("Confirm office checklist"), _("Office checklist confirmed (A6.2)")
    )
    actions.register_action(
        "newsroom.review.reached_office", _("Reach office review"), _("Reached office review (A16)")
    )
    actions.register_action("newsroom.discipline.warning", _("Warn department head"), _("Department head warned (A20)"))
    actions.register_action(
        "newsroom.discipline.escalation",
        _("Escalate to supervising leader"),
        _("Escalated to the supervising leader (A20)"),
    )
    actions.register_action(
        "newsroom.contribution.submit", _("Submit contribution"), _("Contribution submitted through the public form")
    )

    @actions.register_action("newsroom.credentials.assign")
    class AssignHolderFormatter(LogFormatter):
        label = _("Assign credential holder")

        def format_message(self, log_entry):
            return _("%(holder)s now holds the credentials (A6.6.1)") % {"holder": log_entry.data.get("holder", "")}

    @actions.register_action("newsroom.credentials.release")
    class ReleaseHolderFormatter(LogFormatter):
        label = _("Release credential holder")

        def format_message(self, log_entry):
            return _("%(holder)s no longer holds the credentials; rotate them (A6.6.2)") % {
                "holder": log_entry.data.get("holder", "")
            }

    actions.register_action(
        "newsroom.credentials.rotate", _("Record credential rotation"), _("Credential rotation recorded (A6.6.2)")
    )
    actions.register_action(
        "newsroom.contribution.revise", _("Revise contribution"), _("Contribution revised through the status link")
    )
    register_menu_change_actions(actions)


def register_menu_change_actions(actions):
    """Audit-log actions of menu-change applications (A6.4)."""
    actions.register_action(
        "newsroom.menu_change.submit", _("Submit menu change"), _("Menu change submitted for approval (A6.4)")
    )

    @actions.register_action("newsroom.menu_change.decide")
    class MenuChangeDecisionFormatter(LogFormatter):
        label = _("Give menu change opinion")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("%(decision)s at %(stage)s: %(opinion)s") % {
                "decision": data.get("decision", ""),
                "stage": data.get("stage", ""),
                "opinion": data.get("opinion", ""),
            }

    @actions.register_action("newsroom.menu_change.apply")
    class MenuChangeApplyFormatter(LogFormatter):
        label = _("Apply menu change")

        def format_message(self, log_entry):
            return _("Menu sent to WeChat: errcode %(errcode)s %(message)s") % {
                "errcode": log_entry.data.get("errcode", ""),
                "message": log_entry.data.get("message", ""),
            }


class CalendarCoveragePanel(Component):
    """A warning while a year falls back to Monday–Friday (chinese-calendar has no data for it)."""

    name = "calendar_coverage"
    order = 50

    def __init__(self, years):
        self.years = years

    def render_html(self, parent_context=None):
        years = "、".join(str(year) for year in self.years)
        return format_html(
            '<section class="panel help-block help-warning" data-newsroom-calendar-warning>'
            "<p><strong>{}</strong> {}</p></section>",
            _("Working-day calendar:"),
            _(
                "the official calendar has no data for %(years)s yet, so Monday–Friday are treated as working "
                "days. Add the official holidays and swapped working weekends as calendar overrides."
            )
            % {"years": years},
        )


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    years = calendar.uncovered_years()
    if years:
        panels.insert(0, CalendarCoveragePanel(years))


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


class DisciplinePanel(Component):
    """Open A20 notices this semester for the people they concern: heads, leaders, the office."""

    name = "discipline_notices"
    order = 60
    template_name = "cms/panels/discipline_notices.html"

    def __init__(self, notices):
        self.notices = notices

    def get_context_data(self, parent_context=None):
        return {"notices": self.notices}


@hooks.register("construct_homepage_panels")
def add_discipline_panel(request, panels):
    from cms.rewards.discipline import notices_for

    notices = notices_for(request.user)
    if notices:
        panels.append(DisciplinePanel(notices))


# Credentials (A6.6, A15), menu changes (A6.4), cases (A6.5) and staff duty (A21) register their own hooks.
from cms.cases import hooks as case_hooks  # noqa: E402, F401
from cms.credentials import hooks as credential_hooks  # noqa: E402, F401
from cms.menu_changes import hooks as menu_change_hooks  # noqa: E402, F401
from cms.review import hooks as review_hooks  # noqa: E402, F401
from cms.staff_duty import hooks as staff_duty_hooks  # noqa: E402, F401
from cms.wechat_fields import hooks as wechat_fields_hooks  # noqa: E402, F401
