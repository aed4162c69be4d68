"""Staff duty (A21): staff must follow and promote the account; those who do not are criticised.

One row per member of staff and active WeChat account: no admin account (cannot bind), not bound,
bound and following, bound and not following, or bound and not known yet. Three queries whatever the
number of staff: the accounts, the staff with their departments and logins, and their bindings.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import Person, PersonKind
from wechat_channel.activity import spreadsheet_safe
from wechat_channel.models import FollowerBinding, WeChatAccount

Subscription = FollowerBinding.Subscription


class DutyStatus(models.TextChoices):
    NO_ACCOUNT = "no_account", gettext_lazy("no admin account")
    NOT_BOUND = "not_bound", gettext_lazy("not bound")
    UNSUBSCRIBED = "unsubscribed", gettext_lazy("bound, does not follow")
    UNKNOWN = "unknown", gettext_lazy("bound, not checked yet")
    SUBSCRIBED = "subscribed", gettext_lazy("bound and follows")


# The office criticises these (A21); "not checked yet" waits for the next check.
CRITICISED = frozenset({DutyStatus.NO_ACCOUNT, DutyStatus.NOT_BOUND, DutyStatus.UNSUBSCRIBED})
FROM_SUBSCRIPTION = {
    Subscription.SUBSCRIBED: DutyStatus.SUBSCRIBED,
    Subscription.UNSUBSCRIBED: DutyStatus.UNSUBSCRIBED,
    Subscription.UNKNOWN: DutyStatus.UNKNOWN,
}


@dataclass(frozen=True)
class DutyRow:
    """One member of staff on one account, with their binding (None when not bound)."""

    person: Person
    account: WeChatAccount
    binding: FollowerBinding | None
    status: str

    @property
    def criticised(self):
        return self.status in CRITICISED

    def get_status_display(self):
        return DutyStatus(self.status).label


def status_of(person, binding):
    if person.user_id is None:
        return DutyStatus.NO_ACCOUNT
    if binding is None:
        return DutyStatus.NOT_BOUND
    return FROM_SUBSCRIPTION.get(binding.subscription, DutyStatus.UNKNOWN)


def duty_rows(department=None, status=None, account=None) -> list[DutyRow]:
    """Rows by department, name and account; narrowed to a department, a status and an account when given."""
    accounts = WeChatAccount.objects.filter(is_active=True).order_by("name")
    if account is not None:
        accounts = accounts.filter(pk=account.pk)
    accounts = list(accounts)
    staff = Person.objects.filter(kind=PersonKind.STAFF).select_related("department", "user")
    if department is not None:
        staff = staff.filter(department=department)
    staff = list(staff.order_by("department__name", "name", "pk"))
    user_ids = [person.user_id for person in staff if person.user_id]
    bound = FollowerBinding.objects.filter(user_id__in=user_ids, account__in=accounts) if user_ids and accounts else []
    by_key = {(b.user_id, b.account_id): b for b in bound}
    rows = []
    for person in staff:
        for wechat_account in accounts:
            binding = by_key.get((person.user_id, wechat_account.pk)) if person.user_id else None
            row = DutyRow(person, wechat_account, binding, status_of(person, binding))
            if status in (None, "", row.status):
                rows.append(row)
    return rows


def counts(rows) -> dict:
    """{status: number of rows}, every status present, in the order of `DutyStatus`."""
    totals = dict.fromkeys(DutyStatus.values, 0)
    for row in rows:
        totals[row.status] += 1
    return totals


def headers():
    return (
        capfirst(_("full name")),
        _("Staff number"),
        _("Department"),
        _("Admin account"),
        _("WeChat account"),
        _("Status"),
        _("Bound at"),
        _("Known at"),
    )


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def csv_values(row):
    binding = row.binding
    return (
        row.person.name,
        row.person.number,
        row.person.department.name if row.person.department else "",
        row.person.user.get_username() if row.person.user else "",
        row.account.name,
        row.get_status_display(),
        _when(binding.bound_at if binding else None),
        _when(binding.subscription_at if binding else None),
    )


def write_csv(rows) -> bytes:
    """The office's criticism list as UTF-8 CSV with a BOM (Excel reads Chinese); a formula stays text."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in map(str, csv_values(row))])
    return stream.getvalue().encode("utf-8-sig")
