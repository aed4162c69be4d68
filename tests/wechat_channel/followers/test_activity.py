"""Follower activity records (A14): recorded from genuine callbacks, exported with filters, purged only when expired."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse

from policy_rules import versions
from policy_rules.document import PolicyDocument
from policy_rules.models import PolicyVersion
from tests.policy_rules.editor_form import editor_post
from tests.policy_rules.governance import facts_provider, period  # noqa: F401  (a fixture)
from tests.wechat_channel.admin_factories import make_account as make_plain_account
from tests.wechat_channel.callback_requests import T0, make_account, message, safe_post
from wechat_channel import activity, callbacks
from wechat_channel.models import CallbackEvent, FollowerActivity, RetentionRun

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
K = FollowerActivity.Kind


SUBSCRIBE = message("<Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_42]]></EventKey>")
CLICK = message("<Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[MENU_NEWS]]></EventKey>", created=T0 + 60)
TEXT = message(
    "<Content><![CDATA[请问何时开学？]]></Content><MsgId>777000111</MsgId>", created=T0 + 120, msg_type="text"
)


@pytest.fixture
def account(db, callback_env):
    return make_account()


def at(day, hour=12):
    return datetime.datetime(2026, 3, day, hour, tzinfo=TZ)


def add(account, openid, when, kind=K.MESSAGE, detail=""):
    return activity.record(account, openid, kind, detail, when)


# Recorded from the callback


@pytest.mark.parametrize(
    ("xml", "kind", "detail", "created"),
    [
        (SUBSCRIBE, K.SUBSCRIBE, "qrscene_42", T0),
        (CLICK, K.MENU_CLICK, "MENU_NEWS", T0 + 60),
        (TEXT, K.MESSAGE, "请问何时开学？", T0 + 120),
    ],
    ids=["subscribe", "menu-click", "message"],  # T0 is the clock's: ids from it differ between xdist workers
)
def test_a_signed_callback_records_the_follower_with_openid_and_wechat_time(
    client, account, django_capture_on_commit_callbacks, xml, kind, detail, created
):
    with django_capture_on_commit_callbacks(execute=True):
        response = safe_post(client, xml)

    assert (response.status_code, response.content) == (200, b"success")
    record = FollowerActivity.objects.get()
    assert (record.account, record.openid, record.kind, record.detail) == (account, "o_follower", kind, detail)
    assert record.occurred_at == datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
    assert record.callback_event == CallbackEvent.objects.get()


def test_processing_a_callback_twice_records_it_once(client, account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        safe_post(client, CLICK)
    event = CallbackEvent.objects.get()

    callbacks.apply(event)

    assert FollowerActivity.objects.count() == 1


def test_unsubscribe_menu_links_and_other_messages_are_classified():
    assert activity.classify({"MsgType": "event", "Event": "unsubscribe"}) == (K.UNSUBSCRIBE, "")
    assert activity.classify({"MsgType": "event", "Event": "VIEW", "EventKey": "https://x.cn/a"}) == (
        K.MENU_VIEW,
        "https://x.cn/a",
    )
    assert activity.classify({"MsgType": "image", "PicUrl": "http://p/1.jpg"}) == (K.MESSAGE, "[image] http://p/1.jpg")
    assert activity.classify({"MsgType": "event", "Event": "SCAN", "EventKey": "7"}) == (K.OTHER, "SCAN 7")


def test_a_long_message_is_cut_with_an_ellipsis(account):
    record = add(account, "o_long", at(1), detail="字" * 2000)
    assert len(record.detail) == activity.DETAIL_MAX and record.detail.endswith("…")


# Export


def test_the_export_holds_one_openids_records_in_the_range_oldest_first(account):
    other_account = make_plain_account()
    add(account, "o_a", at(1), detail="before")
    wanted = [add(account, "o_a", at(3), detail="second"), add(account, "o_a", at(2), detail="first")]
    add(account, "o_b", at(2), detail="another follower")
    add(other_account, "o_a", at(2), detail="another account")
    add(account, "o_a", at(5), detail="on the end day, excluded")

    rows = activity.export_rows(account, "o_a", at(2, 0), at(5, 0))

    assert list(rows) == [wanted[1], wanted[0]]
    assert activity.export_rows(None, "o_a", at(2, 0), at(5, 0)).count() == 3
    assert activity.export_rows(account, "", at(2, 0), at(5, 0)).count() == 3


def test_csv_and_xlsx_hold_the_same_rows_and_a_formula_stays_text(account):
    add(account, "o_a", at(2), kind=K.MENU_CLICK, detail="MENU_NEWS")
    add(account, "o_a", at(3), detail='=HYPERLINK("http://evil")')
    rows = activity.export_rows(account, "o_a", at(1, 0), at(9, 0))

    csv_stream, xlsx_stream = io.BytesIO(), io.BytesIO()
    assert activity.write_csv(rows, csv_stream) == 2
    assert activity.write_xlsx(rows, xlsx_stream) == 2

    lines = list(csv.reader(io.StringIO(csv_stream.getvalue().decode("utf-8-sig"))))
    # In the reader's words (A14: the records go to the authorities): local time as people write it, the account's
    # name, the kind's label.
    assert lines[1] == ["2026-03-02 12:00:00", account.name, "o_a", "菜单点击", "MENU_NEWS"]
    assert lines[2][4] == '\'=HYPERLINK("http://evil")'
    sheet = openpyxl.load_workbook(xlsx_stream).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[1][1:] == lines[1][1:]
    assert cells[1][0].isoformat() == "2026-03-02T12:00:00"  # a date-time cell in local time, not text
    assert sheet.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm:ss"
    assert cells[2][4] == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=3, column=5).data_type == "s"  # text, not a formula Excel would run


# Retention


def test_purge_removes_only_expired_records_and_records_what_it_removed(account):
    now = datetime.datetime(2026, 6, 1, 3, tzinfo=TZ)
    cutoff = now - datetime.timedelta(days=730)
    old = [
        add(account, "o_a", cutoff - datetime.timedelta(days=10)),
        add(account, "o_b", cutoff - datetime.timedelta(days=1)),
    ]
    kept = [add(account, "o_a", cutoff + datetime.timedelta(seconds=1)), add(account, "o_a", now)]

    [run] = activity.purge_expired(now)

    assert set(FollowerActivity.objects.values_list("pk", flat=True)) == {record.pk for record in kept}
    assert (run.account, run.deleted, run.retention_days, run.cutoff) == (account, 2, 730, cutoff)
    assert (run.oldest, run.newest) == (old[0].occurred_at, old[1].occurred_at)
    assert run.policy_version == "default@v1"
    assert activity.purge_expired(now) == []  # nothing more to remove, nothing recorded
    assert RetentionRun.objects.count() == 1


def test_a_scope_without_an_active_policy_keeps_everything(account):
    account.policy_scope = "nowhere"
    account.save()
    add(account, "o_a", at(1) - datetime.timedelta(days=5000))

    assert activity.purge_expired() == []
    assert FollowerActivity.objects.count() == 1


def test_documents_stored_before_the_records_section_still_parse(db):
    stored = {name: value for name, value in PolicyVersion.active_for("default").document.items() if name != "records"}
    assert PolicyDocument.model_validate(stored).records.retention_days == 730


@pytest.mark.parametrize("days", [29, 3651])
def test_retention_outside_its_bounds_is_refused(days):
    with pytest.raises(ValueError, match="retention_days"):
        PolicyDocument.model_validate({"records": {"retention_days": days}})


def test_retention_edited_through_the_policy_document_takes_effect(client, people, account, facts_provider):  # noqa: F811
    client.force_login(people["policy"])
    client.post(reverse("policy_admin:start_draft"), {"scope": "default"})
    draft = PolicyVersion.objects.get(number=2)
    response = client.post(
        reverse("policy_admin:edit", args=[draft.pk]), editor_post(draft, records__retention_days="30")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.document["records"] == {"retention_days": 30}
    page = client.get(reverse("policy_admin:version", args=[draft.pk])).content.decode()
    assert "粉丝活动记录保存天数（A14）" in page
    assert versions.validate(draft, people["policy"])["ok"]
    versions.dry_run(draft, *period(), people["policy"])
    versions.activate(draft, people["policy"])

    now = datetime.datetime(2026, 6, 1, 3, tzinfo=TZ)
    add(account, "o_a", now - datetime.timedelta(days=31))
    kept = add(account, "o_a", now - datetime.timedelta(days=29))
    [run] = activity.purge_expired(now)

    assert (run.retention_days, run.deleted, run.policy_version) == (30, 1, "default@v2")
    assert list(FollowerActivity.objects.all()) == [kept]
