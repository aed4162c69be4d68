"""Each account's health: secrets present, message encryption, token and IP whitelist, mass sends left,
callbacks (stalled, and parked with their reason for a channel administrator to retry), stuck pushes."""

import logging
import re

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wechat_channel import callbacks as callback_domain
from wechat_channel import quotas, trust
from wechat_channel.conf import get_conf
from wechat_channel.models import CallbackEvent, Push, WeChatAccount
from wechat_channel.permissions import CHANGE_ACCOUNTS, VIEW_ACCOUNTS, can
from wechat_channel.tasks import parked, stalled
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

from .base import ChannelView

logger = logging.getLogger("wechat_channel")
CHECK_TIMEOUT_SECONDS = 3
IP_NOT_IN_WHITELIST = 40164
PARKED_SHOWN = 20
SEEN_IP = re.compile(r"invalid ip ([0-9a-fA-F.:]+)")


def token_check(account):
    """(ok, words): whether WeChat hands this account a token from here; 40164 names the IP to whitelist."""
    refused = trust.problems(account)
    if refused:  # a variable or address the site refuses: nothing is sent (the client would refuse too)
        return False, " ".join(str(problem) for problem in refused)
    if not account.secret:
        return False, _("Not checked: the AppSecret variable is not set.")
    client = client_for(account)
    client.api.timeout = CHECK_TIMEOUT_SECONDS  # a page load waits briefly; the delivery keeps its own timeout
    try:
        result = client.health.check_token()
    except Exception as error:  # noqa: BLE001 - a health page reports any failure rather than fail itself
        logger.warning("token check of %s failed: %s", account.slug, error)
        return False, _("WeChat could not be reached: %(error)s") % {"error": error.__class__.__name__}
    if result["ok"]:
        return True, _("A token was issued and accepted.")
    return False, error_words(result["error"])


def error_words(error):
    """The classified error of `check_token` in the reader's language, with the IP WeChat saw (40164)."""
    words = WeChatCallError.from_dict(error).message()
    if error.get("code"):
        words = _("%(message)s (error %(code)s)") % {"message": words, "code": error["code"]}
    seen = SEEN_IP.search(error.get("errmsg") or "")
    if error.get("code") == IP_NOT_IN_WHITELIST and seen:
        words += " " + _("WeChat saw this server as %(ip)s: add that address to the IP whitelist.") % {"ip": seen[1]}
    return words


def account_health(account, now, callbacks, stuck):
    ok, words = token_check(account)
    start, end = quotas.period(account, now)
    return {
        "account": account,
        "refused": trust.problems(account),
        "missing": account.missing_secrets(),
        # Plain mode: neither the messages nor what the signature covers are protected (WECHAT.md §6.2).
        "plain_mode": account.callback_mode != WeChatAccount.CallbackMode.SAFE,
        "token_ok": ok,
        "token_words": words,
        "mass_left": quotas.mass_send_left(account, now),
        "allowance": quotas.allowance(account),
        "period_start": start,
        "period_end": end,
        "last_callback": callbacks.get(account.pk, {}).get("last"),
        "stalled": callbacks.get(account.pk, {}).get("stalled", 0),
        "parked_count": callbacks.get(account.pk, {}).get("parked", 0),
        "parked": list(account.events.filter(parked()).order_by("parked_at", "pk")[:PARKED_SHOWN]),
        "failed": stuck.get(account.pk, {}).get("failed", 0),
        "unknown": stuck.get(account.pk, {}).get("unknown", 0),
    }


class HealthView(ChannelView):
    permission = VIEW_ACCOUNTS
    page_title = gettext_lazy("Health")
    template_name = "wechat_channel/admin/health.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        accounts = list(WeChatAccount.objects.filter(is_active=True).order_by("name"))
        callbacks = {
            row["account"]: row
            for row in CallbackEvent.objects.values("account").annotate(
                last=Max("received_at"), stalled=Count("pk", filter=stalled(now)), parked=Count("pk", filter=parked())
            )
        }
        stuck = {
            row["account"]: row
            for row in Push.objects.values("account").annotate(
                failed=Count("pk", filter=Q(state=Push.State.FAILED)),
                unknown=Count("pk", filter=Q(state=Push.State.UNKNOWN)),
            )
        }
        context["rows"] = [account_health(account, now, callbacks, stuck) for account in accounts]
        context["can_retry"] = can(self.request.user, CHANGE_ACCOUNTS)
        context["health_url"] = get_conf("HEALTH_URL")
        return context


class RetryCallbackView(ChannelView):
    """POST only: a channel administrator puts a parked callback back to work once its cause is fixed (A6.5.1)."""

    permission = CHANGE_ACCOUNTS
    http_method_names = ["post"]

    def post(self, request, pk):
        if callback_domain.retry_parked(pk):
            logger.info("parked WeChat callback %s retried by %s", pk, request.user.pk)
            messages.success(request, _("The callback is queued to be processed again."))
        else:
            messages.error(request, _("This callback is not parked: it was processed or retried already."))
        return redirect("wechat_admin:health")
