"""`manage.py people import FILE [--dry-run]` (cms/management/commands/people.py): the plan in Chinese, then the
import, all or nothing; a refused file exits 2 with its reasons and changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from cms.models import Department, Person
from tests.cms.people.imports.sheets import STAFF, csv_bytes, state, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("people", "import", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_plan_and_changes_nothing(tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx_bytes(STAFF))
    out = run(str(path), "--dry-run")
    assert "5 人将新建" in out and "新建科室：宣传科" in out and "仅预演：未作任何更改。" in out
    assert "第 2 行 王主任 (T1001) 新建" in out
    assert Person.objects.count() == 0 and Department.objects.count() == 0


def test_the_import_then_the_same_file_again_changes_nothing(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(STAFF, encoding="gb18030"))
    assert "已导入：新建 5 人" in run(str(path))
    before = state()
    assert "0 人将新建，0 人将更改，5 人不变" in run(str(path))
    assert state() == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".xls"),
        (csv_bytes([["王五", "T9", "外聘"], ["赵六", "T" * 40, "教职工"]]), "第 3 行"),
    ],
)
def test_a_refused_file_exits_2_and_changes_nothing(tmp_path, content, says):
    path = tmp_path / "people.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run(str(path))
    assert refused.value.returncode == 2 and says in str(refused.value)
    assert Person.objects.count() == 0


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as refused:
        run(str(tmp_path / "nowhere.xlsx"))
    assert refused.value.returncode == 2 and str(refused.value).endswith("nowhere.xlsx：文件不存在")
