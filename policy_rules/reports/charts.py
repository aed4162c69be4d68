"""The dashboard's chart data (read by static/policy_rules/reports.js from a json_script).

A chart with nothing to draw yet carries `"empty": true`; the panel says so in its place.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .rows import LEVEL_ORDER, LEVELS, coverage_rows, department_rows, discipline_rows, leaderboard_rows

TOP = 10


def dashboard_charts(report):
    """Semester progress per department, the top 10 by points, discipline levels, daily coverage."""
    departments = department_rows(report)
    leaders = [row for row in leaderboard_rows(report) if row["total_points"] > 0][:TOP]
    levels = [row["level"] for row in discipline_rows(report)]
    days = coverage_rows(report)
    return {
        "progress": {
            "labels": [row["department"] for row in departments],
            "values": [row["submissions"] for row in departments],
            "states": [row["state"] for row in departments],
            "quota": report.min_per_semester,
            "label": _("Submissions"),
            "quota_label": _("Quota per semester"),
            "empty": not any(row["submissions"] for row in departments),
        },
        "leaders": {
            "labels": [row["name"] or row["id"] for row in leaders],
            "values": [row["total_points"] for row in leaders],
            "label": _("Points"),
            "empty": not leaders,
        },
        "discipline": {
            "labels": [str(LEVELS[level]) for level in reversed(LEVEL_ORDER)],
            "values": [levels.count(level) for level in reversed(LEVEL_ORDER)],
            "label": _("Departments"),
            "empty": not levels,
        },
        "coverage": {
            "labels": [row["date"].isoformat() for row in days],
            "values": [row["pushes"] for row in days],
            "states": [row["state"] for row in days],
            "minimum": report.min_pushes_per_working_day,
            "label": pgettext("a number of", "Pushes"),
            "empty": not any(row["pushes"] for row in days),
        },
    }


def dashboard_summary(report):
    """The numbers the panel prints under the charts (and without JavaScript).

    On track counts departments that met the semester quota or reach it at their pace so far (`pace.py`).
    """
    departments = department_rows(report)
    days = coverage_rows(report)
    return {
        "departments_on_track": sum(row["state"] in ("met", "on_track") for row in departments),
        "departments": len(departments),
        "running": report.running,
        "days_met": sum(row["state"] == "met" for row in days),
        "days_missed": sum(row["state"] == "missed" for row in days),
        "warnings": sum(row["level"] != "none" for row in discipline_rows(report)),
    }
