"""The follower activity export for the authorities in Chromium (A14, zh-hans): the office head names the requesting
authority and the case reference, downloads the XLSX and the CSV, and each file opens with that request and shows
the records' times in local time (a date-time cell in the XLSX, 2026-03-03 09:15:00 in the CSV)."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.steps import SHOTS, log_in
from tests.wechat_channel.admin_factories import make_account
from wechat_channel import activity
from wechat_channel.models import ActivityExport, FollowerActivity

pytestmark = pytest.mark.browser
AUTHORITY, REFERENCE = "瑞安市公安局", "瑞公（网）调证字〔2026〕118号"
# 01:15 UTC on 3 March is 09:15 in Shanghai: the file must say 09:15, not 01:15 nor ISO's 2026-03-03T09:15:00+08:00.
AT = datetime.datetime(2026, 3, 3, 1, 15, tzinfo=datetime.UTC)


@pytest.fixture
def records(site_tree, people):
    account = make_account(name="瑞安学院")
    activity.record(account, "o_follower", FollowerActivity.Kind.MESSAGE, "请问何时开学？", AT)
    return account


def download(page, export_format):
    """Fill the export form as the office head does and return the downloaded file's bytes."""
    form = page.locator("#activity-export form")
    form.locator('input[name="authority"]').fill(AUTHORITY)
    form.locator('input[name="reference"]').fill(REFERENCE)
    form.locator('input[name="start"]').fill("2026-03-01")
    form.locator('input[name="end"]').fill("2026-03-31")
    form.locator('select[name="format"]').select_option(export_format)
    with page.expect_download() as downloaded:
        form.locator("button[type=submit]").click()
    assert downloaded.value.suggested_filename == f"follower-activity-20260301-20260331.{export_format}"
    return Path(downloaded.value.path()).read_bytes()


def test_the_office_head_exports_with_the_request_in_the_file_and_local_times(records, open_context, server_errors):
    page = log_in(open_context(viewport={"width": 1366, "height": 900}, accept_downloads=True), "policy")
    page.goto(reverse("wechat_admin:activity"))
    expect(page.locator("#activity-export")).to_contain_text("调取机关")
    page.locator("#activity-export").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/a14-export-form-zh.png", full_page=True)

    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "xlsx"))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows(max_row=2, max_col=2)] == [
        ["调取机关", AUTHORITY],
        ["文书或案件编号", REFERENCE],
    ]
    time = sheet.cell(row=6, column=1)
    assert time.is_date and time.value.isoformat() == "2026-03-03T09:15:00"
    assert sheet.cell(row=6, column=5).value == "请问何时开学？"

    page.goto(reverse("wechat_admin:activity"))
    lines = list(csv.reader(io.StringIO(download(page, "csv").decode("utf-8-sig"))))
    assert lines[:2] == [["调取机关", AUTHORITY], ["文书或案件编号", REFERENCE]]
    assert lines[5] == ["2026-03-03 09:15:00", "瑞安学院", "o_follower", "消息", "请问何时开学？"]

    # Both exports are listed with the request they answered.
    page.goto(reverse("wechat_admin:activity"))
    listed = page.locator("#activity-exports")
    expect(listed.locator("tr[data-export]")).to_have_count(2)
    expect(listed).to_contain_text(REFERENCE)
    listed.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/a14-exports-listed-zh.png", full_page=True)
    assert ActivityExport.objects.filter(authority=AUTHORITY, reference=REFERENCE).count() == 2
    assert not server_errors
