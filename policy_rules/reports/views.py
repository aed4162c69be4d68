"""The policy reports as Wagtail reports (`?export=csv|xlsx` downloads what the page lists).

Each view checks `policy_rules.view_policyversion` before anything runs, reads the
period from `?period=`, and lists the rows `rows` builds from the outcome the worker stored (nothing is
evaluated on the request).
"""

from django.core.exceptions import PermissionDenied
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import ReportView

from ..bounds import spreadsheet_safe
from . import assessment, rows
from .data import NotComputedYet, ReportUnavailable, can_view, choose_period, glance_for, outcomes_for, periods


class PolicyReportView(ReportView):
    """One period of one report; `columns` maps each exported field to its heading."""

    template_name = "policy_rules/reports/report.html"
    paginate_by = None
    slug = ""
    columns_export = {}

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def periods(self):
        return periods()

    @cached_property
    def period(self):
        return choose_period(self.request.GET.get("period"), self.periods)

    # The stored outcome a report reads: the glance (no contributor past the top ten) unless it lists people.
    read = staticmethod(glance_for)

    @cached_property
    def report(self):
        """The period's PeriodReport, or None (then `unavailable` says why)."""
        try:
            return type(self).read(self.period)
        except ReportUnavailable as error:
            self.unavailable, self.not_computed = error.message, isinstance(error, NotComputedYet)
            return None

    unavailable = ""
    not_computed = False

    # Each report names the function of policy_rules.reports.rows that turns a PeriodReport into its rows.
    rows_of = None

    def get_queryset(self):
        return type(self).rows_of(self.report) if self.report else []

    def headings(self):
        return self.columns_export

    @property
    def list_export(self):
        return list(self.headings())

    def get_heading(self, queryset, field):
        return force_str(self.headings()[field])

    def preprocess_field_value(self, field, value, export_format):
        # Counts stay numbers and yes/no cells booleans (XLSX stores them as such; a CSV writes TRUE/FALSE, which
        # Excel reads as booleans). Names come from the public contribution form: a CSV cell a spreadsheet would
        # run is neutralised (the XLSX writer already stores every text cell as text).
        if isinstance(value, bool) and export_format == self.FORMAT_CSV:
            return "TRUE" if value else "FALSE"
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if export_format == self.FORMAT_CSV else value

    def stream_csv(self, queryset):
        # Rendered now, not while streaming: the admin's language is only active inside the view. The first line
        # starts with a BOM so that Excel on Chinese Windows reads UTF-8 (as the channel's activity export does).
        lines = list(super().stream_csv(queryset))
        lines[0] = "\ufeff".encode() + lines[0]  # Wagtail writes each line as UTF-8 bytes
        return lines

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def get_filename(self):
        return f"policy-{self.slug}-{self.period.start}-{self.period.end}"

    @property
    def no_results_message(self):
        if self.not_computed:  # the period's line says so, and that it has been asked for
            return gettext("Nothing to show yet.")
        return self.unavailable or gettext("Nothing to report in this period.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(periods=self.periods, period=self.period, report=self.report, not_computed=self.not_computed)
        return context


class DepartmentQuotaView(PolicyReportView):
    page_title = _("Department quotas")
    header_icon = "group"
    slug = "department-quotas"
    results_template_name = "policy_rules/reports/departments_results.html"
    index_url_name = "policy_reports:departments"

    rows_of = staticmethod(rows.department_rows)

    def headings(self):
        weeks = rows.week_starts(self.report) if self.report else []
        columns = {"department": _("Department"), "submissions": _("Submissions")}
        for i, monday in enumerate(weeks):
            columns[f"week_{i}"] = gettext("Week of %(date)s") % {"date": monday.isoformat()}
            columns[f"week_{i}_met"] = gettext("Week of %(date)s: quota met") % {"date": monday.isoformat()}
        return {
            **columns,
            "quota": _("Quota per semester"),
            "per_week": _("Submissions a week so far"),
            "projected": _("By the end at this pace"),
            "state_label": _("Semester quota"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["weeks"] = rows.week_starts(self.report) if self.report else []
        return context


class LeaderboardView(PolicyReportView):
    page_title = _("Student points")
    header_icon = "pick"
    slug = "student-points"
    paginate_by = 50
    results_template_name = "policy_rules/reports/leaderboard_results.html"
    index_url_name = "policy_reports:leaderboard"
    columns_export = {
        "rank": _("Rank"),
        "id": _("Contributor number"),
        "name": pgettext_lazy("person", "Name"),
        "department": _("Department"),
        "accepted": _("Accepted"),
        "published": _("Published"),
        "points": _("Points"),
        "prize_label": _("Prize"),
        "prize_points": _("Prize points"),
        "total_points": _("Total"),
    }

    read = staticmethod(outcomes_for)
    rows_of = staticmethod(rows.leaderboard_rows)


class StaffCertificateView(PolicyReportView):
    page_title = _("Staff certificates")
    header_icon = "user"
    slug = "staff-certificates"
    paginate_by = 50
    results_template_name = "policy_rules/reports/staff_results.html"
    index_url_name = "policy_reports:staff"
    columns_export = {
        "rank": _("Rank"),
        "id": _("Contributor number"),
        "name": pgettext_lazy("person", "Name"),
        "department": _("Department"),
        "accepted": _("Accepted"),
        "published": _("Published"),
        "certificate": _("Certificate"),
    }

    read = staticmethod(outcomes_for)
    rows_of = staticmethod(rows.staff_rows)


class DisciplineView(PolicyReportView):
    page_title = _("Discipline standing")
    header_icon = "warning"
    slug = "discipline"
    results_template_name = "policy_rules/reports/discipline_results.html"
    index_url_name = "policy_reports:discipline"
    columns_export = {
        "department": _("Department"),
        "errors": _("Counted errors"),
        "level_label": _("Level"),
    }

    rows_of = staticmethod(rows.discipline_rows)


class CoverageView(PolicyReportView):
    page_title = _("Daily push coverage")
    header_icon = "date"
    slug = "push-coverage"
    results_template_name = "policy_rules/reports/coverage_results.html"
    index_url_name = "policy_reports:coverage"
    columns_export = {
        "date": _("Date"),
        "weekday": _("Weekday"),
        "pushes": pgettext_lazy("a number of", "Pushes"),
        "covered": _("Covered"),
        "state_label": _("Coverage"),
    }

    rows_of = staticmethod(rows.coverage_rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["months"] = rows.coverage_months(self.report) if self.report else []
        context["weekdays"] = rows.WEEKDAYS
        return context


class AssessmentView(PolicyReportView):
    """A22: a year per department, with the evidence and the suggested change of the "excellent" share."""

    page_title = _("Annual assessment")
    header_icon = "tasks"
    slug = "annual-assessment"
    results_template_name = "policy_rules/reports/assessment_results.html"
    index_url_name = "policy_reports:assessment"
    columns_export = assessment.COLUMNS

    rows_of = staticmethod(assessment.assessment_rows)

    @cached_property
    def years(self):
        return assessment.assessment_years(self.periods)

    @cached_property
    def year(self):
        return assessment.choose_year(self.request.GET.get("year"), self.years)

    @cached_property
    def report(self):
        """The year's YearReport, or None (then `unavailable` says why)."""
        try:
            return assessment.year_report(self.year)
        except ReportUnavailable as error:
            self.unavailable, self.not_computed = error.message, isinstance(error, NotComputedYet)
            return None

    def get_filename(self):
        return f"policy-{self.slug}-{self.year.year}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(years=self.years, year=self.year)
        return context
