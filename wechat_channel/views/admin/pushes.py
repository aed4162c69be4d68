"""Pushes and their state: the list, one push with its articles and history, retry and cancel."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wechat_channel import push_actions, quotas, verdicts
from wechat_channel.models import Push, WeChatAccount
from wechat_channel.params import parse_id
from wechat_channel.permissions import HANDLE_PUSHES, PLAN_PUSHES, VIEW_PLAN, can
from wechat_channel.queue import enqueue

from .base import ChannelView

S = Push.State
NOT_CANCELLABLE = (S.SENDING, S.UNKNOWN, S.SUBMITTED, S.DONE, S.CANCELLED)  # push_actions.cancel refuses these
# What each history line's action means, for the reader (PushEvent.action is a stable code).
ACTIONS = {
    "article_added": gettext_lazy("article added"),
    "article_moved_in": gettext_lazy("article moved in"),
    "article_moved_out": gettext_lazy("article moved out"),
    "reordered": gettext_lazy("reordered"),
    "rescheduled": gettext_lazy("rescheduled"),
    "started": gettext_lazy("started"),
    "draft_requested": gettext_lazy("draft requested"),
    "draft_found": gettext_lazy("draft found"),
    "drafted": gettext_lazy("draft created"),
    "sent": gettext_lazy("sent"),
    "answer_lost": gettext_lazy("answer lost"),
    "reconciled": gettext_lazy("reconciled"),
    "retry_later": gettext_lazy("will retry"),
    "retried": gettext_lazy("retried"),
    "article_failed": gettext_lazy("article failed"),
    "failed": gettext_lazy("failed"),
    "done": gettext_lazy("done"),
    "cancelled": gettext_lazy("cancelled"),
    "mass_send_used": gettext_lazy("mass send used"),
    "images_refreshed": gettext_lazy("images uploaded again"),
    "draft_lost": gettext_lazy("draft made again"),
    "settled_by_person": gettext_lazy("settled by hand"),
    "draft_taken": gettext_lazy("draft taken"),
    "backup_removed": gettext_lazy("backup removed"),
    "followers": gettext_lazy("followers reached"),
}
BADGE = {
    S.DONE: "success",
    S.FAILED: "critical",
    S.UNKNOWN: "warning",
    S.CANCELLED: "",
}


def badge(push):
    return BADGE.get(push.state, "info")


def can_retry(push):
    return push.state == S.FAILED


def can_cancel(push):
    return push.state not in NOT_CANCELLABLE


def may_cancel(user, push):
    """A parked (failed) push is a system error (A6.5.1); cancelling any other changes the plan (A12.1)."""
    return can(user, HANDLE_PUSHES) and (push.state == S.FAILED or can(user, PLAN_PUSHES))


class PushListView(ChannelView):
    permission = VIEW_PLAN
    page_title = gettext_lazy("Pushes")
    template_name = "wechat_channel/admin/push_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pushes = Push.objects.select_related("account").annotate(n_items=Count("items")).order_by("-slot", "-pk")
        account, state = self.request.GET.get("account", ""), self.request.GET.get("state", "")
        if parse_id(account) is not None:
            pushes = pushes.filter(account_id=parse_id(account))
        if state in S.values:
            pushes = pushes.filter(state=state)
        page = Paginator(pushes, self.per_page).get_page(self.request.GET.get("p"))
        for push in page:
            push.badge = badge(push)
        context.update(
            page=page,
            accounts=WeChatAccount.objects.order_by("name"),
            states=S.choices,
            chosen_account=account,
            chosen_state=state,
        )
        return context


class PushView(ChannelView):
    permission = VIEW_PLAN
    page_title = gettext_lazy("Push")
    template_name = "wechat_channel/admin/push.html"

    def dispatch(self, request, *args, **kwargs):
        self.push = get_object_or_404(Push.objects.select_related("account"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.push)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wechat_admin:pushes"), "label": _("Pushes")},
            {"url": "", "label": str(self.push)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        push, editor = self.push, can(self.request.user, HANDLE_PUSHES)
        push.badge = badge(push)
        context.update(
            push=push,
            items=push.items.order_by("position", "pk"),
            events=[(event, ACTIONS.get(event.action, event.action)) for event in push.events.order_by("at", "pk")],
            can_retry=editor and can_retry(push),
            can_cancel=may_cancel(self.request.user, push) and can_cancel(push),
            can_settle=editor and verdicts.unconfirmed(push),
            outlook=quotas.outlook(push),
        )
        return context


class PushActionView(ChannelView):
    """POST only: one delivery action on a push, then back to its page."""

    permission = HANDLE_PUSHES
    http_method_names = ["post"]

    def post(self, request, pk):
        push = get_object_or_404(Push, pk=pk)
        if not self.allowed(push):
            return HttpResponseForbidden(str(self.forbidden))
        try:
            self.act(push)
        except ValueError as error:
            messages.error(request, self.refused % {"reason": error})
        return redirect("wechat_admin:push", push.pk)

    def allowed(self, push):
        """Beyond HANDLE_PUSHES, whether this user may act on this push."""
        return True


class RetryView(PushActionView):
    refused = gettext_lazy("Not retried: %(reason)s")

    def act(self, push):
        push_actions.retry(push, self.request.user)
        enqueue("wechat_channel.tasks.advance_push", push.pk)
        messages.success(self.request, _("The push is back at work."))


class CancelView(PushActionView):
    refused = gettext_lazy("Not cancelled: %(reason)s")
    forbidden = gettext_lazy("Only the office cancels a push that is not parked; it changes the plan.")

    def allowed(self, push):
        return may_cancel(self.request.user, push)

    def act(self, push):
        push_actions.cancel(push, self.request.user)
        messages.success(self.request, _("The push is cancelled; its articles can be planned again."))


class SettleView(PushActionView):
    """A person says what mp.weixin.qq.com shows of a push WeChat never confirmed: out (with its URLs) or not."""

    refused = gettext_lazy("Not settled: %(reason)s")

    def act(self, push):
        outcome = self.request.POST.get("outcome")
        if outcome == "published":
            verdicts.mark_published(push, self.request.user, self.request.POST.get("urls", "")[:20000])
            messages.success(self.request, _("Marked as out on WeChat."))
        elif outcome == "not_published":
            verdicts.mark_not_published(push, self.request.user)
            enqueue("wechat_channel.tasks.advance_push", push.pk)
            messages.success(self.request, _("The push is made and sent again."))
        else:
            raise ValueError(_("Say whether the push is on WeChat."))
