"""`manage.py policy assessment` (A22, policy_rules/cli/assessment.py): the report's rows for the operator, in their
language, as a table or as the admin export's CSV. The data is tests/policy_rules/assessment_years.py's."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.policy_rules.assessment_years import use_two_years


@pytest.fixture
def two_years(db, settings, monkeypatch):
    cache.clear()
    use_two_years(settings, monkeypatch)
    yield
    cache.clear()


def run(*args):
    out = io.StringIO()
    call_command("policy", "assessment", *args, stdout=out)
    return out.getvalue()


def department_line(output, name):
    return next(line for line in output.splitlines() if line.startswith(name))


def test_a_finished_year_as_a_table_in_chinese(two_years):
    output = run("--year", "2025", "--language", "zh-hans")

    assert output.splitlines()[0] == "2025 年度考核（A22），政策 default@v1：2025 春季学期、2025 秋季学期"
    assert "暂定" not in output
    # 团委: spring missed (5 of 20), autumn met; 25 of 40 provided, none pushed, no errors: −10 points.
    assert department_line(output, "团委").split() == [
        "团委", "1/2", "5/8", "25/40", "0", "0", "未完成任务", "-10", "建议减少优秀比例", "10", "个百分点",
    ]  # fmt: skip
    assert department_line(output, "学生处").split()[6:] == ["推送较多", "+10", "建议增加优秀比例", "10", "个百分点"]
    assert department_line(output, "教务科").split()[5:7] == ["5", "(警告)"]
    assert output.rstrip().endswith("具体由党政联席会讨论决定（A22）。")


def test_the_columns_line_up_under_chinese_headings(two_years):
    lines = run("--year", "2025", "--language", "zh-hans").splitlines()[1:5]

    # Each Chinese character takes two columns of a terminal: the counts start at the same column on every line.
    starts = {line.index(line.split()[1]) + sum(1 for char in line.split()[0] if ord(char) > 0x2E80) for line in lines}
    assert len(starts) == 1


def test_the_running_year_is_provisional_and_in_english(two_years):
    output = run("--language", "en")  # no --year: the year of the running semester, 2026

    assert output.splitlines()[0] == "Annual assessment 2026 (A22), policy default@v1: 2026 秋季学期"
    assert "The year is not over: the standings are provisional." in output
    assert department_line(output, "学生处").split()[6:10] == ["Quota", "not", "met", "-10"]
    assert "Suggest lowering the share of “excellent” ratings by 10 percentage points" in output


def test_csv_has_the_admin_exports_columns_and_numbers(two_years):
    table = list(csv.reader(io.StringIO(run("--year", "2025", "--format", "csv", "--language", "zh-hans"))))

    assert table[0][:3] == ["年度", "科室", "计入的学期数"]
    assert {row[1]: row for row in table[1:]}["团委"] == [
        "2025", "团委", "2", "1", "8", "5", "25", "40", "0", "0", "不处理", "未完成任务", "-10",
        "建议减少优秀比例 10 个百分点", "TRUE",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("year", "said"),
    [("2019", "没有在 2019 年开始的学期；有学期的年度：2027, 2026, 2025。"), ("2027", "2027 年度的学期尚未开始")],
)
def test_a_year_without_begun_periods_is_refused_in_words(two_years, year, said):
    with pytest.raises(CommandError, match=said) as refused:
        run("--year", year, "--language", "zh-hans")

    assert refused.value.returncode == 2
