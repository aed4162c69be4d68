"""Admin wiring of cases (A6.5): reports and system errors; imported by wagtail_hooks."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component


@hooks.register("register_admin_urls")
def register_case_urls():
    from django.urls import include, path

    from cms.cases import views

    urls = [
        path("", views.IndexView.as_view(), name="index"),
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    ]
    return [path("cases/", include((urls, "cases_admin"), namespace="cases_admin"))]


class CasesMenuItem(MenuItem):
    def is_shown(self, request):
        from cms.cases.views import can_view_any

        return can_view_any(request.user)


@hooks.register("register_admin_menu_item")
def register_cases_menu_item():
    return CasesMenuItem(
        _("Reports and system errors"), reverse_lazy("cases_admin:index"), name="cases", icon_name="warning", order=176
    )


class CasesPanel(Component):
    """Open reports and system errors the user handles, latest deadline last; late ones marked (A6.5)."""

    name = "cases"
    order = 65
    template_name = "cms/panels/cases.html"

    def __init__(self, cases, now):
        self.cases, self.now = cases, now

    def get_context_data(self, parent_context=None):
        return {"cases": self.cases, "now": self.now}


@hooks.register("construct_homepage_panels")
def add_cases_panel(request, panels):
    from django.utils import timezone

    from cms.cases.services import mine

    cases = list(mine(request.user)[:20])
    if cases:
        panels.append(CasesPanel(cases, timezone.now()))
