"""The annual assessment report (A22, policy_rules/reports/assessment.py): per department and year, the evidence
and the suggested change of the "excellent" share — a suggestion the 党政联席会 decides on.

The data is tests/policy_rules/assessment_years.py's.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import policy_rules.reports.register  # noqa: F401  (policy_rules/wagtail_hooks.py imports it in the site)
from cms.models import Department, ProviderKind, Semester, Submission
from policy_rules.evaluation import evaluate
from policy_rules.models import PolicyVersion
from policy_rules.reports import assessment, data
from tests.factories import make_article
from tests.policy_rules.assessment_years import AUTUMN, SPRING, TODAY, use_two_years, year_facts
from tests.policy_rules.stored_outcomes import compute_outcomes


@pytest.fixture(autouse=True)
def on_week_14(monkeypatch):
    cache.clear()
    monkeypatch.setattr(data, "today", lambda: TODAY)
    yield
    cache.clear()


@pytest.fixture
def two_years(settings, monkeypatch, db):
    use_two_years(settings, monkeypatch)
    compute_outcomes()


@pytest.fixture
def office(client, people):
    """The office editor, whose role may read the policy reports, in the site's language (zh-hans)."""
    client.force_login(people["office"])
    return client


def rows_of(year):
    years = assessment.assessment_years(data.periods())
    report = assessment.year_report(assessment.choose_year(str(year), years))
    return {row["department"]: row for row in assessment.assessment_rows(report)}, report


EVIDENCE = ("periods", "periods_met", "weeks_met", "weeks", "submissions", "quota", "pushed", "errors", "level")


def test_a_year_groups_the_periods_that_begin_in_it(two_years):
    years = assessment.assessment_years(data.periods())
    assert [(year.year, [period.name for period in year.periods]) for year in years] == [
        (2027, ["2027 春季学期"]),
        (2026, ["2026 秋季学期"]),
        (2025, ["2025 春季学期", "2025 秋季学期"]),
    ]
    assert assessment.choose_year(None, years).year == 2026  # the running semester's year
    assert assessment.choose_year("2025", years).year == 2025


def test_a_finished_year_per_department_with_its_evidence_and_suggestion(db, two_years):
    rows, report = rows_of(2025)

    assert report.final
    assert {name: tuple(row[field] for field in EVIDENCE) for name, row in rows.items()} == {
        "学生处": (2, 2, 8, 8, 60, 40, 2, 0, "none"),
        "教务科": (2, 2, 8, 8, 45, 40, 1, 5, "warning"),
        "团委": (2, 1, 5, 8, 25, 40, 0, 0, "none"),
    }
    # 60 ≥ 1.5 × 40: more; 45: met, no change; spring missed: short.
    assert {name: (row["standing"], row["share_change"]) for name, row in rows.items()} == {
        "学生处": ("more", 10),
        "教务科": ("met", 0),
        "团委": ("short", -10),
    }
    assert rows["团委"]["suggestion"] == "建议减少优秀比例 10 个百分点"
    assert rows["学生处"]["suggestion"] == "建议增加优秀比例 10 个百分点"
    assert rows["教务科"]["suggestion"] == "建议不调整优秀比例"
    assert [semester["state"] for semester in rows["团委"]["semesters"]] == ["missed", "met"]


def test_a_running_year_is_provisional_and_behind_pace_counts_as_short(db, two_years):
    rows, report = rows_of(2026)

    assert not report.final
    # Week 14 of 20: 3 is behind pace (short), 14 is on pace for 20 (met so far), 20 is met.
    assert {name: row["semesters"][0]["state"] for name, row in rows.items()} == {
        "学生处": "behind",
        "教务科": "on_track",
        "团委": "met",
    }
    assert {name: row["standing"] for name, row in rows.items()} == {"学生处": "short", "教务科": "met", "团委": "met"}
    assert not any(row["final"] for row in rows.values())


def test_a_year_whose_periods_have_not_begun_says_so(db, two_years, office):
    with pytest.raises(data.ReportUnavailable):
        rows_of(2027)
    html = office.get(reverse("policy_reports:assessment"), {"year": "2027"}).content.decode()
    assert "2027 年度的学期尚未开始" in html


def test_the_page_shows_the_suggestion_as_the_meetings_to_decide(db, two_years, office):
    response = office.get(reverse("policy_reports:assessment"), {"year": "2025"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "具体由党政联席会讨论决定" in html
    assert dict(re.findall(r'data-department="(\d)" data-standing="(\w+)"', html)) == {
        "1": "more",
        "2": "met",
        "3": "short",
    }
    assert "建议减少优秀比例 10 个百分点" in html and "暂定" not in html

    html = office.get(reverse("policy_reports:assessment")).content.decode()  # 2026, running
    assert "本年度尚未结束，以下结果为暂定。" in html and "data-provisional" in html


def test_the_csv_export_opens_in_excel_numbers_as_numbers(db, two_years, office):
    response = office.get(reverse("policy_reports:assessment"), {"year": "2025", "export": "csv"})
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="policy-annual-assessment-2025.csv"' in response["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel on Chinese Windows reads UTF-8
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0][:3] == ["年度", "科室", "计入的学期数"]
    assert table[0][-3:] == ["建议的优秀比例调整（百分点）", "建议", "是否为年度最终结果"]
    by_department = {row[1]: row for row in table[1:]}
    assert by_department["团委"] == [
        "2025", "团委", "2", "1", "8", "5", "25", "40", "0", "0", "不处理", "未完成任务", "-10",
        "建议减少优秀比例 10 个百分点", "TRUE",
    ]  # fmt: skip


def test_the_xlsx_export_has_numbers_and_booleans(db, two_years, office):
    response = office.get(reverse("policy_reports:assessment"), {"year": "2025", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)

    by_department = {row[1]: row for row in rows[1:]}
    assert by_department["学生处"][:10] == (2025, "学生处", 2, 2, 8, 8, 60, 40, 2, 0)
    assert by_department["学生处"][12] == 10 and by_department["团委"][12] == -10
    assert by_department["学生处"][-1] is True


@pytest.mark.parametrize(
    "params",
    [{"year": "<script>alert(1)</script>"}, {"year": "9" * 400}, {"year": "2025\x00"}, {"year": ["2025", "2026"]}],
)
def test_a_hostile_year_shows_the_default_year(db, two_years, office, params):
    response = office.get(reverse("policy_reports:assessment"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-policy-report-year="2026"' in html or 'data-policy-report-year="2025"' in html
    assert "<script>alert(1)" not in html


def test_only_who_may_read_policy_reports_sees_it(db, two_years, client, people):
    client.force_login(people["contributor"])
    for params in ({"year": "2025"}, {"year": "2025", "export": "csv"}):
        response = client.get(reverse("policy_reports:assessment"), params)
        assert response.status_code in (302, 403)
        assert "团委" not in response.content.decode()
    assert reverse("policy_reports:assessment") not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(people["office"])
    assert reverse("policy_reports:assessment") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_pushed_counts_a_departments_material_that_went_out_in_a_push(db):
    facts = year_facts(*SPRING)
    outcomes = evaluate(PolicyVersion.active_for("default"), facts)["departments"]
    assert {department: outcome["pushed"] for department, outcome in outcomes.items()} == {"1": 2, "2": 1, "3": 0}


def _site_year(departments, index, leader):
    """`departments` departments of the site, each with one submission in each of 2025's two semesters."""
    for start, end in (SPRING, AUTUMN):
        Semester.objects.get_or_create(name=f"{start:%Y-%m}", start=start, end=end)
    for n in range(Department.objects.count(), departments):
        department = Department.objects.create(name=f"科室{n}", code=f"d{n}", supervising_leader=leader)
        for start, _end in (SPRING, AUTUMN):
            Submission.objects.create(
                page=make_article(index, department=department),
                provider_kind=ProviderKind.DEPARTMENT,
                department=department,
                submitted_at=datetime.datetime.combine(start, datetime.time(10), tzinfo=datetime.UTC),
            )


def test_queries_do_not_grow_with_departments(index, people, client):
    client.force_login(people["policy"])

    def queries(departments):
        _site_year(departments, index, people["leader_a"])
        compute_outcomes()
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("policy_reports:assessment"), {"year": "2025", "export": "csv"})
            body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert body.count("\n") == departments + 1
        return len(captured)

    assert queries(3) == queries(9)
