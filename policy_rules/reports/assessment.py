"""The annual assessment (A22): each department's year — quotas met, material pushed, errors — and the
suggested change of its share of "excellent" ratings. The software suggests; the 党政联席会 decides.

A year holds the periods (semesters) that begin in that calendar year: spring and autumn
2026 are 2026's. Each period's outcome is the one the other reports read (`data.glance_for`, stored by
the worker): a year costs one query per period, whatever the number of departments.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import data
from .rows import LEVEL_ORDER, LEVELS, department_rows

STANDINGS = {
    "short": gettext_lazy("Quota not met"),
    "met": gettext_lazy("Quota met"),
    "more": gettext_lazy("Provided more"),
}
# The columns of a year's rows, as the admin's CSV/XLSX export and `manage.py policy assessment --format csv` head them.
COLUMNS = {
    "year": pgettext_lazy("assessment", "Year"),
    "department": gettext_lazy("Department"),
    "periods": gettext_lazy("Periods counted"),
    "periods_met": gettext_lazy("Periods with the quota met"),
    "weeks": gettext_lazy("Weeks counted"),
    "weeks_met": gettext_lazy("Weeks with the quota met"),
    "submissions": gettext_lazy("Material provided"),
    "quota": gettext_lazy("Quota for these periods"),
    "pushed": gettext_lazy("Material pushed"),
    "errors": gettext_lazy("Counted errors"),
    "level_label": gettext_lazy("Highest discipline level"),
    "standing_label": gettext_lazy("Standing"),
    "share_change": gettext_lazy("Suggested change of the “excellent” share (percentage points)"),
    "suggestion": gettext_lazy("Suggestion"),
    "final": gettext_lazy("Final"),
}
# A semester short of the quota: over and missed, or still running but behind pace.
SHORT = ("missed", "behind")


@dataclass(frozen=True)
class AssessmentYear:
    """A calendar year and the periods that begin in it, oldest first."""

    year: int
    periods: tuple

    @property
    def key(self):
        return str(self.year)


def assessment_years(periods):
    """The years the periods begin in, newest first."""
    by_year = defaultdict(list)
    for period in periods:
        by_year[period.start.year].append(period)
    return [
        AssessmentYear(year, tuple(sorted(by_year[year], key=lambda period: period.start)))
        for year in sorted(by_year, reverse=True)
    ]


def choose_year(year_key, years, on=None):
    """The year named `year_key`; otherwise the one with a period containing today, else today's year, else newest."""
    for year in years:
        if year.key == year_key:
            return year
    on = on or data.today()
    running = next((year for year in years if any(on in period for period in year.periods)), None)
    return running or next((year for year in years if year.year == on.year), years[0])


@dataclass(frozen=True)
class YearReport:
    """The `PeriodReport`s of a year's periods that have begun, oldest first."""

    year: AssessmentYear
    reports: tuple

    @property
    def final(self):
        """Whether every period of the year is over: otherwise the standing may still change."""
        return len(self.reports) == len(self.year.periods) and not any(report.running for report in self.reports)

    @property
    def rule(self):
        return self.reports[-1].assessment_rule

    @property
    def policy_version(self):
        return self.reports[-1].policy_version

    @property
    def computed_at(self):
        """When the oldest of its figures were computed."""
        return min(report.computed_at for report in self.reports)

    @property
    def version_number(self):
        return self.reports[-1].version_number

    @property
    def pending(self):
        return any(report.pending for report in self.reports)


def year_report(year, report_of=None):
    """The year's `YearReport` from each begun period's `report_of(period)` (default: the stored glance, which has
    every department); `ReportUnavailable` when none of its periods has begun (or nothing can be counted)."""
    begun = [period for period in year.periods if period.start <= data.today()]
    if not begun:
        raise data.ReportUnavailable(_("No period of %(year)s has begun yet.") % {"year": year.year})
    report_of = report_of or data.glance_for
    return YearReport(year=year, reports=tuple(report_of(period) for period in begun))


def assessment_rows(year_report):
    """One row per department: each period's quota state, the year's evidence, the standing and the suggestion.

    Standing (A22): `short` when any period is short of its quota (over and missed, or running and behind
    pace); else `more` when the year's material reaches `surplus_ratio` × the year's quota; else `met`.
    """
    rule = year_report.rule
    departments = {}
    for report in year_report.reports:
        for row in department_rows(report):
            outcome = report.outcomes["departments"][row["id"]]
            department = departments.setdefault(row["id"], {"id": row["id"], "semesters": []})
            department["department"] = row["department"]  # the newest name
            department["semesters"].append(
                {
                    "name": report.period.name,
                    "submissions": row["submissions"],
                    "quota": row["quota"],
                    "state": row["state"],
                    "state_label": row["state_label"],
                    "weeks_met": row["weeks_met"],
                    "weeks": sum(week["state"] != "running" for week in row["weeks"]),
                    "pushed": outcome.get("pushed", 0),
                    "errors": outcome["errors"],
                    "level": outcome["discipline"],
                }
            )
    return [_year_row(year_report, rule, department) for department in departments.values()]


def _year_row(year_report, rule, department):
    semesters = department["semesters"]
    submissions = sum(semester["submissions"] for semester in semesters)
    quota = sum(semester["quota"] for semester in semesters)
    if any(semester["state"] in SHORT for semester in semesters):
        standing, share_change = "short", rule["shortfall_share_change"]
    elif quota and submissions >= rule["surplus_ratio"] * quota:
        standing, share_change = "more", rule["surplus_share_change"]
    else:
        standing, share_change = "met", 0
    level = min((semester["level"] for semester in semesters), key=LEVEL_ORDER.index)
    return {
        **department,
        "year": year_report.year.year,
        "periods": len(semesters),
        "periods_met": sum(semester["state"] == "met" for semester in semesters),
        "weeks_met": sum(semester["weeks_met"] for semester in semesters),
        "weeks": sum(semester["weeks"] for semester in semesters),
        "submissions": submissions,
        "quota": quota,
        "pushed": sum(semester["pushed"] for semester in semesters),
        "errors": sum(semester["errors"] for semester in semesters),
        "level": level,
        "level_label": LEVELS[level],
        "standing": standing,
        "standing_label": STANDINGS[standing],
        "share_change": share_change,
        "suggestion": suggestion(standing, share_change),
        "final": year_report.final,
    }


def suggestion(standing, share_change):
    """The suggestion in words: a change of the "excellent" share for the meeting to decide on."""
    if standing == "short" and share_change:
        return _("Suggest lowering the share of “excellent” ratings by %(points)s percentage points") % {
            "points": -share_change
        }
    if standing == "more" and share_change:
        return _("Suggest raising the share of “excellent” ratings by %(points)s percentage points") % {
            "points": share_change
        }
    return _("No change suggested")
