"""Admin wiring: the Policy menu item and its pages (views in `policy_rules.views`), and the reports."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import versions, views
from .reports import register as _register_reports  # noqa: F401  (importing it registers the reports' hooks)

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("new/", views.StartDraftView.as_view(), name="start_draft"),
    path("<int:pk>/", views.VersionView.as_view(), name="version"),
    path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:pk>/validate/", views.ValidateView.as_view(), name="validate"),
    path("<int:pk>/dry-run/", views.DryRunView.as_view(), name="dry_run"),
    path("<int:pk>/dry-run/<int:event>/", views.DryRunReportView.as_view(), name="dry_run_report"),
    path("<int:pk>/activate/", views.ActivateView.as_view(), name="activate"),
    path("<int:pk>/rollback/", views.RollbackView.as_view(), name="rollback"),
]


@hooks.register("register_admin_urls")
def register_policy_urls():
    return [path("policy/", include((urlpatterns, "policy_admin"), namespace="policy_admin"))]


class PolicyMenuItem(MenuItem):
    """Shown to whoever may view policy versions (policy administrators, office editors)."""

    def is_shown(self, request):
        return versions.can(request.user, versions.VIEW)


@hooks.register("register_admin_menu_item")
def register_policy_menu_item():
    return PolicyMenuItem(_("Policy"), reverse("policy_admin:index"), name="policy", icon_name="tasks", order=160)
