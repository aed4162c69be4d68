"""Mass-send allowance by account type (WECHAT.md §5; DESIGN "What a push is").

The current official page (服务号 → 群发消息 Batch_Sends.html): a subscription account sends once a day; a service
account sends to everyone once a day and four times a calendar month, counting sends made on mp.weixin.qq.com;
and each follower of a service account receives at most four mass messages a month — WeChat accepts the send
and leaves out the followers who have theirs ("多于4条的群发将对该用户发送失败"), reporting them in
MASSSENDJOBFINISH (`Push.followers_*`). Publishing uses no quota but needs a verified subscription account or a
service account (48001 otherwise). No API reads back the sends made on mp.weixin.qq.com: WeChat's 45028 and the
counts of the last result event are how the site learns of them (`outlook`).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from wechat_channel.models import Push, WeChatAccount

SUBSCRIPTION_PER_DAY = 1
SERVICE_PER_MONTH = 4
SERVICE_TO_ALL_PER_DAY = 1
USED_STATES = (Push.State.SENDING, Push.State.UNKNOWN, Push.State.SUBMITTED, Push.State.DONE)
NOT_SENT_YET = (Push.State.PLANNED, Push.State.PREPARING, Push.State.DRAFTED)


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


def _day(at):
    start = timezone.localtime(at).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _used(account, start, end, exclude=None):
    used = Push.objects.filter(account=account, mode=Push.Mode.MASS_SEND, state__in=USED_STATES).filter(
        Q(sent_at__gte=start, sent_at__lt=end) | Q(sent_at__isnull=True, slot__gte=start, slot__lt=end)
    )
    if exclude is not None:
        used = used.exclude(pk=exclude.pk)
    return used.count()


def mass_sends_used(account, at, exclude=None):
    return _used(account, *period(account, at), exclude=exclude)


def mass_send_left(account, at, exclude=None):
    left = allowance(account) - mass_sends_used(account, at, exclude=exclude)
    if account.kind == WeChatAccount.Kind.SERVICE:
        left = min(left, SERVICE_TO_ALL_PER_DAY - _used(account, *_day(at), exclude=exclude))
    return max(0, left)


def outlook(push):
    """What a mass-send push's page says of its reach: None for other pushes.

    After WeChat's result event: how many followers it was sent to, and how many WeChat left out. Before it is sent:
    the sends left at its slot and, for a service account, the followers the month's last result event says were
    already left out (they will be again): `expected` is at most what that send still reached."""
    if push.mode != Push.Mode.MASS_SEND:
        return None
    if push.followers_total is not None:
        return {"after": True, "push": push}
    if push.state not in NOT_SENT_YET:
        return None
    account, at = push.account, max(push.slot, timezone.now())
    service = account.kind == WeChatAccount.Kind.SERVICE
    start, end = period(account, at)
    last = (
        Push.objects.filter(account=account, followers_total__isnull=False, sent_at__gte=start, sent_at__lt=end)
        .exclude(pk=push.pk)
        .order_by("-sent_at")
        .first()
        if service
        else None
    )
    return {
        "after": False,
        "service": service,
        "left": mass_send_left(account, at, exclude=push),
        "period_used": mass_sends_used(account, at, exclude=push),
        "allowance": allowance(account),
        "day_used": _used(account, *_day(at), exclude=push),
        "last": last,
        "fallback": Push.Mode.PUBLISH.label if can_publish(account) else Push.Mode.DRAFT_ONLY.label,
    }


def can_publish(account):
    return account.verified or account.kind == WeChatAccount.Kind.SERVICE
