"""Admin wiring of cases (A6.5): reports and system errors; imported by wagtail_hooks."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.admin.features import DashboardPanel, Feature, Menu, register_feature
from cms.cases import views
from cms.cases.services import mine


def cases_panel(request):
    """Open reports and system errors the user handles, latest deadline last; late ones marked (A6.5)."""
    cases = list(mine(request.user)[:20])
    if cases:
        return DashboardPanel("cases", 65, "cms/panels/cases.html", cases=cases, now=timezone.now())
    return None


register_feature(
    Feature(
        name="cases",
        prefix="cases/",
        namespace="cases_admin",
        urls=[
            path("", views.IndexView.as_view(), name="index"),
            path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        ],
        menu=Menu(_("Reports and system errors"), "cases_admin:index", "warning", 176, views.can_view_any),
        panels=[cases_panel],
    )
)
