"""The weekly plan (A12): each day's pushes with their articles, and the editors' changes to it.

Days run Monday to Sunday in Asia/Shanghai. A working day with fewer pushes than
the policy's minimum carries a warning (A11.1). Changes go through `planning`,
whose `PlanningError` message is shown to the editor as it is.
"""

import datetime
import re
import zoneinfo

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policy_rules.calendar import day_types
from policy_rules.decisions import NoActivePolicy
from policy_rules.labels import DAY_TYPES
from wechat_channel import planning, slots
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.params import posted_id
from wechat_channel.permissions import PLAN_PUSHES, VIEW_PLAN, can

from .base import ChannelView

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


def minimum_pushes(account):
    """The policy's least pushes per working day (A11.1), or None when the scope has no active policy."""
    try:
        return slots.document(slots.policy_for(account)).schedule.min_pushes_per_working_day
    except NoActivePolicy:
        return None


def week_plan(account, monday):
    """Seven days, each with its day type, pushes (articles headline first) and whether it lacks pushes."""
    start = datetime.datetime.combine(monday, datetime.time(), TZ)
    items = PushItem.objects.order_by("position", "pk")
    pushes = list(
        Push.objects.filter(account=account, slot__gte=start, slot__lt=start + datetime.timedelta(days=7))
        .exclude(state=Push.State.CANCELLED)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
        .order_by("slot", "pk")
    )
    types = day_types(monday, monday + datetime.timedelta(days=6))
    minimum = minimum_pushes(account)
    targets = [push for push in pushes if push.is_editable]
    days = []
    for offset in range(7):
        date = monday + datetime.timedelta(days=offset)
        of_day = [push for push in pushes if push.slot.astimezone(TZ).date() == date]
        counted = sum(1 for push in of_day if push.state not in NOT_COUNTED)
        day_type = str(types.get(date, "working" if date.weekday() < 5 else "rest"))
        for push in of_day:
            push.local_slot = push.slot.astimezone(TZ)
            push.targets = [target for target in targets if target.pk != push.pk]
        days.append(
            {
                "date": date,
                "day_type": day_type,
                "day_label": DAY_TYPES.get(day_type, day_type),
                "pushes": of_day,
                "short": minimum is not None and day_type == "working" and counted < minimum,
                "count": counted,
            }
        )
    return {"days": days, "minimum": minimum}


class PlanView(ChannelView):
    permission = VIEW_PLAN
    page_title = gettext_lazy("Weekly plan")
    template_name = "wechat_channel/admin/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = list(WeChatAccount.objects.filter(is_active=True).order_by("name"))
        chosen = self.request.GET.get("account", "")
        account = next((a for a in accounts if str(a.pk) == chosen), accounts[0] if accounts else None)
        monday = monday_of(self.request.GET.get("week"), timezone.localtime(timezone.now(), TZ).date())

        def link(day):
            return "?" + urlencode({"week": week_label(day), "account": account.pk if account else ""})

        context.update(
            accounts=accounts,
            account=account,
            week=week_label(monday),
            monday=monday,
            sunday=monday + datetime.timedelta(days=6),
            previous_week=link(monday - datetime.timedelta(days=7)),
            next_week=link(monday + datetime.timedelta(days=7)),
            can_edit=can(self.request.user, PLAN_PUSHES),
            here=self.request.get_full_path(),
            **(week_plan(account, monday) if account else {"days": [], "minimum": None}),
        )
        return context


class PlanChangeView(ChannelView):
    """POST only: one change to the plan; a refusal is shown in the planner's words."""

    permission = PLAN_PUSHES
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            self.change(pk)
        except planning.PlanningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The plan is changed."))
        return self.back(reverse("wechat_admin:plan"))


class ReorderView(PlanChangeView):
    """Move one article up or down within its push (the headline is the first)."""

    def change(self, pk):
        push = get_object_or_404(Push, pk=pk)
        ids = list(push.items.order_by("position", "pk").values_list("pk", flat=True))
        item_id, step = posted_id(self.request, "item"), -1 if self.request.POST.get("direction") == "up" else 1
        if item_id not in ids:
            raise planning.PlanningError(_("That article is not in this push any more."))
        here = ids.index(item_id)
        there = here + step
        if 0 <= there < len(ids):
            ids[here], ids[there] = ids[there], ids[here]
            planning.reorder(push, ids, self.request.user)


class MoveView(PlanChangeView):
    """Move one article into another planned push of the same account."""

    def change(self, pk):
        item = get_object_or_404(PushItem, pk=pk)
        target = Push.objects.filter(pk=posted_id(self.request, "target")).first()
        if target is None:
            raise planning.PlanningError(_("Choose the push to move the article to."))
        planning.move_item(item, target, self.request.user)


class RescheduleView(PlanChangeView):
    """Move a planned push to another day and time (Asia/Shanghai)."""

    def change(self, pk):
        push = get_object_or_404(Push, pk=pk)
        try:
            at = datetime.datetime.fromisoformat(self.request.POST.get("at", "")).replace(tzinfo=TZ)
        except ValueError:
            raise planning.PlanningError(_("Give the new date and time.")) from None
        planning.reschedule(push, at, self.request.user)
