"""Admin wiring of the reports as plain functions; `register` hands them to Wagtail's hooks."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from . import views
from .data import can_view
from .panels import PolicyDashboardPanel

urlpatterns = [
    path("departments/", views.DepartmentQuotaView.as_view(), name="departments"),
    path("points/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("staff/", views.StaffCertificateView.as_view(), name="staff"),
    path("discipline/", views.DisciplineView.as_view(), name="discipline"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
]


def admin_urls():
    """`register_admin_urls`: the reports under /admin/policy-reports/."""
    return [path("policy-reports/", include((urlpatterns, "policy_reports"), namespace="policy_reports"))]


class PolicyReportMenuItem(MenuItem):
    """Shown only to users who may read the reports (the views check again)."""

    def is_shown(self, request):
        return can_view(request.user)


def _menu_item(label, url_name, name, icon_name, order):
    return PolicyReportMenuItem(label, reverse(url_name), name=name, icon_name=icon_name, order=order)


def department_quotas_menu_item():
    return _menu_item(_("Department quotas"), "policy_reports:departments", "policy-departments", "group", 1100)


def student_points_menu_item():
    return _menu_item(_("Student points"), "policy_reports:leaderboard", "policy-points", "pick", 1110)


def staff_certificates_menu_item():
    return _menu_item(_("Staff certificates"), "policy_reports:staff", "policy-staff", "user", 1120)


def discipline_menu_item():
    return _menu_item(_("Discipline standing"), "policy_reports:discipline", "policy-discipline", "warning", 1130)


def coverage_menu_item():
    return _menu_item(_("Daily push coverage"), "policy_reports:coverage", "policy-coverage", "date", 1140)


def assessment_menu_item():
    return _menu_item(_("Annual assessment"), "policy_reports:assessment", "policy-assessment", "tasks", 1150)


MENU_ITEMS = (
    department_quotas_menu_item,
    student_points_menu_item,
    staff_certificates_menu_item,
    discipline_menu_item,
    coverage_menu_item,
    assessment_menu_item,
)


def add_dashboard_panel(request, panels):
    """`construct_homepage_panels`: the policy panel, for users who may read the reports."""
    if can_view(request.user):
        panels.append(PolicyDashboardPanel())
