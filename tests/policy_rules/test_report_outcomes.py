"""Stored outcomes (policy_rules/reports/outcomes.py, recompute.py, data.py): the pages read what the worker
computed, in a constant number of queries, and never evaluate; a missing outcome is said and asked for."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import Schedule

import policy_rules.reports.register  # noqa: F401  (policy_rules/wagtail_hooks.py imports it in the site)
from policy_rules.models import OutcomeRecomputation, PeriodOutcome
from policy_rules.reports import data, outcomes, recompute, setup
from policy_rules.reports.tasks import recompute_outcomes
from tests.policy_rules.stored_outcomes import compute_outcomes

PAST = (datetime.date(2025, 9, 1), datetime.date(2025, 9, 28))
RUNNING = (datetime.date(2026, 8, 31), datetime.date(2027, 1, 17))
TODAY = datetime.date(2026, 12, 6)
PAGES = ("departments", "leaderboard", "staff", "discipline", "coverage", "assessment")
SIZE = {"contributors": 3}


def sized_facts(start, end):
    """`SIZE["contributors"]` students in three departments, one accepted submission each, every working day."""
    count = SIZE["contributors"]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": d, "name": f"科室{d}"} for d in (1, 2, 3)],
        "contributors": [{"id": n, "kind": "student", "department": n % 3 + 1} for n in range(1, count + 1)],
        "submissions": [
            {
                "id": n,
                "provider": "personal",
                "contributor": n,
                "department": n % 3 + 1,
                "submitted_at": f"{start + datetime.timedelta(days=n % 20)}T10:00:00+08:00",
                "accepted": True,
                "published_at": None,
            }
            for n in range(1, count + 1)
        ],
        "errors": [],
        "pushes": [],
    }


def two_periods():
    return [
        {"key": "running", "name": "2026 秋季学期", "start": RUNNING[0], "end": RUNNING[1]},
        {"key": "past", "name": "2025 秋季学期", "start": PAST[0], "end": PAST[1]},
    ]


def sized_names(kind, ids):
    return {str(i): f"学生{i}" for i in ids} if kind == "contributor" else {}


@pytest.fixture
def site(settings, monkeypatch, db):
    monkeypatch.setattr(data, "today", lambda: TODAY)
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
        "FACTS_PROVIDER": "tests.policy_rules.test_report_outcomes.sized_facts",
        "PERIODS": "tests.policy_rules.test_report_outcomes.two_periods",
        "DISPLAY_NAMES": "tests.policy_rules.test_report_outcomes.sized_names",
    }
    SIZE["contributors"] = 3
    return settings


@pytest.fixture
def office(client, people):
    user = people["office"]
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="policy_rules", codename="view_policyversion")
    )
    client.force_login(user)
    return client


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks queued (instead of run): [(func, args)]."""
    calls = []
    monkeypatch.setattr(recompute, "async_task", lambda func, *args, **kwargs: calls.append((func, args)))
    return calls


def never_evaluate(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a page evaluated a period")

    monkeypatch.setattr("tests.policy_rules.test_report_outcomes.sized_facts", refuse)
    monkeypatch.setattr(outcomes, "evaluate", refuse)


def queries(client, url):
    client.get(url)  # a session's first page does more (Wagtail's once-per-session work)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        html = response.content.decode()
    assert response.status_code == 200, url
    return len(captured), html


def test_pages_read_the_stored_outcome_in_constant_queries_and_never_evaluate(site, office, monkeypatch):
    counts = {}
    for size in (3, 300):
        SIZE["contributors"] = size
        compute_outcomes()
        with monkeypatch.context() as patched:
            never_evaluate(patched)
            counts[size] = {"dashboard": queries(office, reverse("wagtailadmin_home"))[0]}
            for name in PAGES:
                counts[size][name] = queries(office, reverse(f"policy_reports:{name}"))[0]
            _, html = queries(office, reverse("policy_reports:leaderboard"))
    assert counts[3] == counts[300]
    assert len(re.findall(r"<tr data-contributor=", html)) == 50  # the large outcome's first page of 50
    stored = PeriodOutcome.objects.get(period_key="running")
    assert len(stored.report["outcomes"]["contributors"]) == 300
    assert len(stored.glance["outcomes"]["contributors"]) == 10  # the dashboard decodes its top ten only


def test_the_pages_say_when_the_figures_were_computed_and_under_which_version(site, office):
    compute_outcomes()
    PeriodOutcome.objects.update(computed_at=datetime.datetime(2026, 12, 6, 6, 5, tzinfo=datetime.UTC))
    html = office.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"数据计算于 12月6日 14:05（第 1 版政策）", html)  # Asia/Shanghai
    assert "data-policy-pending" not in html
    html = office.get(reverse("policy_reports:departments")).content.decode()
    assert "数据计算于 12月6日 14:05（第 1 版政策）" in html


def test_a_pending_recomputation_is_said_beside_the_figures(site, office):
    compute_outcomes()
    OutcomeRecomputation.objects.filter(scope="default").update(requested_at=datetime.datetime.now(datetime.UTC))
    for url in (reverse("wagtailadmin_home"), reverse("policy_reports:coverage"), reverse("policy_reports:assessment")):
        html = office.get(url).content.decode()
        assert "正在等待重新计算" in html and "data-policy-pending" in html, url


def test_a_missing_outcome_says_so_and_asks_the_worker_once(site, office, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        html = office.get(reverse("wagtailadmin_home")).content.decode()
        office.get(reverse("policy_reports:departments"))
    assert "data-policy-not-computed" in html and "2026 秋季学期的数据尚未计算" in html
    assert enqueued == [(recompute.TASK, ("default",))]  # two pages, one task

    func, args = enqueued[0]
    assert func == "policy_rules.reports.tasks.recompute_outcomes"
    assert recompute_outcomes(*args) == ["running", "past"]
    html = office.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-policy-not-computed" not in html and "数据计算于" in html and "data-policy-pending" not in html


def test_the_schedule_recomputes_the_running_period_and_a_change_the_periods_it_reaches(site, enqueued):
    assert compute_outcomes() == ["running", "past"]
    assert recompute_outcomes() == ["running"]  # hourly: the past period has not changed
    recompute._request("default", datetime.date(2026, 11, 2))
    assert recompute_outcomes() == ["running"]
    recompute._request("default", datetime.date(2025, 9, 10))
    assert recompute_outcomes() == ["running", "past"]


def test_a_burst_of_requests_queues_one_task_until_the_worker_starts(db, enqueued):
    for since in (datetime.date(2026, 12, 1), datetime.date(2026, 11, 1), datetime.date(2026, 12, 5)):
        recompute._request("default", since)
    assert len(enqueued) == 1
    assert OutcomeRecomputation.objects.get(scope="default").since == datetime.date(2026, 11, 1)
    recompute._request("default", None)
    assert OutcomeRecomputation.objects.get(scope="default").since is None and len(enqueued) == 1

    request = recompute.start("default")
    assert request == recompute.Request(requested=True, since=None)
    recompute._request("default", datetime.date(2026, 12, 6))  # a change while the worker runs: one more task
    assert len(enqueued) == 2


def test_the_schedules_exist_after_migrate(db):
    hourly = Schedule.objects.get(name=setup.HOURLY)
    assert (hourly.func, hourly.schedule_type) == (recompute.TASK, Schedule.HOURLY)
    nightly = Schedule.objects.get(name=setup.AFTER_MIDNIGHT)
    assert (nightly.func, nightly.schedule_type) == (recompute.TASK, Schedule.DAILY)
    assert nightly.next_run.astimezone(data.policy_tz()).time() == datetime.time(0, 5)


ASKED = []


def counted_names(kind, ids):
    ASKED.append(len(ids))
    return {i: f"n{i}" for i in ids}


def test_display_names_asks_the_site_in_chunks(settings):
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "DISPLAY_NAMES": "tests.policy_rules.test_report_outcomes.counted_names",
    }
    ASKED.clear()
    names = data.display_names("contributor", {str(n) for n in range(2500)})
    assert ASKED == [1000, 1000, 500] and len(names) == 2500 and names["7"] == "n7"
