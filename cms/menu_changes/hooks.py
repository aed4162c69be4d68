"""Admin wiring of menu change applications (A6.4); imported by wagtail_hooks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cms.admin.features import DashboardPanel, Feature, Menu, register_feature
from cms.menu_changes import audit, views
from cms.menu_changes.services import awaiting


def menu_changes_panel(request):
    """Menu changes waiting for the user's opinion, or for a channel administrator to apply them (A6.4)."""
    applications = awaiting(request.user)
    if applications:
        return DashboardPanel("menu_changes", 70, "cms/panels/menu_changes.html", applications=applications)
    return None


register_feature(
    Feature(
        name="menu-changes",
        prefix="menu-changes/",
        namespace="menu_changes_admin",
        urls=[
            path("", views.IndexView.as_view(), name="index"),
            path("add/", views.EditView.as_view(), name="add"),
            path("<int:pk>/", views.DetailView.as_view(), name="detail"),
            path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
            path("<int:pk>/print/", views.PrintView.as_view(), name="print"),
        ],
        menu=Menu(_("Menu changes"), "menu_changes_admin:index", "list-ul", 175, views.can_view),
        panels=[menu_changes_panel],
        audit=audit.ACTIONS,
    )
)
