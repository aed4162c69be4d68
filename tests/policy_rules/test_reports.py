"""The policy reports and the dashboard panel: numbers, exports, permissions, no CDN."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

import policy_rules.reports.register  # noqa: F401  (policy_rules/wagtail_hooks.py imports it in the site)
from cms.models import ProviderKind, Semester
from policy_rules.reports import data
from tests.policy_rules.stored_outcomes import compute_outcomes
from tests.review_steps import CHECKED, act, submit

START, END = datetime.date(2025, 9, 1), datetime.date(2025, 9, 21)  # three Monday–Sunday weeks, in the past
REPORTS = Path(__file__).resolve().parents[2] / "policy_rules"


def at(day, hour=10):
    return f"2025-09-{day:02d}T{hour:02d}:00:00+08:00"


def hand_facts(start, end):
    """Two departments, three students, two staff: every report has something to show."""
    submissions, pushes = [], []

    def add(provider, department, contributor=None, day=2, accepted=False, published=None):
        submissions.append(
            {
                "id": len(submissions) + 1,
                "provider": provider,
                "contributor": contributor,
                "department": department,
                "submitted_at": at(day),
                "accepted": accepted,
                "published_at": at(published, 16) if published else None,
            }
        )
        return len(submissions)

    # 学生处 (1): two submissions in week 1, three in week 2, one in week 3.
    add("personal", 1, 7, day=2, accepted=True, published=3)
    add("personal", 1, 7, day=4, accepted=True)
    add("personal", 1, 7, day=9, accepted=True)
    add("personal", 1, 9, day=10, accepted=True)
    add("personal", 1, 21, day=11, accepted=True)
    add("department", 1, day=16)
    # 教务科 (2): eight in week 1, nothing afterwards; five of its own have errors (A20 warning).
    add("personal", 2, 8, day=2, accepted=True, published=2)
    add("personal", 2, 8, day=3, accepted=True, published=3)
    add("personal", 2, 20, day=3, accepted=True, published=4)
    flawed = [add("department", 2, day=5) for _ in range(5)]
    for day in (1, 2, 3):
        pushes.append({"id": f"p{day}", "at": at(day, 17), "articles": [1]})
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": 1, "name": "学生处"}, {"id": 2, "name": "教务科"}],
        "contributors": [
            {"id": 7, "kind": "student", "department": 1},
            {"id": 8, "kind": "student", "department": 2},
            {"id": 9, "kind": "student", "department": 1},
            {"id": 20, "kind": "staff", "department": 2},
            {"id": 21, "kind": "staff", "department": 1},
        ],
        "submissions": submissions,
        "errors": [
            {"submission": s, "department": 2, "provider": "department", "kind": "typo", "found_at": at(5, 15)}
            for s in flawed
        ],
        "pushes": pushes,
    }


def fixed_periods():
    return [{"key": "sep", "name": "2025 九月", "start": START, "end": END}]


def hand_names(kind, ids):
    return {"7": "王小明", "8": "李华", "9": "陈一"} if kind == "contributor" else {}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hand_built(settings, db):
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
        "FACTS_PROVIDER": "tests.policy_rules.test_reports.hand_facts",
        "PERIODS": "tests.policy_rules.test_reports.fixed_periods",
        "DISPLAY_NAMES": "tests.policy_rules.test_reports.hand_names",
    }
    assert compute_outcomes() == ["sep"]


def grant_view(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="policy_rules", codename="view_policyversion")
    )
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # the assertions read the English source strings
    profile.save()
    return user


@pytest.fixture
def admin_client(client, people):
    client.force_login(grant_view(people["policy"]))
    return client


def page(client, name, **params):
    response = client.get(reverse(f"policy_reports:{name}"), params)
    assert response.status_code == 200
    return response.content.decode()


def cells(html, attribute):
    return dict(re.findall(rf'{attribute}="([^"]+)"[^>]*>\s*([^<]*?)\s*<', html))


def export(client, name, fmt):
    response = client.get(reverse(f"policy_reports:{name}"), {"export": fmt})
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_department_quotas_show_each_week_and_the_semester_progress(hand_built, admin_client):
    html = page(admin_client, "departments")

    assert "2025 九月" in html and "default@v1" in html
    row = html[html.index('data-department="2"') :]
    row = row[: row.index("</tr>")]
    assert "教务科" in row
    assert cells(row, "data-week") == {"2025-09-01": "8 ✓", "2025-09-08": "0 ✗", "2025-09-15": "0 ✗"}
    assert 'data-progress="8 / 20"' in row and 'data-state="missed"' in row


def test_department_quotas_export_csv_and_xlsx(hand_built, admin_client):
    """Excel on Chinese Windows opens the CSV as UTF-8 (a BOM); counts are numbers, a week met is a boolean."""
    response, body = export(admin_client, "departments", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf") and not body[3:].startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == [
        "Department",
        "Submissions",
        "Week of 2025-09-01",
        "Week of 2025-09-01: quota met",
        "Week of 2025-09-08",
        "Week of 2025-09-08: quota met",
        "Week of 2025-09-15",
        "Week of 2025-09-15: quota met",
        "Quota per semester",
        "Submissions a week so far",
        "By the end at this pace",
        "Semester quota",
    ]
    assert ["学生处", "6", "2", "TRUE", "3", "TRUE", "1", "TRUE", "20", "2.0", "6", "Missed"] in table
    assert ["教务科", "8", "8", "TRUE", "0", "FALSE", "0", "FALSE", "20", "2.7", "8", "Missed"] in table

    response, body = export(admin_client, "departments", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Department", "Submissions", "Week of 2025-09-01")
    assert rows[1][:4] == ("学生处", 6, 2, True) and rows[2][4:6] == (0, False)
    assert len(rows) == 3


def test_points_leaderboard_ranks_students_with_prizes(hand_built, admin_client):
    html = page(admin_client, "leaderboard")
    order = re.findall(r'<tr data-contributor="(\d+)"', html)
    assert order == ["8", "7", "9"]  # 2 + 60, 3 + 40, 1 + 40 (A17.2: published first)
    assert "李华" in html and "王小明" in html
    assert cells(html, "data-prize") == {"first": "First prize", "second": "Second prize"}

    _, body = export(admin_client, "leaderboard", "csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == [
        "Rank",
        "Contributor number",
        "Name",
        "Department",
        "Accepted",
        "Published",
        "Points",
        "Prize",
        "Prize points",
        "Total",
    ]
    assert table[1] == ["1", "8", "李华", "教务科", "2", "2", "2", "First prize", "60", "62"]
    assert table[3][:3] == ["3", "9", "陈一"] and table[3][-1] == "41"


def test_staff_certificates_go_to_staff_with_published_work(hand_built, admin_client):
    html = page(admin_client, "staff")
    assert cells(html, "data-certificate") == {"yes": "Yes", "no": "No"}

    _, body = export(admin_client, "staff", "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert rows[0] == ("Rank", "Contributor number", "Name", "Department", "Accepted", "Published", "Certificate")
    assert rows[1][1] == "20" and rows[1][-1] is True
    assert rows[2][1] == "21" and rows[2][-1] is False


def test_discipline_standing_lists_the_level_reached(hand_built, admin_client):
    html = page(admin_client, "discipline")
    assert cells(html, "data-level") == {"warning": "Warning", "none": "No action"}
    assert html.index("教务科") < html.index("学生处")  # the department at a level comes first

    _, body = export(admin_client, "discipline", "csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table == [
        ["Department", "Counted errors", "Level"],
        ["教务科", "5", "Warning"],
        ["学生处", "0", "No action"],
    ]


def test_push_coverage_calendar_and_export(hand_built, admin_client):
    html = page(admin_client, "coverage")
    days = dict(re.findall(r'data-date="([\d-]+)" data-state="(\w+)"', html))
    assert days["2025-09-01"] == "met" and days["2025-09-04"] == "missed"
    assert days["2025-09-06"] == "off"  # a Saturday
    assert days["2025-09-22"] == "outside"
    assert 'data-month="2025-09"' in html

    _, body = export(admin_client, "coverage", "csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == ["Date", "Weekday", "Pushes", "Covered", "Coverage"]
    assert table[1] == ["2025-09-01", "Mon", "1", "TRUE", "Met"]
    assert table[4] == ["2025-09-04", "Thu", "0", "FALSE", "Missed"]
    assert len(table) == 1 + 15  # fifteen working days

    _, body = export(admin_client, "coverage", "xlsx")
    heading, first = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))[:2]
    assert heading == ("Date", "Weekday", "Pushes", "Covered", "Coverage")
    assert first[2:4] == (1, True)


@pytest.mark.parametrize("name", ["departments", "leaderboard", "staff", "discipline", "coverage"])
def test_contributor_gets_no_report(hand_built, client, people, name):
    assert not people["contributor"].has_perm(data.VIEW_PERMISSION)
    client.force_login(people["contributor"])

    for params in ({}, {"export": "csv"}):
        response = client.get(reverse(f"policy_reports:{name}"), params)
        assert response.status_code in (302, 403)
        assert "教务科" not in response.content.decode()


def test_dashboard_panel_with_charts_for_office_only(hand_built, client, people):
    client.force_login(grant_view(people["office"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-policy-dashboard" in html
    assert re.search(r'<script src="/static/policy_rules/vendor/chart\.umd\.min\.js"', html)
    charts = json.loads(
        re.search(r'<script id="policy-dashboard-charts" type="application/json">(.*?)</script>', html).group(1)
    )
    assert charts["leaders"] == {
        "labels": ["李华", "王小明", "陈一"],
        "values": [62, 43, 41],
        "label": "Points",
        "empty": False,
    }
    assert charts["progress"]["values"] == [6, 8] and charts["progress"]["quota"] == 20
    assert charts["discipline"]["values"] == [1, 1, 0]  # none, warning, escalation
    assert charts["coverage"]["values"][:5] == [1, 1, 1, 0, 0]

    client.force_login(people["contributor"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-policy-dashboard" not in html and "chart.umd.min.js" not in html


def test_reports_menu_lists_the_reports_for_permitted_users_only(hand_built, client, people):
    client.force_login(grant_view(people["office"]))
    assert reverse("policy_reports:coverage") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people["contributor"])
    assert reverse("policy_reports:coverage") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_no_template_or_script_uses_a_cdn():
    files = [
        *(REPORTS / "templates" / "policy_rules" / "reports").rglob("*.html"),
        REPORTS / "static" / "policy_rules" / "reports.js",
    ]
    assert len(files) > 5
    for path in files:
        assert not re.search(r"https?://", path.read_text()), path
    assert (REPORTS / "static" / "policy_rules" / "vendor" / "chart.umd.min.js").stat().st_size > 100_000


def test_default_periods_are_this_month_and_the_last(settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "PERIODS": None}
    this, last = data.periods()
    assert (this.start, this.end) == (data.today().replace(day=1), this.end)
    assert this.end.month == this.start.month and (this.end + datetime.timedelta(days=1)).day == 1
    assert last.end == this.start - datetime.timedelta(days=1) and last.start.day == 1
    assert data.choose_period("unknown") == this


def test_reports_from_the_site_database(client, people, article_factory, django_capture_on_commit_callbacks, settings):
    """Through the real cms adapter: the running semester, names from the database, counts so far — recomputed
    by the worker's task (inline here) once the office's acceptance commits."""
    settings.POLICY_RULES = {**settings.POLICY_RULES, "RECOMPUTE_ON_CHANGE": True}
    today = timezone.localdate()
    Semester.objects.create(
        name="本学期", start=today - datetime.timedelta(days=20), end=today + datetime.timedelta(days=60)
    )
    page_ = submit(
        article_factory(
            owner=people["contributor"],
            department=people["dept_a"],
            provider_kind=ProviderKind.STUDENT,
            contributor=people["student"],
            text_author="张同学",
        ),
        people["contributor"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        act(page_, people["head_a"], "approve")
        act(page_, people["leader_a"], "approve")
        act(page_, people["office"], "approve", **CHECKED)
    client.force_login(grant_view(people["policy"]))

    html = page(client, "departments")
    assert "本学期" in html
    row = html[html.index(f'data-department="{people["dept_a"].pk}"') :]
    assert 'data-progress="1 / 20"' in row[: row.index("</tr>")]
    assert 'data-state="behind"' in row[: row.index("</tr>")]  # not over, but 1 in 21 days is not on pace for 20

    html = page(client, "leaderboard")
    assert "张同学" in html and "学生处" in html
    assert re.findall(r'<tr data-contributor="(\d+)"', html) == [str(people["student"].pk)]


def test_a_period_without_facts_says_why(settings, admin_client):
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "FACTS_PROVIDER": None,
        "PERIODS": "tests.policy_rules.test_reports.fixed_periods",
    }
    html = page(admin_client, "departments")
    assert "The site provides no facts" in html

    _, body = export(admin_client, "discipline", "csv")
    assert body.decode("utf-8-sig").splitlines() == ["Department,Counted errors,Level"]


SEMESTER = (datetime.date(2026, 8, 31), datetime.date(2027, 1, 17))  # 20 weeks; week 14 ends 2026-12-06
WEEK_14 = datetime.date(2026, 12, 6)


def week_14_facts(start, end):
    """学生处 3, 教务科 none, 团委 14 (one a week: on pace for 20) in the first fourteen weeks."""
    counts = {1: 3, 2: 0, 3: 14}
    submissions = [
        {
            "id": f"{department}-{n}",
            "provider": "department",
            "contributor": None,
            "department": department,
            "submitted_at": f"{start + datetime.timedelta(days=7 * n + 1)}T10:00:00+08:00",
            "accepted": True,
            "published_at": None,
        }
        for department, count in counts.items()
        for n in range(count)
    ]
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "departments": [{"id": 1, "name": "学生处"}, {"id": 2, "name": "教务科"}, {"id": 3, "name": "团委"}],
        "contributors": [],
        "submissions": submissions,
        "errors": [],
        "pushes": [],
    }


def empty_facts(start, end):
    return {**week_14_facts(start, end), "submissions": []}


def week_14_periods():
    return [{"key": "autumn", "name": "2026 秋季学期", "start": SEMESTER[0], "end": SEMESTER[1]}]


@pytest.fixture
def week_14(settings, monkeypatch, db):
    monkeypatch.setattr(data, "today", lambda: WEEK_14)
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
        "FACTS_PROVIDER": "tests.policy_rules.test_reports.week_14_facts",
        "PERIODS": "tests.policy_rules.test_reports.week_14_periods",
        "DISPLAY_NAMES": None,
    }
    compute_outcomes()
    return settings


def test_on_track_means_the_weeks_left_reach_the_quota_at_the_pace_so_far(week_14, client, people):
    client.force_login(grant_view(people["office"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    summary = re.search(r'data-summary="departments">([^<]*)<', html).group(1)
    # 3 and 0 of 20 in week 14 are behind; 14 (one a week) reaches 20 in week 20.
    assert summary == "1 of 3 departments have met the semester quota or reach it at their pace so far"

    html = page(client, "departments")
    assert dict(re.findall(r'data-state="(\w+)">(On track|Behind pace)<', html)) == {
        "behind": "Behind pace",
        "on_track": "On track",
    }
    standing = r'<tr data-department="(\d)">.*?class="policy-report__progress".*?</td>\s*<td [^>]*data-state="(\w+)">'
    assert re.findall(standing, html, re.S) == [
        ("1", "behind"),
        ("2", "behind"),
        ("3", "on_track"),
    ]
    assert "0.2 a week so far: 4 by the end" in html  # 学生处: 3 in 98 days
    assert "at the pace it has kept since the period began" in html


def test_the_headline_in_chinese_says_what_on_track_means(week_14, client, people):
    client.force_login(people["office"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "3 个科室中有 1 个已完成学期供稿任务，或按目前的供稿进度能够完成" in html


def test_empty_charts_say_there_is_no_data_yet(week_14, client, people):
    week_14.POLICY_RULES = {**week_14.POLICY_RULES, "FACTS_PROVIDER": "tests.policy_rules.test_reports.empty_facts"}
    compute_outcomes()
    client.force_login(people["office"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert set(re.findall(r'data-policy-empty="(\w+)">暂无数据。<', html)) == {"progress", "leaders", "coverage"}
    assert 'data-policy-chart="discipline"' in html and 'data-policy-chart="progress"' not in html
