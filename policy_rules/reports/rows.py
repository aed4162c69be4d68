"""What each report lists, built from a `PeriodReport`: one dict per row; exported counts are numbers, yes/no
cells booleans (`None` while undecided).

States: `met` (green), `missed` (red), `running` (not met yet, but the week or day
is not over), `off` (not a working day), `upcoming` (after today), `outside` (not in
the period). A running semester is `on_track` or `behind` at the department's pace (`pace.py`).
"""

import calendar
import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from policy_rules.params import parse_number

from .pace import outlook

PRIZES = {"first": _("First prize"), "second": _("Second prize"), "third": _("Third prize")}
LEVELS = {"none": _("No action"), "warning": _("Warning"), "escalation": _("Escalation")}
LEVEL_ORDER = ("escalation", "warning", "none")
STATES = {
    "met": _("Met"),
    "missed": _("Missed"),
    "running": pgettext_lazy("quota or coverage not decided yet", "In progress"),
    "on_track": _("On track"),
    "behind": _("Behind pace"),
}
MARKS = {"met": "✓", "missed": "✗", "running": "…"}
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


def id_order(value):
    """Ids as the outcomes name them (text): numbers numerically, before other text."""
    number = parse_number(value)
    return (0, number, "") if number is not None else (1, 0, value)


def state_of(met, last_day, report):
    """`met`, or `running` while `last_day` is still to come in a running period, else `missed`."""
    if met:
        return "met"
    return "running" if report.running and last_day >= report.through else "missed"


def department_rows(report):
    """Quota per department (A8): each week's count and the period's progress against `min_per_semester`."""
    rows = []
    for department_id, outcome in report.outcomes["departments"].items():
        weeks = []
        for week in outcome["weeks"]:
            start = datetime.date.fromisoformat(week["week_start"])
            state = state_of(week["met"], start + datetime.timedelta(days=6), report)
            weeks.append({**week, "state": state, "mark": MARKS[state]})
        quota = report.min_per_semester
        pace = semester_outlook(report, outcome)
        row = {
            "id": department_id,
            "department": report.department_name(department_id),
            "submissions": outcome["submissions"],
            "weeks": weeks,
            "weeks_met": sum(week["met"] for week in weeks),
            "quota": quota,
            "progress": f"{outcome['submissions']} / {quota}",
            "percent": min(100, outcome["submissions"] * 100 // quota) if quota else 100,
            "per_week": pace.per_week,
            "projected": pace.projected,
            "state": pace.state,
            "state_label": STATES[pace.state],
        }
        for i, week in enumerate(weeks):
            row[f"week_{i}"] = week["count"]
            row[f"week_{i}_met"] = None if week["state"] == "running" else week["met"]
        rows.append(row)
    return rows


def semester_outlook(report, outcome):
    """The department's semester outlook (`pace.outlook`) in the report's period, counted through its last day."""
    period = report.period
    return outlook(outcome["submissions"], report.min_per_semester, period.start, period.end, report.through)


def week_starts(report):
    """Mondays of the weeks the quota report has columns for."""
    first = next(iter(report.outcomes["departments"].values()), None)
    return [datetime.date.fromisoformat(week["week_start"]) for week in (first["weeks"] if first else [])]


def _person(report, contributor_id, outcome):
    department = report.contributor_departments.get(contributor_id)
    return {
        "id": contributor_id,
        "name": report.contributor_name(contributor_id),
        "department": report.department_name(department),
        **outcome,
    }


def leaderboard_rows(report):
    """Students by total points (A17.1 points + A17.2 prize points); equal totals share a rank."""
    students = [
        _person(report, contributor_id, outcome)
        for contributor_id, outcome in report.outcomes["contributors"].items()
        if outcome["kind"] == "student"
    ]
    students.sort(key=lambda s: (-s["total_points"], -s["published"], -s["accepted"], id_order(s["id"])))
    for position, student in enumerate(students, start=1):
        previous = students[position - 2] if position > 1 else None
        same = previous is not None and previous["total_points"] == student["total_points"]
        student["rank"] = previous["rank"] if same else position
        student["prize_label"] = PRIZES.get(student["prize"], "") if student["prize"] else ""
    return students


def staff_rows(report):
    """Staff in the A18 ranking (published, then accepted, then id); the first ones get a certificate."""
    staff = [
        _person(report, contributor_id, outcome)
        for contributor_id, outcome in report.outcomes["contributors"].items()
        if outcome["kind"] == "staff"
    ]
    staff.sort(key=lambda s: (-s["published"], -s["accepted"], id_order(s["id"])))
    for position, member in enumerate(staff, start=1):
        member["rank"] = position
        member["certificate_label"] = _("Yes") if member["certificate"] else _("No")  # the page; the export: a boolean
    return staff


def discipline_rows(report):
    """Counted errors in department material and the level they reach (A20), most serious first."""
    rows = [
        {
            "id": department_id,
            "department": report.department_name(department_id),
            "errors": outcome["errors"],
            "level": outcome["discipline"],
            "level_label": LEVELS[outcome["discipline"]],
        }
        for department_id, outcome in report.outcomes["departments"].items()
    ]
    rows.sort(key=lambda r: (LEVEL_ORDER.index(r["level"]), -r["errors"], r["department"]))
    return rows


def coverage_rows(report):
    """Every working day evaluated, with its pushes and whether they cover it (A11.1)."""
    rows = []
    for day, outcome in report.outcomes["working_days"].items():
        date = datetime.date.fromisoformat(day)
        state = state_of(outcome["met"], date, report)
        rows.append(
            {
                "date": date,
                "weekday": WEEKDAYS[date.weekday()],
                "pushes": outcome["pushes"],
                "covered": None if state == "running" else outcome["met"],
                "state": state,
                "state_label": STATES[state],
            }
        )
    return rows


def coverage_months(report):
    """Month grids (Monday first) of the period: each cell a day with its coverage state, or None."""
    working = {row["date"]: row for row in coverage_rows(report)}
    months = []
    first = report.period.start.replace(day=1)
    while first <= report.period.end:
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
            cells = []
            for date in week:
                if date.month != first.month:
                    cells.append(None)
                    continue
                if date not in report.period:
                    state, pushes = "outside", None
                elif date > report.through:
                    state, pushes = "upcoming", None
                elif date in working:
                    state, pushes = working[date]["state"], working[date]["pushes"]
                else:
                    state, pushes = "off", None
                cells.append({"date": date, "state": state, "pushes": pushes})
            weeks.append(cells)
        months.append({"month": first, "weeks": weeks})
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months
