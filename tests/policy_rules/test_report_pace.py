"""On track for the semester quota (A8, policy_rules/reports/pace.py): the remaining weeks reach it at the pace so far.

A 20-week semester, 2026-08-31 (Mon) – 2027-01-17 (Sun), 140 days; week 14 ends on 2026-12-06.
"""

import datetime

import pytest

from policy_rules.reports.pace import outlook

START, END = datetime.date(2026, 8, 31), datetime.date(2027, 1, 17)
WEEK_14 = datetime.date(2026, 12, 6)  # 98 days elapsed


@pytest.mark.parametrize("submissions", [0, 1, 3, 13])
def test_three_of_twenty_in_week_14_is_behind_not_on_track(submissions):
    # 13 in 14 weeks: 13 × 140 / 98 = 18.6 by the end, still short of 20.
    assert outlook(submissions, 20, START, END, WEEK_14).state == "behind"


def test_the_pace_that_reaches_the_quota_is_on_track():
    # 14 in 14 weeks is one a week: 20 by the end of week 20, exactly the quota.
    result = outlook(14, 20, START, END, WEEK_14)
    assert (result.state, result.per_week, result.projected) == ("on_track", 1.0, 20)


def test_the_quota_reached_is_met_whatever_the_weeks_left():
    assert outlook(20, 20, START, END, START).state == "met"
    assert outlook(25, 20, START, END, WEEK_14).state == "met"


def test_an_ended_period_below_the_quota_is_missed_not_behind():
    assert outlook(19, 20, START, END, END).state == "missed"
    assert outlook(19, 20, START, END, END + datetime.timedelta(days=30)).state == "missed"


def test_the_first_day_counts_one_day_not_zero():
    # Day 1 of 140: one submission is on pace for 140; none is behind.
    first = outlook(1, 20, START, END, START)
    assert (first.state, first.per_week, first.projected) == ("on_track", 7.0, 140)
    assert outlook(0, 20, START, END, START).state == "behind"


def test_a_quota_of_zero_is_met():
    assert outlook(0, 0, START, END, WEEK_14).state == "met"
