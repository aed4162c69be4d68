"""A dry run that proves something (policy_rules/coverage.py, issue 14 item 5): activation counts only a replay of
a past period with data, and the report says how much it covered and, when it does not count, why."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from policy_rules import coverage, versions
from policy_rules.facts_document import parse_facts
from tests.policy_rules.editor_form import url
from tests.policy_rules.governance import END, START, fortnight_facts, period, v1, validated

TODAY = datetime.date(2026, 12, 6)  # a Sunday
PAST = (datetime.date(2026, 3, 2), datetime.date(2026, 3, 15))


def empty_facts(start, end):
    """A period in which nothing was submitted, found or pushed."""
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": "a", "name": "学生处"}],
    }


def period_facts(start, end):
    """The fortnight's facts for any period (the fortnight's own when it is asked for)."""
    if (start.isoformat(), end.isoformat()) == (START, END):
        return fortnight_facts(start, end)
    return empty_facts(start, end)


@pytest.fixture
def facts(settings, monkeypatch):
    monkeypatch.setattr(coverage, "today", lambda: TODAY)
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "FACTS_PROVIDER": "tests.policy_rules.test_coverage.period_facts",
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
    }


def test_what_a_replay_covered_is_counted_inside_its_period():
    counted = coverage.measure(parse_facts(fortnight_facts(*period())))
    assert counted == {
        "days": 14,
        "weeks": 2,
        "departments": 2,
        "departments_listed": 2,
        "submissions": 6,
        "pushes": 0,
        "errors": 6,
    }


@pytest.mark.parametrize(
    ("start", "end", "submissions", "reason"),
    [
        (datetime.date(2027, 1, 4), datetime.date(2027, 2, 28), 0, "future"),
        (datetime.date(2026, 11, 2), TODAY, 5, "unfinished"),
        (PAST[0], PAST[1], 0, "empty"),
        (PAST[0], PAST[1], 6, None),
    ],
)
def test_only_a_past_period_with_data_proves_anything(start, end, submissions, reason):
    judged = coverage.judge({"submissions": submissions, "pushes": 0}, start, end, on=TODAY)
    assert (judged["proves"], judged["reason"]) == (reason is None, reason)


def test_the_default_period_is_the_last_complete_semester(settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "PERIODS": "tests.policy_rules.test_coverage.semesters"}
    assert coverage.default_period(TODAY) == {
        "start": datetime.date(2026, 3, 2),
        "end": datetime.date(2026, 7, 10),
        "name": "2026 春季学期",
    }


def semesters():
    return [
        {"key": "3", "name": "2026 秋季学期", "start": datetime.date(2026, 9, 7), "end": datetime.date(2027, 1, 22)},
        {"key": "2", "name": "2026 春季学期", "start": datetime.date(2026, 3, 2), "end": datetime.date(2026, 7, 10)},
    ]


def test_without_a_complete_semester_the_default_is_the_last_8_complete_weeks(settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "PERIODS": None}
    default = coverage.default_period(datetime.date(2026, 12, 9))  # a Wednesday
    assert (default["start"], default["end"]) == (datetime.date(2026, 10, 12), datetime.date(2026, 12, 6))
    assert default["start"].weekday() == 0 and (default["end"] - default["start"]).days == 55


@pytest.mark.usefixtures("facts")
@pytest.mark.parametrize(
    ("start", "end", "why"),
    [
        ("2027-03-01", "2027-03-14", "还没有开始"),
        ("2026-04-06", "2026-04-19", "没有任何投稿或推送"),
    ],
)
def test_a_replay_of_a_future_or_empty_period_does_not_open_the_gate(db, start, end, why):
    version = validated(discipline__warning_at=4)
    report = versions.dry_run(version, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end), None)
    assert not report["coverage"]["proves"]
    with pytest.raises(versions.DryRunRequired) as refused, translation.override("zh-hans"):
        versions.activate(version, None)
    assert why in refused.value.message
    assert v1().status == "active"
    versions.dry_run(version, *period(), None)
    versions.dry_run(version, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end), None)
    activated, _previous = versions.activate(version, None)  # the replay with data counts, whatever came after
    assert activated.status == "active"


@pytest.mark.usefixtures("facts")
def test_the_dry_run_page_shows_what_it_covered_and_why_it_does_not_count(policy_client, draft):
    versions.validate(draft, None)
    response = policy_client.post(url("dry_run", draft.pk), {"start": "2026-04-06", "end": "2026-04-19"}, follow=True)
    page = response.content.decode()
    assert "2 周" in page and "0 份投稿" in page and "0 次推送" in page
    assert "不能作为生效的依据" in page and 'data-proves="false"' in page
    assert url("activate", draft.pk) not in page  # no button to an activation that would be refused
    response = policy_client.post(url("dry_run", draft.pk), {"start": START, "end": END}, follow=True)
    page = response.content.decode()
    assert "2 周" in page and "2 个有投稿的科室" in page and "6 份投稿" in page and 'data-proves="true"' in page
    assert url("activate", draft.pk) in page


def test_the_dry_run_form_offers_the_default_period_and_says_why(policy_client, draft, settings, monkeypatch):
    monkeypatch.setattr(coverage, "today", lambda: TODAY)
    settings.POLICY_RULES = {**settings.POLICY_RULES, "PERIODS": "tests.policy_rules.test_coverage.semesters"}
    versions.validate(draft, None)
    page = policy_client.get(url("dry_run", draft.pk)).content.decode()
    assert 'value="2026-03-02"' in page and 'value="2026-07-10"' in page and "2026 春季学期" in page
    assert "已经结束" in page


@pytest.mark.usefixtures("facts")
def test_the_command_line_says_what_a_dry_run_covered(db):
    version = validated(discipline__warning_at=4)
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command(
            "policy",
            "dry-run",
            "--version",
            str(version.number),
            "--from",
            "2027-03-01",
            "--to",
            "2027-03-14",
            stdout=out,
        )
        assert "还没有开始" in out.getvalue()
        with pytest.raises(CommandError, match="还没有开始"):
            call_command("policy", "activate", "--version", str(version.number), stdout=out)
        call_command("policy", "dry-run", "--version", str(version.number), "--from", START, "--to", END, stdout=out)
    assert "6 份投稿" in out.getvalue()
    call_command("policy", "activate", "--version", str(version.number), stdout=out)
