"""The dashboard panel: the current period at a glance, with charts drawn by the vendored Chart.js."""

import logging

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .charts import dashboard_charts, dashboard_summary
from .data import NotComputedYet, ReportUnavailable, choose_period, glance_for

logger = logging.getLogger(__name__)

REPORT_LINKS = (
    ("policy_reports:departments", _("Department quotas")),
    ("policy_reports:leaderboard", _("Student points")),
    ("policy_reports:staff", _("Staff certificates")),
    ("policy_reports:discipline", _("Discipline standing")),
    ("policy_reports:coverage", _("Daily push coverage")),
    ("policy_reports:assessment", _("Annual assessment")),
)


class PolicyDashboardPanel(Component):
    """Semester progress per department, the points top 10, discipline levels and daily coverage."""

    name = "policy_reports"
    order = 150
    template_name = "policy_rules/reports/dashboard_panel.html"

    class Media:
        js = ["policy_rules/vendor/chart.umd.min.js", "policy_rules/reports.js"]
        css = {"all": ["policy_rules/reports.css"]}

    def get_context_data(self, parent_context):
        """The stored outcome's summary (`data.glance_for`): a few queries, nothing evaluated here."""
        context = {"links": [(reverse(name), label) for name, label in REPORT_LINKS], "report": None}
        try:
            context["period"] = period = choose_period()
            report = glance_for(period)
        except ReportUnavailable as error:
            context.update(unavailable=error.message, not_computed=isinstance(error, NotComputedYet))
            return context
        except Exception:
            # The dashboard is every editor's start page: a broken report must not take it down.
            logger.exception("policy dashboard panel: reading the current period's outcome failed")
            context["unavailable"] = _("The reports could not be shown; see the server log.")
            return context
        context.update(report=report, charts=dashboard_charts(report), summary=dashboard_summary(report))
        return context
