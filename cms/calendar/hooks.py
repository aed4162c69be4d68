"""Admin wiring of the working-day calendar: a warning while a year has no official data."""

from cms.admin.features import DashboardPanel, Feature, register_feature
from cms.calendar import services as calendar


def calendar_coverage_panel(request):
    """A warning while a year falls back to Monday–Friday (chinese-calendar has no data for it)."""
    years = calendar.uncovered_years()
    if years:
        return DashboardPanel(
            "calendar_coverage", 50, "cms/panels/calendar_coverage.html", years="、".join(str(y) for y in years)
        )
    return None


register_feature(Feature(name="calendar", panels=[calendar_coverage_panel]))
