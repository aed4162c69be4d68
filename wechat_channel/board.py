"""The weekly plan as the office's board (A12): seven day columns, their pushes as cards, each article's readiness.

Days run Monday to Sunday in Asia/Shanghai. Each column carries its day type from the calendar and the policy's
push windows for it (A11.2, A11.3); a working day with fewer pushes than the policy's minimum is flagged (A11.1).
Each article says whether it can be sent at its push's slot: a cover and WeChat's limits on its fields
(`content.article.problems_of`, the body left to the push's own check) and the lead time (A16). The whole week
costs the same queries however many pushes and articles it holds: pushes with their articles in two queries,
their pages one query per page type.
"""

import datetime
import re
import zoneinfo

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from wechat_channel import slots
from wechat_channel.adapters import adapters_for
from wechat_channel.content.article import problems_of
from wechat_channel.models import Push, PushItem
from wechat_channel.slots import DAY_TYPES, NoActivePolicy, day_types

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")  # policy times are Asia/Shanghai (DESIGN: Time)
WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2999  # a week outside these has no plan, and its neighbours' links must exist
NOT_COUNTED = (Push.State.CANCELLED, Push.State.FAILED)  # nothing went or will go out


def monday_of(value, today):
    """The Monday of ISO week `value` ("2026-W48"), else of `today`'s week."""
    match = WEEK.match(value or "")
    if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        try:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - datetime.timedelta(days=today.weekday())


def week_label(monday):
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def active_policy(account):
    """The account's active policy version, or None when its scope has none (nothing is then checked)."""
    try:
        return slots.policy_for(account)
    except NoActivePolicy:
        return None


def readiness(item, adapter, policy):
    """What stops `item` from going out at its push's slot, in the reader's language; empty when it is ready."""
    if adapter is None:
        return [_("The article's page no longer exists or is not syndicated.")]
    # The body is fixed once the office approved it (a change is a new review) and is checked again before any
    # upload at the push (`content.article`); the board checks what can still change or arrive late.
    problems = [problem.message() for problem in problems_of(adapter, body=False) if problem.blocking]
    if policy is not None:
        late = slots.lead_shortfall(policy, item.push.slot, adapter.entered_office_at(), bool(adapter.breaking()))
        if late is not None:
            problems.append(slots.reason_text(late))
    return problems


def _articles(pushes, policy):
    """Each push's articles headline first, each with `department`, `problems` and `ready`."""
    items = [item for push in pushes for item in push.ordered_items]
    adapters = adapters_for({item.page_id for item in items if item.page_id})
    for item in items:
        adapter = adapters.get(item.page_id)
        item.department = adapter.department() if adapter is not None else ""
        # Only articles still to go out are checked: a sent one's readiness no longer matters.
        item.problems = readiness(item, adapter, policy) if item.push.is_editable else []
        item.ready = not item.problems


def week_board(account, monday, today):
    """Seven day columns with their day type, windows and pushes, and the week's move targets."""
    start = datetime.datetime.combine(monday, datetime.time(), TZ)
    items = PushItem.objects.order_by("position", "pk")
    pushes = list(
        Push.objects.filter(account=account, slot__gte=start, slot__lt=start + datetime.timedelta(days=7))
        .exclude(state=Push.State.CANCELLED)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
        .order_by("slot", "pk")
    )
    for push in pushes:
        push.local_slot = push.slot.astimezone(TZ)
        for item in push.ordered_items:
            item.push = push  # the prefetch's own push, not one more query each
    policy = active_policy(account)
    _articles(pushes, policy)
    types = day_types(monday, monday + datetime.timedelta(days=6))
    minimum = slots.document(policy).schedule.min_pushes_per_working_day if policy is not None else None
    days = []
    for offset in range(7):
        date = monday + datetime.timedelta(days=offset)
        of_day = [push for push in pushes if push.local_slot.date() == date]
        counted = sum(1 for push in of_day if push.state not in NOT_COUNTED)
        day_type = str(types.get(date, "working" if date.weekday() < 5 else "rest"))
        days.append(
            {
                "date": date,
                "day_type": day_type,
                "day_label": DAY_TYPES.get(day_type, day_type),
                "windows": slots.day_windows(policy, day_type) if policy is not None else None,
                "pushes": of_day,
                "short": minimum is not None and day_type == "working" and counted < minimum,
                "count": counted,
                "open": date >= today,  # a new push may still be planned on it
            }
        )
    targets = [push for push in pushes if push.is_editable]
    return {"days": days, "minimum": minimum, "targets": targets, "policy": policy}
