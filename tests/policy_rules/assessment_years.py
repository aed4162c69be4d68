"""Two years of department material for the annual assessment (A22) tests: the report, its CLI and its page.

The regulation's numbers: 20 a semester (A8), −10 points short of it, +10 points from 1.5 × the quota (A22).
2025 has two finished four-week semesters; 2026 one running semester, seen on Sunday 6 December 2026 (week 14).
Settings name `year_facts` and `year_periods` as POLICY_RULES["FACTS_PROVIDER"] and ["PERIODS"].
"""

import datetime

from policy_rules.reports import data

SPRING = (datetime.date(2025, 3, 3), datetime.date(2025, 3, 30))
AUTUMN = (datetime.date(2025, 9, 1), datetime.date(2025, 9, 28))
RUNNING = (datetime.date(2026, 8, 31), datetime.date(2027, 1, 17))  # 20 weeks
NEXT = (datetime.date(2027, 3, 1), datetime.date(2027, 7, 4))
TODAY = datetime.date(2026, 12, 6)  # the Sunday ending week 14 of RUNNING

# Submissions per department (学生处 1, 教务科 2, 团委 3) in each period, spread over its first four weeks;
# 团委's five in spring all fall in its first week.
COUNTS = {SPRING[0]: {1: 30, 2: 20, 3: 5}, AUTUMN[0]: {1: 30, 2: 25, 3: 20}, RUNNING[0]: {1: 3, 2: 14, 3: 20}}


def year_facts(start, through):
    submissions, errors, pushes = [], [], []
    for department, count in COUNTS[start].items():
        for n in range(count):
            week = 0 if (start, department) == (SPRING[0], 3) else n % 4
            day = start + datetime.timedelta(days=7 * week + 1)
            submissions.append(
                {
                    "id": f"{start}-{department}-{n}",
                    "provider": "department",
                    "contributor": None,
                    "department": department,
                    "submitted_at": f"{day}T10:00:00+08:00",
                    "accepted": True,
                    "published_at": None,
                }
            )
    if start == SPRING[0]:  # two of 学生处's and one of 教务科's go out in one push
        at = f"{start + datetime.timedelta(days=1)}T17:00:00+08:00"
        pushes.append({"id": "p1", "at": at, "articles": [f"{start}-1-0", f"{start}-1-4", f"{start}-2-0"]})
    if start == AUTUMN[0]:  # five errors in 教务科's material: a warning (A20)
        errors = [
            {"submission": f"{start}-2-{n}", "department": 2, "provider": "department", "kind": "typo",
             "found_at": f"{start + datetime.timedelta(days=2)}T15:00:00+08:00"}
            for n in range(5)
        ]  # fmt: skip
    return {
        "period": {"start": start.isoformat(), "end": through.isoformat()},
        "departments": [{"id": 1, "name": "学生处"}, {"id": 2, "name": "教务科"}, {"id": 3, "name": "团委"}],
        "contributors": [],
        "submissions": submissions,
        "errors": errors,
        "pushes": pushes,
    }


def year_periods():
    named = [(NEXT, "2027 春季学期"), (RUNNING, "2026 秋季学期"), (AUTUMN, "2025 秋季学期"), (SPRING, "2025 春季学期")]
    return [{"key": f"{start}", "name": name, "start": start, "end": end} for (start, end), name in named]


def use_two_years(settings, monkeypatch):
    """Make these two years the site's periods and facts, seen on TODAY (the reports' tests then store their
    outcomes: tests/policy_rules/stored_outcomes.py)."""
    monkeypatch.setattr(data, "today", lambda: TODAY)
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
        "FACTS_PROVIDER": "tests.policy_rules.assessment_years.year_facts",
        "PERIODS": "tests.policy_rules.assessment_years.year_periods",
        "DISPLAY_NAMES": None,
    }
