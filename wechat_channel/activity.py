"""Follower activity records (A14): what followers do that reaches the site, exported for the authorities.

Every subscribe, unsubscribe, menu click and message WeChat delivers to the callback is
recorded with the follower's openid and WeChat's own time (`CreateTime`). Only the office
head exports them, and every export is recorded (`ActivityExport` and a Wagtail log
entry). Records older than the policy's `records.retention_days` are removed daily, and
each removal is recorded (`RetentionRun`): nothing is dropped silently.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.log_actions import log

from wechat_channel import bindings, slots
from wechat_channel.models import ActivityExport, CallbackEvent, FollowerActivity, RetentionRun, WeChatAccount
from wechat_channel.payload import created_at_of, text_of

logger = logging.getLogger(__name__)

K = FollowerActivity.Kind
DETAIL_MAX = 500  # FollowerActivity.detail; a longer message is cut with an ellipsis
EVENT_KINDS = {"subscribe": K.SUBSCRIBE, "unsubscribe": K.UNSUBSCRIBE, "click": K.MENU_CLICK, "view": K.MENU_VIEW}
EXPORT_ACTION = "wechat_channel.activity.export"


def record_from_event(event: CallbackEvent) -> FollowerActivity | None:
    """Record the follower's action a stored callback carries, once per callback; None when it carries none."""
    data = event.payload if isinstance(event.payload, dict) else {}
    openid = text_of(data.get("FromUserName"))
    if not openid:
        return None
    kind, detail = classify(data)
    activity, _created = FollowerActivity.objects.get_or_create(
        callback_event=event,
        defaults={
            "account": event.account,
            "openid": openid[:64],
            "kind": kind,
            "detail": _cut(detail),
            "occurred_at": created_at_of(data) or event.received_at or timezone.now(),
        },
    )
    bindings.follower_event(activity)  # a bound member of staff followed or left (A21)
    return activity


def classify(data: dict) -> tuple[str, str]:
    """(kind, detail) of a callback message (WECHAT.md §6): the event key, link or message text."""
    msg_type = text_of(data.get("MsgType")).lower()
    if msg_type == "event":
        event = text_of(data.get("Event"))
        kind = EVENT_KINDS.get(event.lower(), K.OTHER)
        key = text_of(data.get("EventKey"))
        if kind == K.OTHER:
            return kind, f"{event} {key}".strip()
        return kind, key
    if msg_type == "text":
        return K.MESSAGE, text_of(data.get("Content"))
    # Images, voice, video, locations and links: the type, then what identifies the content.
    for field in ("Url", "PicUrl", "Label", "Title", "MediaId"):
        if text_of(data.get(field)):
            return K.MESSAGE, f"[{msg_type}] {text_of(data.get(field))}"
    return K.MESSAGE, f"[{msg_type}]" if msg_type else ""


def record(account: WeChatAccount, openid: str, kind: str, detail: str, occurred_at) -> FollowerActivity:
    """Record an activity that did not come through the callback (e.g. a comment fetched from WeChat)."""
    return FollowerActivity.objects.create(
        account=account, openid=openid[:64], kind=kind, detail=_cut(detail), occurred_at=occurred_at
    )


# Exports


COLUMNS = ("time", "account", "openid", "kind", "detail")
# Local time as people read it (A14: the authorities read the file), never ISO's "T" and offset; the time zone is
# said once, in the heading.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_WIDTHS = {"A": 26, "B": 24, "C": 32, "D": 12, "E": 60}


def export_rows(account, openid, start, end):
    """The records an export holds: one account or all, one openid or all, `start` ≤ time < `end`, oldest first."""
    records = FollowerActivity.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if account is not None:
        records = records.filter(account=account)
    if openid:
        records = records.filter(openid=openid)
    return records.select_related("account").order_by("occurred_at", "pk")


def _row(activity):
    """One record's cells in the reader's language: local time (naive), the account by its name, the kind by its
    label, not codes."""
    return (
        timezone.localtime(activity.occurred_at).replace(tzinfo=None),
        activity.account.name,
        activity.openid,
        str(activity.get_kind_display()),
        activity.detail,
    )


def headers():
    return (_("Time"), pgettext("WeChat", "Account"), _("openid"), _("Kind"), _("Detail"))


def request_heading(authority, reference):
    """(label, value) rows the file opens with: who asked for the records, their reference, and the time zone."""
    return (
        (_("Requesting authority"), authority),
        (_("Case reference"), reference),
        (_("Time zone of the times below"), timezone.get_current_timezone_name()),
    )


def write_csv(records, stream, heading=()) -> int:
    """Write `heading` rows, a blank line and `records` as UTF-8 CSV (with a BOM, so Excel reads Chinese) to a
    binary stream; the row count."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    for label, value in heading:
        writer.writerow([label, spreadsheet_safe(value)])
    if heading:
        writer.writerow([])
    writer.writerow(headers())
    count = 0
    for activity in records.iterator(chunk_size=2000):
        time, *texts = _row(activity)
        writer.writerow([time.strftime(TIME_FORMAT), *(spreadsheet_safe(value) for value in texts)])
        count += 1
    text.detach()
    return count


def write_xlsx(records, stream, heading=()) -> int:
    """Write `heading` rows, a blank row and `records` as one XLSX sheet to a binary stream; the row count. The time is
    a date-time cell; every other cell is text, never a formula."""
    # Only the rare A14 export needs openpyxl, and it costs 80-140 ms per process (python -X importtime).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Follower activity"))
    for column, width in XLSX_WIDTHS.items():
        sheet.column_dimensions[column].width = width

    def text_cell(value, bold=False):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # a follower's "=…" message stays text in Excel
        if bold:
            cell.font = Font(bold=True)
        return cell

    def time_cell(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_TIME_FORMAT
        return cell

    for label, value in heading:
        sheet.append([text_cell(label, bold=True), text_cell(value)])
    if heading:
        sheet.append([])
    sheet.append([text_cell(value, bold=True) for value in headers()])
    count = 0
    for activity in records.iterator(chunk_size=2000):
        time, *texts = _row(activity)
        sheet.append([time_cell(time), *(text_cell(value) for value in texts)])
        count += 1
    book.save(stream)
    return count


WRITERS = {ActivityExport.Format.CSV: write_csv, ActivityExport.Format.XLSX: write_xlsx}


def export(user, account, openid, start, end, export_format, stream, *, authority, reference) -> ActivityExport:
    """Write the export to `stream` and record it (A14): the file opens with the authority that asked for the records
    and its case reference, and an `ActivityExport` row and a Wagtail log entry name both.

    The caller has checked that `user` may export (`permissions.EXPORT_ACTIVITY`).
    """
    with transaction.atomic():
        rows = export_rows(account, openid, start, end)
        row_count = WRITERS[export_format](rows, stream, heading=request_heading(authority, reference))
        audit = ActivityExport.objects.create(
            user=user,
            account=account,
            openid=openid or "",
            authority=authority,
            reference=reference,
            start=start,
            end=end,
            format=export_format,
            row_count=row_count,
        )
        log(
            instance=audit,
            action=EXPORT_ACTION,
            user=user,
            data={
                "account": account.slug if account else "",
                "openid": openid or "",
                "authority": authority,
                "reference": reference,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "format": export_format,
                "rows": row_count,
            },
        )
    return audit


# Retention


def retention_days(account) -> int | None:
    """How many days the account's policy keeps follower activity (`records.retention_days`, A14); None when its
    scope has no usable policy, and everything is kept."""
    policy, doc = slots.usable_policy(account)
    return None if policy is None else doc.records.retention_days


def purge_expired(now=None) -> list[RetentionRun]:
    """Remove records older than each account's policy retention, recording every removal (A14).

    An account whose policy scope has no active version keeps everything (logged), never guesses.
    """
    now = now or timezone.now()
    runs = []
    for account in WeChatAccount.objects.order_by("pk"):
        policy, doc = slots.usable_policy(account)
        if policy is None:  # no active policy, or one that no longer parses: keep everything
            logger.warning("follower activity of %s kept, nothing purged", account.slug)
            continue
        retention_days = doc.records.retention_days
        run = _purge_account(account, now - datetime.timedelta(days=retention_days), retention_days, policy.label, now)
        if run is not None:
            runs.append(run)
    return runs


def _purge_account(account, cutoff, retention_days, policy_label, now):
    with transaction.atomic():
        expired = FollowerActivity.objects.filter(account=account, occurred_at__lt=cutoff)
        span = expired.aggregate(count=Count("pk"), oldest=Min("occurred_at"), newest=Max("occurred_at"))
        if not span["count"]:
            return None
        deleted, _by_model = expired.delete()
        run = RetentionRun.objects.create(
            account=account,
            ran_at=now,
            retention_days=retention_days,
            policy_version=policy_label,
            cutoff=cutoff,
            deleted=deleted,
            oldest=span["oldest"],
            newest=span["newest"],
        )
    logger.info("removed %s follower activity records of %s before %s (A14)", deleted, account.slug, cutoff)
    return run


# Callback payload shapes (xmltodict): strings, None for empty elements, dicts with "#text".


def _cut(text: str) -> str:
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
