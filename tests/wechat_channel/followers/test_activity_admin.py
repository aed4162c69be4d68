"""The Follower activity page (A14): who sees the records, who exports them, and the audit of every export."""

import csv
import datetime
import io
import re
import zoneinfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.wechat_channel.admin_factories import make_account, refused
from wechat_channel import activity
from wechat_channel.models import ActivityExport, FollowerActivity

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
LIST = reverse("wechat_admin:activity")
EXPORT = reverse("wechat_admin:activity_export")


def at(day, hour=12):
    return datetime.datetime(2026, 3, day, hour, tzinfo=TZ)


@pytest.fixture
def account(db):
    return make_account()


@pytest.fixture
def records(account):
    return [
        activity.record(account, "o_a", FollowerActivity.Kind.SUBSCRIBE, "", at(1)),
        activity.record(account, "o_a", FollowerActivity.Kind.MESSAGE, "你好", at(3)),
        activity.record(account, "o_b", FollowerActivity.Kind.MENU_CLICK, "MENU_NEWS", at(3)),
        activity.record(account, "o_a", FollowerActivity.Kind.MESSAGE, "later", at(20)),
    ]


def login(client, user):
    client.force_login(user)
    return client


def csv_table(response):
    """The exported CSV's lines after its heading (the request, then a blank line): the column titles, the rows."""
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return lines[lines.index([]) + 1 :]


def xlsx_table(response):
    """The exported sheet's rows after its heading, as values: the column titles, then the rows."""
    rows = [[cell.value for cell in row] for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.rows]
    return rows[next(index for index, row in enumerate(rows) if not any(row)) + 1 :]


def export_post(chosen, **values):
    return {
        "authority": "瑞安市公安局",
        "reference": "瑞公（网）调证字〔2026〕118号",
        "account": chosen.pk,
        "openid": "o_a",
        "start": "2026-03-02",
        "end": "2026-03-10",
        "format": "csv",
        **values,
    }


# Who sees the records


@pytest.mark.parametrize("role", ["office", "channel", "policy"])
def test_the_office_and_channel_administrators_see_the_records(client, people, records, role):
    response = login(client, people[role]).get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("data-activity=") == 4


@pytest.mark.parametrize("role", ["contributor", "head_a", "leader_a", "college_leader"])
def test_other_roles_see_neither_the_page_nor_the_menu_item(client, people, records, role):
    client = login(client, people[role])
    assert refused(client.get(LIST))
    assert LIST not in client.get("/admin/").content.decode()


def test_the_menu_item_is_shown_to_those_who_see_the_records(client, people):
    assert LIST in login(client, people["channel"]).get("/admin/").content.decode()


def test_the_list_filters_by_account_openid_and_days(client, people, records, account):
    other = make_account()
    activity.record(other, "o_a", FollowerActivity.Kind.MESSAGE, "elsewhere", at(3))
    client = login(client, people["office"])

    html = client.get(LIST, {"account": account.pk, "openid": "o_a", "start": "2026-03-02", "end": "2026-03-03"})

    assert html.content.decode().count("data-activity=") == 1
    assert f'data-activity="{records[1].pk}"' in html.content.decode()


def test_the_list_costs_the_same_queries_for_one_record_or_many(client, people, account):
    client = login(client, people["office"])
    activity.record(account, "o_a", FollowerActivity.Kind.MESSAGE, "one", at(1))
    client.get(LIST)  # warm caches (permissions, site)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for day in range(2, 30):
        activity.record(make_account(), f"o_{day}", FollowerActivity.Kind.MESSAGE, "more", at(day))
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.content.decode().count("data-activity=") == 29
    assert len(many) == len(one)


# Who exports


def test_only_the_office_head_is_offered_the_export(client, people, records):
    assert 'id="activity-export"' in login(client, people["policy"]).get(LIST).content.decode()
    assert 'id="activity-export"' not in login(client, people["office"]).get(LIST).content.decode()


@pytest.mark.parametrize("role", ["office", "channel", "contributor"])
def test_anyone_else_is_refused_the_export_and_nothing_is_recorded(client, people, records, account, role):
    response = login(client, people[role]).post(EXPORT, export_post(account))

    assert response.status_code == 403
    assert not ActivityExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=activity.EXPORT_ACTION).exists()


def test_the_office_head_exports_csv_with_the_filters_and_the_export_is_recorded(client, people, records, account):
    response = login(client, people["policy"]).post(EXPORT, export_post(account))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="follower-activity-20260302-20260310.csv"'
    lines = csv_table(response)
    assert [line[1:] for line in lines[1:]] == [[account.name, "o_a", "消息", "你好"]]
    audit = ActivityExport.objects.get()
    assert (audit.user, audit.account, audit.openid, audit.format, audit.row_count) == (
        people["policy"],
        account,
        "o_a",
        "csv",
        1,
    )
    assert (audit.start, audit.end) == (
        datetime.datetime(2026, 3, 2, tzinfo=TZ),
        datetime.datetime(2026, 3, 11, tzinfo=TZ),
    )
    entry = ModelLogEntry.objects.get(action=activity.EXPORT_ACTION)
    assert (entry.user, entry.object_id, entry.data["rows"], entry.data["openid"]) == (
        people["policy"],
        str(audit.pk),
        1,
        "o_a",
    )
    row = re.search(rf'<tr data-export="{audit.pk}">.*?</tr>', client.get(LIST).content.decode(), re.S).group(0)
    assert "2026-03-02 – 2026-03-10" in row  # the days asked for, the last one included, as entered


def test_the_office_head_exports_every_openid_of_every_account_as_xlsx(client, people, records, account):
    response = login(client, people["policy"]).post(EXPORT, export_post(account, account="", openid="", format="xlsx"))

    assert response.status_code == 200
    rows = xlsx_table(response)[1:]
    assert sorted(row[2] for row in rows) == ["o_a", "o_b"]
    audit = ActivityExport.objects.get()
    assert (audit.account, audit.openid, audit.format, audit.row_count) == (None, "", "xlsx", 2)


def test_an_export_without_its_range_is_refused_and_not_recorded(client, people, records, account):
    response = login(client, people["policy"]).post(EXPORT, export_post(account, end=""))

    assert response.status_code == 400
    assert not ActivityExport.objects.exists()


def test_the_export_is_never_a_get(client, people, account):
    assert login(client, people["policy"]).get(EXPORT, export_post(account)).status_code == 405
    assert not ActivityExport.objects.exists()


# Who asked (A14: the records are provided at the authorities' request)


def test_the_export_and_its_log_entry_name_the_requesting_authority_and_reference(client, people, records, account):
    client = login(client, people["policy"])
    client.post(EXPORT, export_post(account))

    audit = ActivityExport.objects.get()
    assert (audit.authority, audit.reference) == ("瑞安市公安局", "瑞公（网）调证字〔2026〕118号")
    entry = ModelLogEntry.objects.get(action=activity.EXPORT_ACTION)
    assert (entry.data["authority"], entry.data["reference"]) == (audit.authority, audit.reference)
    assert entry.message == "已为瑞安市公安局导出粉丝活动记录，编号 瑞公（网）调证字〔2026〕118号（A14）"
    row = re.search(rf'<tr data-export="{audit.pk}">.*?</tr>', client.get(LIST).content.decode(), re.S).group(0)
    assert "瑞安市公安局" in row and "瑞公（网）调证字〔2026〕118号" in row


@pytest.mark.parametrize(
    "values",
    [
        {"authority": ""},
        {"reference": ""},
        {"authority": "   ", "reference": "\t"},
        {"authority": "公" * 201},
        {"reference": "号" * 101},
        {"authority": "公安\x00局"},
    ],
)
def test_an_export_without_a_usable_request_is_refused_with_the_reason_and_not_recorded(
    client, people, records, account, values
):
    response = login(client, people["policy"]).post(EXPORT, export_post(account, **values))

    assert response.status_code == 400
    assert 'class="error-message"' in response.content.decode()
    assert not ActivityExport.objects.exists()
    assert not ModelLogEntry.objects.filter(action=activity.EXPORT_ACTION).exists()


def test_the_form_asks_for_the_request_first(client, people, records):
    html = login(client, people["policy"]).get(LIST).content.decode()
    form = re.search(r'<section class="w-mt-10" id="activity-export">.*?</section>', html, re.S).group(0)
    names = re.findall(r'name="(\w+)"', form)
    assert names[1:3] == ["authority", "reference"]  # after the CSRF token
    assert "调取机关" in form and "文书或案件编号" in form


# The cells in the reader's words, not codes


def test_every_kind_reads_in_chinese_in_both_formats(client, people, account):
    labels = {
        FollowerActivity.Kind.SUBSCRIBE: "关注",
        FollowerActivity.Kind.COMMENT: "留言",
        FollowerActivity.Kind.MENU_CLICK: "菜单点击",
    }
    for day, kind in enumerate(labels, start=3):
        activity.record(account, "o_a", kind, "", at(day))
    client = login(client, people["policy"])

    lines = csv_table(client.post(EXPORT, export_post(account)))
    cells = xlsx_table(client.post(EXPORT, export_post(account, format="xlsx")))[1:]

    assert [line[3] for line in lines[1:]] == list(labels.values())
    assert [row[3] for row in cells] == list(labels.values())
    assert {line[1] for line in lines[1:]} == {row[1] for row in cells} == {account.name}
    assert "comment" not in str(lines) + str(cells)


# What the authorities read: who asked, and the times as people write them


def test_the_csv_opens_with_the_request_and_shows_local_times(client, people, account):
    # 01:15 UTC is 09:15 in Shanghai: the file says 09:15, without ISO's "T" and offset.
    activity.record(
        account, "o_a", FollowerActivity.Kind.MESSAGE, "早", datetime.datetime(2026, 3, 3, 1, 15, tzinfo=UTC)
    )
    response = login(client, people["policy"]).post(EXPORT, export_post(account))

    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[:4] == [
        ["调取机关", "瑞安市公安局"],
        ["文书或案件编号", "瑞公（网）调证字〔2026〕118号"],
        ["以下时间所属时区", "Asia/Shanghai"],
        [],
    ]
    assert lines[4] == ["时间", "公众号", "openid", "类型", "内容"]
    assert lines[5][0] == "2026-03-03 09:15:00"
    assert "T" not in lines[5][0] and "+08:00" not in response.content.decode("utf-8-sig")


def test_the_xlsx_opens_with_the_request_and_holds_real_local_date_times(client, people, account):
    activity.record(
        account, "o_a", FollowerActivity.Kind.MESSAGE, "早", datetime.datetime(2026, 3, 3, 1, 15, tzinfo=UTC)
    )
    response = login(client, people["policy"]).post(EXPORT, export_post(account, format="xlsx"))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows(max_row=3, max_col=2)] == [
        ["调取机关", "瑞安市公安局"],
        ["文书或案件编号", "瑞公（网）调证字〔2026〕118号"],
        ["以下时间所属时区", "Asia/Shanghai"],
    ]
    assert sheet.cell(row=5, column=1).value == "时间" and sheet.cell(row=5, column=1).font.bold
    time = sheet.cell(row=6, column=1)
    assert time.value.isoformat() == "2026-03-03T09:15:00"  # a date-time Excel sorts and filters, local
    assert time.is_date and time.number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet.column_dimensions["A"].width >= 19  # wide enough that Excel shows the time, not ####


def test_a_request_typed_as_a_formula_stays_text_in_both_files(client, people, records, account):
    client = login(client, people["policy"])
    hostile = export_post(account, authority='=HYPERLINK("http://evil")', reference="+1-2")

    lines = list(csv.reader(io.StringIO(client.post(EXPORT, hostile).content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(client.post(EXPORT, {**hostile, "format": "xlsx"}).content)).active

    assert lines[0][1] == '\'=HYPERLINK("http://evil")' and lines[1][1] == "'+1-2"
    assert sheet.cell(row=1, column=2).value == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=1, column=2).data_type == "s"
