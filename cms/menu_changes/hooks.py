"""Admin wiring of menu change applications (A6.4); imported by wagtail_hooks."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component


@hooks.register("register_admin_urls")
def register_menu_change_urls():
    from django.urls import include, path

    from cms.menu_changes import views

    urls = [
        path("", views.IndexView.as_view(), name="index"),
        path("add/", views.EditView.as_view(), name="add"),
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        path("<int:pk>/edit/", views.EditView.as_view(), name="edit"),
        path("<int:pk>/print/", views.PrintView.as_view(), name="print"),
    ]
    return [path("menu-changes/", include((urls, "menu_changes_admin"), namespace="menu_changes_admin"))]


class MenuChangesMenuItem(MenuItem):
    def is_shown(self, request):
        from cms.menu_changes.views import can_view

        return can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_changes_menu_item():
    return MenuChangesMenuItem(
        _("Menu changes"), reverse_lazy("menu_changes_admin:index"), name="menu-changes", icon_name="list-ul", order=175
    )


class MenuChangesPanel(Component):
    """Menu changes waiting for the user's opinion, or for a channel administrator to apply them (A6.4)."""

    name = "menu_changes"
    order = 70
    template_name = "cms/panels/menu_changes.html"

    def __init__(self, applications):
        self.applications = applications

    def get_context_data(self, parent_context=None):
        return {"applications": self.applications}


@hooks.register("construct_homepage_panels")
def add_menu_changes_panel(request, panels):
    from cms.menu_changes.services import awaiting

    applications = awaiting(request.user)
    if applications:
        panels.append(MenuChangesPanel(applications))
