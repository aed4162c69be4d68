"""Admin wiring of the working-day calendar: its pages (year arrangements, A11.1), the dashboard's warning while a
year falls back to Monday–Friday, and the overrides a newer official calendar now repeats."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cms.admin.features import DashboardPanel, Feature, Menu, register_feature
from cms.calendar import audit, views
from cms.calendar import services as calendar


def calendar_coverage_panel(request):
    """A warning while this year, or from 1 November next year, has neither official data nor an arrangement;
    and, to those who keep the calendar, the overrides the official calendar now repeats."""
    years = calendar.missing_arrangements()
    can_arrange = views.can_arrange(request.user)
    duplicates = calendar.duplicate_overrides() if can_arrange else []
    if years or duplicates:
        return DashboardPanel(
            "calendar_coverage",
            50,
            "cms/panels/calendar_coverage.html",
            years="、".join(str(y) for y in years),
            duplicates=len(duplicates),
            can_arrange=can_arrange,
            next_year=years[-1] if years else None,
        )
    return None


register_feature(
    Feature(
        name="calendar",
        prefix="calendar/",
        namespace="calendar_admin",
        urls=[
            path("", views.IndexView.as_view(), name="index"),
            path("<int:year>/", views.ArrangeView.as_view(), name="arrange"),
        ],
        menu=Menu(_("Working-day calendar"), "calendar_admin:index", "calendar-alt", 185, views.can_view),
        panels=[calendar_coverage_panel],
        audit=audit.ACTIONS,
    )
)
