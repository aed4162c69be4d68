"""The weekly plan (A12) as the office's board, and the editors' changes to it.

The board's data is `wechat_channel.board`; changes go through `planning`, whose refusals (a code and its
parameters) are worded here in the reader's language. Every change is a plain form post, so the page works
without JavaScript; `plan.js` sends the same forms in the background (Accept: application/json) and shows a
refusal next to the card, or refreshes the board in place.
"""

import datetime
import re

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wechat_channel import planning
from wechat_channel.board import TZ, monday_of, week_board, week_label
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.params import parse_id, posted_id
from wechat_channel.permissions import PLAN_PUSHES, VIEW_PLAN, can

from .base import ChannelView

# Where an article goes: "push-12" (into that push) or "day-2026-12-08" (a new push that day).
DESTINATION = re.compile(r"^(?:push-(?P<push>[0-9]{1,18})|day-(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2}))$")


class PlanView(ChannelView):
    permission = VIEW_PLAN
    page_title = gettext_lazy("Weekly plan")
    template_name = "wechat_channel/admin/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        accounts = list(WeChatAccount.objects.filter(is_active=True).order_by("name"))
        chosen = self.request.GET.get("account", "")
        account = next((a for a in accounts if str(a.pk) == chosen), accounts[0] if accounts else None)
        today = timezone.localtime(timezone.now(), TZ).date()
        monday = monday_of(self.request.GET.get("week"), today)

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
            **(week_board(account, monday, today) if account else {"days": [], "minimum": None, "targets": []}),
        )
        return context


class PlanChangeView(ChannelView):
    """POST only: one change to the plan; a refusal is worded in the reader's language.

    A form post goes back to the plan with a message; a background post (Accept: application/json) gets
    `{"ok", "message", "code"}`, 409 for a refusal, so the page shows it next to the card.
    """

    permission = PLAN_PUSHES
    http_method_names = ["post"]

    def post(self, request, pk):
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            self.change(pk)
        except planning.PlanningError as error:
            if wants_json:
                return JsonResponse({"ok": False, "code": error.code, "message": error.message()}, status=409)
            messages.error(request, error.message())
        else:
            if wants_json:
                return JsonResponse({"ok": True, "message": _("The plan is changed.")})
            messages.success(request, _("The plan is changed."))
        return self.back(reverse("wechat_admin:plan"))


class ReorderView(PlanChangeView):
    """Move one article up or down within its push (the headline is the first)."""

    def change(self, pk):
        push = get_object_or_404(Push, pk=pk)
        ids = list(push.items.order_by("position", "pk").values_list("pk", flat=True))
        item_id, step = posted_id(self.request, "item"), -1 if self.request.POST.get("direction") == "up" else 1
        if item_id not in ids:
            raise planning.PlanningError("item_gone")
        here = ids.index(item_id)
        there = here + step
        if 0 <= there < len(ids):
            ids[here], ids[there] = ids[there], ids[here]
            planning.reorder(push, ids, self.request.user)


class MoveView(PlanChangeView):
    """Move one article into another planned push of its account, or into a new push on a day of the week."""

    def change(self, pk):
        item = PushItem.objects.filter(pk=pk).first()
        if item is None:
            raise planning.PlanningError("item_gone")
        match = DESTINATION.match(self.request.POST.get("to", ""))
        if match and match["day"]:
            try:
                day = datetime.date.fromisoformat(match["day"])
            except ValueError:
                raise planning.PlanningError("choose_target") from None
            planning.move_to_day(item, day, self.request.user)
            return
        pk = parse_id(match["push"]) if match else posted_id(self.request, "target")
        target = Push.objects.filter(pk=pk).first()
        if target is None:
            raise planning.PlanningError("choose_target")
        planning.move_item(item, target, self.request.user)


class RescheduleView(PlanChangeView):
    """Move a planned push to another day and time (Asia/Shanghai)."""

    def change(self, pk):
        push = get_object_or_404(Push, pk=pk)
        try:
            at = datetime.datetime.fromisoformat(self.request.POST.get("at", "")).replace(tzinfo=TZ)
        except ValueError:
            raise planning.PlanningError("give_time") from None
        planning.reschedule(push, at, self.request.user)
