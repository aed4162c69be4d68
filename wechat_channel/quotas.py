"""Mass-send allowance by account type (WECHAT.md §5; DESIGN "What a push is").

A subscription account gets one mass send a day; a service account reaches each
follower at most 4 times a month. Publishing uses no quota but needs a verified
subscription account or a service account (48001 otherwise).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from wechat_channel.models import Push, WeChatAccount

SUBSCRIPTION_PER_DAY = 1
SERVICE_PER_MONTH = 4
USED_STATES = (Push.State.SENDING, Push.State.UNKNOWN, Push.State.SUBMITTED, Push.State.DONE)


def period(account, at):
    """The [start, end) of the quota period containing `at`, in local time."""
    local = timezone.localtime(at)
    if account.kind == WeChatAccount.Kind.SERVICE:
        start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
    else:
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + datetime.timedelta(days=1)
    return start, end


def allowance(account):
    return SERVICE_PER_MONTH if account.kind == WeChatAccount.Kind.SERVICE else SUBSCRIPTION_PER_DAY


def mass_sends_used(account, at, exclude=None):
    start, end = period(account, at)
    used = Push.objects.filter(account=account, mode=Push.Mode.MASS_SEND, state__in=USED_STATES).filter(
        Q(sent_at__gte=start, sent_at__lt=end) | Q(sent_at__isnull=True, slot__gte=start, slot__lt=end)
    )
    if exclude is not None:
        used = used.exclude(pk=exclude.pk)
    return used.count()


def mass_send_left(account, at, exclude=None):
    return max(0, allowance(account) - mass_sends_used(account, at, exclude=exclude))


def can_publish(account):
    return account.verified or account.kind == WeChatAccount.Kind.SERVICE
