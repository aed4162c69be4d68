"""The office head brings the staff in from the office's spreadsheet, in Chromium (zh-hans, issue 14): previewed,
imported, then next term's file imported again with changes — people updated, none duplicated.

The spreadsheet has Chinese headers as the office keeps them; 王主任 heads 学生处 and 李书记 supervises 院办, so
they get admin accounts; the others do not. Next term 赵老师 has a new e-mail and 周老师 joins 宣传科.
"""

import re
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cms.models import Department, Person
from tests.browser.steps import log_in, wait_for_url
from tests.cms.people.imports.sheets import STAFF, xlsx_bytes

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots"  # looked at by people; not asserted on
URL = "/admin/people-import/"


@pytest.fixture
def kept_files(settings, tmp_path):
    settings.PEOPLE_IMPORT_DIR = str(tmp_path / "pending")


def spreadsheet(rows, name):
    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(xlsx_bytes(rows))
    return path


def preview(page, path):
    page.goto(URL)
    page.locator('[data-import-upload] input[type="file"]').set_input_files(str(path))
    page.locator("[data-preview-import]").click()
    expect(page.locator("[data-import-preview], [data-import-errors]").first).to_be_visible()


def confirm(page):
    page.locator("[data-confirm-import]").click()
    wait_for_url(page, re.compile(r"/admin/people-import/$"), "confirming the import")
    expect(page.locator(".messages")).to_contain_text("已导入")


def test_a_staff_spreadsheet_previewed_imported_then_reimported_with_changes(
    site_tree, people, kept_files, open_context, server_errors
):
    SHOTS.mkdir(exist_ok=True)
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    already = Person.objects.count()  # the fixture's 张同学 (2026000001), whom the file names too

    preview(page, spreadsheet(STAFF, "教职工名单.xlsx"))
    counts = page.locator("[data-import-counts]")
    expect(counts).to_contain_text("4 人将新建")
    expect(counts).to_contain_text("1 人不变")
    expect(page.locator('[data-department="院办"]')).to_contain_text("将新建")
    expect(page.locator('[data-person="T1001"]')).to_contain_text("科室负责人")
    page.screenshot(path=str(SHOTS / "people-import-preview-zh.png"), full_page=True)
    assert Person.objects.count() == already  # a preview changes nothing

    confirm(page)
    expect(page.locator(".messages")).to_contain_text("新建 4 人")
    page.screenshot(path=str(SHOTS / "people-import-done-zh.png"), full_page=True)
    assert Person.objects.count() == already + 4
    accounts = set(get_user_model().objects.filter(person__number__startswith="T").values_list("username", flat=True))
    assert accounts == {"T1001", "T1002"}
    assert Department.objects.get(name="院办").supervising_leader.username == "T1002"

    next_term = [list(row) for row in STAFF]
    next_term[2][5] = "zhao.new@example.edu.cn"
    next_term.append(["周老师", "T1005", "教职工", "宣传科", "", "zhou@example.edu.cn", ""])
    preview(page, spreadsheet(next_term, "教职工名单-下学期.xlsx"))
    expect(counts).to_contain_text("1 人将新建")
    expect(counts).to_contain_text("1 人将更改")
    changed = page.locator('[data-person="T1003"]')
    expect(changed.locator("[data-changes]")).to_contain_text("zhao@example.edu.cn → zhao.new@example.edu.cn")
    page.screenshot(path=str(SHOTS / "people-import-reimport-preview-zh.png"), full_page=True)

    confirm(page)
    assert Person.objects.count() == already + 5  # updated, not duplicated
    assert Person.objects.filter(number="T1003").get().email == "zhao.new@example.edu.cn"
    assert not server_errors


def test_a_file_with_errors_is_shown_row_by_row_and_imports_nothing(
    site_tree, people, kept_files, open_context, server_errors
):
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "policy")
    rows = [STAFF[0], ["=cmd|' /C calc'!A0", "T1009", "教职工"], ["王五", "T1010", "外聘"]]
    preview(page, spreadsheet(rows, "有错误的名单.xlsx"))
    expect(page.locator("[data-import-errors]")).to_contain_text("2 处错误")
    expect(page.locator('[data-error-row="3"]')).to_contain_text("公式")
    expect(page.locator('[data-error-row="4"]')).to_contain_text("既不是学生也不是教职工")
    expect(page.locator("[data-confirm-import]")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "people-import-errors-zh.png"), full_page=True)
    assert not Person.objects.filter(number__startswith="T").exists()
    assert not server_errors
