"""`manage.py calendar import FILE [--dry-run]` (A11.1): the documented 2027 example, the operator's language, and
hostile files refused line by line with nothing saved."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cms.calendar import services as calendar
from cms.models import CalendarOverride, DayType, YearArrangement
from tests.cms.calendar.arrangement_2027 import HOLIDAY_DAYS, HOLIDAYS, SOURCE, SWAPPED

pytestmark = pytest.mark.django_db
D = datetime.date
OPERATIONS = Path(settings.BASE_DIR) / "docs" / "operations.md"


def documented_example():
    """The CSV block of docs/operations.md's year arrangement section."""
    text = OPERATIONS.read_text(encoding="utf-8")
    section = text[text.index("calendar import") :]
    return re.search(r"```csv\n(.*?)```", section, re.S).group(1)


def run(path, *options, language="zh-hans"):
    out, err = StringIO(), StringIO()
    call_command("calendar", "import", str(path), *options, "--language", language, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path, language="zh-hans"):
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("calendar", "import", str(path), "--language", language, stdout=StringIO(), stderr=err)
    return str(error.value), err.getvalue()


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(documented_example(), encoding="utf-8")
    return path


def test_the_documented_example_is_the_2027_arrangement_and_a_dry_run_saves_nothing(example):
    out, _err = run(example, "--dry-run")
    assert f"2027 年：放假 {HOLIDAY_DAYS} 天，调休上班 {len(SWAPPED)} 天" in out
    assert "试运行：未保存任何内容。" in out
    assert not CalendarOverride.objects.exists() and not YearArrangement.objects.exists()


def test_importing_saves_it_and_importing_again_replaces_it(example):
    first, _err = run(example)
    assert "替换" not in first
    YearArrangement.objects.filter(year=2027).update(source="在后台录入的安排")
    again, _err = run(example, "--dry-run")  # the operator is told before the file replaces what the office saved
    assert "将替换 2027 年已保存的节假日安排（" in again and "来源：在后台录入的安排" in again
    run(example)
    row = YearArrangement.objects.get()
    assert row.source == SOURCE
    assert [h["name"] for h in row.holidays] == [h.name for h in HOLIDAYS]
    assert CalendarOverride.objects.count() == HOLIDAY_DAYS + len(SWAPPED)
    assert calendar.day(D(2027, 2, 8)).day_type == DayType.HOLIDAY
    assert calendar.is_working_day(D(2027, 10, 9))


def test_output_in_english_for_an_english_operator(example, monkeypatch):
    out = StringIO()
    monkeypatch.setenv("LANGUAGE", "en_GB.UTF-8")
    call_command("calendar", "import", str(example), "--dry-run", stdout=out)
    assert f"2027: {HOLIDAY_DAYS} holiday days" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()


def test_chinese_keywords_and_a_spreadsheet_s_bom_and_empty_cells(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_bytes(
        "\ufeff年份,2027,,\n来源,国办发明电〔2026〕1号,,\n放假,春节,2027-02-05,2027-02-13\n调休上班,2027-02-14,,\n".encode()
    )
    run(path)
    assert YearArrangement.objects.get().source == "国办发明电〔2026〕1号"
    assert calendar.is_working_day(D(2027, 2, 14))


HOSTILE = [
    ("reversed range", "放假,春节,2027-02-13,2027-02-05\n", "第 4 行：最后一天 2027-02-05 早于第一天 2027-02-13"),
    ("overlap", "放假,春节,2027-02-05,2027-02-13\n放假,元宵,2027-02-12,2027-02-20\n", "第 5 行：元宵 与 春节"),
    ("outside the year", "放假,元旦,2026-12-31,2027-01-02\n", "第 4 行：2026-12-31 不在 2027 年内"),
    ("400 days", "放假,长假,2027-01-01,2028-02-04\n", "第 4 行：2028-02-04 不在 2027 年内"),
    ("not a date", "放假,春节,2027-02-30,2027-03-01\n", "第 4 行：2027-02-30 不是日期"),
    ("unknown kind", "请假,春节,2027-02-05,2027-02-13\n", "第 4 行：未知类型 请假"),
    ("missing cells", "放假,春节,2027-02-05\n", "第 4 行：放假 行的列数不对"),
    (
        "a swapped weekday",
        "放假,春节,2027-02-05,2027-02-13\n调休上班,2027-03-01,春节\n",
        "第 5 行：2027-03-01 是周一至周五",
    ),
    ("an unclosed quote", '放假,"春节,2027-02-05,2027-02-13\n', "不是有效的 CSV"),
]


@pytest.mark.parametrize(("attack", "lines", "said"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_naming_the_line_and_nothing_is_saved(tmp_path, attack, lines, said):
    path = tmp_path / "bad.csv"
    path.write_text(f"# {attack}\nyear,2027\nsource,{SOURCE}\n{lines}", encoding="utf-8")
    message, err = refused(path)
    assert said in err, err
    assert message == "未保存任何内容：请修改上面列出的行。"
    assert not CalendarOverride.objects.exists() and not YearArrangement.objects.exists()


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("year,2027\n" + "workday,2027-01-09\n" * 100_000, encoding="utf-8")
    _message, err = refused(path)
    assert "文件大于 64 KB" in err
    assert not CalendarOverride.objects.exists()


def test_too_many_rows_are_refused(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("year,2027\n" + "workday,2027-01-09\n" * 500, encoding="utf-8")
    _message, err = refused(path)
    assert "行数过多：最多 80 行" in err


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "这不是 UTF-8 编码的文本"),
        (b"year,2027\x00\n", "NUL 字符"),
        (b"", "文件缺少年份行"),
        ("year,二〇二七\n".encode(), "不是年份"),
        (b"year,2027\nyear,2028\n", "第 2 行：重复的 year 行"),
    ],
    ids=["binary", "nul", "empty", "not a year", "two years"],
)
def test_a_malformed_file_is_refused_in_chinese(tmp_path, content, said):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    _message, err = refused(path)
    assert said in err, err
    assert not YearArrangement.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    message, _err = refused(tmp_path / "nowhere.csv")
    assert message.startswith("无法读取") and message.endswith("：文件不存在")  # not "No such file or directory"


def test_errors_in_english_for_an_english_operator(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"year,2027\nsource,{SOURCE}\nholiday,Spring,2027-02-13,2027-02-05\n", encoding="utf-8")
    message, err = refused(path, language="en")
    assert "Line 3: The last day 2027-02-05 is before the first day 2027-02-13." in err
    assert message == "Nothing was saved: correct the lines above."
